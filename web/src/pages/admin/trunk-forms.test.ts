import { describe, expect, it } from 'vitest';
import { changeBody, createBody, formatDids, parseDids, valuesOf, type AdminTrunk } from './trunk-forms.ts';

describe('trunk form (ADM-1, ADM-2)', () => {
  it('reads DID = entry point lines and writes them back', () => {
    expect(parseDids('02160000000 = bank\n\n 4000: general \n95555 fund')).toEqual({ '02160000000': 'bank', '4000': 'general', '95555': 'fund' });
    expect(() => parseDids('021 bank extra')).toThrow(/line 1/);
    expect(formatDids({ '4000': 'general' })).toBe('4000 = general');
  });

  it('makes a create body with the registration and addresses', () => {
    const body = createBody({ id: 'carrier', host: '10.0.0.9', port: 5060, transport: 'udp', register: true, username: 'u', password: 'p', realm: 'carrier.test', inboundAddresses: '10.0.0.9, 10.0.0.10', dids: '4000 = general', defaultEntryPoint: 'general' });
    expect(body).toEqual({ id: 'carrier', host: '10.0.0.9', port: 5060, transport: 'udp', registration: { username: 'u', password: 'p', realm: 'carrier.test' }, inboundAddresses: ['10.0.0.9', '10.0.0.10'], dids: { '4000': 'general' }, defaultEntryPoint: 'general' });
  });

  it('an edit keeps the password when the field is left empty and clears what was emptied', () => {
    const t: AdminTrunk = { id: 'c', host: 'h', transport: 'tcp', registration: { username: 'u', realm: 'r', state: 'registered' }, dids: { '1': 'a' }, origin: 'admin' };
    const v = valuesOf(t);
    expect(v.password).toBe('');
    expect(changeBody(v)).toEqual({ host: 'h', port: null, transport: 'tcp', registration: { username: 'u', realm: 'r' }, inboundAddresses: null, dids: { '1': 'a' }, defaultEntryPoint: null });
    expect(changeBody({ ...v, register: false })).toMatchObject({ registration: null });
  });
});
