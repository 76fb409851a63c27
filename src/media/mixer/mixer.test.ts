import { describe, expect, it } from 'vitest';
import { Mixer } from './mixer.ts';
import { MixerError } from './mixer-errors.ts';

const dc = (v: number) => new Int16Array(160).fill(v);
const code = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return e instanceof MixerError ? e.code : 'other';
  }
  return 'none';
};

describe('mixer membership, gain and saturation - TEL-4, SUP-2', () => {
  it('enforces the configured maximum and valid whisper targets', () => {
    const m = new Mixer({ maxMembers: 3 });
    m.add('a');
    expect(code(() => m.add('a'))).toBe('duplicate-member');
    expect(code(() => m.add('w', { role: 'whisper', whisperTo: 'nobody' }))).toBe('bad-whisper-target');
    m.add('w', { role: 'whisper', whisperTo: 'a' });
    m.add('c');
    expect(code(() => m.add('d'))).toBe('full');
    expect(code(() => m.update('zz', { role: 'mute' }))).toBe('unknown-member');
    expect(code(() => m.update('c', { gain: -1 }))).toBe('bad-gain');
    m.remove('a'); // the whisperer loses its target and becomes a listener
    expect(m.member('w')?.role).toBe('listen');
  });

  it('applies per-member gain, mutes, and clips sums to 16 bits with a count', () => {
    const m = new Mixer();
    m.add('a', { gain: 0.5 });
    m.add('b');
    m.add('c');
    const out = m.processInput({ frames: new Map([['a', dc(1000)], ['b', dc(30000)], ['c', dc(30000)]]) });
    expect(out.get('b')![0]).toBe(30500);
    expect(out.get('a')![0]).toBe(32767);
    expect(m.toJSON().clippedSamples).toBe(160);
    m.update('b', { role: 'mute' });
    expect(m.processInput({ frames: new Map([['a', dc(1000)], ['b', dc(30000)], ['c', dc(100)]]) }).get('c')![0]).toBe(500);
  });
});
