/**
 * Pure helpers of bench:switch (issue 4): reading sipp's statistics file
 * (-trace_stat, semicolon-separated, one row a period), the stage plan
 * (rates, hold times), and the figures taken from the per-second samples
 * (CPU share, memory per call, leak check), and the tone sipp streams.
 */
import { g711Encode } from '../src/media/codec/g711.ts';

/**
 * `ms` of a sine at `hz`, -12 dBFS, as raw PCMU bytes: what sipp's
 * rtp_stream action sends (payload type 0, looped). A whole number of
 * cycles per loop keeps the loop seamless.
 */
export function toneUlaw(hz: number, ms: number): Uint8Array {
  const n = Math.round((ms * 8000) / 1000);
  const amp = 32767 * 10 ** (-12 / 20);
  const pcm = Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / 8000)));
  return g711Encode('PCMU', pcm);
}

/** The last row of a sipp -trace_stat CSV as numbers by column name (empty when there is no data row yet). */
export function lastSippStat(csv: string): Record<string, number> {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return {};
  const head = lines[0]!.split(';');
  const row = lines[lines.length - 1]!.split(';');
  const out: Record<string, number> = {};
  head.forEach((name, i) => {
    const n = Number(row[i]);
    if (name !== '' && Number.isFinite(n)) out[name] = n;
  });
  return out;
}

/** Counters bench:switch reads from a sipp stat row (cumulative ones end in (C)). */
export interface SippCounts {
  current: number;
  started: number;
  successful: number;
  failed: number;
  retransmissions: number;
  /** Failed calls by sipp's cause column (FailedTimeoutOnRecv, FailedUnexpectedMessage, ...), non-zero ones only. */
  failures: Record<string, number>;
}

export function sippCounts(stat: Record<string, number>): SippCounts {
  const failures: Record<string, number> = {};
  for (const [k, v] of Object.entries(stat)) {
    const m = /^(Failed\w+)\(C\)$/.exec(k);
    if (m && m[1] !== 'FailedCall' && v > 0) failures[m[1]!] = v;
  }
  return {
    failures,
    current: stat['CurrentCall'] ?? 0,
    started: (stat['OutgoingCall(C)'] ?? 0) + (stat['IncomingCall(C)'] ?? 0),
    successful: stat['SuccessfulCall(C)'] ?? 0,
    failed: stat['FailedCall(C)'] ?? 0,
    retransmissions: stat['Retransmissions(C)'] ?? 0,
  };
}

/**
 * sipp's -r / -rp pair for a rate that may be fractional (calls per second):
 * `rate` calls every `periodMs`, both integers, the rate kept within 1%.
 */
export function sippRate(cps: number): { rate: number; periodMs: number } {
  if (!(cps > 0)) throw new Error(`rate must be positive (got ${cps})`);
  for (const periodMs of [1000, 2000, 4000, 5000, 10_000]) {
    const rate = Math.round((cps * periodMs) / 1000);
    if (rate >= 1 && Math.abs(rate / (periodMs / 1000) - cps) <= cps * 0.01) return { rate, periodMs };
  }
  return { rate: Math.max(1, Math.round(cps * 10)), periodMs: 10_000 };
}

export interface Stage {
  name: string;
  /** Simultaneous calls aimed at (attempt rate x hold time). */
  concurrent: number;
  /** Call attempts per second. */
  cps: number;
  /** How long each answered call lasts before the caller hangs up, ms. */
  holdMs: number;
  calls: number;
  /** Rate ramp (sipp -rate_increase): from `start` calls/s up by `step` every `intervalSec` to `cps`. */
  ramp?: { start: number; step: number; intervalSec: number };
}

/**
 * The ramp: the design load (`design` simultaneous calls held `holdSec`,
 * for `designSec` seconds of attempts) and then the maximum stage
 * (`concurrent` calls at `cps` attempts a second: hold = concurrent / cps),
 * whose rate climbs in ten steps of one hold time each, so that the number
 * of calls up climbs in tenths of `concurrent` before it is sustained.
 */
export function planStages(o: { design: number; holdSec: number; designSec: number; concurrent: number; cps: number; calls: number }): Stage[] {
  const designCps = o.design / o.holdSec;
  return [
    { name: `design load ${o.design}`, concurrent: o.design, cps: designCps, holdMs: Math.round(o.holdSec * 1000), calls: Math.max(1, Math.round(designCps * o.designSec)) },
    {
      name: `maximum ${o.concurrent} at ${o.cps}/s`,
      concurrent: o.concurrent,
      cps: o.cps,
      holdMs: Math.round((o.concurrent / o.cps) * 1000),
      calls: o.calls,
      ramp: { start: Math.max(1, Math.round(o.cps / 10)), step: Math.max(1, Math.round(o.cps / 10)), intervalSec: Math.max(1, Math.round(o.concurrent / o.cps)) },
    },
  ];
}

