/**
 * `hotline media play FILE --to HOST:PORT [--codec pcmu|pcma]` sends a WAV as
 * RTP in real time; `hotline media record --port N --seconds S OUT.wav`
 * receives RTP into a WAV. Both run the real media engine (one worker), so
 * what people try here is what calls use. Progress goes to stderr once a
 * second; the summary line goes to stdout. Like a call leg, the sender
 * keeps sending silence between the end of the file and the leg's removal,
 * so the packet count may exceed the file's frames by one or two.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from './api-client.ts';

type Codec = 'PCMU' | 'PCMA';

function parseCodec(v: string | undefined): Codec {
  const c = (v ?? 'pcmu').toUpperCase();
  if (c !== 'PCMU' && c !== 'PCMA') throw new CliError(`--codec must be pcmu or pcma, not ${v}`, 2);
  return c;
}

function parseHostPort(v: string): { address: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new CliError(`--to must be HOST:PORT, not ${v}`, 2);
  return { address: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function positiveNumber(name: string, v: string, integer: boolean): number {
  const n = Number(v);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new CliError(`${name} must be a positive ${integer ? 'integer' : 'number'}, not ${v}`, 2);
  return n;
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

async function play(file: string, o: { to: string; codec?: string }): Promise<void> {
  const codec = parseCodec(o.codec);
  const remote = parseHostPort(o.to);
  const { readWav } = await import('../media/wav/wav-reader.ts');
  let seconds: number;
  try {
    const wav = readWav(readFileSync(file));
    seconds = (wav.channels[0]?.length ?? 0) / wav.sampleRate;
  } catch (err) {
    throw new CliError(`cannot play ${file}: ${(err as Error).message}`, 2);
  }
  const { MediaEngine } = await import('../media/engine/media-engine.ts');
  const engine = new MediaEngine({ workers: 1 });
  await engine.start();
  try {
    const leg = await engine.createLeg({ localPort: 0, remote, codec, inbandDtmf: false, symmetricRtp: false });
    const done = new Promise<void>((res) => engine.onEvent((e) => e.type === 'player-done' && res()));
    await engine.play({ legId: leg.legId }, { kind: 'wav', path: resolve(file), loop: false });
    progress(`media play: ${file} (${seconds.toFixed(2)} s) to ${remote.address}:${remote.port} as ${codec} from port ${leg.localPort}`);
    const sent = async () => (await engine.stats()).flatMap((w) => w.legs).find((l) => l.legId === leg.legId)?.packetsOut ?? 0;
    const timer = setInterval(() => void sent().then((n) => progress(`media play: ${((n * 20) / 1000).toFixed(1)}/${seconds.toFixed(1)} s sent (${n} packets)`)), 1000);
    await done;
    clearInterval(timer);
    const n = await sent();
    await engine.destroyLeg(leg.legId);
    console.log(`sent ${file}: ${((n * 20) / 1000).toFixed(2)} s, ${n} RTP packets ${codec} to ${remote.address}:${remote.port}`);
  } finally {
    await engine.stop();
  }
}

async function record(out: string, o: { port: string; seconds: string; codec?: string }): Promise<void> {
  const codec = parseCodec(o.codec);
  const port = positiveNumber('--port', o.port, true);
  if (port > 65535) throw new CliError(`--port must be at most 65535, not ${port}`, 2);
  const seconds = positiveNumber('--seconds', o.seconds, false);
  const { MediaEngine } = await import('../media/engine/media-engine.ts');
  const { EngineError } = await import('../media/engine/engine-error.ts');
  const engine = new MediaEngine({ workers: 1 });
  await engine.start();
  try {
    let leg;
    try {
      // no remote and no latching: a recorder only listens
      leg = await engine.createLeg({ localPort: port, codec, inbandDtmf: false, symmetricRtp: false });
    } catch (err) {
      if (err instanceof EngineError && err.code === 'bind-failed') throw new CliError(`cannot listen on UDP port ${port}: ${err.message}`, 1);
      throw err;
    }
    await engine.record({ legId: leg.legId }, resolve(out), 'mixed');
    progress(`media record: listening on UDP ${port} for ${seconds} s (${codec}) into ${out}`);
    const stats = async () => (await engine.stats()).flatMap((w) => w.legs).find((l) => l.legId === leg.legId);
    const started = Date.now();
    const timer = setInterval(() => void stats().then((s) => progress(`media record: ${((Date.now() - started) / 1000).toFixed(1)}/${seconds} s, ${s?.packetsIn ?? 0} packets, ${s?.lostIn ?? 0} lost`)), 1000);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    clearInterval(timer);
    const s = await stats();
    await engine.destroyLeg(leg.legId); // stops and closes the recording
    console.log(`recorded ${out}: ${seconds} s, ${s?.packetsIn ?? 0} RTP packets received, ${s?.lostIn ?? 0} lost, ${s?.rejectedIn ?? 0} rejected`);
  } finally {
    await engine.stop();
  }
}

export function registerMediaCommands(program: Command): void {
  const media = program.command('media').description('try the media engine: send or receive RTP (TEL-3)');
  media
    .command('play <file>')
    .description('send a WAV file as RTP in real time')
    .requiredOption('--to <host:port>', 'where to send RTP')
    .option('--codec <codec>', 'pcmu or pcma', 'pcmu')
    .action((file: string, o: { to: string; codec?: string }) => play(file, o));
  media
    .command('record <out>')
    .description('receive RTP on a port and write it to a WAV file (8 kHz mono)')
    .requiredOption('--port <n>', 'UDP port to listen on')
    .requiredOption('--seconds <s>', 'how long to record')
    .option('--codec <codec>', 'pcmu or pcma', 'pcmu')
    .action((out: string, o: { port: string; seconds: string; codec?: string }) => record(out, o));
}
