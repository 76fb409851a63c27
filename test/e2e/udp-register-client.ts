/**
 * A minimal SIP REGISTER client over UDP for defence tests: binds a chosen
 * local address (so a test can act as several sources on 127.0.0.0/8), sends
 * REGISTER, answers a 401 with an MD5 digest (RFC 2617/8760, qop=auth) and
 * reports the final status, or 'timeout' when the server stays silent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

export interface RegisterAttempt {
  server: { host: string; port: number };
  /** Local address to send from (e.g. 127.0.0.7). */
  from: string;
  /** The AOR's user (To and From). */
  user: string;
  /** Digest username (default: user); another user's name gives a 403. */
  authUser?: string;
  password: string;
  domain: string;
  /** Per request wait before giving up, ms (default 1500). */
  timeoutMs?: number;
}

/** Final status code of the REGISTER (after at most one challenge), or 'timeout'. */
export type RegisterOutcome = number | 'timeout';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`[\\s,]${name}\\s*=\\s*(?:"([^"]*)"|([^\\s,]+))`, 'i').exec(' ' + header);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The MD5 challenge among possibly several WWW-Authenticate headers. */
function md5Challenge(text: string): string | undefined {
  const head = text.split('\r\n\r\n')[0]!;
  const all = [...head.matchAll(/^WWW-Authenticate:\s*(.*)$/gim)].map((m) => m[1]!);
  return all.find((h) => /^Digest\s/i.test(h) && (param(h, 'algorithm') ?? 'MD5').toUpperCase() === 'MD5');
}

function waitResponse(sock: Socket, callId: string, cseq: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const onMessage = (buf: Buffer) => {
      const text = buf.toString('utf8');
      if (!text.startsWith('SIP/2.0 ') || !text.includes(callId)) return;
      if (!new RegExp(`^CSeq:\\s*${cseq}\\s+REGISTER`, 'im').test(text)) return;
      if (/^SIP\/2\.0 1\d\d /.test(text)) return;
      done(text);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const done = (t: string | undefined) => {
      clearTimeout(timer);
      sock.off('message', onMessage);
      resolve(t);
    };
    sock.on('message', onMessage);
  });
}

export async function registerOverUdp(a: RegisterAttempt): Promise<RegisterOutcome> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, a.from, () => resolve());
  });
  try {
    const local = sock.address();
    const callId = `${randomBytes(8).toString('hex')}@${a.from}`;
    const tag = randomBytes(4).toString('hex');
    const uri = `sip:${a.domain}`;
    const request = (cseq: number, authorization?: string) =>
      [
        `REGISTER ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
        'Max-Forwards: 70',
        `From: <sip:${a.user}@${a.domain}>;tag=${tag}`,
        `To: <sip:${a.user}@${a.domain}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${a.user}@${local.address}:${local.port}>`,
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        'Expires: 300',
        'User-Agent: hotline-e2e-udp-client',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    const exchange = async (cseq: number, authorization?: string) => {
      const answer = waitResponse(sock, callId, cseq, a.timeoutMs ?? 1500);
      sock.send(request(cseq, authorization), a.server.port, a.server.host);
      return answer;
    };
    const first = await exchange(1);
    if (first === undefined) return 'timeout';
    const status = Number(first.slice(8, 11));
    if (status !== 401) return status;
    const challenge = md5Challenge(first);
    if (!challenge) throw new Error(`401 without an MD5 challenge:\n${first}`);
    const realm = param(challenge, 'realm') ?? '';
    const nonce = param(challenge, 'nonce') ?? '';
    const opaque = param(challenge, 'opaque');
    const authUser = a.authUser ?? a.user;
    const cnonce = randomBytes(8).toString('hex');
    const nc = '00000001';
    const ha1 = md5(`${authUser}:${realm}:${a.password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    const auth =
      `Digest username="${authUser}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"` +
      (opaque !== undefined ? `, opaque="${opaque}"` : '');
    const second = await exchange(2, auth);
    return second === undefined ? 'timeout' : Number(second.slice(8, 11));
  } finally {
    sock.close();
  }
}
