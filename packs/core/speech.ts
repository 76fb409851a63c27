/**
 * What a prompt says, as data: plain text plus parts a TTS engine must read
 * in a particular way (a stock code digit by digit, not as a number).
 */
export type SpeechPart = string | { readonly digits: string } | { readonly text: string; readonly lang: 'zh-CN' | 'en-US' };
export type Speech = readonly SpeechPart[];

export const digits = (s: string): SpeechPart => ({ digits: s });

/** Plain text of a speech (logs, call-attached data, tests). */
export function speechText(s: Speech): string {
  return s.map((p) => (typeof p === 'string' ? p : 'digits' in p ? p.digits : p.text)).join('');
}
