/**
 * The trunk form's values and the API bodies made from them (ADM-1, ADM-2),
 * kept apart from the page so they can be tested without a browser.
 */

export interface AdminTrunk {
  id: string;
  host?: string;
  port?: number;
  transport?: 'udp' | 'tcp' | 'tls';
  registration?: { username: string; realm?: string; expiresSec?: number; state: string };
  inboundAddresses?: string[];
  dids: Record<string, string>;
  defaultEntryPoint?: string;
  origin: 'admin' | 'dial-plan';
}

export interface TrunkFormValues {
  id: string;
  host: string;
  port?: number | null;
  transport: 'udp' | 'tcp' | 'tls';
  register: boolean;
  username?: string;
  /** Empty when editing: keep the password in force. */
  password?: string;
  realm?: string;
  expiresSec?: number | null;
  /** Addresses separated by commas or spaces. */
  inboundAddresses?: string;
  /** One `DID = entry point` a line. */
  dids?: string;
  defaultEntryPoint?: string;
}

/** `DID = entry point` lines to a table; throws naming the first bad line. */
export function parseDids(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^([0-9*#+]+)\s*[=:\s]\s*([A-Za-z0-9_.-]+)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1}: "${line}" is not DID = entry point`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function formatDids(dids: Record<string, string>): string {
  return Object.entries(dids)
    .map(([d, ep]) => `${d} = ${ep}`)
    .join('\n');
}

const addresses = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter((a) => a !== '');

export function valuesOf(t: AdminTrunk): TrunkFormValues {
  return {
    id: t.id,
    host: t.host ?? '',
    port: t.port ?? null,
    transport: t.transport ?? 'udp',
    register: t.registration !== undefined,
    username: t.registration?.username ?? '',
    password: '',
    realm: t.registration?.realm ?? '',
    expiresSec: t.registration?.expiresSec ?? null,
    inboundAddresses: (t.inboundAddresses ?? []).join(', '),
    dids: formatDids(t.dids),
    defaultEntryPoint: t.defaultEntryPoint ?? '',
  };
}

function registrationOf(v: TrunkFormValues, creating: boolean): Record<string, unknown> | undefined {
  if (!v.register) return undefined;
  return {
    username: v.username ?? '',
    ...(v.password ? { password: v.password } : creating ? { password: '' } : {}),
    ...(v.realm ? { realm: v.realm } : {}),
    ...(v.expiresSec ? { expiresSec: v.expiresSec } : {}),
  };
}

/** POST /api/v1/admin/trunks body. */
export function createBody(v: TrunkFormValues): Record<string, unknown> {
  const inbound = addresses(v.inboundAddresses);
  const registration = registrationOf(v, true);
  return {
    id: v.id,
    host: v.host,
    ...(v.port ? { port: v.port } : {}),
    transport: v.transport,
    ...(registration ? { registration } : {}),
    ...(inbound.length ? { inboundAddresses: inbound } : {}),
    dids: parseDids(v.dids ?? ''),
    ...(v.defaultEntryPoint ? { defaultEntryPoint: v.defaultEntryPoint } : {}),
  };
}

/** PATCH /api/v1/admin/trunks/:id body: every field, null for what was cleared. */
export function changeBody(v: TrunkFormValues): Record<string, unknown> {
  const inbound = addresses(v.inboundAddresses);
  return {
    host: v.host,
    port: v.port ? v.port : null,
    transport: v.transport,
    registration: registrationOf(v, false) ?? null,
    inboundAddresses: inbound.length ? inbound : null,
    dids: parseDids(v.dids ?? ''),
    defaultEntryPoint: v.defaultEntryPoint ? v.defaultEntryPoint : null,
  };
}
