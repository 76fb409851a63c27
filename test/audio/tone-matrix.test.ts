// The tone matrix (DESIGN.md "How audio is checked in tests") on the pure
// mixer: each member sends its own tone; what each hears is recorded through
// WavRecorder (one channel per member), read back and analysed with Goertzel.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Mixer, type MixerMember } from '../../src/media/mixer/mixer.ts';
import { ToneGenerator } from '../../src/media/tone/tone-generator.ts';
import { readWav } from '../../src/media/wav/wav-reader.ts';
import { WavRecorder } from '../../src/media/wav/wav-recorder.ts';
import { FileWavSink } from '../../src/media/wav/wav-sink.ts';
import { toneDbfs } from './analysis.ts';

const PRESENT = -30;
const ABSENT = -60;
const TONES = { customer: 400, agent: 700, supervisor: 1100, coach: 1500 } as const;
const MUSIC = 2000;
type Who = keyof typeof TONES;
const ORDER: Who[] = ['customer', 'agent', 'supervisor', 'coach'];

function runBridge(roles: Record<Who, Partial<MixerMember>>, seconds: number, withMusic: boolean) {
  const mixer = new Mixer({ maxMembers: 4 });
  for (const who of ORDER) mixer.add(who, roles[who]);
  const gens = ORDER.map((who) => new ToneGenerator({ levelDbfs: -12 }).play({ frequencies: [TONES[who]], cadence: [] }));
  const music = new ToneGenerator({ levelDbfs: -12 }).play({ frequencies: [MUSIC], cadence: [] });
  const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
  let wav: ReturnType<typeof readWav>;
  try {
    const path = join(dir, 'heard.wav');
    const rec = new WavRecorder(new FileWavSink(path), { channels: 4 });
    rec.start();
    for (let f = 0; f < seconds * 50; f++) {
      const frames = new Map(ORDER.map((who, i) => [who, gens[i]!.processInput(160)]));
      const out = mixer.processInput({ frames, music: withMusic ? music.processInput(160) : undefined });
      rec.processInput(ORDER.map((who) => out.get(who)!));
    }
    rec.stop();
    wav = readWav(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (listener: Who) => {
    const ch = wav.channels[ORDER.indexOf(listener)]!;
    const heard: Record<string, number> = {};
    for (const [who, f] of [...Object.entries(TONES), ['music', MUSIC] as const]) heard[who] = toneDbfs(ch, f as number);
    return heard;
  };
}

function expectHears(levels: Record<string, number>, present: string[]) {
  for (const [who, db] of Object.entries(levels)) {
    if (present.includes(who)) expect(db, `${who} should be heard`).toBeGreaterThan(PRESENT);
    else expect(db, `${who} should not be heard`).toBeLessThan(ABSENT);
  }
}

describe('tone matrix: roles in one bridge - TEL-4, SUP-2, CTI-2', () => {
  const roles: Record<Who, Partial<MixerMember>> = {
    customer: { role: 'full' },
    agent: { role: 'full' },
    supervisor: { role: 'listen' },
    coach: { role: 'whisper', whisperTo: 'agent' },
  };

  it('customer hears the agent only; agent hears customer and coach; supervisor and coach hear customer and agent', () => {
    const heard = runBridge(roles, 2, false);
    expectHears(heard('customer'), ['agent']);
    expectHears(heard('agent'), ['customer', 'coach']);
    expectHears(heard('supervisor'), ['customer', 'agent']);
    expectHears(heard('coach'), ['customer', 'agent']);
  });

  it('after hold: the customer hears the music only, the agent still hears the customer (CTI-2)', () => {
    const heard = runBridge({ ...roles, customer: { role: 'hold' } }, 2, true);
    expectHears(heard('customer'), ['music']);
    expectHears(heard('agent'), ['customer', 'coach']);
    expectHears(heard('supervisor'), ['customer', 'agent']);
  });
});
