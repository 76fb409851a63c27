/**
 * bench:transit (issue 3, TEL-3): the one-way time Hotline adds to a real
 * phone's audio, tap to tap. Two baresip phones (Debian) register to a
 * `hotline start` in a network namespace of their own; 8001 calls 8002
 * (a recorded two-party bridge, as every call is; MD5 digest, which
 * baresip needs). 8001's microphone is a
 * WAV of 60 ms 1 kHz bursts every 300 ms (aufile); 8002's a 400 Hz sine.
 * tcpdump on the namespace's loopback (both addresses are local to it, so
 * every datagram crosses `lo`) timestamps each RTP datagram. For each burst
 * the bench finds its first sample in the datagram 8001 sent and in the
 * one Hotline sent to 8002, and takes the difference of their times (the
 * capture time of each datagram plus the sample's place in it): what the
 * engine's jitter buffer, 20 ms clock, mixing, recording and paced sender
 * add, with the phones' own timing, not the bench's phones of bench:media.
 *
 *   node bin/run-ts.js bench/transit-phones.ts [--seconds 20] [--send-ahead auto|0-3]
 *
 * Needs root (a namespace), baresip and tcpdump. Progress on stderr; the
 * last stdout line is one JSON object.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { g711Decode } from '../src/media/codec/g711.ts';
import { wavHeader } from '../src/media/wav/wav-format.ts';
import { readPcapUdp, type UdpDatagram } from '../test/audio/pcap-reader.ts';
import { removePhoneDir, startPhone, type Phone } from '../test/support/baresip-phone.ts';
import { nsApi, sleep } from '../test/support/call-audio.ts';
import { createNetns, netnsUnavailable, type Netns } from '../test/support/netns.ts';
import { startHotline, type HotlineProcess } from '../test/support/server.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, 'send-ahead': { type: 'string' } } });
const SECONDS = Number(values.seconds);
const SEND_AHEAD = values['send-ahead'];
const RATE = 8000;
const PERIOD_MS = 300;
const BURST_MS = 60;
const AMPLITUDE = 10_000;
/** A sample at least this loud starts a burst (the 1 kHz burst peaks at AMPLITUDE; PCMU silence decodes to 0). */
const ONSET = 2_000;

const say = (s: string) => process.stderr.write(`bench:transit: ${s}\n`);

/** 16-bit mono PCM WAV: a 1 kHz burst of BURST_MS every PERIOD_MS, silence between. */
function burstWav(path: string, seconds: number): void {
  const n = seconds * RATE;
  const pcm = Buffer.alloc(n * 2);
  const period = (PERIOD_MS * RATE) / 1000;
  const burst = (BURST_MS * RATE) / 1000;
  for (let i = 0; i < n; i++) {
    const k = i % period;
    const v = k < burst ? Math.round(AMPLITUDE * Math.sin((2 * Math.PI * 1000 * k) / RATE + Math.PI / 2)) : 0;
    pcm.writeInt16LE(v, i * 2);
  }
  writeFileSync(path, Buffer.concat([wavHeader(1, RATE, pcm.length), pcm]));
}

/**
 * Bursts in one RTP flow (PCMU): the first loud sample after at least 100 ms
 * of quiet, as a time (ms): its datagram's capture time, less the frame,
 * plus the sample's place in it.
 */
