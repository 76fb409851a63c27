/**
 * HttpBackOffice: the BackOffice port over a broker's HTTP/JSON back office
 * (SEC-1), following contract.ts. Every method is one request with its own
 * timeout. Error bodies come back as the same BackOfficeError (code, message,
 * details); a network failure, a timeout, a non-contract error body or an
 * answer that fails the contract's schema is BackOfficeError 'unavailable',
 * so the IVR can say "service busy, try later" instead of crashing.
 */
import { BackOfficeError, type BackOfficeErrorCode, type BackOfficeErrorDetails } from '../backoffice-error.ts';
import type { BackOffice } from '../port.ts';
import { AGENT_KEY_HEADER, ERROR_STATUS, fillPath, routeFor, type RouteSpec } from './contract.ts';
import { ErrorBody } from './schemas.ts';

export interface HttpBackOfficeOptions {
  /** e.g. `https://backoffice.broker.example/` ; routes start with /v1. */
  readonly baseUrl: string;
  /** Per request, milliseconds; default 5000. */
  readonly timeoutMs?: number;
  /** Shared key sent on the trusted agent-side routes (screen pop) only. */
  readonly agentKey?: string;
  /** Extra headers on every request (an API key for the trusted agent side...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Injected for tests or a custom agent; default global fetch. */
  readonly fetch?: typeof fetch;
}

export class HttpBackOffice implements BackOffice {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: HttpBackOfficeOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.fetchFn = opts.fetch ?? fetch;
  }

  private async call(op: keyof BackOffice, args: unknown[]): Promise<unknown> {
    const r = routeFor(op);
    const wire = r.encode(...args);
    const qs = new URLSearchParams(wire.query ?? {}).toString();
    const url = `${this.base}${fillPath(r.path, wire.params)}${qs ? `?${qs}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers };
    if (wire.token !== undefined) headers['authorization'] = `Bearer ${wire.token}`;
    if (r.trusted && this.opts.agentKey !== undefined) headers[AGENT_KEY_HEADER] = this.opts.agentKey;
    if (wire.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, {
        method: r.method,
        headers,
        ...(wire.body !== undefined ? { body: JSON.stringify(wire.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new BackOfficeError('unavailable', timedOut
        ? `back office did not answer ${r.method} ${r.path} within ${this.timeoutMs} ms`
        : `back office unreachable for ${r.method} ${r.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) throw this.errorFrom(r, res.status, text);
    return this.decode(r, res.status, text);
  }

  private errorFrom(r: RouteSpec, status: number, text: string): BackOfficeError {
    const body = ErrorBody.safeParse(safeJson(text));
    if (body.success && body.data.code in ERROR_STATUS) {
      const d = body.data.details;
      const details: BackOfficeErrorDetails = {
        ...(d.attemptsLeft !== undefined ? { attemptsLeft: d.attemptsLeft } : {}),
        ...(d.limitDown !== undefined ? { limitDown: d.limitDown } : {}),
        ...(d.limitUp !== undefined ? { limitUp: d.limitUp } : {}),
        ...(d.available !== undefined ? { available: d.available } : {}),
      };
      return new BackOfficeError(body.data.code as BackOfficeErrorCode, body.data.message, details);
    }
    return new BackOfficeError('unavailable', `back office answered ${status} without a contract error body to ${r.method} ${r.path}`);
  }

  private decode(r: RouteSpec, status: number, text: string): unknown {
    if (r.response === null) return undefined;
    const parsed = r.response.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new BackOfficeError('unavailable', `back office answer to ${r.method} ${r.path} (${status}) breaks the contract: ${parsed.error.issues[0]?.message ?? 'bad JSON'}`);
    }
    return parsed.data;
  }

  private req<K extends keyof BackOffice>(op: K, ...args: Parameters<BackOffice[K]>): ReturnType<BackOffice[K]> {
    return this.call(op, args) as ReturnType<BackOffice[K]>;
  }

  loginWithFundAccount: BackOffice['loginWithFundAccount'] = (...a) => this.req('loginWithFundAccount', ...a);
  loginWithCard: BackOffice['loginWithCard'] = (...a) => this.req('loginWithCard', ...a);
  logout: BackOffice['logout'] = (...a) => this.req('logout', ...a);
  getProfile: BackOffice['getProfile'] = (...a) => this.req('getProfile', ...a);
  findCustomerByAccount: BackOffice['findCustomerByAccount'] = (...a) => this.req('findCustomerByAccount', ...a);
  getCustomerOverview: BackOffice['getCustomerOverview'] = (...a) => this.req('getCustomerOverview', ...a);
  listShareholderAccounts: BackOffice['listShareholderAccounts'] = (...a) => this.req('listShareholderAccounts', ...a);
  getBalance: BackOffice['getBalance'] = (...a) => this.req('getBalance', ...a);
  getPositions: BackOffice['getPositions'] = (...a) => this.req('getPositions', ...a);
  getQuote: BackOffice['getQuote'] = (...a) => this.req('getQuote', ...a);
  placeOrder: BackOffice['placeOrder'] = (...a) => this.req('placeOrder', ...a);
  getOrder: BackOffice['getOrder'] = (...a) => this.req('getOrder', ...a);
  listOrders: BackOffice['listOrders'] = (...a) => this.req('listOrders', ...a);
  cancelOrder: BackOffice['cancelOrder'] = (...a) => this.req('cancelOrder', ...a);
  transferBankSecurities: BackOffice['transferBankSecurities'] = (...a) => this.req('transferBankSecurities', ...a);
  getStatement: BackOffice['getStatement'] = (...a) => this.req('getStatement', ...a);
  getFundNav: BackOffice['getFundNav'] = (...a) => this.req('getFundNav', ...a);
  listFundHoldings: BackOffice['listFundHoldings'] = (...a) => this.req('listFundHoldings', ...a);
  listFundRequests: BackOffice['listFundRequests'] = (...a) => this.req('listFundRequests', ...a);
  purchaseFund: BackOffice['purchaseFund'] = (...a) => this.req('purchaseFund', ...a);
  redeemFund: BackOffice['redeemFund'] = (...a) => this.req('redeemFund', ...a);
  listBankAccounts: BackOffice['listBankAccounts'] = (...a) => this.req('listBankAccounts', ...a);
  getBankTransactions: BackOffice['getBankTransactions'] = (...a) => this.req('getBankTransactions', ...a);
  reportCardLoss: BackOffice['reportCardLoss'] = (...a) => this.req('reportCardLoss', ...a);
  changePin: BackOffice['changePin'] = (...a) => this.req('changePin', ...a);
  transferBetweenOwnAccounts: BackOffice['transferBetweenOwnAccounts'] = (...a) => this.req('transferBetweenOwnAccounts', ...a);
  payBill: BackOffice['payBill'] = (...a) => this.req('payBill', ...a);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
