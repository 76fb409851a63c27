/**
 * Header names: compact forms (RFC 3261 section 7.3.3 and later RFCs) and
 * canonical capitalisation, so that lookups are case-insensitive and a
 * message serialises with the usual spelling.
 */
const COMPACT: Record<string, string> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

const SPECIAL: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'rack': 'RAck',
  'rseq': 'RSeq',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
  'p-asserted-identity': 'P-Asserted-Identity',
  'p-preferred-identity': 'P-Preferred-Identity',
};

const cache = new Map<string, string>();

/** Canonical long form of a header name: `v` -> `Via`, `CALL-id` -> `Call-ID`. */
export function canonicalHeaderName(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const lower = name.toLowerCase();
  let out: string;
  if (lower.length === 1 && COMPACT[lower]) out = COMPACT[lower]!;
  else if (SPECIAL[lower]) out = SPECIAL[lower]!;
  else out = lower.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
  if (cache.size < 4096) cache.set(name, out);
  return out;
}

/** Compact form of a long header name, if it has one. */
export function compactHeaderName(name: string): string | undefined {
  const canonical = canonicalHeaderName(name);
  for (const [k, v] of Object.entries(COMPACT)) if (v === canonical) return k;
  return undefined;
}
