/**
 * The SIP stack core: bytes from the transports in, parsed, checked and
 * routed to transactions, dialogs and one RequestHandler per method; our
 * requests out through client transactions. It is given Transport
 * instances (it opens no sockets) and is their TransportDelegate.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { isSipParseError, type SipParseError } from '../../protocol/sip/errors.ts';
import { Headers, type SipMessage, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { parseMessage } from '../../protocol/sip/parser.ts';
import { createResponse, type ResponseOptions } from '../../protocol/sip/response.ts';
import { serializeMessage } from '../../protocol/sip/serializer.ts';
import { checkRequest } from '../../protocol/sip/validate.ts';
import { DialogError } from '../dialog/dialog-error.ts';
import { DialogLayer } from '../dialog/dialog-layer.ts';
import type { TimerSettings } from '../transaction/timer-settings.ts';
import { TransactionLayer, type ClientTransaction, type InviteServerTransactionUser, type ServerTransaction } from '../transaction/transaction-layer.ts';
import type { ClientTransactionUser } from '../transaction/transaction-types.ts';
import { responseTarget, stampVia } from '../transport/rport.ts';
import type { Flow, Transport, TransportDelegate } from '../transport/transport.ts';
import { dnsHostResolver, type HostResolver } from './host-resolver.ts';
import { resolveNextHop, type NextHop } from './next-hop.ts';
import { Outbound, type SendHook } from './outbound.ts';
import { responseToUnparseable } from './parse-failure-response.ts';
import { KNOWN_METHODS, type IncomingRequest, type RequestHandler } from './request-handler.ts';
import { StackMetrics } from './stack-metrics.ts';

export interface SipStackOptions {
  transports: Transport[];
  clock: Clock;
  logger: Logger;
  timers?: Partial<TimerSettings>;
  resolver?: HostResolver;
  /** Host for our Via when the transports are bound to a wildcard address. */
  viaHost?: string;
  /** Option tags we support (Supported; Require checks). */
  supported?: string[];
  /** Body types we accept (Accept on OPTIONS). */
  accept?: string[];
  hooks?: SendHook & {
    onReceive?(data: Buffer, flow: Flow): void;
    /** A message that could not be parsed (answered 400/505 or dropped); for the security log (OPS-2). */
    onParseError?(error: SipParseError, flow: Flow): void;
    /** Admission after parsing (e.g. scanner User-Agents): false drops the message silently. */
    admit?(msg: SipMessage, flow: Flow): boolean;
  };
  /** Responses no client transaction matched (e.g. 2xx retransmissions for the UAC core, RFC 6026). */
  onStrayResponse?(response: SipResponse, flow: Flow): void;
}

export class SipStack implements TransportDelegate {
  readonly transactions: TransactionLayer;
  readonly dialogs: DialogLayer;
  readonly metrics = new StackMetrics();
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly outbound: Outbound;
  private readonly log: Logger;
  private readonly resolver: HostResolver;

  constructor(private readonly opts: SipStackOptions) {
    this.log = opts.logger.child({ component: 'sip-stack' });
    this.resolver = opts.resolver ?? dnsHostResolver;
    this.transactions = new TransactionLayer({ clock: opts.clock, timers: opts.timers ?? {}, logger: this.log });
    this.dialogs = new DialogLayer({
      clock: opts.clock,
      timers: this.transactions.timers,
      logger: this.log,
      delegate: { sendRequest: (req) => void this.sendRequest(req).catch((err: unknown) => this.log.warn({ err: String(err) }, 'in-dialog request not sent')) },
    });
    const outbound: ConstructorParameters<typeof Outbound>[0] = { transports: opts.transports, metrics: this.metrics, logger: this.log };
    if (opts.hooks) outbound.hooks = opts.hooks;
    if (opts.viaHost) outbound.viaHost = opts.viaHost;
    this.outbound = new Outbound(outbound);
  }

  /** Register the handler for a method (REGISTER -> registrar, INVITE -> switch...). */
  handle(method: string, handler: RequestHandler): void {
    this.handlers.set(method.toUpperCase(), handler);
  }

