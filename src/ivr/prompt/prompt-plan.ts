import type { PromptSegment } from '../channel/voice-channel.ts';
import { localeOf, sayAs, type PromptLocale } from './say-as.ts';

/**
 * What a prompt becomes before it is audio: runs of speech in one voice,
 * silences, and audio files with the plan to speak instead when the file
 * cannot be played. Pure: `planPrompt` does no I/O.
 */
export type PlanItem =
  | { readonly kind: 'speech'; readonly text: string; readonly locale: PromptLocale }
  | { readonly kind: 'silence'; readonly ms: number }
  | { readonly kind: 'audio'; readonly url: string; readonly fallback: readonly PlanItem[] };

/** Longest `<break>` honoured (a document asking for ten minutes of silence gets this). */
export const MAX_BREAK_MS = 10_000;

export function planPrompt(segments: readonly PromptSegment[], locale: PromptLocale): PlanItem[] {
  const out: PlanItem[] = [];
  const speak = (text: string, loc: PromptLocale) => {
    const t = text.replace(/\s+/g, ' ').trim();
    if (t === '') return;
    const last = out[out.length - 1];
    if (last?.kind === 'speech' && last.locale === loc) out[out.length - 1] = { kind: 'speech', text: joinText(last.text, t, loc), locale: loc };
    else out.push({ kind: 'speech', text: t, locale: loc });
  };
  for (const s of segments) {
    switch (s.kind) {
      case 'text':
        speak(s.text, localeOf(s.lang, locale));
        break;
      case 'say-as': {
        const loc = localeOf(s.lang, locale);
        speak(sayAs(s.interpretAs, s.text, loc), loc);
        break;
      }
      case 'break': {
        const ms = Math.min(MAX_BREAK_MS, Math.max(0, Math.round(s.ms)));
        if (ms === 0) break;
        const last = out[out.length - 1];
        if (last?.kind === 'silence') out[out.length - 1] = { kind: 'silence', ms: Math.min(MAX_BREAK_MS, last.ms + ms) };
        else out.push({ kind: 'silence', ms });
        break;
      }
      case 'audio':
        if (s.url === '') out.push(...planPrompt(s.fallback, locale));
        else out.push({ kind: 'audio', url: s.url, fallback: planPrompt(s.fallback, locale) });
        break;
      case 'mark':
        break;
    }
  }
  return out;
}

const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

/** Two Chinese runs join without a space (a space can be read as a pause); otherwise with one. */
function joinText(a: string, b: string, locale: PromptLocale): string {
  if (locale === 'zh-CN' && CJK.test(a.slice(-1)) && CJK.test(b.slice(0, 1))) return a + b;
  return `${a} ${b}`;
}

/** The plan as one line of text (logs, tests): speech as said, silences as [500ms], audio as [audio URL | fallback]. */
export function planText(plan: readonly PlanItem[]): string {
  return plan
    .map((p) => (p.kind === 'speech' ? p.text : p.kind === 'silence' ? `[${p.ms}ms]` : `[audio ${p.url}${p.fallback.length ? ` | ${planText(p.fallback)}` : ''}]`))
    .join(' ');
}
