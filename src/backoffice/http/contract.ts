/**
 * The HTTP/JSON contract of the back office (SEC-1, SEC-7, SEC-8, CRM-1): one
 * route per BackOffice port method, with zod schemas for what goes in and out.
 * A broker implements these routes; HttpBackOffice calls them and
 * serveBackOffice() serves any BackOffice (the simulator) through them, both
 * driven by this one table, and backofficeOpenApi() documents it.
 *
 * Customer routes take the session token from login as `Authorization:
 * Bearer <token>`; the screen-pop route (no customer present) takes the
 * agent side's shared key in AGENT_KEY_HEADER instead. Failures answer `{code, message, details}` with the status
 * of ERROR_STATUS.
 */
import { z } from 'zod';
import type { BackOfficeErrorCode } from '../backoffice-error.ts';
import type { BackOffice } from '../port.ts';
import * as S from './schemas.ts';

/** HTTP status per error code; the error body's `code` is what callers branch on. */
export const ERROR_STATUS: Readonly<Record<BackOfficeErrorCode, number>> = {
  'wrong-password': 401,
  'not-authenticated': 401,
  'card-lost': 403,
  'not-permitted': 403,
  'unknown-account': 404,
  'unknown-shareholder-account': 404,
  'unknown-code': 404,
  'unknown-fund': 404,
  'unknown-order': 404,
  'market-closed': 409,
  'insufficient-funds': 409,
  'insufficient-position': 409,
  'order-not-cancellable': 409,
  'price-outside-limit': 422,
  'bad-lot': 422,
  'account-locked': 423,
  'invalid-argument': 400,
  unavailable: 503,
};

/** Header carrying the shared key of the trusted agent side. */
export const AGENT_KEY_HEADER = 'x-hotline-agent-key';

export const ERROR_CODES = Object.keys(ERROR_STATUS) as BackOfficeErrorCode[];

export type HttpMethod = 'GET' | 'POST';

