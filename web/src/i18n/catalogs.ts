/**
 * The two message catalogs and the pure helpers over them: which locale a
 * browser asks for, and filling `{name}` placeholders.
 */
import { en, type MessageKey } from './messages-en.ts';
import { zh } from './messages-zh.ts';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];
export type { MessageKey };

export const CATALOGS: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { 'en-US': en, 'zh-CN': zh };

export type MessageVars = Readonly<Record<string, string | number>>;

/** Replaces each `{name}` with its value; a placeholder without a value stays as written. */
export function format(template: string, vars: MessageVars = {}): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate(locale: Locale, key: MessageKey, vars?: MessageVars): string {
  return format(CATALOGS[locale][key], vars);
}

/** The placeholder names a message uses, sorted. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!).sort();
}

/** The locale to start in: a saved choice if valid, else Chinese for a zh* browser, else English. */
export function initialLocale(saved: string | null | undefined, browserLanguages: readonly string[]): Locale {
  if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  const first = browserLanguages[0]?.toLowerCase() ?? '';
  return first.startsWith('zh') ? 'zh-CN' : 'en-US';
}
