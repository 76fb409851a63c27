/**
 * Test kit for the gateway's unit tests: a real SipStack over a
 * RecordingTransport (no sockets), a real LocationService and
 * DigestAuthenticator over the in-memory stores, a FakeClock, and a
 * recording stand-in for the media engine's four calls (the real engine is
 * exercised by test/e2e/gateway-*.test.ts). Messages are injected as text.
 */
import { FakeClock } from '../../shared/clock.ts';
import { parseMessage } from '../../protocol/sip/parser.ts';
import type { SipMessage, SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import type { CreateLegOptions, LegHandle } from '../../media/engine/media-engine.ts';
import type { EngineEvent, RemoteAddress } from '../../media/engine/engine-protocol.ts';
import type { G711Codec } from '../../protocol/sdp/media-capabilities.ts';
import { DigestAuthenticator } from '../../sip/auth/digest-authenticator.ts';
import { createSipAccount } from '../../sip/auth/sip-account-factory.ts';
import { MemoryRegistrationStore, MemorySipAccountStore } from '../../sip/memory-stores.ts';
import { LocationService } from '../../sip/registrar/location-service.ts';
import { SipStack } from '../../sip/stack/sip-stack.ts';
import { RecordingTransport, quiet } from '../../sip/stack/test-support.ts';
import type { Flow } from '../../sip/transport/transport.ts';
import type { Registration } from '../../sip/ports.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { serializeMessage } from '../../protocol/sip/serializer.ts';
import type { GatewayEvent } from '../runtime/call-gateway.ts';
import { MemoryDialogStore } from './dialog-store.ts';
import type { GatewayMedia, SipCallGatewayOptions } from './gateway-options.ts';
import { SipCallGateway } from './sip-call-gateway.ts';

export class RecordingMedia implements GatewayMedia {
  readonly legs = new Map<string, { port: number; remote?: RemoteAddress; codec?: G711Codec; inactivityMs?: number; near?: string }>();
  readonly destroyed: string[] = [];
  private nextPort = 40000;
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  async createLeg(opts: CreateLegOptions): Promise<LegHandle> {
    const legId = opts.legId!;
    if (this.legs.has(legId)) throw new Error(`duplicate leg ${legId}`);
    const port = (this.nextPort += 2);
    const rec: { port: number; remote?: RemoteAddress; codec?: G711Codec; inactivityMs?: number; near?: string } = { port };
    if (opts.near !== undefined) rec.near = opts.near;
    if (opts.remote) rec.remote = opts.remote;
    if (opts.codec) rec.codec = opts.codec;
    if (opts.inactivityMs !== undefined) rec.inactivityMs = opts.inactivityMs;
    this.legs.set(legId, rec);
    return { legId, localPort: port, workerIndex: 0 };
  }

  async updateLeg(legId: string, change: { remote?: RemoteAddress; codec?: G711Codec }): Promise<void> {
    const l = this.legs.get(legId);
    if (!l) throw new Error(`unknown leg ${legId}`);
    if (change.remote) l.remote = change.remote;
    if (change.codec) l.codec = change.codec;
  }

  async destroyLeg(legId: string): Promise<void> {
    if (!this.legs.delete(legId)) throw new Error(`unknown leg ${legId}`);
    this.destroyed.push(legId);
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  fire(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}

export const HOST = '192.0.2.1';
export const PHONE: Flow = { protocol: 'udp', local: { address: HOST, port: 5060 }, remote: { address: '198.51.100.7', port: 5062 } };
export const TRUNK_FLOW: Flow = { protocol: 'udp', local: { address: HOST, port: 5060 }, remote: { address: '203.0.113.5', port: 5060 } };

export function offerSdp(opts: { port?: number; dir?: string; pts?: string; address?: string } = {}): string {
  const pts = opts.pts ?? '0 8 101';
  return [
    'v=0', `o=phone 1 ${opts.port ?? 1} IN IP4 198.51.100.7`, 's=-', `c=IN IP4 ${opts.address ?? '198.51.100.7'}`, 't=0 0',
    `m=audio ${opts.port ?? 4000} RTP/AVP ${pts}`, 'a=rtpmap:101 telephone-event/8000', ...(opts.dir ? [`a=${opts.dir}`] : []), '',
  ].join('\r\n');
}

export function sipRequest(method: string, o: { uri?: string; branch: string; callId?: string; cseq?: number; fromTag?: string; toTag?: string; body?: string; type?: string; extra?: string[]; to?: string }): Buffer {
  const body = o.body ?? '';
  const lines = [
    `${method} ${o.uri ?? `sip:95000@${HOST}`} SIP/2.0`,
    `Via: SIP/2.0/UDP 198.51.100.7:5062;branch=${o.branch};rport`,
    'Max-Forwards: 70',
    `From: "Caller" <sip:13800138000@198.51.100.7>;tag=${o.fromTag ?? 'caller1'}`,
    `To: <${o.to ?? o.uri ?? `sip:95000@${HOST}`}>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId ?? 'call-1@198.51.100.7'}`,
    `CSeq: ${o.cseq ?? 1} ${method === 'ACK' || method === 'CANCEL' ? method : method}`,
    'Contact: <sip:caller@198.51.100.7:5062>',
    ...(o.extra ?? []),
    ...(body ? [`Content-Type: ${o.type ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return Buffer.from(lines.join('\r\n'));
}

/** A live binding of `aor` reached at `address:port` over `transport`. */
export function binding(aor: string, contact: string, address: string, port: number, transport = 'udp', registeredAt = 1_700_000_000_000): Registration {
  return {
    aor, contact, contactHeader: `<${contact}>`, q: 1, callId: `reg-${port}`, cseq: 1, expiresAt: new Date(registeredAt + 3_600_000), registeredAt: new Date(registeredAt),
    transport, sourceAddress: address, sourcePort: port,
  };
}

/** The peer's response to a request we sent, as bytes. */
export function reply(req: SipRequest, status: number, o: { toTag?: string; body?: string; contact?: string; extra?: [string, string][] } = {}): Buffer {
  const headers: [string, string][] = [...(o.extra ?? [])];
  if (o.contact) headers.push(['Contact', `<${o.contact}>`]);
  const opts: Parameters<typeof createResponse>[3] = { headers };
  if (o.toTag) opts.toTag = o.toTag;
  if (o.body) {
    opts.body = Buffer.from(o.body);
    opts.contentType = 'application/sdp';
  }
  return serializeMessage(createResponse(req, status, undefined, opts));
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

export function setup(extra: Partial<SipCallGatewayOptions> = {}) {
  const clock = new FakeClock();
  const udp = new RecordingTransport('udp', { address: HOST, port: 5060 });
  const tcp = new RecordingTransport('tcp', { address: HOST, port: 5060 });
  const ws = new RecordingTransport('ws', { address: HOST, port: 5066 });
  const stack = new SipStack({ transports: [udp, tcp, ws], clock, logger: quiet });
  const accounts = new MemorySipAccountStore([createSipAccount({ username: '8001', realm: 'hotline', password: 'demo-8001', createdAt: new Date(0) })]);
  const registrations = new MemoryRegistrationStore();
  const location = new LocationService({ store: registrations, clock, logger: quiet });
  const authenticator = new DigestAuthenticator({ realm: 'hotline', accounts, clock, logger: quiet, algorithms: ['MD5'] });
  const media = new RecordingMedia();
  const store = new MemoryDialogStore();
  let n = 0;
  const gateway = new SipCallGateway({
    stack,
    location,
    authenticator,
    media,
    clock,
    logger: quiet,
    mediaAddress: '192.0.2.10',
    sipHost: HOST,
    aorOf: (ext) => `sip:${ext}@hotline`,
    trunks: [{ id: 'carrier', host: '203.0.113.5', inboundAddresses: ['203.0.113.5'], username: 'acct', password: 'secret' }],
    isPublicNumber: (u) => u === '95000',
    rtpTimeoutMs: 30_000,
    store,
    newLegId: () => `in-${++n}`,
    ...extra,
  });
  gateway.start();
  const events: GatewayEvent[] = [];
  gateway.onEvent((e) => events.push(e));
  const out = (): SipMessage[] => [...udp.sent, ...tcp.sent, ...ws.sent].map((s) => parseMessage(s.data, { stream: false }));
  const responses = (method: string): SipResponse[] => out().filter((m): m is SipResponse => m.kind === 'response' && (m.headers.get('CSeq') ?? '').endsWith(method));
  const requests = (method: string): SipRequest[] => out().filter((m): m is SipRequest => m.kind === 'request' && m.method === method);
  const inject = (data: Buffer, flow: Flow = PHONE) => stack.onMessage(data, flow);
  return { clock, udp, tcp, ws, stack, media, store, gateway, events, out, responses, requests, inject, registrations, location };
}
