/**
 * Registrar (RFC 3261 section 10.3; TEL-2, OPS-1). Plug it into the stack as
 * the handler of REGISTER: `handleRegister(req, source)` returns the final
 * response to send. Steps, in RFC order:
 *
 *  1. Request-URI: a sip/sips URI whose host is one of the configured
 *     `domains` (names and addresses this deployment answers to; the port
 *     and any user part are ignored). Anything else: 404, as RFC 3261 21.4.5
 *     says for a domain not handled here (we do not proxy REGISTER).
 *  2. (Require is checked by the stack before us: 420.)
 *  3. Authentication first: 401 challenge, 403 when the digest username is
 *     not the AOR user, see DigestAuthenticator.
 *  5. To -> AOR: the To user (escapes decoded) at the primary domain
 *     (`domains[0]`): all configured domains are aliases of one deployment,
 *     so `sip:8001@10.0.0.5` and `sip:8001@hotline.example` are one AOR,
 *     `sip:8001@hotline.example`. A To host outside `domains`: 404.
 *  6. `Contact: *` only alone and with `Expires: 0` (else 400); removes every
 *     binding unless one has the same Call-ID and a CSeq not lower (500).
 *  7. Each contact: expiry from its `expires` parameter, else the Expires
 *     header, else `defaultExpires`; clamped to `maxExpires`; 1..minExpires-1
 *     gives 423 with Min-Expires (0 always allowed). An existing binding
 *     with the same Call-ID is changed only by a higher CSeq; otherwise the
 *     whole request fails with 500 and nothing is changed (10.3 step 7).
 *     More than `maxBindingsPerAor` live bindings: 403.
 *  8. 200 OK listing every current binding with its remaining expires.
 *
 * Outbound (RFC 5626 section 6): when the request says `Supported: outbound`
 * and a contact carries `+sip.instance` and `reg-id`, the binding is known
 * by (instance, reg-id) and a new contact URI replaces the old one; the 200
 * then carries `Require: outbound`. More than one contact with a reg-id: 400.
 * This registrar is the first hop itself (no edge proxy, so no 439 check).
 * Not done: Path (RFC 3327) is not stored (the Registration port has no
 * field for it), GRUU (RFC 5627).
 *
 * The source flow (transport, address, port, connection) is kept in each
 * binding so NATed phones can be reached on the flow they registered from.
 */
import type { AuthDecision, AuthenticateOptions } from '../auth/auth-types.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { SipParseError } from '../../protocol/sip/errors.ts';
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { callId, parseContactList, parseNameAddr, toOf, type NameAddr } from '../../protocol/sip/name-addr.ts';
import { splitList } from '../../protocol/sip/params.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { decodedUser, isSipUri, parseUri } from '../../protocol/sip/uri.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Registration } from '../ports.ts';
import type { MessageSource } from '../security/message-source.ts';
import { bindingContactValue, contactKey, instanceIdOf, outboundKey, parseDeltaSeconds, parseQ, regIdOf } from './binding-rules.ts';
import type { BindingChanges, LocationService } from './location-service.ts';
import { RegistrarError } from './registrar-error.ts';

/** What the registrar needs from the authenticator (DigestAuthenticator fits). */
export interface RegisterAuthenticator {
  authenticate(req: SipRequest, source: MessageSource, options: AuthenticateOptions): Promise<AuthDecision>;
}

export interface RegistrarSettings {
  /** Host names and addresses served; the first is the primary domain used in AORs. At least one. */
  domains: string[];
  /** Expiry when the request gives none, s (default 3600). */
  defaultExpires: number;
  /** Shortest expiry accepted, s (default 60). */
  minExpires: number;
  /** Longer requests are shortened to this, s (default 3600). */
  maxExpires: number;
  /** Most live bindings one AOR may hold (default 10). */
  maxBindingsPerAor: number;
}

export interface RegistrarOptions extends RegistrarSettings {
  authenticator: RegisterAuthenticator;
  location: LocationService;
  clock: Clock;
  logger: Logger;
}

interface ContactRequest {
  contact: NameAddr;
  /** The contact's text as received. */
  raw: string;
  key: string;
  expires: number;
  q: number;
}

export class Registrar {
  private readonly o: RegistrarOptions;
  private readonly domains: Set<string>;

  constructor(options: Partial<RegistrarSettings> & Pick<RegistrarOptions, 'domains' | 'authenticator' | 'location' | 'clock' | 'logger'>) {
    this.o = { defaultExpires: 3600, minExpires: 60, maxExpires: 3600, maxBindingsPerAor: 10, ...options };
    const { defaultExpires, minExpires, maxExpires, maxBindingsPerAor } = this.o;
    if (this.o.domains.length === 0) throw new Error('registrar needs at least one domain');
    if (!(minExpires >= 1 && maxExpires >= minExpires && defaultExpires >= minExpires && defaultExpires <= maxExpires)) {
      throw new Error('registrar expiry settings must satisfy 1 <= minExpires <= defaultExpires <= maxExpires');
    }
    if (!(maxBindingsPerAor >= 1)) throw new Error('maxBindingsPerAor must be at least 1');
    this.domains = new Set(this.o.domains.map((d) => d.toLowerCase()));
  }