/** Seconds a stage spends climbing to its full rate, and sending all its calls (sipp raises the rate by `step` after each interval). */
export function stageTiming(stage: Stage): { rampSec: number; sendSec: number } {
  const r = stage.ramp;
  if (r === undefined) return { rampSec: 0, sendSec: stage.calls / stage.cps };
  let rate = r.start;
  let t = 0;
  let sent = 0;
  while (rate < stage.cps && sent < stage.calls) {
    sent += rate * r.intervalSec;
    t += r.intervalSec;
    rate = Math.min(stage.cps, rate + r.step);
  }
  return { rampSec: t, sendSec: sent >= stage.calls ? t : t + (stage.calls - sent) / stage.cps };
}

/** One per-second reading of the Hotline process and the callers' sipp. */
export interface Sample {
  /** Seconds since the bench started. */
  t: number;
  /** Hotline's user + system CPU seconds so far. */
  cpu: number;
  rssKiB: number;
  fds: number;
  /** Calls in progress at the callers' sipp. */
  concurrent: number;
  /** Calls the callers' sipp has started and failed so far in the current stage. */
  started?: number;
  failed?: number;
}

/** Attempts per second between two times (from the samples' `started` counts). */
export function rateBetween(samples: readonly Sample[], from: number, to: number): number | undefined {
  const w = window(samples, from, to).filter((s) => s.started !== undefined);
  if (w.length < 2) return undefined;
  const a = w[0]!;
  const b = w[w.length - 1]!;
  return b.t > a.t ? (b.started! - a.started!) / (b.t - a.t) : undefined;
}

/** Calls up when the first failure was seen (undefined: no failure). */
export function concurrentAtFirstFailure(samples: readonly Sample[]): number | undefined {
  const i = samples.findIndex((s) => (s.failed ?? 0) > 0);
  if (i < 0) return undefined;
  return Math.max(samples[i]!.concurrent, samples[i - 1]?.concurrent ?? 0);
}

/** Hotline's CPU between two samples as a share of the whole machine (100 = every core busy). */
export function cpuShare(a: Sample, b: Sample, cores: number): number {
  const wall = b.t - a.t;
  return wall > 0 ? ((b.cpu - a.cpu) / wall / cores) * 100 : 0;
}

/** The samples from `from` to `to` seconds (inclusive). */
export function window(samples: readonly Sample[], from: number, to: number): Sample[] {
  return samples.filter((s) => s.t >= from && s.t <= to);
}

/** Hotline's CPU share over a window of samples, with the mean concurrency in it. */
export function windowCpu(samples: readonly Sample[], cores: number): { cpuPct: number; meanConcurrent: number } | undefined {
  if (samples.length < 2) return undefined;
  const a = samples[0]!;
  const b = samples[samples.length - 1]!;
  return { cpuPct: cpuShare(a, b, cores), meanConcurrent: samples.reduce((s, x) => s + x.concurrent, 0) / samples.length };
}

/** Resident memory per live call: (RSS at the busiest sample - RSS when idle) / calls then. */
export function memoryPerCallKiB(idle: Sample, samples: readonly Sample[]): { kib: number; at: number } | undefined {
  let peak: Sample | undefined;
  for (const s of samples) if (peak === undefined || s.concurrent > peak.concurrent) peak = s;
  if (peak === undefined || peak.concurrent === 0) return undefined;
  return { kib: (peak.rssKiB - idle.rssKiB) / peak.concurrent, at: peak.concurrent };
}

/** Least-squares slope of RSS against live calls over samples (KiB per call): memory per call without the idle baseline's noise. */
export function rssSlopeKiB(samples: readonly Sample[]): number | undefined {
  const n = samples.length;
  if (n < 3) return undefined;
  const mx = samples.reduce((a, s) => a + s.concurrent, 0) / n;
  const my = samples.reduce((a, s) => a + s.rssKiB, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const s of samples) {
    sxx += (s.concurrent - mx) ** 2;
    sxy += (s.concurrent - mx) * (s.rssKiB - my);
  }
  return sxx > 0 ? sxy / sxx : undefined;
}

/**
 * Leak check between idle points (no call up): file descriptors must come
 * back to the first idle count (a few of slack for lazily opened files), and
 * memory must not keep growing: the last idle RSS may exceed the first by at
 * most `rssSlackKiB` (the heap settles after the first load).
 */
export function leakCheck(idle: readonly Sample[], o: { fdSlack?: number; rssSlackKiB?: number } = {}): { fdsFlat: boolean; rssFlat: boolean; fds: number[]; rssMiB: number[] } {
  const fds = idle.map((s) => s.fds);
  const rssMiB = idle.map((s) => Math.round(s.rssKiB / 102.4) / 10);
  const first = idle[0];
  const last = idle[idle.length - 1];
  if (first === undefined || last === undefined) return { fdsFlat: true, rssFlat: true, fds, rssMiB };
  return {
    fdsFlat: idle.every((s) => s.fds <= first.fds + (o.fdSlack ?? 8)),
    rssFlat: idle.length < 3 || last.rssKiB - idle[1]!.rssKiB <= (o.rssSlackKiB ?? 64 * 1024),
    fds,
    rssMiB,
  };
}