/** What travels for one call: path parameters, query string, JSON body, bearer token. */
export interface WireRequest {
  token?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

export interface RouteSpec {
  readonly op: keyof BackOffice;
  readonly method: HttpMethod;
  /** Fastify-style path, `:name` for a parameter. */
  readonly path: string;
  readonly summary: string;
  /** Needs the bearer session token. */
  readonly auth: boolean;
  /** Trusted agent side (screen pop): needs the agent key header when the server has one. */
  readonly trusted?: boolean;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** null: 204 No Content. */
  readonly response: z.ZodType | null;
  /** Client side: port arguments to the wire. */
  encode(...args: unknown[]): WireRequest;
  /** Server side: the validated wire request to a port call. */
  invoke(bo: BackOffice, req: Required<Pick<WireRequest, 'token'>> & { params: Record<string, string>; query: Record<string, string | undefined>; body: unknown }): Promise<unknown>;
}

type Args<K extends keyof BackOffice> = Parameters<BackOffice[K]>;
type Decoded = Parameters<RouteSpec['invoke']>[1];

function route<K extends keyof BackOffice>(
  op: K,
  spec: Omit<RouteSpec, 'op' | 'encode' | 'invoke'>,
  encode: (...args: Args<K>) => WireRequest,
  invoke: (bo: BackOffice, req: Decoded) => ReturnType<BackOffice[K]>,
): RouteSpec {
  return { op, ...spec, encode: encode as (...args: unknown[]) => WireRequest, invoke };
}

const str = (name: string) => z.object({ [name]: z.string().min(1) });
const range = z.object({ from: S.yyyymmdd, to: S.yyyymmdd });
const q = (r: Decoded, k: string) => r.query[k] ?? '';
const p = (r: Decoded, k: string) => r.params[k] ?? '';
const b = <T>(r: Decoded) => r.body as T;

export const ROUTES: readonly RouteSpec[] = [
  route('loginWithFundAccount', {
    method: 'POST', path: '/v1/auth/fund-account', summary: 'Securities or fund login by fund account and trading password', auth: false,
    body: z.object({ kind: z.enum(['securities', 'fund']), fundAccount: z.string(), password: z.string() }).meta({ id: 'FundAccountLogin' }),
    response: S.Session,
  }, (kind, fundAccount, password) => ({ body: { kind, fundAccount, password } }),
  (bo, r) => { const x = b<{ kind: 'securities' | 'fund'; fundAccount: string; password: string }>(r); return bo.loginWithFundAccount(x.kind, x.fundAccount, x.password); }),
  route('loginWithCard', {
    method: 'POST', path: '/v1/auth/card', summary: 'Bank login by card number and PIN', auth: false,
    body: z.object({ cardNumber: z.string(), pin: z.string() }).meta({ id: 'CardLogin' }), response: S.Session,
  }, (cardNumber, pin) => ({ body: { cardNumber, pin } }),
  (bo, r) => { const x = b<{ cardNumber: string; pin: string }>(r); return bo.loginWithCard(x.cardNumber, x.pin); }),
  route('logout', { method: 'POST', path: '/v1/auth/logout', summary: 'End the session', auth: true, response: null },
    (token) => ({ token }), (bo, r) => bo.logout(r.token)),
  route('getProfile', { method: 'GET', path: '/v1/profile', summary: "The session's customer profile (CRM-1)", auth: true, response: S.CustomerProfile },
    (token) => ({ token }), (bo, r) => bo.getProfile(r.token)),
  route('findCustomerByAccount', {
    method: 'GET', path: '/v1/customers/by-account/:account', auth: false, trusted: true, params: str('account'), response: S.CustomerProfile,
    summary: 'Screen pop: profile behind a fund account or card number (trusted agent side, CRM-1)',
  }, (account) => ({ params: { account } }), (bo, r) => bo.findCustomerByAccount(p(r, 'account'))),
  route('getCustomerOverview', {
    method: 'GET', path: '/v1/customers/by-account/:account/overview', auth: false, trusted: true, params: str('account'), response: S.CustomerOverview,
    summary: 'Screen pop: profile, customer class, account and card status behind a fund account or card number (trusted agent side, CRM-1, CTI-6)',
  }, (account) => ({ params: { account } }), (bo, r) => bo.getCustomerOverview(p(r, 'account'))),
  route('listShareholderAccounts', {
    method: 'GET', path: '/v1/securities/shareholder-accounts', summary: 'Shareholder accounts, first ten numbered', auth: true, response: z.array(S.ShareholderAccount),
  }, (token) => ({ token }), (bo, r) => bo.listShareholderAccounts(r.token)),
  route('getBalance', { method: 'GET', path: '/v1/securities/balance', summary: 'Cash and assets', auth: true, response: S.Balance },
    (token) => ({ token }), (bo, r) => bo.getBalance(r.token)),
  route('getPositions', {
    method: 'GET', path: '/v1/securities/positions', summary: 'Positions of all shareholder accounts or one', auth: true,
    query: z.object({ shareholderAccount: z.string().optional() }), response: z.array(S.Position),
  }, (token, shareholderAccount) => ({ token, query: shareholderAccount === undefined ? {} : { shareholderAccount: shareholderAccount } as Record<string, string> }),
  (bo, r) => bo.getPositions(r.token, r.query['shareholderAccount'])),
  route('getQuote', { method: 'GET', path: '/v1/quotes/:code', summary: 'Quote by stock code (public)', auth: false, params: str('code'), response: S.Quote },
    (code) => ({ params: { code } }), (bo, r) => bo.getQuote(p(r, 'code'))),
  route('placeOrder', { method: 'POST', path: '/v1/securities/orders', summary: 'Place a limit order', auth: true, body: S.OrderRequest, response: S.Order },
    (token, order) => ({ token, body: order }), (bo, r) => bo.placeOrder(r.token, b(r))),
  route('listOrders', { method: 'GET', path: '/v1/securities/orders', summary: "Today's orders, newest first", auth: true, response: z.array(S.Order) },
    (token) => ({ token }), (bo, r) => bo.listOrders(r.token)),
  route('getOrder', { method: 'GET', path: '/v1/securities/orders/:orderId', summary: 'One order', auth: true, params: str('orderId'), response: S.Order },
    (token, orderId) => ({ token, params: { orderId } }), (bo, r) => bo.getOrder(r.token, p(r, 'orderId'))),
  route('cancelOrder', {
    method: 'POST', path: '/v1/securities/orders/:orderId/cancel', summary: 'Cancel an open order', auth: true, params: str('orderId'), response: S.Order,
  }, (token, orderId) => ({ token, params: { orderId } }), (bo, r) => bo.cancelOrder(r.token, p(r, 'orderId'))),
  route('transferBankSecurities', {
    method: 'POST', path: '/v1/securities/bank-transfers', summary: 'Bank-securities transfer', auth: true,
    body: S.BankSecuritiesTransferRequest, response: S.TransferReceipt,
  }, (token, request) => ({ token, body: request }), (bo, r) => bo.transferBankSecurities(r.token, b(r))),
  route('getStatement', {
    method: 'GET', path: '/v1/securities/statement', summary: 'Cash statement, oldest first, both ends inclusive', auth: true,
    query: range, response: z.array(S.StatementEntry),
  }, (token, rg) => ({ token, query: { from: rg.from, to: rg.to } }), (bo, r) => bo.getStatement(r.token, { from: q(r, 'from'), to: q(r, 'to') })),
  route('getFundNav', { method: 'GET', path: '/v1/funds/:fundCode/nav', summary: 'Latest NAV (public, SEC-8)', auth: false, params: str('fundCode'), response: S.FundNav },
    (fundCode) => ({ params: { fundCode } }), (bo, r) => bo.getFundNav(p(r, 'fundCode'))),
  route('listFundHoldings', { method: 'GET', path: '/v1/fund-account/holdings', summary: 'Fund holdings', auth: true, response: z.array(S.FundHolding) },
    (token) => ({ token }), (bo, r) => bo.listFundHoldings(r.token)),
  route('listFundRequests', {
    method: 'GET', path: '/v1/fund-account/requests', summary: 'Purchases and redemptions, newest first', auth: true, response: z.array(S.FundRequest),
  }, (token) => ({ token }), (bo, r) => bo.listFundRequests(r.token)),
  route('purchaseFund', {
    method: 'POST', path: '/v1/fund-account/purchases', summary: 'Purchase a fund by amount', auth: true,
    body: z.object({ fundCode: z.string(), amount: S.fen }).meta({ id: 'FundPurchase' }), response: S.FundRequest,
  }, (token, fundCode, amount) => ({ token, body: { fundCode, amount } }),
  (bo, r) => { const x = b<{ fundCode: string; amount: number }>(r); return bo.purchaseFund(r.token, x.fundCode, x.amount); }),
  route('redeemFund', {
    method: 'POST', path: '/v1/fund-account/redemptions', summary: 'Redeem fund units (hundredths)', auth: true,
    body: z.object({ fundCode: z.string(), units: z.number().int() }).meta({ id: 'FundRedemption' }), response: S.FundRequest,
  }, (token, fundCode, units) => ({ token, body: { fundCode, units } }),
  (bo, r) => { const x = b<{ fundCode: string; units: number }>(r); return bo.redeemFund(r.token, x.fundCode, x.units); }),
  route('listBankAccounts', { method: 'GET', path: '/v1/bank/accounts', summary: 'Own accounts under the card (SEC-7)', auth: true, response: z.array(S.BankAccount) },
    (token) => ({ token }), (bo, r) => bo.listBankAccounts(r.token)),
  route('getBankTransactions', {
    method: 'GET', path: '/v1/bank/transactions', summary: 'Transactions, oldest first, both ends inclusive', auth: true,
    query: range.extend({ accountId: z.string().optional() }), response: z.array(S.BankTransaction),
  }, (token, rg, accountId) => ({ token, query: { from: rg.from, to: rg.to, ...(accountId === undefined ? {} : { accountId }) } }),
  (bo, r) => bo.getBankTransactions(r.token, { from: q(r, 'from'), to: q(r, 'to') }, r.query['accountId'])),
  route('reportCardLoss', { method: 'POST', path: '/v1/bank/card-loss', summary: "Report the session's card lost", auth: true, response: S.CardLossReceipt },
    (token) => ({ token }), (bo, r) => bo.reportCardLoss(r.token)),
  route('changePin', {
    method: 'POST', path: '/v1/bank/pin', summary: 'Change the card PIN', auth: true,
    body: z.object({ oldPin: z.string(), newPin: z.string() }).meta({ id: 'PinChange' }), response: null,
  }, (token, oldPin, newPin) => ({ token, body: { oldPin, newPin } }),
  (bo, r) => { const x = b<{ oldPin: string; newPin: string }>(r); return bo.changePin(r.token, x.oldPin, x.newPin); }),
  route('transferBetweenOwnAccounts', {
    method: 'POST', path: '/v1/bank/transfers', summary: 'Transfer between own accounts', auth: true, body: S.OwnTransferRequest, response: S.BankTransaction,
  }, (token, request) => ({ token, body: request }), (bo, r) => bo.transferBetweenOwnAccounts(r.token, b(r))),
  route('payBill', { method: 'POST', path: '/v1/bank/bill-payments', summary: 'Pay a utility bill', auth: true, body: S.BillPaymentRequest, response: S.BankTransaction },
    (token, request) => ({ token, body: request }), (bo, r) => bo.payBill(r.token, b(r))),
];

export function routeFor(op: keyof BackOffice): RouteSpec {
  const r = ROUTES.find((x) => x.op === op);
  if (!r) throw new Error(`no route for ${op}`);
  return r;
}

/** `/v1/quotes/:code` with {code: '600000'} → `/v1/quotes/600000`. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, k: string) => encodeURIComponent(params[k] ?? ''));
}
