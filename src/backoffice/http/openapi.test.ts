import { describe, expect, it } from 'vitest';
import type { BackOfficeErrorCode } from '../backoffice-error.ts';
import type { BackOffice } from '../port.ts';
import { SimulatedBackOffice } from '../simulator/simulated-back-office.ts';
import { FakeClock } from '../../shared/clock.ts';
import { IN_SESSION } from '../backoffice.conformance.ts';
import { ERROR_STATUS, ROUTES } from './contract.ts';
import { backofficeOpenApi } from './openapi.ts';
import { serveBackOffice } from './serve-backoffice.ts';

/** Every port method; the Record type makes the compiler refuse a missing one. */
const PORT_METHODS: Record<keyof BackOffice, true> = {
  loginWithFundAccount: true, loginWithCard: true, logout: true, getProfile: true, findCustomerByAccount: true, getCustomerOverview: true,
  listShareholderAccounts: true, getBalance: true, getPositions: true, getQuote: true, placeOrder: true, getOrder: true,
  listOrders: true, cancelOrder: true, transferBankSecurities: true, getStatement: true, getFundNav: true,
  listFundHoldings: true, listFundRequests: true, purchaseFund: true, redeemFund: true, listBankAccounts: true,
  getBankTransactions: true, reportCardLoss: true, changePin: true, transferBetweenOwnAccounts: true, payBill: true,
};

type Json = Record<string, unknown>;

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) refs(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!at || typeof at !== 'object' || !(key in at)) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

const ops = (doc: Json) => Object.entries(doc['paths'] as Record<string, Record<string, Json>>)
  .flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));

describe('back-office OpenAPI document (SEC-1)', () => {
  const doc = backofficeOpenApi();

  it('is OpenAPI 3.1 and survives a JSON round trip unchanged', () => {
    expect(doc['openapi']).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('has one operation per port method, each at its contract path and method', () => {
    const listed = ops(doc);
    expect(listed.map((o) => o.op['operationId']).sort()).toEqual(Object.keys(PORT_METHODS).sort());
    expect(ROUTES.length).toBe(Object.keys(PORT_METHODS).length);
    for (const r of ROUTES) {
      const o = listed.find((x) => x.op['operationId'] === r.op);
      expect(o?.path).toBe(r.path.replace(/:(\w+)/g, '{$1}'));
      expect(o?.method).toBe(r.method.toLowerCase());
      const pathParams = [...(o?.path ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = ((o?.op['parameters'] ?? []) as Json[]).filter((p) => p['in'] === 'path').map((p) => p['name']);
      expect(declared).toEqual(pathParams);
      expect(o?.op['security']).toEqual(r.auth ? [{ session: [] }] : r.trusted ? [{ agentKey: [] }] : undefined);
    }
  });

  it('resolves every $ref', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    for (const r of all) {
      const target = resolve(doc, r) as Json | undefined;
      expect(target, r).toBeDefined();
      expect(target?.['$ref'], `${r} must not point at a bare $ref`).toBeUndefined();
    }
    const schemas = Object.keys((doc['components'] as { schemas: Json }).schemas);
    for (const name of ['Session', 'Quote', 'Order', 'BankTransaction', 'FundRequest', 'BackOfficeError']) expect(schemas).toContain(name);
  });

  it('documents the error body and the status of every error code', () => {
    const err = (doc['components'] as { schemas: Record<string, Json> }).schemas['BackOfficeError'];
    expect(err?.['required']).toEqual(['code', 'message', 'details']);
    const codeEnum = ((err?.['properties'] as Json)['code'] as Json)['enum'] as string[];
    expect([...codeEnum].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
    const expected: [BackOfficeErrorCode, number][] = [
      ['wrong-password', 401], ['account-locked', 423], ['market-closed', 409], ['unknown-code', 404], ['invalid-argument', 400], ['unavailable', 503],
    ];
    for (const [code, status] of expected) expect(ERROR_STATUS[code]).toBe(status);
    for (const { op } of ops(doc)) {
      const responses = op['responses'] as Record<string, Json>;
      for (const status of new Set(Object.values(ERROR_STATUS))) {
        expect(refs(responses[String(status)])).toEqual(['#/components/schemas/BackOfficeError']);
      }
    }
  });

  it('the server publishes the same document at /v1/openapi.json', async () => {
    const app = await serveBackOffice(new SimulatedBackOffice(new FakeClock(IN_SESSION)));
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(doc);
    } finally {
      await app.close();
    }
  });
});
