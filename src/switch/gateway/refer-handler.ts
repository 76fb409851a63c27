/**
 * REFER from a phone in an answered dialog (RFC 3515), so a desk phone's
 * transfer key works: 202, the implicit subscription's NOTIFYs with a
 * message/sipfrag of the outcome, the last one terminating it. A Refer-To
 * carrying Replaces (RFC 3891, attended transfer) is mapped to the leg of
 * the dialog it names; Refer-Sub: false (RFC 4488) means no NOTIFY at all.
 */
import { parseNameAddr } from '../../protocol/sip/name-addr.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { reasonPhrase } from '../../protocol/sip/reason-phrases.ts';
import { formatUri, isSipUri, parseUri, percentDecode } from '../../protocol/sip/uri.ts';
import type { IncomingRequest } from '../../sip/stack/request-handler.ts';
import type { GatewayCore } from './gateway-core.ts';
import type { GatewayLeg, ReferSubscription } from './gateway-leg.ts';
import { partyOf } from './party.ts';

const SUBSCRIPTION_SEC = 60;

interface ReferTarget {
  uri: string;
  displayName?: string;
  /** Replaces header of the Refer-To URI, unescaped: `callid;to-tag=..;from-tag=..`. */
  replaces?: string;
}

export function parseReferTo(value: string): ReferTarget | undefined {
  let na;
  try {
    na = parseNameAddr(value);
  } catch {
    return undefined;
  }
  let replaces: string | undefined;
  let uri = na.uri;
  try {
    const u = parseUri(na.uri);
    if (isSipUri(u)) {
      for (const [k, v] of u.headers) if (k.toLowerCase() === 'replaces') replaces = percentDecode(v);
      u.headers.clear();
      uri = formatUri(u);
    }
  } catch {
    return undefined;
  }
  const t: ReferTarget = { uri };
  if (na.displayName !== undefined) t.displayName = na.displayName;
  if (replaces !== undefined) t.replaces = replaces;
  return t;
}

/** The dialog a Replaces value names, as `call-id` plus both tags (RFC 3891 section 6.1). */
export function parseReplaces(value: string): { callId: string; toTag: string; fromTag: string } | undefined {
  const [callId, ...params] = value.split(';').map((s) => s.trim());
  if (!callId) return undefined;
  const get = (name: string) => params.find((p) => p.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1);
  const toTag = get('to-tag');
  const fromTag = get('from-tag');
  if (toTag === undefined || fromTag === undefined) return undefined;
  return { callId, toTag, fromTag };
}

export class ReferHandler {
  constructor(private readonly core: GatewayCore) {}

  onRefer(incoming: IncomingRequest): void {
    const { core } = this;
    const leg = core.legOfDialog(incoming.dialog);
    if (!leg) {
      incoming.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    if (leg.state !== 'answered') {
      incoming.respond(403, 'Forbidden - REFER before the call is answered');
      return;
    }
    const req = incoming.request;
    const lines = req.headers.getAll('Refer-To');
    const target = lines.length === 1 ? parseReferTo(lines[0]!) : undefined;
    if (!target) {
      incoming.respond(400, 'Bad Request - one valid Refer-To is required');
      return;
    }
    const silent = (req.headers.get('Refer-Sub') ?? '').trim().toLowerCase() === 'false';
    const seq = cseqOf(req).seq;
    const referId = `${leg.legId}/${seq}`;
    const sub: ReferSubscription = { eventId: String(seq), silent, done: false };
    leg.refers.set(referId, sub);
    incoming.respond(202, 'Accepted', { headers: silent ? [['Refer-Sub', 'false']] : [] });
    this.notify(leg, sub, 100);
    let replacesLegId: string | undefined;
    if (target.replaces !== undefined) {
      const named = parseReplaces(target.replaces);
      replacesLegId = named ? this.legNamed(named)?.legId : undefined;
      if (replacesLegId === undefined) {
        // What the INVITE with this Replaces would have got (RFC 3891 section 3).
        core.log.info({ leg: leg.legId, replaces: target.replaces }, 'REFER with Replaces for an unknown dialog');
        this.outcome(leg, referId, 481);
        return;
      }
    }
    const party = partyOf(target.displayName === undefined ? { uri: target.uri, params: new Map() } : { uri: target.uri, displayName: target.displayName, params: new Map() });
    const event = { type: 'refer' as const, legId: leg.legId, referId, target: party };
    core.emit(replacesLegId === undefined ? event : { ...event, replacesLegId });
  }

  /** The runtime's outcome of a REFER: NOTIFY with its sipfrag; a final status ends the subscription. */
  outcome(leg: GatewayLeg, referId: string, status: number): void {
    const sub = leg.refers.get(referId);
    if (!sub || sub.done) return;
    if (status >= 200) {
      sub.done = true;
      leg.refers.delete(referId);
    }
    this.notify(leg, sub, status);
  }

  private notify(leg: GatewayLeg, sub: ReferSubscription, status: number): void {
    if (sub.silent) return;
    const final = status >= 200;
    this.core.sendInDialog(leg, 'NOTIFY', {
      headers: [
        ['Event', `refer;id=${sub.eventId}`],
        ['Subscription-State', final ? 'terminated;reason=noresource' : `active;expires=${SUBSCRIPTION_SEC}`],
        ['Contact', this.core.contact(leg.hop?.protocol ?? 'udp')],
      ],
      contentType: 'message/sipfrag;version=2.0',
      body: Buffer.from(`SIP/2.0 ${status} ${reasonPhrase(status)}\r\n`),
    });
  }

  /** Our leg whose dialog has that Call-ID and those tags (either way round: phones differ). */
  private legNamed(n: { callId: string; toTag: string; fromTag: string }): GatewayLeg | undefined {
    for (const leg of this.core.legs.values()) {
      const id = leg.dialog?.id;
      if (!id || id.callId !== n.callId || leg.ended) continue;
      if ((id.localTag === n.toTag && id.remoteTag === n.fromTag) || (id.localTag === n.fromTag && id.remoteTag === n.toTag)) return leg;
    }
    return undefined;
  }
}
