// `hotline media play` and `hotline media record` against each other, as
// people run them: child processes of bin/hotline.js (so the media workers
// load TypeScript through tsx outside vitest too), real UDP on loopback.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { speechActivity, toneDbfs } from '../../test/audio/analysis.ts';
import { freePort } from '../../test/support/ports.ts';
import { readWav } from '../media/wav/wav-reader.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hotline.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-media-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the command; `onStderr` sees stderr as it grows (to wait for a progress line). */
function hotline(args: string[], onStderr: (all: string) => void = () => {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => onStderr((stderr += d.toString())));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hotline media play / record - TEL-3, TEL-5', () => {
  it.each(['pcma', 'pcmu'])('record receives what play sends (%s): tone and duration intact, progress on stderr', async (codec) => {
    const port = await freePort();
    const input = join(dir, `in-${codec}.wav`);
    // 1.5 s of 800 Hz at 16 kHz stereo: the player resamples and downmixes
    execFileSync('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', input, 'synth', '1.5', 'sine', '800', 'vol', '0.4']);
    const out = join(dir, `out-${codec}.wav`);
    let listening!: () => void;
    const ready = new Promise<void>((r) => (listening = r));
    // 6 s: under a full test run, starting the player's process (and its media engine) alone can take two
    // seconds, and the recording once ended 9 packets before the player's last (66 of 75 received, none lost)
    const rec = hotline(['media', 'record', '--port', String(port), '--seconds', '6', '--codec', codec, out], (err) => err.includes('listening on UDP') && listening());
    await ready;
    const play = await hotline(['media', 'play', input, '--to', `127.0.0.1:${port}`, '--codec', codec]);
    expect(play.code, play.stderr).toBe(0);
    expect(play.stdout).toMatch(/sent .*: 1\.[5-6]\d s, 7[5-9] RTP packets/);
    expect(play.stderr).toMatch(/media play: \d\.\d\/1\.5 s sent/);
    const r = await rec;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/7[5-9] RTP packets received, 0 lost, 0 rejected/);
    expect(r.stderr).toMatch(/media record: \d\.\d\/6(\.0)? s, \d+ packets/);
    const wav = readWav(readFileSync(out));
    expect(wav.channels).toHaveLength(1);
    const rx = wav.channels[0]!;
    const act = speechActivity(rx, 8000, -40);
    expect(act.activeMs).toBeGreaterThanOrEqual(1460);
    expect(act.activeMs).toBeLessThanOrEqual(1580);
    const tone = rx.subarray(Math.round((act.firstMs! / 1000) * 8000), Math.round((act.lastMs! / 1000) * 8000));
    expect(toneDbfs(tone, 800)).toBeGreaterThan(-12);
    expect(toneDbfs(tone, 1600)).toBeLessThan(-45);
  }, 20000);

  it.each([
    [['media', 'play', 'x.wav', '--to', 'nohostport'], /--to must be HOST:PORT/],
    [['media', 'play', '/nonexistent.wav', '--to', '127.0.0.1:9'], /cannot play/],
    [['media', 'record', '--port', 'abc', '--seconds', '1', 'o.wav'], /--port must be a positive integer/],
    [['media', 'record', '--port', '9999', '--seconds', '1', '--codec', 'g729', 'o.wav'], /--codec must be pcmu or pcma/],
  ])('refuses bad input with one clear line: %j', async (args, message) => {
    const r = await hotline(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
