import { describe, expect, it } from 'vitest';
import { IvrServiceError } from './ivr-service-error.ts';
import { NoticeBoard, noticePrompts } from './notice-board.ts';

const H = 3_600_000;
describe('IVR-7 notice board: time windows and entry points', () => {
  const board = new NoticeBoard([
    { id: 'holiday', text: 'Markets are closed on Monday.', from: 10 * H, until: 20 * H },
    { id: 'outage', text: 'Online trading is down.', audioUrl: 'http://prompts.example/outage.wav', from: 12 * H, until: 13 * H, dnis: ['95555'] },
  ]);
  it.each<[string, string, number, string[]]>([
    ['before every window', '95555', 9 * H, []],
    ['at the start (inclusive)', '95555', 10 * H, ['holiday']],
    ['both, ordered by start', '95555', 12 * H + 1, ['holiday', 'outage']],
    ['only the one for all numbers on another DNIS', '8621400', 12 * H + 1, ['holiday']],
    ['a + prefix matches the DNIS list', '+95555', 12 * H, ['holiday', 'outage']],
    ['at the end (exclusive)', '95555', 20 * H, []],
  ])('%s', (_n, dnis, now, ids) => {
    expect(board.active(dnis, now).map((n) => n.id)).toEqual(ids);
  });

  it('a recorded notice plays its audio with the text as fallback', () => {
    expect(noticePrompts(board.active('95555', 12 * H))).toEqual([
      { kind: 'text', text: 'Markets are closed on Monday.' },
      { kind: 'audio', url: 'http://prompts.example/outage.wav', fallback: [{ kind: 'text', text: 'Online trading is down.' }] },
    ]);
  });

  it.each<[string, unknown]>([
    ['an empty window', { id: 'a', text: 't', from: 5, until: 5 }],
    ['no text', { id: 'a', text: '', from: 0, until: 5 }],
    ['a bad audio URL', { id: 'a', text: 't', audioUrl: 'not a url', from: 0, until: 5 }],
    ['a bad DNIS', { id: 'a', text: 't', from: 0, until: 5, dnis: ['abc'] }],
  ])('refuses %s and keeps the board', (_n, raw) => {
    expect(() => board.replace([raw])).toThrow(IvrServiceError);
    expect(board.active('95555', 12 * H)).toHaveLength(2);
  });

  it('refuses two notices with one id', () => {
    expect(() => new NoticeBoard([{ id: 'a', text: 't', from: 0, until: 5 }, { id: 'a', text: 'u', from: 0, until: 5 }])).toThrow(/used twice/);
  });
});
