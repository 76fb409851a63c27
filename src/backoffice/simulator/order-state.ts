/**
 * Order life cycle, one transition table:
 *
 *   pending ──fill──▶ partially-filled ──fill──▶ filled
 *      │  └─────────────fill (all)──────────────▶ filled
 *      └──cancel──▶ cancelled ◀──cancel── partially-filled
 *   (rejected is terminal; the simulator refuses bad orders with an error
 *    before they exist, a real back office may record them.)
 *
 * A customer's cancel of a finished order is a forbidden request
 * (order-not-cancellable); any other impossible move is a bug.
 */
import { BackOfficeError } from '../backoffice-error.ts';
import type { OrderStatus } from '../port.ts';

export type OrderEvent = 'partial-fill' | 'fill' | 'cancel';

const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>>> = {
  pending: { 'partial-fill': 'partially-filled', fill: 'filled', cancel: 'cancelled' },
  'partially-filled': { 'partial-fill': 'partially-filled', fill: 'filled', cancel: 'cancelled' },
  filled: {},
  cancelled: {},
  rejected: {},
};

export function orderTransition(from: OrderStatus, event: OrderEvent, orderId: string): OrderStatus {
  const to = TRANSITIONS[from][event];
  if (to) return to;
  if (event === 'cancel') throw new BackOfficeError('order-not-cancellable', `order ${orderId} is ${from}`);
  throw new Error(`order ${orderId}: ${event} not allowed in state ${from}`);
}

export function isOpen(status: OrderStatus): boolean {
  return status === 'pending' || status === 'partially-filled';
}