function onsets(flow: UdpDatagram[]): number[] {
  const out: number[] = [];
  let quietSince = Number.NEGATIVE_INFINITY;
  let inBurst = false;
  for (const d of flow) {
    if (d.payload.length < 12 + 160 || (d.payload[1]! & 0x7f) !== 0) continue;
    const pcm = g711Decode('PCMU', d.payload.subarray(12, 12 + 160));
    const t = d.timeUs / 1000;
    const i = pcm.findIndex((x) => Math.abs(x) >= ONSET);
    if (i < 0) {
      if (inBurst) quietSince = t;
      inBurst = false;
      continue;
    }
    if (!inBurst && t - quietSince >= 100) out.push(t - 20 + i / 8);
    inBurst = true;
  }
  return out;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const why = netnsUnavailable();
  if (why) throw new Error(`bench:transit needs a network namespace: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-transit-'));
  const wav = join(dir, 'bursts.wav');
  burstWav(wav, SECONDS + 30);
  let ns: Netns | undefined;
  let server: HotlineProcess | undefined;
  const phones: Phone[] = [];
  try {
    ns = createNetns(96);
    say(`namespace ${ns.name}; starting hotline${SEND_AHEAD !== undefined ? ` with --media-send-ahead ${SEND_AHEAD}` : ' (defaults)'}`);
    server = await startHotline({ netns: ns, host: ns.serverAddress, args: ['--digest-algorithms', 'MD5', '--log-level', 'warn', '--record-calls', 'yes', ...(SEND_AHEAD !== undefined ? ['--media-send-ahead', SEND_AHEAD] : [])] });
    const srv = `${ns.serverAddress}:${server.sipPort}`;
    const caller = startPhone({ netns: ns, user: '8001', password: 'demo-8001', server: srv, listenPort: 5070, toneHz: 1000, sourceWav: wav });
    const callee = startPhone({ netns: ns, user: '8002', password: 'demo-8002', server: srv, listenPort: 5072, toneHz: 400, autoAnswer: true });
    phones.push(caller, callee);
    await caller.waitRegistered();
    await callee.waitRegistered();
    const pcap = join(dir, 'call.pcap');
    const dump = ns.spawn('tcpdump', ['-i', 'lo', '-U', '-s', '256', '-w', pcap, 'udp and not port 5060 and not port ' + server.sipPort]);
    let dumpErr = '';
    dump.stderr?.on('data', (d: Buffer) => (dumpErr += d.toString()));
    await sleep(1000);
    say('8001 calls 8002 (auto-answer); recorded, as every call');
    caller.command(`/dial sip:8002@${srv}`);
    await caller.waitFor(/Call established|call established/i, 15_000);
    for (let s = 0; s < SECONDS; s += 5) {
      await sleep(5000);
      say(`call ${Math.min(SECONDS, s + 5)}/${SECONDS} s`);
    }
    // each media worker's frames ahead, as the engine reports them during the call
    const st = nsApi(ns, server.httpUrl, server.adminToken)('GET', '/api/v1/system/stats').json as { media?: { sender?: { sendAhead: number } }[] } | undefined;
    const framesAhead = (st?.media ?? []).map((w) => w.sender?.sendAhead ?? 0);
    caller.command('/hangup');
    await sleep(500);
    dump.kill('SIGINT');
    await new Promise<void>((r) => (dump.exitCode !== null ? r() : dump.once('exit', () => r())));
    const datagrams = readPcapUdp(pcap);
    const flows = new Map<string, UdpDatagram[]>();
    for (const d of datagrams) {
      const key = `${d.srcAddr}:${d.srcPort}>${d.dstAddr}:${d.dstPort}`;
      let f = flows.get(key);
      if (!f) flows.set(key, (f = []));
      f.push(d);
    }
    // The flows with bursts: the caller's microphone (upstream) and what Hotline sent the callee
    // (downstream). Both addresses are the namespace's own, so the addresses do not tell them apart;
    // the upstream is the one whose bursts start first.
    const bursty = [...flows].map(([key, f]) => ({ key, f, on: onsets(f) })).filter((x) => x.f.length > 100 && x.on.length >= 3);
    bursty.sort((a, b) => a.on[0]! - b.on[0]!);
    const [up, down] = bursty;
    if (bursty.length !== 2 || !up || !down) throw new Error(`expected one bursty flow each way, found ${bursty.map((x) => `${x.key} (${x.f.length} datagrams, ${x.on.length} bursts)`).join(', ') || 'none'} among ${flows.size} flows; tcpdump: ${dumpErr.trim()}`);
    // pair each downstream onset with the latest upstream onset before it (bursts are PERIOD_MS apart)
    const ups = up.on;
    const delays: number[] = [];
    for (const o of down.on) {
      let best: number | undefined;
      for (const u of ups) if (u <= o && o - u < PERIOD_MS) best = u;
      if (best !== undefined) delays.push(o - best);
    }
    const sorted = [...delays].sort((a, b) => a - b);
    if (sorted.length === 0) throw new Error('no burst went through');
    const r1 = (x: number) => Math.round(x * 10) / 10;
    say(`${up.key}: ${up.on.length} bursts sent; ${down.key}: ${down.on.length} bursts heard, ${delays.length} paired`);
    // the caller's own send timing: the longest gap between its datagrams, and when (s into the call)
    const upFlow = up.f;
    let gapMs = 0;
    let gapAt = 0;
    for (let i = 1; i < upFlow.length; i++) {
      const g = (upFlow[i]!.timeUs - upFlow[i - 1]!.timeUs) / 1000;
      if (g > gapMs) [gapMs, gapAt] = [g, (upFlow[i]!.timeUs - upFlow[0]!.timeUs) / 1e6];
    }
    say(`the caller's longest gap between datagrams: ${Math.round(gapMs)} ms, ${gapAt.toFixed(1)} s into its stream`);
    say(`each burst in order (ms): ${delays.map((d) => Math.round(d)).join(' ')}`);
    say(`one-way transit through Hotline, tap to tap: p50 ${r1(pct(sorted, 50))} ms, p99 ${r1(pct(sorted, 99))} ms, min ${r1(sorted[0]!)} ms, max ${r1(sorted.at(-1)!)} ms`);
    process.stdout.write(`${JSON.stringify({ bench: 'transit', phones: 'baresip', send_ahead: SEND_AHEAD ?? 'default', frames_ahead: framesAhead, bursts: delays.length, caller_max_gap_ms: Math.round(gapMs), p50_ms: r1(pct(sorted, 50)), p99_ms: r1(pct(sorted, 99)), min_ms: r1(sorted[0]!), max_ms: r1(sorted.at(-1)!) })}\n`);
  } finally {
    for (const p of phones) {
      await p.stop();
      removePhoneDir(p);
    }
    await server?.stop();
    ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  say(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
