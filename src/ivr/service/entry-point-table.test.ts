import { describe, expect, it } from 'vitest';
import { EntryPointTable } from './entry-point-table.ts';
import { IvrServiceError } from './ivr-service-error.ts';

describe('IVR-1 IVR service entry points (DNIS -> application)', () => {
  it('resolves a DNIS with or without +, file paths become file: URLs', () => {
    const t = new EntryPointTable([
      { dnis: '95555', application: 'http://apps.example/fund/main.vxml', name: 'fund hotline' },
      { dnis: '+8621400', application: '/srv/ivr/sec/main.vxml' },
    ]);
    expect(t.resolve('95555')).toMatchObject({ url: 'http://apps.example/fund/main.vxml', name: 'fund hotline' });
    expect(t.resolve('8621400')?.url).toBe('file:///srv/ivr/sec/main.vxml');
    expect(t.resolve('+95555')?.dnis).toBe('95555');
    expect(t.resolve('12345')).toBeUndefined();
  });

  it.each<[string, unknown[], string]>([
    ['letters in the DNIS', [{ dnis: '95x55', application: 'http://a/b.vxml' }], 'invalid-entry-point'],
    ['a relative path', [{ dnis: '1', application: 'apps/main.vxml' }], 'invalid-entry-point'],
    ['an unsupported scheme', [{ dnis: '1', application: 'ftp://host/main.vxml' }], 'invalid-entry-point'],
    ['an http URL without host', [{ dnis: '1', application: 'http://' }], 'invalid-entry-point'],
    ['an unknown field', [{ dnis: '1', application: 'http://a/b.vxml', queue: 'x' }], 'invalid-entry-point'],
    ['not an object', ['95555'], 'invalid-entry-point'],
    ['the same DNIS twice (+ ignored)', [{ dnis: '1', application: 'http://a/b.vxml' }, { dnis: '+1', application: 'http://a/c.vxml' }], 'duplicate-entry-point'],
  ])('refuses %s and keeps the table in force', (_n, entries, code) => {
    const t = new EntryPointTable([{ dnis: '95555', application: 'http://a/main.vxml' }]);
    let err: unknown;
    try {
      t.replace(entries);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IvrServiceError);
    expect((err as IvrServiceError).code).toBe(code);
    expect(t.resolve('95555')?.url).toBe('http://a/main.vxml');
  });
});
