/**
 * After a crash (issue 4 item 4, OPS-3): every dialog the previous process
 * left in the DialogStore is ended with a BYE built from what was kept
 * (Call-ID, tags, URIs, remote target, route set, next CSeq, flow), then
 * the store is cleared. Resolves with each dialog's outcome once every BYE
 * has its final response (or local timeout).
 */
import { parseNameAddr } from '../../protocol/sip/name-addr.ts';
import type { Logger } from '../../shared/logger.ts';
import { Dialog } from '../../sip/dialog/dialog.ts';
import type { SipStack } from '../../sip/stack/sip-stack.ts';
import type { DialogRecord, DialogStore } from './dialog-store.ts';

export interface RecoveredDialog {
  legId: string;
  callId: string;
  /** Final status of the BYE (408/503 when it timed out or could not be sent). */
  status: number;
}

export function dialogFromRecord(rec: DialogRecord): Dialog {
  return new Dialog({
    role: 'uac',
    id: { callId: rec.callId, localTag: rec.localTag, remoteTag: rec.remoteTag },
    state: 'confirmed',
    localUri: parseNameAddr(rec.localUri),
    remoteUri: parseNameAddr(rec.remoteUri),
    remoteTarget: rec.remoteTarget,
    routeSet: rec.routeSet,
    localSeq: rec.localSeq,
    remoteSeq: undefined,
    secure: rec.remoteTarget.startsWith('sips:'),
  });
}

export async function recoverDialogs(stack: SipStack, store: DialogStore, log: Logger): Promise<RecoveredDialog[]> {
  const records = await store.list();
  const outcomes = await Promise.all(
    records.map(
      (rec) =>
        new Promise<RecoveredDialog>((resolve) => {
          const done = (status: number) => resolve({ legId: rec.legId, callId: rec.callId, status });
          let bye;
          try {
            bye = dialogFromRecord(rec).createRequest('BYE', { headers: [['Reason', 'SIP;cause=500;text="Server restarted"']] });
          } catch (err) {
            log.warn({ leg: rec.legId, err: String(err) }, 'stored dialog unusable: dropped');
            done(0);
            return;
          }
          const hop = rec.hop && rec.routeSet.length === 0 ? { protocol: rec.hop.protocol, remote: { address: rec.hop.address, port: rec.hop.port } } : undefined;
          stack
            .sendRequest(bye, { onResponse: (res) => void (res.status >= 200 && done(res.status)) }, hop)
            .catch((err: unknown) => {
              log.warn({ leg: rec.legId, err: String(err) }, 'BYE for a dialog left by the previous process not sent');
              done(503);
            });
        }),
    ),
  );
  await store.clear();
  if (outcomes.length > 0) log.info({ dialogs: outcomes.length }, 'dialogs left by the previous process ended with BYE');
  return outcomes;
}
