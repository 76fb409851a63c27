import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../stage.ts';
import { type LegFrames, MediaBridge } from './media-bridge.ts';

/** Deterministic noise over the whole 16-bit range, extremes included. */
function frame(seed: number): Int16Array {
  const f = new Int16Array(FRAME_SAMPLES);
  let x = seed * 2654435761;
  for (let i = 0; i < FRAME_SAMPLES; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    f[i] = (x >>> 16) - 32768;
  }
  f[0] = -32768;
  f[1] = 32767;
  return f;
}

/** A bridge with members joined as the worker runtime joins them (mixer and member set). */
function bridge(id: string, max: number, ...members: string[]): MediaBridge {
  const b = new MediaBridge(id, max);
  for (const m of members) join(b, m);
  return b;
}

function join(b: MediaBridge, id: string, role: 'full' | 'listen' = 'full'): void {
  b.mixer.add(id, { role });
  b.members.add(id);
}

function legs(rx: Record<string, Int16Array>): Map<string, LegFrames> {
  return new Map(Object.entries(rx).map(([id, f]) => [id, { rx: f, tx: undefined }]));
}

describe('two-party fast path gives exactly the mixer output - TEL-4, CTI-2', () => {
  it('a plain pair hands each member the other frame, sample for sample what the mixer computes', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const a = frame(seed);
      const b = frame(seed + 1000);
      const fast = bridge('fast', 2, 'a', 'b');
      const ref = bridge('ref', 2, 'a', 'b');
      const l = legs({ a, b });
      fast.mixInto(l);
      const mixed = ref.mix(new Map([['a', a], ['b', b]]));
      expect(Array.from(l.get('a')!.tx!)).toEqual(Array.from(mixed.get('a')!));
      expect(Array.from(l.get('b')!.tx!)).toEqual(Array.from(mixed.get('b')!));
      expect(fast.toJSON()).toMatchObject({ passedThrough: 1, mixed: 0 });
    }
  });

  it.each<[string, (b: MediaBridge) => void]>([
    ['a gain other than 1', (b) => b.mixer.update('a', { gain: 0.5 })],
    ['a held member', (b) => b.mixer.update('b', { role: 'hold' })],
    ['a muted member', (b) => b.mixer.update('a', { role: 'mute' })],
    ['a third member listening', (b) => join(b, 'sup', 'listen')],
  ])('with %s the bridge mixes, and the result still matches the mixer', (_name, change) => {
    const b = bridge('x', 3, 'a', 'b');
    change(b);
    const ref = bridge('ref', 3, 'a', 'b');
    change(ref);
    const frames: Record<string, Int16Array> = { a: frame(7), b: frame(8) };
    if (b.mixer.member('sup')) frames.sup = frame(9);
    const l = legs(frames);
    b.mixInto(l);
    expect(b.toJSON()).toMatchObject({ passedThrough: 0, mixed: 1 });
    const mixed = ref.mix(new Map(Object.entries(frames)));
    for (const id of Object.keys(frames)) expect(Array.from(l.get(id)!.tx!)).toEqual(Array.from(mixed.get(id)!));
  });

  it('returns to the fast path when the pair is plain again, and a missing member is silence', () => {
    const b = bridge('x', 2, 'a', 'b');
    b.mixer.update('b', { role: 'hold' });
    expect(b.mixer.plainPair()).toBeUndefined();
    b.mixer.update('b', { role: 'full' });
    expect(b.mixer.plainPair()).toEqual(['a', 'b']);
    const l = legs({ a: frame(3) }); // b has no frame this tick
    b.mixInto(l);
    expect(l.get('a')!.tx).toBeUndefined(); // the runtime sends silence for an unset tx
    const ref = bridge('ref', 2, 'a', 'b');
    expect(ref.mix(new Map([['a', frame(3)]])).get('a')!.every((v) => v === 0)).toBe(true);
  });
});
