import { describe, expect, it } from 'vitest';
import { BackOfficeError } from '../backoffice-error.ts';
import type { OrderStatus } from '../port.ts';
import { isOpen, orderTransition, type OrderEvent } from './order-state.ts';

describe('order state machine (SEC-1)', () => {
  it.each([
    ['pending', 'fill', 'filled'],
    ['pending', 'partial-fill', 'partially-filled'],
    ['pending', 'cancel', 'cancelled'],
    ['partially-filled', 'partial-fill', 'partially-filled'],
    ['partially-filled', 'fill', 'filled'],
    ['partially-filled', 'cancel', 'cancelled'],
  ] as Array<[OrderStatus, OrderEvent, OrderStatus]>)('%s --%s--> %s', (from, ev, to) => {
    expect(orderTransition(from, ev, 'o1')).toBe(to);
  });

  it.each(['filled', 'cancelled', 'rejected'] as OrderStatus[])('cancelling a %s order is a typed refusal', (from) => {
    expect(() => orderTransition(from, 'cancel', 'o1')).toThrow(BackOfficeError);
    expect(isOpen(from)).toBe(false);
  });

  it('filling a finished order is a bug, not a customer error', () => {
    let err: unknown;
    try {
      orderTransition('cancelled', 'fill', 'o1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(BackOfficeError);
  });
});
