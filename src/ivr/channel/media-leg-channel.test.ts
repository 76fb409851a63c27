// MediaLegChannel on a real media-engine leg, driven by a real UDP peer
// (RFC 4733 digits in, what the leg sends recorded and analysed). Audio is
// judged by its energy and tones, never by the channel's own word.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MediaEngine } from '../../media/engine/media-engine.ts';
import { EspeakTts } from '../../media/tts/espeak-tts.ts';
import { wavHeader } from '../../media/wav/wav-format.ts';
import { readWav } from '../../media/wav/wav-reader.ts';
import { systemClock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { between, speechActivity, toneDbfs } from '../../../test/audio/analysis.ts';
import { RtpPeer, sleep } from '../../../test/media-e2e/rtp-peer.ts';
import { AudioFileLoader } from '../prompt/audio-file-loader.ts';
import { DEFAULT_APOLOGY, PromptRenderer } from '../prompt/prompt-renderer.ts';
import { MediaLegChannel } from './media-leg-channel.ts';
import type { TransferPort } from './voice-channel.ts';

const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
const dir = mkdtempSync(join(tmpdir(), 'ivr-leg-'));
const tts = new EspeakTts({ cacheDir: join(dir, 'tts') });
const noTransfers: TransferPort = { transfer: async () => ({ outcome: 'noanswer', durationMs: 0 }) };
const LONG = 'Welcome to the Hotline fund service line. For your balance press one. For fund prices press two. For an agent press star.';
let engine: MediaEngine;
let peer: RtpPeer;
let channel: MediaLegChannel;

beforeAll(async () => {
  engine = new MediaEngine({ workers: 1, rtpPortMin: 35000, rtpPortMax: 35099, bindAddress: '127.0.0.1' });
  await engine.start();
  await tts.render(LONG, 'en-US'); // warm the TTS cache so timings below are the channel's
});
afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  channel?.close();
  peer?.close();
});

async function setup(opts: { tts?: EspeakTts; apologyWav?: string } = {}): Promise<void> {
  peer = await RtpPeer.start();
  const leg = await engine.createLeg({ codec: 'PCMU', payloadType: 0, telephoneEventPt: 101, remote: { address: '127.0.0.1', port: peer.port } });
  peer.sendTo('127.0.0.1', leg.localPort);
  const renderer = new PromptRenderer({ tts: opts.tts ?? tts, audio: new AudioFileLoader(), logger, apologyText: DEFAULT_APOLOGY, apologyWav: opts.apologyWav });
  channel = new MediaLegChannel({ legId: leg.legId, media: engine, renderer, clock: systemClock, logger, locale: 'en-US', workDir: dir, transfers: noTransfers });
}

/** What the peer heard from `fromMs` (peer time) for `ms`, placed by packet arrival. */
function heard(fromMs: number, ms: number): Int16Array {
  const { pcm } = peer.audio();
  return between(pcm, peer.sampleAt(fromMs) / 8000, peer.sampleAt(fromMs + ms) / 8000);
}