  /** The AOR of a user in this deployment: `sip:USER@PRIMARY-DOMAIN`. */
  aorOf(user: string): string {
    return `sip:${user}@${this.o.domains[0]!.toLowerCase()}`;
  }

  async handleRegister(req: SipRequest, source: MessageSource): Promise<SipResponse> {
    try {
      return await this.process(req, source);
    } catch (e) {
      if (e instanceof RegistrarError) return createResponse(req, e.status, e.reason, { headers: e.headers });
      if (e instanceof SipParseError) return createResponse(req, e.status, e.reason);
      this.o.logger.error({ err: e }, 'REGISTER processing failed');
      return createResponse(req, 500, 'Server Internal Error', { headers: [['Retry-After', '5']] });
    }
  }

  private async process(req: SipRequest, source: MessageSource): Promise<SipResponse> {
    if (req.method !== 'REGISTER') throw new RegistrarError('not-register', 405, 'Method Not Allowed', [['Allow', 'REGISTER']]);
    this.checkRequestUri(req.uri);
    const user = this.toUser(req);
    const decision = await this.o.authenticator.authenticate(req, source, { expectedUser: user });
    if (decision.kind === 'challenge') return createResponse(req, decision.status, decision.reason, { headers: decision.challenges.map((c) => [decision.headerName, c]) });
    if (decision.kind === 'reject') return createResponse(req, decision.status, decision.reason);

    const aor = this.aorOf(user);
    const cid = callId(req);
    const cseq = cseqOf(req).seq;
    const { star, contacts, outbound } = this.readContacts(req);
    const userAgent = req.headers.get('User-Agent');
    return this.o.location.exclusive(aor, async () => {
      const now = this.o.clock.now();
      const current = await this.o.location.lookup(aor);
      const changes: BindingChanges = star ? this.removeAll(current, cid, cseq) : this.update(current, contacts, { aor, cid, cseq, now, source, userAgent });
      const removed = new Set(changes.remove.map((r) => r.contact));
      const replaced = new Set(changes.put.map((p) => p.replaces).filter((c): c is string => c !== undefined));
      const after = current.filter((r) => !removed.has(r.contact) && !replaced.has(r.contact)).concat(changes.put.map((p) => p.registration));
      if (after.length > this.o.maxBindingsPerAor) throw new RegistrarError('too-many-bindings', 403, 'Forbidden - too many contacts');
      await this.o.location.apply(changes);
      const listed = await this.o.location.lookup(aor);
      const headers: [string, string][] = listed.map((r) => ['Contact', bindingContactValue(readContact(r), (r.expiresAt.getTime() - now) / 1000)]);
      headers.push(['Date', new Date(now).toUTCString()]);
      if (outbound) headers.push(['Require', 'outbound']);
      return createResponse(req, 200, 'OK', { headers });
    });
  }

  private checkRequestUri(uri: string): void {
    const u = parseUri(uri);
    if (!isSipUri(u) || !this.domains.has(u.host.toLowerCase())) throw new RegistrarError('domain-not-served', 404, 'Not Found');
  }

  private toUser(req: SipRequest): string {
    const to = parseUri(toOf(req).uri);
    if (!isSipUri(to)) throw new RegistrarError('bad-aor', 400, 'Bad Request - To is not a SIP URI');
    const user = decodedUser(to);
    if (user === undefined || user.length === 0) throw new RegistrarError('bad-aor', 400, 'Bad Request - To has no user part');
    if (!this.domains.has(to.host.toLowerCase())) throw new RegistrarError('domain-not-served', 404, 'Not Found');
    return user;
  }

