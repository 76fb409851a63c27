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
import type { NextHop } from '../../sip/stack/next-hop.ts';
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
  const outcomes = await Promise.all(records.map((rec) => endDialog(stack, rec, log)));
  await store.clear();
  if (outcomes.length > 0) log.info({ dialogs: outcomes.length }, 'dialogs left by the previous process ended with BYE');
  return outcomes;
}

/**
 * Where to try the BYE, in order. UDP: the flow first (a NATed phone's
 * address), then the remote target. Streams: the connection died with the
 * process, so the remote target first (the peer's listening address),
 * then the old flow's address.
 */
function attempts(rec: DialogRecord): Array<NextHop | undefined> {
  if (!rec.hop || rec.routeSet.length > 0) return [undefined];
  const hop: NextHop = { protocol: rec.hop.protocol, remote: { address: rec.hop.address, port: rec.hop.port } };
  return rec.hop.protocol === 'udp' ? [hop, undefined] : [undefined, hop];
}

async function endDialog(stack: SipStack, rec: DialogRecord, log: Logger): Promise<RecoveredDialog> {
  let dialog: Dialog;
  try {
    dialog = dialogFromRecord(rec);
  } catch (err) {
    log.warn({ leg: rec.legId, err: String(err) }, 'stored dialog unusable: dropped');
    return { legId: rec.legId, callId: rec.callId, status: 0 };
  }
  let status = 503;
  for (const hop of attempts(rec)) {
    status = await sendBye(stack, dialog, hop);
    if (status !== 503 && status !== 408) break;
    log.info({ leg: rec.legId, status, via: hop ? 'flow' : 'target' }, 'BYE for a recovered dialog failed: trying the next way');
  }
  return { legId: rec.legId, callId: rec.callId, status };
}

function sendBye(stack: SipStack, dialog: Dialog, hop: NextHop | undefined): Promise<number> {
  return new Promise<number>((resolve) => {
    let bye;
    try {
      bye = dialog.createRequest('BYE', { headers: [['Reason', 'SIP;cause=500;text="Server restarted"']] });
    } catch {
      resolve(0);
      return;
    }
    stack.sendRequest(bye, { onResponse: (res) => void (res.status >= 200 && resolve(res.status)) }, hop).catch(() => resolve(503));
  });
}
