/**
 * A SIP dialog (RFC 3261 section 12): its id, sequence numbers, route set,
 * remote target, and the early/confirmed/terminated state machine.
 *
 *   early --2xx--> confirmed --BYE / terminate()--> terminated
 *     \------------- non-2xx final / terminate() -----^
 *
 * The dialog builds in-dialog requests (12.2.1.1) and the ACK for a 2xx
 * (13.2.2.4); it checks and records the peer's CSeq (12.2.2) and takes a
 * new remote target from target refresh requests and their 2xx responses.
 * Requests leave without Via: the stack adds its own with a fresh branch.
 */
import { Headers, createRequest, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { formatNameAddr, parseContactList, type NameAddr } from '../../protocol/sip/name-addr.ts';
import { DialogError } from './dialog-error.ts';
import { dialogKey, type DialogId } from './dialog-id.ts';
import { targetFor } from './route-set.ts';

export type DialogState = 'early' | 'confirmed' | 'terminated';
export type DialogRole = 'uac' | 'uas';

const TABLE: Readonly<Record<DialogState, readonly DialogState[]>> = {
  early: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

/** Methods whose Contact replaces the remote target (12.2; UPDATE per RFC 3311). */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set(['INVITE', 'UPDATE']);

export interface DialogInit {
  role: DialogRole;
  id: DialogId;
  state: 'early' | 'confirmed';
  /** Our address and the peer's, as name-addrs without tags. */
  localUri: NameAddr;
  remoteUri: NameAddr;
  remoteTarget: string;
  routeSet: string[];
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  /** Our Contact for requests that need one (target refresh). */
  localContact?: string;
  secure: boolean;
}

export interface InDialogRequestOptions {
  body?: Buffer;
  contentType?: string;
  headers?: Array<[string, string]>;
}

export class Dialog {
  readonly role: DialogRole;
  readonly id: DialogId;
  readonly key: string;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly secure: boolean;
  localContact: string | undefined;
  private current: DialogState;
  private target: string;
  private routes: string[];
  private localSeqValue: number | undefined;
  private remoteSeqValue: number | undefined;

  constructor(init: DialogInit) {
    this.role = init.role;
    this.id = init.id;
    this.key = dialogKey(init.id);
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.secure = init.secure;
    this.localContact = init.localContact;
    this.current = init.state;
    this.target = init.remoteTarget;
    this.routes = [...init.routeSet];
    this.localSeqValue = init.localSeq;
    this.remoteSeqValue = init.remoteSeq;
  }

  get state(): DialogState {
    return this.current;
  }

  get remoteTarget(): string {
    return this.target;
  }

  get routeSet(): readonly string[] {
    return this.routes;
  }

  get localSeq(): number | undefined {
    return this.localSeqValue;
  }

  get remoteSeq(): number | undefined {
    return this.remoteSeqValue;
  }

  private transition(next: DialogState): void {
    if (!TABLE[this.current].includes(next)) throw new Error(`bug: dialog cannot move ${this.current} -> ${next}`);
    this.current = next;
  }

  /**
   * A 2xx for the INVITE (UAC: received; UAS: sent) confirms an early
   * dialog; on the UAC side its Contact and Record-Route set the remote
   * target and route set (13.2.2.4, 12.1.2).
   */
  confirm(uacResponse?: SipResponse, routeSet?: string[]): void {
    if (this.current === 'confirmed') return;
    if (this.current === 'terminated') throw new DialogError('terminated', 'dialog is terminated');
    if (uacResponse) this.refreshTargetFrom(uacResponse);
    if (routeSet) this.routes = [...routeSet];
    this.transition('confirmed');
  }

  terminate(): void {
    if (this.current !== 'terminated') this.transition('terminated');
  }

  /**
   * A request from the peer within this dialog (12.2.2): a CSeq lower than
   * the last one is out of order (DialogError, 500); target refresh
   * requests replace the remote target. ACK and CANCEL carry the INVITE's
   * number and do not move it.
   */
  receiveRequest(req: SipRequest): void {
    if (this.current === 'terminated') throw new DialogError('terminated', 'dialog is terminated');
    if (req.method === 'ACK' || req.method === 'CANCEL') return;
    const seq = cseqOf(req).seq;
    if (this.remoteSeqValue !== undefined && seq < this.remoteSeqValue) {
      throw new DialogError('cseq-out-of-order', `CSeq ${seq} is lower than ${this.remoteSeqValue}`);
    }
    this.remoteSeqValue = seq;
    if (TARGET_REFRESH_METHODS.has(req.method)) this.refreshTargetFrom(req);
  }

  /** A 2xx to our target refresh request: its Contact becomes the remote target (12.2.1.2). */
  receiveRefreshResponse(res: SipResponse): void {
    if (res.status >= 200 && res.status < 300 && TARGET_REFRESH_METHODS.has(cseqOf(res).method)) this.refreshTargetFrom(res);
  }

  /** A new in-dialog request (not ACK/CANCEL): local CSeq incremented (12.2.1.1). */
  createRequest(method: string, opts: InDialogRequestOptions = {}): SipRequest {
    if (this.current === 'terminated') throw new DialogError('terminated', 'dialog is terminated');
    const next = this.localSeqValue === undefined ? initialSeq() : this.localSeqValue + 1;
    this.localSeqValue = next;
    return this.build(method, next, opts);
  }

  /** ACK for a 2xx to the INVITE with CSeq number `inviteSeq` (13.2.2.4): same number, not counted. */
  createAck(inviteSeq: number, opts: InDialogRequestOptions = {}): SipRequest {
    return this.build('ACK', inviteSeq, opts);
  }

  private build(method: string, seq: number, opts: InDialogRequestOptions): SipRequest {
    const { uri, routes } = targetFor(this.target, this.routes);
    const h = new Headers();
    for (const r of routes) h.append('Route', r);
    h.append('Max-Forwards', '70');
    h.append('From', formatNameAddr(withTag(this.localUri, this.id.localTag)));
    h.append('To', formatNameAddr(withTag(this.remoteUri, this.id.remoteTag)));
    h.append('Call-ID', this.id.callId);
    h.append('CSeq', `${seq} ${method}`);
    if (this.localContact !== undefined && (TARGET_REFRESH_METHODS.has(method) || method === 'ACK')) h.append('Contact', this.localContact);
    for (const [n, v] of opts.headers ?? []) h.append(n, v);
    if (opts.contentType !== undefined) h.append('Content-Type', opts.contentType);
    return createRequest(method, uri, h, opts.body ?? Buffer.alloc(0));
  }

  private refreshTargetFrom(msg: SipRequest | SipResponse): void {
    const contact = msg.headers.get('Contact');
    if (contact === undefined) return;
    const list = parseContactList(contact);
    if (list !== '*' && list[0]) this.target = list[0].uri;
  }

  toJSON(): object {
    return { id: this.id, role: this.role, state: this.current, remoteTarget: this.target, routeSet: this.routes, localSeq: this.localSeqValue, remoteSeq: this.remoteSeqValue };
  }
}

function withTag(na: NameAddr, tag: string): NameAddr {
  const params = new Map(na.params);
  // The empty tag stands for an RFC 2543 peer that sent none.
  if (tag !== '') params.set('tag', tag);
  return { ...na, params };
}

/** A fresh local CSeq for a UAS-side dialog: below 2^31 with room to grow (8.1.1.5). */
function initialSeq(): number {
  return 1 + Math.floor(Math.random() * 0x7fff);
}

