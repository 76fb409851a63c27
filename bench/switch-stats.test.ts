import { describe, expect, it } from 'vitest';
import { g711Decode } from '../src/media/codec/g711.ts';
import { toneDbfs } from '../test/audio/analysis.ts';
import { concurrentAtFirstFailure, cpuShare, rateBetween, stageTiming, toneUlaw, lastSippStat, leakCheck, memoryPerCallKiB, planStages, rssSlopeKiB, sippCounts, sippRate, window, windowCpu, type Sample } from './switch-stats.ts';

const s = (t: number, cpu: number, rssKiB: number, fds: number, concurrent: number): Sample => ({ t, cpu, rssKiB, fds, concurrent });

describe('bench:switch helpers (issue 4)', () => {
  it('reads the last row of a sipp stat file by column name', () => {
    const csv = 'StartTime;CurrentCall;OutgoingCall(C);SuccessfulCall(C);FailedCall(C);Retransmissions(C);FailedTimeoutOnRecv(C);FailedMaxUDPRetrans(C);\n' + 'x;3;10;7;0;1;0;0;\n' + 'y;5;20;14;1;2;1;0;\n';
    const stat = lastSippStat(csv);
    expect(stat).toMatchObject({ CurrentCall: 5, 'OutgoingCall(C)': 20, 'FailedCall(C)': 1 });
    expect(sippCounts(stat)).toEqual({ current: 5, started: 20, successful: 14, failed: 1, retransmissions: 2, failures: { FailedTimeoutOnRecv: 1 } });
    expect(lastSippStat('StartTime;CurrentCall;\n')).toEqual({});
    expect(sippCounts({})).toEqual({ current: 0, started: 0, successful: 0, failed: 0, retransmissions: 0, failures: {} });
  });

  it('turns a fractional call rate into sipp -r and -rp', () => {
    expect(sippRate(100)).toEqual({ rate: 100, periodMs: 1000 });
    expect(sippRate(10.5)).toEqual({ rate: 21, periodMs: 2000 });
    expect(sippRate(0.25)).toEqual({ rate: 1, periodMs: 4000 });
    expect(() => sippRate(0)).toThrow(/positive/);
  });

  it('plans the design stage and the maximum stage from concurrency, rate and hold time', () => {
    const [design, max] = planStages({ design: 210, holdSec: 20, designSec: 60, concurrent: 800, cps: 100, calls: 30_000 });
    expect(design).toMatchObject({ concurrent: 210, cps: 10.5, holdMs: 20_000, calls: 630 });
    expect(max).toMatchObject({ concurrent: 800, cps: 100, holdMs: 8000, calls: 30_000, ramp: { start: 10, step: 10, intervalSec: 8 } });
    // 10, 20, ... 90 calls/s for 8 s each (3,600 calls in 72 s), then 100/s for the remaining 26,400
    expect(stageTiming(max!)).toEqual({ rampSec: 72, sendSec: 72 + 264 });
    expect(stageTiming(design!)).toEqual({ rampSec: 0, sendSec: 60 });
  });

  it('computes the CPU share of the machine over a window', () => {
    const samples = [s(0, 0, 0, 0, 0), s(10, 5, 0, 0, 200), s(20, 14, 0, 0, 210), s(30, 23, 0, 0, 210)];
    expect(cpuShare(samples[0]!, samples[1]!, 2)).toBe(25);
    expect(window(samples, 10, 30)).toHaveLength(3);
    expect(windowCpu(window(samples, 10, 30), 2)).toEqual({ cpuPct: 45, meanConcurrent: (200 + 210 + 210) / 3 });
    expect(windowCpu([samples[0]!], 2)).toBeUndefined();
  });

  it('attempt rate over a window, and the calls up at the first failure', () => {
    const w = [{ ...s(10, 0, 0, 0, 100), started: 500, failed: 0 }, { ...s(20, 0, 0, 0, 600), started: 1500, failed: 0 }, { ...s(30, 0, 0, 0, 700), started: 2400, failed: 3 }];
    expect(rateBetween(w, 10, 30)).toBe(95);
    expect(rateBetween(w, 25, 30)).toBeUndefined();
    expect(concurrentAtFirstFailure(w)).toBe(700);
    expect(concurrentAtFirstFailure(w.slice(0, 2))).toBeUndefined();
  });

  it('the streamed tone is PCMU of the asked frequency and length, loudest at that frequency', () => {
    const bytes = toneUlaw(700, 2000);
    expect(bytes).toHaveLength(16_000);
    const pcm = g711Decode('PCMU', bytes).subarray(0, 160);
    expect(toneDbfs(pcm, 700)).toBeGreaterThan(-15);
    expect(toneDbfs(pcm, 1100)).toBeLessThan(-45);
  });

  it('memory per call at the busiest sample, and the leak check on idle points', () => {
    const idle = s(0, 0, 200 * 1024, 40, 0);
    expect(memoryPerCallKiB(idle, [s(1, 0, 300 * 1024, 900, 400), s(2, 0, 380 * 1024, 1700, 800)])).toEqual({ kib: 230.4, at: 800 });
    expect(memoryPerCallKiB(idle, [s(1, 0, 1, 1, 0)])).toBeUndefined();
    expect(rssSlopeKiB([s(1, 0, 1000, 0, 0), s(2, 0, 1200, 0, 100), s(3, 0, 1400, 0, 200), s(4, 0, 1300, 0, 150)])).toBeCloseTo(2, 9);
    expect(rssSlopeKiB([s(1, 0, 1000, 0, 5), s(2, 0, 1200, 0, 5), s(3, 0, 1400, 0, 5)])).toBeUndefined();
    const flat = leakCheck([idle, s(60, 0, 260 * 1024, 42, 0), s(300, 0, 280 * 1024, 41, 0)]);
    expect(flat).toMatchObject({ fdsFlat: true, rssFlat: true, fds: [40, 42, 41], rssMiB: [200, 260, 280] });
    const leaky = leakCheck([idle, s(60, 0, 260 * 1024, 300, 0), s(300, 0, 600 * 1024, 900, 0)]);
    expect(leaky).toMatchObject({ fdsFlat: false, rssFlat: false });
  });
});
