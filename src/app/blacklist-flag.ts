/**
 * ACD-7 flag mode end to end: when the entry point lets a blacklisted
 * caller through with a warning, the call carries `blacklisted: true` in
 * its call data (CTI-5), so the warning is in the call view (GET
 * /api/v1/calls, the screen pop's event), travels with transfers and
 * survives a desktop reload, not only in the ACD's `offered` event.
 */
import type { AcdService } from '../acd/service/index.ts';
import type { SwitchRuntime } from '../switch/runtime/switch-runtime.ts';

export const BLACKLISTED_KEY = 'blacklisted';

export function flagBlacklistedCalls(acd: Pick<AcdService, 'events'>, runtime: Pick<SwitchRuntime, 'attachData'>): () => void {
  return acd.events.on((ev) => {
    if (ev.type !== 'admission' || ev.admission.kind !== 'queue' || !ev.admission.blacklistWarning) return;
    runtime.attachData(ev.interactionId, { [BLACKLISTED_KEY]: true }).catch(() => undefined); // the caller may be gone already
  });
}
