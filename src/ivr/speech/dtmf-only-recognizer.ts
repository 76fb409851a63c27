import type { ActivationResult, RecognitionContext, Recognizer, VoiceGrammar } from './recognizer.ts';

/**
 * The default Recognizer: Hotline ships without speech recognition. Every
 * activation answers `unsupported` / `no-speech`, so fields with both voice
 * and DTMF grammars are collected by DTMF alone.
 */
export class DtmfOnlyRecognizer implements Recognizer {
  async activate(grammars: readonly VoiceGrammar[], _ctx: RecognitionContext): Promise<ActivationResult> {
    return { kind: 'unsupported', reason: 'no-speech', detail: `no speech recognizer configured (${grammars.length} voice grammar(s) ignored)` };
  }
}
