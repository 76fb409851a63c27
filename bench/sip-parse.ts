/**
 * SIP parser benchmark (issue 2, TEL-1): parse + serialize rate for a
 * typical INVITE with SDP and a typical REGISTER with Authorization, side by
 * side with JsSIP's parser in the same process.
 *
 * Conditions: single thread; warm-up, then ROUNDS rounds of ITERATIONS
 * messages per case, median round reported. Ours: Buffer in (as a UDP/TCP
 * transport hands it), SipMessage out, full header validation on
 * (Via/From/To/Contact/Route/CSeq/Call-ID...), then serializeMessage back to
 * a Buffer. JsSIP: Parser.parseMessage(string, ua) on a ready-made string
 * (as its WebSocket transport hands it); JsSIP has no serializer for incoming
 * messages (IncomingMessage.toString() returns the received text), so its
 * figure is parse-only. The headline ratio compares parse-only with
 * parse-only. Progress goes to stderr; the last stdout line is one JSON object.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseMessage, serializeMessage } from '../src/protocol/sip/index.ts';

const require = createRequire(import.meta.url);

interface JsSipParser {
  parseMessage(data: string, ua: unknown): unknown;
}

const crlf = (lines: string[]): string => lines.join('\r\n');

const SDP = crlf([
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendrecv',
  '',
]);

export const INVITE = crlf([
  'INVITE sip:95000@pbx.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: <sip:95000@pbx.example.com>',
  'From: "Alice Caller" <sip:13800138000@carrier.example.net>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.carrier.example.net',
  'CSeq: 314159 INVITE',
  'Contact: <sip:13800138000@192.0.2.101:5060;transport=udp>',
  'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE',
  'Supported: replaces, timer',
  'User-Agent: ExampleGateway/4.2',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(SDP)}`,
  '',
  SDP,
]);

export const REGISTER = crlf([
  'REGISTER sip:pbx.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.55:5062;branch=z9hG4bK-524287-1---4b1ab3b2f4f2;rport',
  'Max-Forwards: 70',
  'Contact: <sip:8001@192.0.2.55:5062;rinstance=d6dc9a3a5c0e8a1b;transport=UDP>;expires=3600',
  'To: <sip:8001@pbx.example.com>',
  'From: "Agent 8001" <sip:8001@pbx.example.com>;tag=47a9c3f1',
  'Call-ID: ZDk3NzI1NzQ4ZTBmNmQ5ZjM0ZDI2OWZkNGQ5NWYyMDE',
  'CSeq: 2 REGISTER',
  'Expires: 3600',
  'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE',
  'User-Agent: Softphone 5.1',
  'Authorization: Digest username="8001",realm="pbx.example.com",nonce="5f8c2e1a9b7d4c3e2f1a0b9c8d7e6f5a",uri="sip:pbx.example.com",response="0c2b1d5e8f3a4b6c7d9e0f1a2b3c4d5e",cnonce="e9a4c2b1",nc=00000001,qop=auth,algorithm=MD5',
  'Allow-Events: presence, kpml, talk',
  'Content-Length: 0',
  '',
  '',
]);

const WARMUP = 20_000;
const ITERATIONS = 50_000;
const ROUNDS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Messages per second, median of ROUNDS rounds. */
function rate(name: string, fn: () => void): number {
  for (let i = 0; i < WARMUP; i++) fn();
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) fn();
    const ns = Number(process.hrtime.bigint() - t0);
    rates.push((ITERATIONS * 1e9) / ns);
  }
  const m = Math.round(median(rates));
  process.stderr.write(`${name.padEnd(34)} ${m.toLocaleString('en-US').padStart(10)} msg/s (rounds: ${rates.map((x) => Math.round(x)).join(', ')})\n`);
  return m;
}

export async function runParseBench(): Promise<Record<string, string | number>> {
  const jssip = require('jssip/lib/Parser.js') as JsSipParser;
  const ua = {};
  let sink = 0;
  const cases = { invite: INVITE, register: REGISTER };
  const out: Record<string, number> = {};
  for (const [name, text] of Object.entries(cases)) {
    const buf = Buffer.from(text);
    // sanity: both parsers accept the message
    if (jssip.parseMessage(text, ua) === undefined) throw new Error(`JsSIP rejects the ${name} sample`);
    parseMessage(buf, { stream: false });
    out[`${name}_rt`] = rate(`ours ${name} parse+serialize`, () => {
      sink += serializeMessage(parseMessage(buf, { stream: false })).length;
    });
    out[`${name}_parse`] = rate(`ours ${name} parse`, () => {
      sink += parseMessage(buf, { stream: false }).headers.count('Via');
    });
    out[`jssip_${name}`] = rate(`jssip ${name} parse`, () => {
      const m = jssip.parseMessage(text, ua) as { toString(): string } | undefined;
      sink += m ? 1 : 0;
    });
  }
  const ratio = Math.sqrt((out.invite_parse! / out.jssip_invite!) * (out.register_parse! / out.jssip_register!));
  if (sink === 0) throw new Error('benchmark optimised away');
  return {
    bench: 'sip-parse',
    invite_per_s: out.invite_rt!,
    register_per_s: out.register_rt!,
    jssip_invite_per_s: out.jssip_invite!,
    jssip_register_per_s: out.jssip_register!,
    parse_ratio_vs_jssip: Math.round(ratio * 100) / 100,
    invite_parse_only_per_s: out.invite_parse!,
    register_parse_only_per_s: out.register_parse!,
    node: process.version,
    iterations: ITERATIONS,
    rounds: ROUNDS,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runParseBench();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
