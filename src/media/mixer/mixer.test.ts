import { describe, expect, it } from 'vitest';
import { LIMIT_THRESHOLD, Mixer } from './mixer.ts';
import { MixerError } from './mixer-errors.ts';

const dc = (v: number) => new Int16Array(160).fill(v);
const code = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return e instanceof MixerError ? e.code : 'other';
  }
  return 'none';
};

describe('mixer membership, gain and limiting - TEL-4, SUP-2', () => {
  it('enforces the configured maximum and valid whisper targets', () => {
    const m = new Mixer({ maxMembers: 3 });
    m.add('a');
    expect(code(() => m.add('a'))).toBe('duplicate-member');
    expect(code(() => m.add('w', { role: 'whisper', whisperTo: 'nobody' }))).toBe('bad-whisper-target');
    m.add('w', { role: 'whisper', whisperTo: 'a' });
    m.add('c');
    expect(code(() => m.add('d'))).toBe('full');
    expect(code(() => m.update('zz', { role: 'mute' }))).toBe('unknown-member');
    expect(code(() => m.update('c', { gain: -1 }))).toBe('bad-gain');
    m.remove('a'); // the whisperer loses its target and becomes a listener
    expect(m.member('w')?.role).toBe('listen');
  });

  it('applies per-member gain and mutes', () => {
    const m = new Mixer();
    m.add('a', { gain: 0.5 });
    m.add('b');
    m.add('c');
    const out = m.processInput({ frames: new Map([['a', dc(1000)], ['b', dc(10000)], ['c', dc(10000)]]) });
    expect(out.get('b')![0]).toBe(10500);
    expect(out.get('a')![0]).toBe(20000);
    m.update('b', { role: 'mute' });
    expect(m.processInput({ frames: new Map([['a', dc(1000)], ['b', dc(30000)], ['c', dc(100)]]) }).get('c')![0]).toBe(500);
    expect(m.toJSON()).toMatchObject({ limitedFrames: 0 });
  });

  it('limits a sum past 16 bits to full scale instead of clipping it, then recovers (three loud talkers, issue 3)', () => {
    const m = new Mixer();
    for (const id of ['a', 'b', 'c']) m.add(id);
    const loud = (hz: number, amp: number) => Int16Array.from({ length: 160 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / 8000)));
    const frames = new Map([['a', loud(400, 20000)], ['b', loud(1000, 20000)], ['c', loud(1650, 20000)]]);
    let peak = 0;
    for (let f = 0; f < 10; f++) {
      const out = m.processInput({ frames });
      for (const o of out.values()) for (const x of o) peak = Math.max(peak, Math.abs(x));
    }
    // two tones of 20000 sum past 32767: limited to the threshold, never clipped
    expect(peak).toBeLessThanOrEqual(LIMIT_THRESHOLD);
    expect(peak).toBeGreaterThan(LIMIT_THRESHOLD * 0.9);
    expect(m.toJSON()).toMatchObject({ limitedFrames: 30 });
    // quiet again: the gain comes back towards 1 (80 ms time constant), so after 1 s the audio is untouched
    const quiet = new Map([['a', dc(1000)], ['b', dc(0)], ['c', dc(0)]]);
    let last = 0;
    for (let f = 0; f < 50; f++) last = m.processInput({ frames: quiet }).get('b')![159]!;
    expect(last).toBe(1000);
  });

  it('a member gain above 1 that pushes a sum out of range is limited the same way', () => {
    const m = new Mixer();
    m.add('a', { gain: 4 });
    m.add('b');
    const out = m.processInput({ frames: new Map([['a', dc(20000)], ['b', dc(0)]]) });
    // 80000 at the limiter: scaled to the threshold
    expect(out.get('b')![0]).toBe(LIMIT_THRESHOLD);
    expect(m.toJSON().limitedFrames).toBe(1);
  });

  it('reuses one output frame per member: unchanged until the next frame, then overwritten in place (issue 3)', () => {
    const m = new Mixer();
    for (const id of ['a', 'b', 'c']) m.add(id);
    const first = m.processInput({ frames: new Map([['a', dc(100)], ['b', dc(200)], ['c', dc(400)]]) });
    const a1 = first.get('a')!;
    expect([a1[0], first.get('b')![0], first.get('c')![0]]).toEqual([600, 500, 300]);
    // nothing else touches it within the frame: a consumer reads it until the next processInput
    expect(a1.every((v) => v === 600)).toBe(true);
    const second = m.processInput({ frames: new Map([['a', dc(1)], ['b', dc(2)], ['c', dc(4)]]) });
    expect(second.get('a')).toBe(a1); // the same buffer, now holding the new mix: keep a copy to keep a frame
    expect(a1[159]).toBe(6);
  });

  it('a held member hears music, then silence when the music stops (no stale frame from the reused buffer)', () => {
    const m = new Mixer();
    m.add('a');
    m.add('h', { role: 'hold' });
    expect(m.processInput({ frames: new Map([['a', dc(500)]]), music: dc(77) }).get('h')![10]).toBe(77);
    const short = m.processInput({ frames: new Map([['a', dc(500)]]), music: new Int16Array(80).fill(9) }).get('h')!;
    expect([short[79], short[80], short[159]]).toEqual([9, 0, 0]);
    expect(m.processInput({ frames: new Map([['a', dc(500)]]) }).get('h')!.every((v) => v === 0)).toBe(true);
  });

  it('whisper sums start from zero every frame', () => {
    const m = new Mixer();
    m.add('agent');
    m.add('customer');
    m.add('coach', { role: 'whisper', whisperTo: 'agent' });
    for (let f = 0; f < 3; f++) {
      const out = m.processInput({ frames: new Map([['agent', dc(0)], ['customer', dc(10)], ['coach', dc(1000)]]) });
      expect(out.get('agent')![0]).toBe(1010);
      expect(out.get('customer')![0]).toBe(0);
    }
  });
});