  /** Methods we answer, for Allow. */
  allowedMethods(): string[] {
    const m = new Set(this.handlers.keys());
    m.add('OPTIONS');
    if (m.has('INVITE')) {
      m.add('ACK');
      m.add('CANCEL');
    }
    return [...m];
  }

  /** TransportDelegate: one datagram or framed stream message. Never throws. */
  onMessage(data: Buffer, flow: Flow): void {
    this.metrics.messagesIn++;
    this.opts.hooks?.onReceive?.(data, flow);
    let msg;
    try {
      msg = parseMessage(data, { stream: flow.protocol !== 'udp' });
    } catch (err) {
      this.metrics.parseErrors++;
      if (!isSipParseError(err)) {
        this.log.error({ err: String(err), from: flow.remote }, 'parser failure');
        return;
      }
      this.log.debug({ reason: err.reason, from: flow.remote }, 'unparseable message');
      this.opts.hooks?.onParseError?.(err, flow);
      const answer = responseToUnparseable(data, err);
      if (answer) this.sendDirect(answer, flow);
      return;
    }
    if (this.opts.hooks?.admit && !this.opts.hooks.admit(msg, flow)) return;
    try {
      if (msg.kind === 'response') this.receiveResponse(msg, flow);
      else this.receiveRequest(msg, flow);
    } catch (err) {
      this.metrics.parseErrors++;
      this.log.warn({ err: String(err), from: flow.remote }, 'message dropped');
    }
  }

  /**
   * Send a request in a client transaction. Adds our Via; the next hop comes
   * from `hop` or the Route/Request-URI. Rejects with NextHopError when no
   * hop can be found; later failures reach `user` as local 408/503.
   */
  async sendRequest(req: SipRequest, user: ClientTransactionUser = {}, hop?: NextHop): Promise<ClientTransaction> {
    const next = hop ?? (await resolveNextHop(req, this.resolver));
    const channel = this.outbound.prepare(req, next);
    return this.transactions.sendRequest(req, channel, user);
  }

