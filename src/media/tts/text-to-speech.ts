/** TTS port: text in a voice to 8 kHz mono PCM (TEL-3). */
export type TtsVoice = 'zh-CN' | 'en-US';

export interface TextToSpeech {
  render(text: string, voice: TtsVoice): Promise<Int16Array>;
}

export class TtsError extends Error {
  readonly code: 'engine-failed' | 'empty-text';
  constructor(code: 'engine-failed' | 'empty-text', message: string) {
    super(`${code}: ${message}`);
    this.name = 'TtsError';
    this.code = code;
  }
}
