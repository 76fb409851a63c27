import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { MemoryRegistrationStore, MemorySipAccountStore } from '../sip/memory-stores.ts';
import type { Registration, SipAccount } from '../sip/ports.ts';
import { CachedRegistrationStore, CachedSipAccountStore } from './cached-stores.ts';

const reg = (contact: string, expiresAt: number, aor = 'sip:8001@h'): Registration => ({
  aor, contact, contactHeader: `<${contact}>`, q: 1, callId: 'c', cseq: 1, expiresAt: new Date(expiresAt), registeredAt: new Date(0),
  transport: 'udp', sourceAddress: '192.0.2.1', sourcePort: 5060,
});
const account = (username: string, enabled = true): SipAccount => ({ username, realm: 'h', ha1Md5: 'a', ha1Sha256: 'b', enabled, createdAt: new Date(0) });

describe('cached stores (issue 2, TEL-2: registrar hot path)', () => {
  it('loads existing bindings once and writes every change through', async () => {
    const inner = new MemoryRegistrationStore();
    await inner.put(reg('sip:a@1', 10_000));
    const cached = new CachedRegistrationStore(inner);
    expect((await cached.list('sip:8001@h')).map((r) => r.contact)).toEqual(['sip:a@1']);
    await cached.put(reg('sip:b@1', 20_000));
    await cached.put(reg('sip:c@1', 20_000, 'sip:8002@h'));
    expect((await inner.list('sip:8001@h')).map((r) => r.contact).sort()).toEqual(['sip:a@1', 'sip:b@1']);
    await cached.remove('sip:8001@h', 'sip:a@1');
    expect((await inner.list('sip:8001@h')).map((r) => r.contact)).toEqual(['sip:b@1']);
    expect((await cached.list('sip:8001@h')).map((r) => r.contact)).toEqual(['sip:b@1']);
    expect(await cached.purgeExpired(new Date(20_000))).toBe(2);
    expect(await cached.listAll()).toEqual([]);
    expect(await inner.listAll()).toEqual([]);
  });

  it('a failed write leaves the cache unchanged', async () => {
    const inner = new MemoryRegistrationStore();
    const cached = new CachedRegistrationStore(inner);
    inner.put = async () => {
      throw new Error('disk full');
    };
    await expect(cached.put(reg('sip:a@1', 10_000))).rejects.toThrow('disk full');
    expect(await cached.listAll()).toEqual([]);
  });

  it('puts arriving in one turn share one putMany (group commit); a remove waits for them', async () => {
    const inner = new MemoryRegistrationStore();
    const batches: number[] = [];
    Object.assign(inner, {
      putMany: async (regs: Registration[]) => {
        batches.push(regs.length);
        for (const r of regs) await inner.put(r);
      },
    });
    const cached = new CachedRegistrationStore(inner);
    await cached.listAll();
    await Promise.all([cached.put(reg('sip:a@1', 9e12)), cached.put(reg('sip:b@1', 9e12)), cached.put(reg('sip:c@1', 9e12))]);
    expect(batches).toEqual([3]);
    const put = cached.put(reg('sip:d@1', 9e12));
    const removed = cached.remove('sip:8001@h', 'sip:d@1');
    await Promise.all([put, removed]);
    expect((await inner.list('sip:8001@h')).map((r) => r.contact).sort()).toEqual(['sip:a@1', 'sip:b@1', 'sip:c@1']);
  });

  it('serves accounts from memory within the TTL, and sees its own changes at once', async () => {
    const clock = new FakeClock(0);
    const inner = new MemorySipAccountStore();
    await inner.put(account('8001'));
    let reads = 0;
    const get = inner.get.bind(inner);
    inner.get = (u) => (reads++, get(u));
    const cached = new CachedSipAccountStore(inner, clock, 5_000);
    await cached.get('8001');
    await cached.get('8001');
    expect(reads).toBe(1);
    await cached.put(account('8001', false));
    expect((await cached.get('8001'))?.enabled).toBe(false);
    await cached.remove('8001');
    expect(await cached.get('8001')).toBeUndefined();
    // A change written by another node is seen after the TTL.
    await inner.put(account('8001'));
    expect(await cached.get('8001')).toBeUndefined();
    clock.advance(5_000);
    expect((await cached.get('8001'))?.enabled).toBe(true);
  });
});