  /**
   * An ACK for a 2xx (13.2.2.4): no transaction, fresh Via branch. With
   * `again`, the ACK already sent for that 2xx goes out once more unchanged
   * (the 2xx was retransmitted).
   */
  async sendAck(ack: SipRequest, hop?: NextHop, again = false): Promise<void> {
    const next = hop ?? (await resolveNextHop(ack, this.resolver));
    await (again ? this.outbound.again(ack, next) : this.outbound.prepare(ack, next)).send(ack);
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.metrics.toJSON(),
      transactionsAlive: this.transactions.size,
      dialogs: this.dialogs.size,
      awaitingAck: this.dialogs.awaitingAck,
      methods: this.allowedMethods(),
    };
  }

  /** Terminate every transaction and dialog (the transports are closed by their owner). */
  close(): void {
    this.transactions.close();
    this.dialogs.close();
  }

  private receiveResponse(res: SipResponse, flow: Flow): void {
    this.metrics.responsesIn++;
    if (this.transactions.receiveResponse(res)) return;
    this.metrics.strayResponses++;
    this.opts.onStrayResponse?.(res, flow);
  }

  private receiveRequest(req: SipRequest, flow: Flow): void {
    this.metrics.requestsIn++;
    const transport = this.outbound.transportFor(flow.protocol, flow.local.port);
    const topLine = req.headers.get('Via');
    if (!transport || topLine === undefined) return;
    const stamped = stampVia(topLine, flow);
    req.headers = replaceFirstVia(req.headers, stamped);
    const channel = this.outbound.channel(transport, responseTarget(stamped, flow));
    const opts = this.opts.supported ? { supportedOptionTags: this.opts.supported } : {};
    const rejection = checkRequest(req, opts);
    if (rejection && req.method === 'ACK') return;
    const match = this.transactions.receiveRequest(req, channel);
    if (match.kind === 'ack') {
      const dialog = this.dialogs.receiveAck(req);
      this.handlers.get('INVITE')?.onAck?.(req, dialog, flow);
      return;
    }
    if (match.kind !== 'new') return;
    const incoming = this.incoming(match.transaction, req, flow, undefined);
    if (rejection) {
      this.metrics.rejectedRequests++;
      incoming.respond(rejection.status, rejection.reason, rejection.headers ? { headers: rejection.headers } : {});
      return;
    }
    this.dispatch(incoming);
  }

  private dispatch(incoming: IncomingRequest): void {
    const method = incoming.request.method.toUpperCase();
    const handler = this.handlers.get(method);
    if (!handler && method !== 'OPTIONS') {
      if (KNOWN_METHODS.has(method)) incoming.respond(405, 'Method Not Allowed', { headers: [['Allow', this.allowedMethods().join(', ')]] });
      else incoming.respond(501, 'Not Implemented');
      return;
    }
    let dialog;
    try {
      dialog = this.dialogs.receiveRequest(incoming.request);
    } catch (err) {
      if (!(err instanceof DialogError)) throw err;
      incoming.respond(err.status, err.status === 481 ? 'Call/Transaction Does Not Exist' : `Server Internal Error - ${err.message}`);
      return;
    }
    const withDialog = dialog ? { ...incoming, dialog } : incoming;
    if (!handler) {
      this.answerOptions(withDialog);
      return;
    }
    const tx = incoming.transaction;
    if (method === 'INVITE' && tx.kind === 'ist') {
      const user: InviteServerTransactionUser = {
        onCancel: (cancel) => (handler.onCancel ? handler.onCancel(withDialog, cancel) : withDialog.respond(487, 'Request Terminated')),
        onTransportError: (err) => this.log.warn({ err: String(err) }, 'response to INVITE not sent'),
      };
      tx.user = user;
    }
    try {
      const pending = handler.onRequest(withDialog);
      if (pending) pending.catch((err: unknown) => this.handlerFailed(withDialog, err));
    } catch (err) {
      this.handlerFailed(withDialog, err);
    }
  }

  private answerOptions(incoming: IncomingRequest): void {
    incoming.respond(200, 'OK', {
      headers: [
        ['Allow', this.allowedMethods().join(', ')],
        ['Accept', (this.opts.accept ?? ['application/sdp']).join(', ')],
        ['Supported', (this.opts.supported ?? []).join(', ')],
      ],
    });
  }

  private handlerFailed(incoming: IncomingRequest, err: unknown): void {
    this.metrics.handlerErrors++;
    this.log.error({ err: err instanceof Error ? err.stack ?? err.message : String(err), method: incoming.request.method }, 'request handler failed');
    const tx = incoming.transaction;
    const answered = tx.kind === 'ist' ? tx.state !== 'proceeding' : tx.state === 'completed' || tx.state === 'terminated';
    if (!answered) incoming.respond(500, 'Server Internal Error');
  }

  private incoming(tx: ServerTransaction, request: SipRequest, flow: Flow, dialog: IncomingRequest['dialog']): IncomingRequest {
    return {
      request,
      flow,
      transaction: tx,
      dialog,
      respond: (status: number, reason?: string, opts?: ResponseOptions) => {
        const res = createResponse(request, status, reason, opts);
        tx.respond(res);
        return res;
      },
      send: (res: SipResponse) => tx.respond(res),
    };
  }

  /** Stateless answer (parse failures) on the flow the message came on. */
  private sendDirect(res: SipResponse, flow: Flow): void {
    const transport = this.outbound.transportFor(flow.protocol, flow.local.port);
    if (!transport) return;
    const target = flow.connectionId === undefined ? { remote: flow.remote } : { remote: flow.remote, connectionId: flow.connectionId };
    const data = serializeMessage(res);
    this.opts.hooks?.onSend?.(data, flow.protocol, target);
    transport.send(data, target).then(
      () => void this.metrics.messagesOut++,
      () => void this.metrics.sendErrors++,
    );
  }
}

/** The same fields with only the first Via line replaced (the others keep their place). */
function replaceFirstVia(headers: Headers, value: string): Headers {
  let done = false;
  const out = new Headers();
  for (const [name, v] of headers) {
    if (!done && name === 'Via') {
      out.append(name, value);
      done = true;
    } else out.append(name, v);
  }
  return out;
}
