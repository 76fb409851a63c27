/**
 * Dialog identifier (RFC 3261 section 12): Call-ID, local tag, remote tag.
 * For a request we receive, our tag is in To and the peer's in From; for a
 * response we receive (we sent the request), ours is in From.
 */
import type { SipMessage } from '../../protocol/sip/message.ts';
import { callId, fromTag, toTag } from '../../protocol/sip/name-addr.ts';

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

/** Id of the dialog an incoming request belongs to; undefined when To has no tag (not in a dialog). */
export function dialogIdOfIncomingRequest(req: SipMessage): DialogId | undefined {
  const local = toTag(req);
  if (local === undefined) return undefined;
  // An RFC 2543 peer may send no From tag: the empty tag stands for it.
  return { callId: callId(req), localTag: local, remoteTag: fromTag(req) ?? '' };
}

/** Id of the dialog a response to our request belongs to; undefined without both tags. */
export function dialogIdOfIncomingResponse(res: SipMessage): DialogId | undefined {
  const local = fromTag(res);
  const remote = toTag(res);
  if (local === undefined || remote === undefined) return undefined;
  return { callId: callId(res), localTag: local, remoteTag: remote };
}
