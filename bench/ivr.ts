/**
 * IVR benchmark (issue 6): N concurrent VoiceXML sessions running the demo
 * fund hotline (src/ivr/demo: main menu, login by fund account + trading
 * password with SRGS DTMF grammars, a balance computed by script, transfer
 * to an agent) on the scripted channel, documents read from file: URLs
 * through the real fetcher (a stat per fetch, IVR-2 reload check).
 *
 * Sessions start over --ramp-ms and every scripted caller waits a real
 * think time (uniform in --think-ms) before each key burst, so all sessions
 * are alive at once. Step latency = time from a key burst delivered to the
 * interpreter until its next request to the caller (a prompt to play, the
 * next key collection, a transfer or the end of the call): the
 * interpreter's own work for that step, including grammar matching, script
 * and document fetches.
 *
 * A bridged transfer to an agent holds the session for --talk-ms.
 *
 *   node bin/run-ts.js bench/ivr.ts [--sessions 1000] [--ramp-ms 5000] [--think-ms 2000-4000] [--talk-ms 5000] [--docs file|memory] [--seed 1]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ScriptedChannel } from '../src/ivr/channel/scripted-channel.ts';
import type { KeyEvent, PromptSegment, RecordRequest, RecordResult, TransferPort, TransferRequest, TransferResult, VoiceChannel } from '../src/ivr/channel/voice-channel.ts';
import { demoCallerScript, type DemoCallKind } from '../src/ivr/demo/demo-callers.ts';
import { FetchError, type ResourceFetcher } from '../src/ivr/fetch/resource-fetcher.ts';
import { IvrRunner } from '../src/ivr/ivr-runner.ts';
import type { Logger } from '../src/shared/logger.ts';

const log = (s: string): void => void process.stderr.write(`${s}\n`);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const DOCS = arg('docs', 'file');
const SESSIONS = Number(arg('sessions', '1000'));
const RAMP_MS = Number(arg('ramp-ms', '5000'));
const [THINK_MIN, THINK_MAX] = arg('think-ms', '2000-4000').split('-').map(Number) as [number, number];
const TALK_MS = Number(arg('talk-ms', '5000'));
let seed = Number(arg('seed', '1')) >>> 0 || 1;
const rand = (): number => {
  // xorshift32: reproducible think times and call mix
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};

const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (o, m) => log(`warn ${m ?? ''} ${JSON.stringify(o)}`),
  error: (o, m) => log(`error ${m ?? ''} ${JSON.stringify(o)}`),
  child: () => quietLogger,
};

/** Step latencies in ms, all sessions. */
const latencies: number[] = [];
const startLatencies: number[] = [];
const slow: string[] = [];

/**
 * The scripted caller with a human pace: it thinks before each key burst
 * (a real timer), and times the interpreter from each delivered burst to
 * its next request.
 */
class PacedCaller implements VoiceChannel, TransferPort {
  private deliveredAt: number | undefined;
  private readonly startedAt = performance.now();
  private started = false;

  constructor(private readonly inner: ScriptedChannel) {}

  get transfers(): TransferPort {
    return this;
  }

  private lastKeys = '';
  private mark(what = ''): void {
    const now = performance.now();
    if (this.deliveredAt !== undefined && now - this.deliveredAt > 20) slow.push(`${(now - this.deliveredAt).toFixed(1)}ms after ${this.lastKeys} -> ${what}`);
    if (!this.started) {
      this.started = true;
      startLatencies.push(now - this.startedAt);
    }
    if (this.deliveredAt !== undefined) latencies.push(now - this.deliveredAt);
    this.deliveredAt = undefined;
  }

  /** The call ended: the step that ended it is timed too. */
  end(): void {
    this.mark();
  }

  play(prompts: readonly PromptSegment[], options: { readonly bargein: boolean }): Promise<'played' | 'hangup'> {
    this.mark('play ' + JSON.stringify(prompts).slice(0, 60));
    return this.inner.play(prompts);
  }

  async waitKey(timeoutMs: number, phase: 'first' | 'next'): Promise<KeyEvent> {
    if (phase === 'next') return this.inner.waitKey(timeoutMs, phase);
    this.mark();
    await new Promise((r) => setTimeout(r, THINK_MIN + rand() * (THINK_MAX - THINK_MIN)));
    const ev = await this.inner.waitKey(timeoutMs, phase);
    this.deliveredAt = performance.now();
    this.lastKeys = ev.kind === 'key' ? ev.key : ev.kind;
    return ev;
  }

  record(req: RecordRequest): Promise<RecordResult> {
    this.mark();
    return this.inner.record(req);
  }

  async transfer(req: TransferRequest): Promise<TransferResult> {
    this.mark();
    // A bridged call to an agent: the session stays alive while they talk.
    await new Promise((r) => setTimeout(r, TALK_MS));
    return this.inner.transfer(req);
  }

