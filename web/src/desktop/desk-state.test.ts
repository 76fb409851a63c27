import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../i18n/catalogs.ts';
import { NOT_READY_REASONS, reasonKey } from './desk-state.ts';

describe('not-ready reasons (ACD-3)', () => {
  it.each(NOT_READY_REASONS)('%s has a label in both languages', (r) => {
    const key = reasonKey(r)!;
    expect(CATALOGS['en-US'][key]).toBeTruthy();
    expect(CATALOGS['zh-CN'][key]).toBeTruthy();
  });
  it.each(['RONA', 'rona-timeout', '', 'Break'])('%j is not one of ours: shown as the server sent it', (r) => {
    expect(reasonKey(r)).toBeUndefined();
  });
});