  private readContacts(req: SipRequest): { star: boolean; contacts: ContactRequest[]; outbound: boolean } {
    const lines = req.headers.getAll('Contact');
    const supportsOutbound = req.headers.getAll('Supported').some((l) => l.split(',').some((t) => t.trim().toLowerCase() === 'outbound'));
    let outbound = false;
    const headerExpires = req.headers.get('Expires');
    const fallback = headerExpires === undefined ? this.o.defaultExpires : parseDeltaSeconds(headerExpires);
    if (fallback === undefined) throw new RegistrarError('bad-expires', 400, 'Bad Request - malformed Expires');
    if (lines.some((l) => l.trim() === '*')) {
      if (lines.length !== 1 || headerExpires === undefined || fallback !== 0) throw new RegistrarError('bad-star', 400, 'Bad Request - Contact * needs Expires: 0 and no other contact');
      return { star: true, contacts: [], outbound: false };
    }
    const byKey = new Map<string, ContactRequest>();
    const elements = lines.flatMap((l) => splitList(l, 'bad-name-addr'));
    for (const raw of elements) {
      if (raw === '*') throw new RegistrarError('bad-star', 400, 'Bad Request - Contact * needs Expires: 0 and no other contact');
      if (raw.length === 0) throw new SipParseError('bad-name-addr', 'empty Contact element');
      const contact = parseNameAddr(raw);
      const q = parseQ(contact.params.get('q'));
      if (q === undefined) throw new RegistrarError('bad-q', 400, 'Bad Request - malformed q');
      const ownText = contact.params.get('expires');
      const own = ownText === undefined ? fallback : parseDeltaSeconds(ownText);
      if (own === undefined) throw new RegistrarError('bad-expires', 400, 'Bad Request - malformed expires');
      if (own > 0 && own < this.o.minExpires) throw new RegistrarError('interval-too-brief', 423, 'Interval Too Brief', [['Min-Expires', String(this.o.minExpires)]]);
      const expires = Math.min(own, this.o.maxExpires);
      const instanceId = instanceIdOf(contact);
      const regId = regIdOf(contact);
      let key = contactKey(contact.uri);
      if (supportsOutbound && instanceId !== undefined && regId !== undefined) {
        if (outbound) throw new RegistrarError('bad-outbound', 400, 'Bad Request - more than one contact with reg-id');
        outbound = true;
        key = outboundKey(instanceId, regId);
      }
      byKey.set(key, { contact, raw, key, expires, q });
    }
    return { star: false, contacts: [...byKey.values()], outbound };
  }

  private removeAll(current: Registration[], cid: string, cseq: number): BindingChanges {
    for (const r of current) if (r.callId === cid && cseq <= r.cseq) throw outOfOrder();
    return { put: [], remove: current };
  }

  private update(
    current: Registration[],
    contacts: ContactRequest[],
    ctx: { aor: string; cid: string; cseq: number; now: number; source: MessageSource; userAgent: string | undefined },
  ): BindingChanges {
    const byKey = new Map<string, Registration>();
    for (const r of current) for (const k of bindingKeys(r)) byKey.set(k, r);
    const changes: BindingChanges = { put: [], remove: [] };
    for (const c of contacts) {
      const existing = byKey.get(c.key);
      if (existing && existing.callId === ctx.cid && ctx.cseq <= existing.cseq) throw outOfOrder();
      if (c.expires === 0) {
        if (existing) changes.remove.push(existing);
        continue;
      }
      const reg: Registration = {
        aor: ctx.aor,
        contact: c.contact.uri,
        contactHeader: c.raw,
        q: c.q,
        callId: ctx.cid,
        cseq: ctx.cseq,
        expiresAt: new Date(ctx.now + c.expires * 1000),
        registeredAt: new Date(ctx.now),
        transport: ctx.source.transport,
        sourceAddress: ctx.source.address,
        sourcePort: ctx.source.port,
      };
      if (ctx.source.connectionId !== undefined) reg.connectionId = ctx.source.connectionId;
      if (ctx.userAgent !== undefined) reg.userAgent = ctx.userAgent.slice(0, 200);
      const instanceId = instanceIdOf(c.contact);
      if (instanceId !== undefined) reg.instanceId = instanceId;
      const put: BindingChanges['put'][number] = { registration: reg, refreshed: existing !== undefined };
      if (existing) put.replaces = existing.contact;
      changes.put.push(put);
    }
    return changes;
  }
}

function outOfOrder(): RegistrarError {
  return new RegistrarError('out-of-order', 500, 'Server Internal Error - out of order REGISTER');
}

/** Every key a stored binding answers to: its URI's, and its outbound (instance, reg-id) when it has one. */
function bindingKeys(r: Registration): string[] {
  const keys: string[] = [];
  try {
    keys.push(contactKey(r.contact));
  } catch {
    keys.push(r.contact);
  }
  const regId = regIdOf(readContact(r));
  if (r.instanceId !== undefined && regId !== undefined) keys.push(outboundKey(r.instanceId, regId));
  return keys;
}

/** The stored Contact value as a name-addr (falls back to the bare URI). */
function readContact(r: Registration): NameAddr {
  try {
    const list = parseContactList(r.contactHeader);
    if (list !== '*' && list.length === 1) return list[0]!;
  } catch {
    // stored by an older version or another writer: list the URI alone
  }
  return { uri: r.contact, params: r.q === 1 ? new Map() : new Map([['q', String(r.q)]]) };
}
