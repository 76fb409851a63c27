/**
 * Building the INVITEs of an outbound leg: destinations for a DialTarget
 * (every live contact of an extension over the flow it registered on, a
 * URI, a trunk), and the INVITE itself with caller ID, auto-answer headers
 * (Call-Info answer-after=0, Alert-Info) and the interaction ID.
 */
import { Headers, createRequest, type SipRequest } from '../../protocol/sip/message.ts';
import { formatNameAddr } from '../../protocol/sip/name-addr.ts';
import { isSipUri, parseUri } from '../../protocol/sip/uri.ts';
import type { TransportProtocol } from '../../sip/transport/transport.ts';
import type { DialOptions, DialTarget } from '../runtime/call-gateway.ts';
import type { GatewayCore } from './gateway-core.ts';
import { GatewayError } from './gateway-error.ts';
import type { BranchTarget } from './outbound-branch.ts';

const PROTOCOLS: Record<string, TransportProtocol> = { udp: 'udp', tcp: 'tcp', tls: 'tls', ws: 'ws', wss: 'wss' };

export interface DialPlan {
  toUri: string;
  branches: BranchTarget[];
}

/** Where a dial goes. Throws GatewayError for an unknown trunk, a bad URI or an extension with no contact. */
export async function planDial(core: GatewayCore, target: DialTarget): Promise<DialPlan> {
  switch (target.kind) {
    case 'extension': {
      const aor = core.o.aorOf(target.extension);
      const regs = await core.o.location.lookup(aor);
      if (regs.length === 0) throw new GatewayError('no-contacts', `extension ${target.extension} has no registered contact`);
      const branches = regs.map((r): BranchTarget => {
        const protocol = PROTOCOLS[r.transport.toLowerCase()] ?? 'udp';
        return { requestUri: r.contact, protocol, hop: { protocol, remote: { address: r.sourceAddress, port: r.sourcePort } } };
      });
      return { toUri: aor, branches };
    }
    case 'uri': {
      let protocol: TransportProtocol = 'udp';
      try {
        const u = parseUri(target.uri);
        if (!isSipUri(u)) throw new Error('not a SIP URI');
        const tp = u.params.get('transport');
        protocol = (tp && PROTOCOLS[tp.toLowerCase()]) || (u.scheme === 'sips' ? 'tls' : 'udp');
      } catch (err) {
        throw new GatewayError('bad-target', `cannot dial ${target.uri}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return { toUri: target.uri, branches: [{ requestUri: target.uri, protocol }] };
    }
    case 'trunk': {
      const t = core.o.trunks.find((x) => x.id === target.trunkId);
      if (!t) throw new GatewayError('unknown-trunk', `no trunk ${target.trunkId}`);
      if (!/^[+0-9A-Za-z*#.-]+$/.test(target.number)) throw new GatewayError('bad-target', `bad number ${target.number}`);
      const protocol = t.transport ?? 'udp';
      const hostPort = `${t.host}${t.port ? `:${t.port}` : ''}`;
      const branch: BranchTarget = { requestUri: `sip:${target.number}@${hostPort}${protocol === 'udp' ? '' : `;transport=${protocol}`}`, protocol };
      if (t.username !== undefined && t.password !== undefined) branch.credentials = { username: t.username, password: t.password };
      return { toUri: `sip:${target.number}@${t.domain ?? t.host}`, branches: [branch] };
    }
  }
}

export interface InviteParts {
  callId: string;
  fromTag: string;
  toUri: string;
  offer: string;
  cseq: number;
}

export function buildInvite(core: GatewayCore, branch: BranchTarget, parts: InviteParts, opts: DialOptions): SipRequest {
  const h = new Headers();
  const host = core.o.sipHost;
  const from = formatNameAddr({ uri: `sip:${opts.callerId.number}@${host}`, params: new Map([['tag', parts.fromTag]]), ...(opts.callerId.name ? { displayName: opts.callerId.name } : {}) });
  h.append('Max-Forwards', '70');
  h.append('From', from);
  h.append('To', formatNameAddr({ uri: parts.toUri, params: new Map() }));
  h.append('Call-ID', parts.callId);
  h.append('CSeq', `${parts.cseq} INVITE`);
  h.append('Contact', core.contact(branch.hop?.protocol ?? branch.protocol));
  h.append('Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY');
  h.append('Supported', 'replaces');
  h.append('User-Agent', core.o.userAgent);
  if (opts.autoAnswer) {
    h.append('Call-Info', `<sip:${host}>;answer-after=0`);
    h.append('Alert-Info', '<http://localhost>;info=alert-autoanswer');
  }
  if (opts.interactionId !== undefined) h.append('X-Hotline-Interaction', opts.interactionId);
  h.append('Content-Type', 'application/sdp');
  return createRequest('INVITE', branch.requestUri, h, Buffer.from(parts.offer));
}
