// Long talk-off run (issue 3: at least 10 minutes of Mandarin and English
// speech without a false digit). Run: node bin/run-ts.js test/audio/talkoff-long.ts [MINUTES] [--held-out]
// (--held-out: the corpus the detector was not tuned on, through G.711; see speech-corpus.ts).
// Progress on stderr; one JSON object on the last stdout line.
import { InbandDtmfDetector } from '../../src/media/dtmf/inband-dtmf-detector.ts';
import { heldOutSpeech, speech } from './speech-corpus.ts';

const args = process.argv.slice(2);
const heldOut = args.includes('--held-out');
const minutes = Number(args.find((a) => !a.startsWith('--')) ?? 10);
const t0 = Date.now();
const s = (heldOut ? heldOutSpeech : speech)(minutes * 60);
process.stderr.write(`rendered ${(s.length / 8000 / 60).toFixed(1)} min of ${heldOut ? 'held-out ' : ''}speech in ${Date.now() - t0} ms\n`);
const det = new InbandDtmfDetector();
const t1 = Date.now();
const digits: string[] = [];
for (let off = 0; off < s.length; off += 160) {
  for (const e of det.processInput(s.subarray(off, off + 160))) if (e.type === 'begin') digits.push(`${e.digit}@${(e.sample / 8000).toFixed(2)}s`);
}
const ms = Date.now() - t1;
process.stderr.write(`detector: ${ms} ms, ${JSON.stringify(det.toJSON())}\n`);
process.stdout.write(`${JSON.stringify({ bench: 'talkoff', corpus: heldOut ? 'held-out' : 'tuning', speech_minutes: Math.round((s.length / 8000 / 60) * 10) / 10, false_digits: digits.length, digits, detector_ms: ms, realtime_factor: Math.round(s.length / 8 / ms) })}\n`);