describe('MediaLegChannel on an engine leg - IVR-1, TEL-3', () => {
  it('plays a TTS prompt: the far end hears speech for its length, then silence', async () => {
    await setup();
    const t0 = peer.now();
    expect(await channel.play([{ kind: 'text', text: 'Welcome to the Hotline fund service line.' }], { bargein: true })).toBe('played');
    const t1 = peer.now();
    await sleep(600);
    const during = speechActivity(heard(t0, t1 - t0));
    expect(during.activeMs).toBeGreaterThan(1200);
    expect(t1 - t0).toBeLessThan(6000);
    expect(speechActivity(heard(t1 + 150, 400)).activeMs).toBe(0);
  }, 20000);

  it('bargein: a digit stops the prompt within 200 ms and is the next input (VoiceXML 2.0 §4.1.5)', async () => {
    await setup();
    const t0 = peer.now();
    const playing = channel.play([{ kind: 'text', text: LONG }], { bargein: true });
    await sleep(1500);
    const tDigit = peer.now();
    await peer.digit('5');
    expect(await playing).toBe('played');
    const tStop = peer.now();
    expect(tStop - tDigit).toBeLessThan(400);
    expect(await channel.waitKey(1000, 'first')).toEqual({ kind: 'key', key: '5' });
    await sleep(500);
    expect(speechActivity(heard(t0, 1400)).activeMs).toBeGreaterThan(700);
    expect(speechActivity(heard(tStop + 100, 800)).activeMs).toBe(0);
  }, 20000);

  it('bargein false: the prompt plays to its end, keys pressed during it are discarded', async () => {
    await setup();
    const playing = channel.play([{ kind: 'text', text: 'Please listen to this notice about trading hours.' }], { bargein: false });
    await sleep(700);
    await peer.digit('7');
    expect(await playing).toBe('played');
    expect(await channel.waitKey(400, 'first')).toEqual({ kind: 'timeout' });
  }, 20000);

  it('typeahead: keys pressed between prompts are kept; a bargeable prompt is then skipped; a non-bargeable one flushes them', async () => {
    await setup();
    await peer.digit('1');
    await peer.digit('2');
    await sleep(100);
    const t0 = peer.now();
    expect(await channel.play([{ kind: 'text', text: LONG }], { bargein: true })).toBe('played');
    expect(peer.now() - t0).toBeLessThan(100);
    expect(await channel.waitKey(500, 'first')).toEqual({ kind: 'key', key: '1' });
    await peer.digit('3');
    await sleep(100);
    await channel.play([{ kind: 'break', ms: 200 }], { bargein: false });
    expect(await channel.waitKey(300, 'first')).toEqual({ kind: 'timeout' });
  }, 20000);

  it('no dead air: a missing audio file plays its fallback text; a failed TTS plays the recorded apology, else a comfort tone', async () => {
    await setup();
    let t0 = peer.now();
    await channel.play([{ kind: 'audio', url: pathToFileURL(join(dir, 'missing.wav')).href, fallback: [{ kind: 'text', text: 'Our opening hours have changed.' }] }], { bargein: false });
    await sleep(300);
    expect(speechActivity(heard(t0, peer.now() - t0)).activeMs).toBeGreaterThan(800);
    channel.close();
    peer.close();

    // TTS broken; the recorded apology is a 600 Hz tone file so it is recognisable.
    const apology = join(dir, 'apology.wav');
    const tone = Int16Array.from({ length: 8000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 600 * i) / 8000)));
    writeFileSync(apology, Buffer.concat([wavHeader(1, 8000, tone.byteLength), Buffer.from(tone.buffer)]));
    const broken = new EspeakTts({ cacheDir: join(dir, 'tts-broken'), program: 'espeak-ng-missing' });
    await setup({ tts: broken, apologyWav: apology });
    t0 = peer.now();
    await channel.play([{ kind: 'text', text: 'This will not render.' }], { bargein: false });
    await sleep(300);
    expect(toneDbfs(heard(t0 + 200, 600), 600)).toBeGreaterThan(-20);
    channel.close();
    peer.close();

    await setup({ tts: broken });
    t0 = peer.now();
    await channel.play([{ kind: 'text', text: 'Neither will this.' }], { bargein: false });
    await sleep(300);
    expect(toneDbfs(heard(t0, 700), 440)).toBeGreaterThan(-30);
  }, 20000);

  it('record: the caller speaks, # ends it; the WAV holds the caller side only', async () => {
    await setup();
    const rec = channel.record({ maxTimeMs: 10_000, finalSilenceMs: 3_000, dtmfTerm: true, beep: true, type: 'audio/x-wav' });
    await sleep(400);
    await peer.tone(500, 1200);
    await peer.digit('#');
    const r = await rec;
    expect(r.kind).toBe('recorded');
    if (r.kind !== 'recorded') return;
    expect(r.termKey).toBe('#');
    expect(r.maxTime).toBe(false);
    const pcm = readWav(readFileSync(new URL(r.recording.uri))).channels[0]!;
    expect(r.recording.durationMs).toBeGreaterThan(1400);
    expect(r.recording.durationMs).toBeLessThan(3000);
    const act = speechActivity(pcm);
    expect(act.activeMs).toBeGreaterThan(1000);
    expect(act.activeMs).toBeLessThan(1600); // the beep we sent is not in it
    expect(toneDbfs(pcm, 1000)).toBeLessThan(toneDbfs(pcm, 500) - 20);
  }, 20000);

  it('record: final silence after speech ends it (judged on what the engine has flushed: up to ~2 s late)', async () => {
    await setup();
    const t0 = Date.now();
    const rec = channel.record({ maxTimeMs: 15_000, finalSilenceMs: 1000, dtmfTerm: true, beep: false, type: 'audio/x-wav' });
    await peer.tone(500, 800);
    const r = await rec;
    const took = Date.now() - t0;
    expect(r).toMatchObject({ kind: 'recorded', maxTime: false, termKey: undefined });
    expect(took).toBeGreaterThan(1700);
    expect(took).toBeLessThan(5000);
  }, 20000);

  it('record: maxtime ends it; silence only is noinput; hang-up ends every wait', async () => {
    await setup();
    const tone = peer.tone(500, 1500);
    const r = await channel.record({ maxTimeMs: 800, finalSilenceMs: 3_000, dtmfTerm: true, beep: false, type: 'audio/x-wav' });
    await tone;
    await sleep(300); // the jitter buffer's concealment tail is not silence
    expect(r).toMatchObject({ kind: 'recorded', maxTime: true });
    expect(await channel.record({ maxTimeMs: 1000, finalSilenceMs: 500, dtmfTerm: true, beep: false, type: 'audio/x-wav' })).toEqual({ kind: 'noinput' });
    const waiting = channel.waitKey(5000, 'first');
    setTimeout(() => channel.hangup(), 100);
    expect(await waiting).toEqual({ kind: 'hangup' });
    expect(await channel.play([{ kind: 'text', text: 'gone' }], { bargein: true })).toBe('hangup');
    expect(channel.current).toBe('ended');
  }, 20000);
});
