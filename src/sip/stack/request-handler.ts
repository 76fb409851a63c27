/**
 * What the stack hands to the parts above it (registrar, switch...): one
 * typed handler per method, and the incoming request with the means to
 * answer it. No string events.
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import type { ResponseOptions } from '../../protocol/sip/response.ts';
import type { Dialog } from '../dialog/dialog.ts';
import type { ServerTransaction } from '../transaction/transaction-layer.ts';
import type { Flow } from '../transport/transport.ts';

export interface IncomingRequest {
  readonly request: SipRequest;
  readonly flow: Flow;
  readonly transaction: ServerTransaction;
  /** The dialog an in-dialog request belongs to (after its CSeq check). */
  readonly dialog: Dialog | undefined;
  /** Build a response with createResponse and send it through the transaction. */
  respond(status: number, reason?: string, opts?: ResponseOptions): SipResponse;
  /** Send a response built elsewhere through the transaction. */
  send(response: SipResponse): void;
}

export interface RequestHandler {
  /** A new request of the handled method. Throwing (or rejecting) ends the transaction with 500. */
  onRequest(incoming: IncomingRequest): void | Promise<void>;
  /** INVITE handlers: a CANCEL matched this INVITE and got its 200; answer the INVITE (487). */
  onCancel?(incoming: IncomingRequest, cancel: SipRequest): void;
  /** INVITE handlers: the ACK for a 2xx (already stopping the 2xx retransmission). */
  onAck?(ack: SipRequest, dialog: Dialog | undefined, flow: Flow): void;
}

/** Methods the stack knows (RFC 3261 and extensions): unhandled ones get 405, others 501. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE',
]);
