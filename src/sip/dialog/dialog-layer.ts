/**
 * The table of dialogs and the UAS core duties around them: matching
 * in-dialog requests and responses to their dialog, the CSeq check (a
 * DialogError carries the status to answer), and for an accepted INVITE
 * the 2xx retransmission until the ACK with a BYE when none comes
 * (13.3.1.4).
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction.ts';
import type { TimerSettings } from '../transaction/timer-settings.ts';
import { Dialog } from './dialog.ts';
import { DialogError } from './dialog-error.ts';
import { createUasDialog } from './dialog-factory.ts';
import { dialogIdOfIncomingRequest, dialogIdOfIncomingResponse, dialogKey } from './dialog-id.ts';
import { Uas2xxRetransmitter } from './uas-2xx-retransmitter.ts';

export interface DialogLayerDelegate {
  /** Send a request a dialog built on its own (the BYE after an ACK timeout). */
  sendRequest(request: SipRequest, dialog: Dialog): void;
  /** No ACK came for our 2xx within 64*T1; a BYE is being sent. */
  onAckTimeout?(dialog: Dialog): void;
}

export interface DialogLayerOptions {
  clock: Clock;
  timers: TimerSettings;
  delegate: DialogLayerDelegate;
  logger?: Logger;
  /** Retransmit 2xx on reliable transports too (RFC 3261 13.3.1.4; default true). */
  retransmit2xxOnReliable?: boolean;
}

export class DialogLayer {
  private readonly dialogs = new Map<string, Dialog>();
  private readonly pending2xx = new Map<string, Uas2xxRetransmitter>();

  constructor(private readonly opts: DialogLayerOptions) {}

  get size(): number {
    return this.dialogs.size;
  }

  add(dialog: Dialog): Dialog {
    const existing = this.dialogs.get(dialog.key);
    if (existing) return existing;
    this.dialogs.set(dialog.key, dialog);
    return dialog;
  }

  get(key: string): Dialog | undefined {
    return this.dialogs.get(key);
  }

  /** Terminate and forget a dialog (and stop its 2xx retransmissions). */
  remove(dialog: Dialog): void {
    dialog.terminate();
    this.dialogs.delete(dialog.key);
    for (const [k, r] of this.pending2xx) {
      if (k.startsWith(`${dialog.key}\n`)) {
        r.stop();
        this.pending2xx.delete(k);
      }
    }
  }

  /** The dialog of a response to our request (both tags present), if known. */
  matchResponse(res: SipResponse): Dialog | undefined {
    const id = dialogIdOfIncomingResponse(res);
    return id && this.dialogs.get(dialogKey(id));
  }

  /**
   * An in-dialog request (To tag present) from the peer. Returns the dialog
   * after the CSeq check and target refresh; throws DialogError('terminated',
   * 481) when there is no such dialog and DialogError('cseq-out-of-order',
   * 500) for an old CSeq. Undefined when the request is outside any dialog.
   */
  receiveRequest(req: SipRequest): Dialog | undefined {
    const id = dialogIdOfIncomingRequest(req);
    if (!id) return undefined;
    const dialog = this.dialogs.get(dialogKey(id));
    if (!dialog) throw new DialogError('terminated', 'no such dialog');
    dialog.receiveRequest(req);
    return dialog;
  }

  /** ACK for a 2xx: stops that 2xx's retransmission. Returns the dialog, if any. */
  receiveAck(ack: SipRequest): Dialog | undefined {
    const id = dialogIdOfIncomingRequest(ack);
    if (!id) return undefined;
    const dialog = this.dialogs.get(dialogKey(id));
    if (!dialog) return undefined;
    const k = `${dialog.key}\n${cseqOf(ack).seq}`;
    this.pending2xx.get(k)?.ackReceived();
    this.pending2xx.delete(k);
    return dialog;
  }

  /**
   * UAS accepts an INVITE: send the 2xx (it must carry our To tag and a
   * Contact) through the server transaction, create or confirm the dialog,
   * and retransmit the 2xx until the ACK (BYE after 64*T1 without one).
   */
  acceptInvite(ist: InviteServerTransaction, response: SipResponse, localContact?: string): Dialog {
    ist.respond(response);
    const fresh = createUasDialog(ist.request, response, localContact);
    const dialog = this.add(fresh);
    dialog.confirm();
    const key = `${dialog.key}\n${cseqOf(ist.request).seq}`;
    this.pending2xx.get(key)?.stop();
    const retransmitter = new Uas2xxRetransmitter(response, {
      clock: this.opts.clock,
      timers: this.opts.timers,
      retransmit: !ist.reliable || this.opts.retransmit2xxOnReliable !== false,
      send: (r) => {
        if (ist.state === 'accepted') ist.respond(r);
      },
      onAckTimeout: () => this.ackTimedOut(dialog, key),
    });
    this.pending2xx.set(key, retransmitter);
    return dialog;
  }

  /** Retransmitters still waiting for an ACK. */
  get awaitingAck(): number {
    return this.pending2xx.size;
  }

  close(): void {
    for (const d of [...this.dialogs.values()]) this.remove(d);
  }

  private ackTimedOut(dialog: Dialog, key: string): void {
    this.pending2xx.delete(key);
    this.opts.logger?.warn({ dialog: dialog.id }, 'no ACK for 2xx within 64*T1: sending BYE');
    this.opts.delegate.onAckTimeout?.(dialog);
    if (dialog.state === 'terminated') return;
    const bye = dialog.createRequest('BYE');
    this.remove(dialog);
    this.opts.delegate.sendRequest(bye, dialog);
  }
}
