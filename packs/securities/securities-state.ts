import type { Market, OrderSide, TransferDirection } from '../../src/backoffice/index.ts';

/** The securities pack's server-side drafts for one caller. */
export interface SecuritiesState {
  order?: { side: OrderSide; code?: string; name?: string; market?: Market; price?: number; quantity?: number };
  /** Orders as numbered in the last list read out (the caller keys a number, the server knows the id). */
  orderIds: string[];
  cancelId?: string;
  transfer?: { direction: TransferDirection; amount?: number; bankPassword?: string };
  /** Shareholder accounts as numbered in the last list read out (first ten). */
  holders: string[];
  mobile?: string;
}

export const initialSecuritiesState = (): SecuritiesState => ({ orderIds: [], holders: [] });
