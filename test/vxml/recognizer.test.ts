import { describe, expect, it } from 'vitest';
import { ScriptedChannel, type CallerAction } from '../../src/ivr/channel/scripted-channel.ts';
import { IvrRunner } from '../../src/ivr/ivr-runner.ts';
import type { IvrStepEvent } from '../../src/ivr/interpreter/ivr-step-event.ts';
import { DtmfOnlyRecognizer } from '../../src/ivr/speech/dtmf-only-recognizer.ts';
import type { ActivationResult, RecognitionContext, Recognizer, SpeechResult, VoiceGrammar } from '../../src/ivr/speech/recognizer.ts';
import { MemoryFetcher, vxml } from './memory-fetcher.ts';
import { silentLogger } from './support.ts';

const VOICE = `<grammar mode="voice" root="yn" version="1.0" xml:lang="en-US"><rule id="yn"><one-of><item>yes</item><item>no</item></one-of></rule></grammar>`;
const DTMF = `<grammar mode="dtmf" root="d" version="1.0"><rule id="d"><one-of><item>1<tag>out = 'yes'</tag></item><item>2<tag>out = 'no'</tag></item></one-of></rule></grammar>`;
const answer = `<block><exit expr="f + ' via ' + application.lastresult$[0].inputmode"/></block>`;

/** Records what the interpreter asks of the recognizer it is given. */
class Recording implements Recognizer {
  readonly calls: { grammars: readonly VoiceGrammar[]; ctx: RecognitionContext }[] = [];
  constructor(private readonly inner: Recognizer) {}
  activate(grammars: readonly VoiceGrammar[], ctx: RecognitionContext): Promise<ActivationResult> {
    this.calls.push({ grammars, ctx });
    return this.inner.activate(grammars, ctx);
  }
}

/** A speech engine that hears what it is told to, in order (the shape a real ASR adapter has). */
class HearingRecognizer implements Recognizer {
  closed = 0;
  constructor(private readonly heard: SpeechResult[]) {}
  async activate(): Promise<ActivationResult> {
    const next = this.heard.shift() ?? { kind: 'noinput' as const };
    return { kind: 'active', session: { listen: async () => next, close: () => void this.closed++ } };
  }
}

async function run(body: string, script: CallerAction[], recognizer?: Recognizer, attrs = '') {
  const steps: IvrStepEvent[] = [];
  const runner = new IvrRunner({ logger: silentLogger, fetcher: new MemoryFetcher({ 'http://app.test/a.vxml': vxml(body, attrs) }), steps: (e) => steps.push(e), recognizer });
  const outcome = await runner.run('http://app.test/a.vxml', new ScriptedChannel(script));
  return { outcome, steps };
}

describe('IVR-1 Recognizer port: DTMF only by default', () => {
  it('voice + DTMF grammars with inputmodes "dtmf voice": the default reports no speech, the field is filled by DTMF', async () => {
    const rec = new Recording(new DtmfOnlyRecognizer());
    const { outcome, steps } = await run(`<property name="inputmodes" value="dtmf voice"/><form><field name="f">${VOICE}${DTMF}</field>${answer}</form>`, [{ keys: '1' }], rec, 'xml:lang="zh-CN"');
    expect(outcome).toEqual({ kind: 'exit', value: 'yes via dtmf' });
    expect(rec.calls).toHaveLength(1);
    expect(rec.calls[0]!.grammars.map((g) => g.kind)).toEqual(['inline']);
    expect(rec.calls[0]!.ctx).toMatchObject({ language: 'zh-CN', confidenceLevel: 0.5, maxNbest: 1 });
    expect(steps.find((s) => s.kind === 'speech')?.result).toBe('unsupported (no-speech): DTMF only');
  });

  it('the default answers with a typed unsupported result', async () => {
    const r = await new DtmfOnlyRecognizer().activate([{ kind: 'builtin', ref: 'digits' }], { sessionId: 's', language: 'en-US', confidenceLevel: 0.5, maxNbest: 1 });
    expect(r).toMatchObject({ kind: 'unsupported', reason: 'no-speech' });
  });

  it('inputmodes "dtmf" (the platform default): the recognizer is not consulted', async () => {
    const rec = new Recording(new DtmfOnlyRecognizer());
    const { outcome } = await run(`<form><field name="f">${VOICE}${DTMF}</field>${answer}</form>`, [{ keys: '2' }], rec);
    expect(outcome).toEqual({ kind: 'exit', value: 'no via dtmf' });
    expect(rec.calls).toHaveLength(0);
  });

  it('a field with only a voice grammar and no speech ends in error.unsupported.format', async () => {
    const { outcome } = await run(`<property name="inputmodes" value="voice dtmf"/><form><field name="f">${VOICE}</field>${answer}</form>`, [{ keys: '1' }]);
    expect(outcome).toMatchObject({ kind: 'exit', value: expect.stringMatching(/^fail: error\.unsupported\.format /) });
  });
});

describe('IVR-1 Recognizer port: a speech engine plugged in', () => {
  const doc = `<property name="inputmodes" value="dtmf voice"/><form><field name="f" type="boolean">${VOICE}${DTMF}<nomatch><exit expr="'nomatch'"/></nomatch></field>${answer}</form>`;
  it.each<[string, SpeechResult[], CallerAction[], unknown]>([
    ['a spoken match fills the field with inputmode voice', [{ kind: 'match', utterance: 'yes', interpretation: 'yes', confidence: 0.9 }], [], 'yes via voice'],
    ['low confidence is a nomatch', [{ kind: 'match', utterance: 'yes', interpretation: 'yes', confidence: 0.2 }], [], 'nomatch'],
    ['a key press hands over to DTMF', [{ kind: 'dtmf' }], [{ keys: '2' }], 'false via dtmf'], // the boolean builtin comes first
  ])('%s', async (_n, heard, script, value) => {
    const asr = new HearingRecognizer(heard);
    const rec = new Recording(asr);
    const { outcome } = await run(doc, script, rec);
    expect(outcome).toEqual({ kind: 'exit', value });
    expect(rec.calls[0]!.grammars.map((g) => g.kind)).toEqual(['builtin', 'inline']);
    expect(asr.closed).toBe(1);
  });
});