  disconnect(): Promise<void> {
    this.mark();
    return this.inner.disconnect();
  }
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mb = (b: number): string => (b / 1024 / 1024).toFixed(1);

const MAIN = pathToFileURL(fileURLToPath(new URL('../src/ivr/demo/main.vxml', import.meta.url))).href;
const KINDS: DemoCallKind[] = ['balance-then-agent', 'balance-then-agent', 'wrong-password-then-balance', 'prices-then-agent', 'star-to-agent'];

async function memoryFetcher(): Promise<ResourceFetcher> {
  const docs = new Map<string, string>();
  for (const f of ['main.vxml', 'root.vxml', 'agent.vxml']) {
    const url = new URL(f, MAIN).href;
    docs.set(url, await readFile(fileURLToPath(url), 'utf8'));
  }
  return {
    async fetch(req) {
      const text = docs.get(req.url);
      if (text === undefined) throw new FetchError('not-found', `${req.url}: 404`);
      return { url: req.url, text, version: 'v1' };
    },
  };
}

async function main(): Promise<void> {
  let stepEvents = 0;
  // --docs memory: documents served from memory (no stat per fetch), to separate interpreter cost from file I/O.
  const fetcher: ResourceFetcher | undefined = DOCS === 'memory' ? await memoryFetcher() : undefined;
  const runner = new IvrRunner({ logger: quietLogger, steps: () => void stepEvents++, fetcher });

  // Warm-up: load the WASM module, parse and cache the documents, JIT the hot paths.
  for (const k of KINDS) await runner.run(MAIN, new ScriptedChannel(demoCallerScript(k, '10000001')));
  latencies.length = 0;
  startLatencies.length = 0;
  globalThis.gc?.();
  const base = process.memoryUsage();
  log(`ivr bench: documents from ${DOCS}, ${SESSIONS} sessions over ${RAMP_MS} ms, think ${THINK_MIN}-${THINK_MAX} ms, agent talk ${TALK_MS} ms; baseline rss ${mb(base.rss)} MB`);

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let live = 0;
  let peakLive = 0;
  let done = 0;
  let failed = 0;
  let peakRss = base.rss;
  let rssAtPeakLive = base.rss;
  const failures = new Map<string, number>();
  const t0 = performance.now();
  // Process CPU (all threads) over the measured run only, excluding start-up and warm-up.
  const cpu0 = process.cpuUsage();

  const progress = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    if (live >= peakLive) rssAtPeakLive = Math.max(rssAtPeakLive, m.rss);
    log(
      `t=${((performance.now() - t0) / 1000).toFixed(1)}s live=${live} done=${done} failed=${failed} steps=${latencies.length} ` +
        `p50=${pct(latencies, 50).toFixed(2)}ms p99=${pct(latencies, 99).toFixed(2)}ms rss=${mb(m.rss)}MB`,
    );
  }, 1000);

  const calls: Promise<void>[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const kind = KINDS[Math.floor(rand() * KINDS.length)]!;
    const account = String(20_000_000 + i);
    const startAt = (i * RAMP_MS) / SESSIONS;
    calls.push(
      new Promise<void>((r) => setTimeout(r, startAt)).then(async () => {
        live++;
        peakLive = Math.max(peakLive, live);
        const inner = new ScriptedChannel(demoCallerScript(kind, account));
        const caller = new PacedCaller(inner);
        const out = await runner.run(MAIN, caller, `bench-${i}`);
        caller.end();
        live--;
        done++;
        const ok = out.kind === 'exit' && out.value === 'agent far_end_disconnect' && !inner.transcript.some((e) => e.kind === 'script-mismatch');
        if (!ok) {
          failed++;
          const key = JSON.stringify(out);
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      }),
    );
  }
  await Promise.all(calls);
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerCall = (cpu.user + cpu.system) / 1000 / Math.max(1, done);
  clearInterval(progress);
  loop.disable();
  const wall = (performance.now() - t0) / 1000;
  const perSessionKb = ((rssAtPeakLive - base.rss) / Math.max(1, peakLive)) / 1024;
  for (const x of slow.slice(0, 10)) log(`slow step: ${x}`);
  for (const [k, n] of failures) log(`failed x${n}: ${k}`);
  log(
    `done: ${done} calls in ${wall.toFixed(1)} s, peak ${peakLive} live, ${latencies.length} steps (${stepEvents} step events); ` +
      `step latency p50 ${pct(latencies, 50).toFixed(2)} ms p99 ${pct(latencies, 99).toFixed(2)} ms max ${pct(latencies, 100).toFixed(2)} ms; ` +
      `session start p50 ${pct(startLatencies, 50).toFixed(2)} ms p99 ${pct(startLatencies, 99).toFixed(2)} ms; ` +
      `event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms; CPU ${cpuMsPerCall.toFixed(2)} ms/call; rss ${mb(base.rss)} -> ${mb(rssAtPeakLive)} MB at peak live (${perSessionKb.toFixed(0)} KB/session), peak rss ${mb(peakRss)} MB`,
  );
  console.log(
    JSON.stringify({
      bench: 'ivr',
      sessions: peakLive,
      step_p99_ms: Number(pct(latencies, 99).toFixed(3)),
      calls: done,
      failed,
      steps: latencies.length,
      step_p50_ms: Number(pct(latencies, 50).toFixed(3)),
      start_p99_ms: Number(pct(startLatencies, 99).toFixed(3)),
      kb_per_session: Math.round(perSessionKb),
      cpu_ms_per_call: Number(cpuMsPerCall.toFixed(3)),
    }),
  );
}

await main();
