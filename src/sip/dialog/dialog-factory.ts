/**
 * Creating dialogs from the response that establishes them (RFC 3261
 * 12.1.1 for the UAS, 12.1.2 for the UAC): a 2xx gives a confirmed dialog,
 * a 101-199 with a To tag an early one.
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { callId, fromOf, parseContactList, toOf, type NameAddr } from '../../protocol/sip/name-addr.ts';
import { uriScheme } from '../../protocol/sip/uri.ts';
import { Dialog } from './dialog.ts';
import { DialogError } from './dialog-error.ts';
import { recordRouteEntries } from './route-set.ts';

function stateFor(res: SipResponse): 'early' | 'confirmed' {
  if (res.status > 100 && res.status < 200) return 'early';
  if (res.status >= 200 && res.status < 300) return 'confirmed';
  throw new Error(`bug: status ${res.status} does not create a dialog`);
}

/** True when this response creates (or belongs to) a dialog: 101-299 with a To tag. */
export function createsDialog(res: SipResponse): boolean {
  return res.status > 100 && res.status < 300 && toOf(res).params.get('tag') != null;
}

function withoutTag(na: NameAddr): NameAddr {
  const params = new Map(na.params);
  params.delete('tag');
  const out: NameAddr = { uri: na.uri, params };
  if (na.displayName !== undefined) out.displayName = na.displayName;
  return out;
}

function firstContact(msg: SipRequest | SipResponse): string | undefined {
  const v = msg.headers.get('Contact');
  if (v === undefined) return undefined;
  const list = parseContactList(v);
  return list === '*' ? undefined : list[0]?.uri;
}

/** UAC side (12.1.2): `request` is the INVITE we sent, `response` the 1xx/2xx with a To tag. */
export function createUacDialog(request: SipRequest, response: SipResponse, localContact?: string): Dialog {
  const state = stateFor(response);
  const localTag = fromOf(request).params.get('tag');
  const remoteTag = toOf(response).params.get('tag');
  if (localTag == null || remoteTag == null) throw new DialogError('missing-tag', 'a dialog needs both tags');
  const contact = firstContact(response);
  if (contact === undefined && state === 'confirmed') throw new DialogError('missing-contact', '2xx without Contact');
  const init = {
    role: 'uac' as const,
    id: { callId: callId(request), localTag, remoteTag },
    state,
    localUri: withoutTag(fromOf(request)),
    remoteUri: withoutTag(toOf(response)),
    remoteTarget: contact ?? request.uri,
    routeSet: recordRouteEntries(response).reverse(),
    localSeq: cseqOf(request).seq,
    remoteSeq: undefined,
    secure: uriScheme(request.uri) === 'sips',
  };
  return new Dialog(localContact === undefined ? init : { ...init, localContact });
}

/** UAS side (12.1.1): `request` is the INVITE received, `response` the 1xx/2xx we send (with our To tag). */
export function createUasDialog(request: SipRequest, response: SipResponse, localContact?: string): Dialog {
  const state = stateFor(response);
  const localTag = toOf(response).params.get('tag');
  const remoteTag = fromOf(request).params.get('tag');
  if (localTag == null) throw new DialogError('missing-tag', 'our response needs a To tag');
  const contact = firstContact(request);
  if (contact === undefined) throw new DialogError('missing-contact', 'dialog-creating request without Contact');
  const init = {
    role: 'uas' as const,
    // An RFC 2543 peer may send no From tag: the empty tag stands for it.
    id: { callId: callId(request), localTag, remoteTag: remoteTag ?? '' },
    state,
    localUri: withoutTag(toOf(request)),
    remoteUri: withoutTag(fromOf(request)),
    remoteTarget: contact,
    routeSet: recordRouteEntries(request),
    localSeq: undefined,
    remoteSeq: cseqOf(request).seq,
    secure: uriScheme(request.uri) === 'sips',
  };
  return new Dialog(localContact === undefined ? init : { ...init, localContact });
}
