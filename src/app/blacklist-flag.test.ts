// ACD-7: a caller let through with a warning carries blacklisted: true in the call data (the call view, transfers, reloads).
import { describe, expect, it } from 'vitest';
import { Emitter } from '../acd/emitter.ts';
import type { AcdServiceEvent } from '../acd/service/index.ts';
import { runtimeKit, settle } from '../switch/runtime/test-kit.ts';
import { flagBlacklistedCalls } from './blacklist-flag.ts';

describe('blacklist flag in the call data (ACD-7)', () => {
  it('a flagged admission marks the call; an ordinary one does not', async () => {
    const k = runtimeKit();
    const events = new Emitter<AcdServiceEvent>();
    flagBlacklistedCalls({ events } as never, k.runtime);
    k.gateway.inbound('13900000666', '95001');
    k.gateway.inbound('13800000001', '95001');
    await settle();
    const [bad, good] = k.queue.enqueued.map((e) => e.interactionId);
    const admission = (interactionId: string, blacklistWarning: boolean): AcdServiceEvent => ({
      type: 'admission', at: 0, interactionId, dialled: '95001', caller: 'x', admission: { kind: 'queue', entryPoint: 'general', queue: 'general', blacklistWarning, trail: [] },
    });
    events.emit(admission(bad!, true));
    events.emit(admission(good!, false));
    await settle();
    expect(k.runtime.get(bad!).callData).toMatchObject({ blacklisted: true });
    expect(k.runtime.get(good!).callData['blacklisted']).toBeUndefined();
    expect(k.events.some((e) => e.type === 'calldata.changed' && e.interaction === bad)).toBe(true);
  });
});
