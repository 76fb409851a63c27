/**
 * SEC-3 voice mailboxes: texts read out by TTS. The source is a port; the
 * folder implementation reads plain text files a content editor drops into
 * a configured folder, one tree per locale:
 *
 *   <root>/<locale>/special-notes/<code>.txt    special note of a security
 *   <root>/<locale>/analysis/<institution>.txt  market analysis by institution
 *   <root>/<locale>/recommendations.txt         stock recommendations
 *   <root>/<locale>/comments/<code>.txt         comment on a security
 *   <root>/<locale>/announcements.txt           broker announcements
 *
 * A missing or empty file means "no latest information". Files are read at
 * each request, so an edited text is heard by the next caller (IVR-2).
 */
import type { Locale } from './locale.ts';

export const INSTITUTIONS = ['wanguo', 'shenguang', 'lianzheng'] as const;
export type Institution = (typeof INSTITUTIONS)[number];

export type MailboxItem =
  | { readonly box: 'special-notes' | 'comments'; readonly code: string }
  | { readonly box: 'analysis'; readonly institution: Institution }
  | { readonly box: 'recommendations' | 'announcements' };

export interface MailboxSource {
  /** The text to read, or undefined when there is none. */
  read(locale: Locale, item: MailboxItem): Promise<string | undefined>;
}

/** Reads a file relative to a root; undefined when it does not exist. */
export type TextFileReader = (relativePath: string) => Promise<string | undefined>;

/** Longest text read out in one go (about two minutes of speech). */
export const MAX_MAILBOX_CHARS = 1_500;

export class FolderMailbox implements MailboxSource {
  constructor(private readonly read0: TextFileReader) {}

  async read(locale: Locale, item: MailboxItem): Promise<string | undefined> {
    const rel = relativePath(locale, item);
    if (!rel) return undefined;
    const text = (await this.read0(rel))?.replace(/\s+/g, ' ').trim();
    if (!text) return undefined;
    return text.length > MAX_MAILBOX_CHARS ? text.slice(0, MAX_MAILBOX_CHARS) : text;
  }
}

/** The file of an item; undefined for a malformed key (no path can leave the tree). */
export function relativePath(locale: Locale, item: MailboxItem): string | undefined {
  switch (item.box) {
    case 'special-notes':
    case 'comments':
      return /^\d{6}$/.test(item.code) ? `${locale}/${item.box}/${item.code}.txt` : undefined;
    case 'analysis':
      return (INSTITUTIONS as readonly string[]).includes(item.institution) ? `${locale}/analysis/${item.institution}.txt` : undefined;
    case 'recommendations':
    case 'announcements':
      return `${locale}/${item.box}.txt`;
  }
}
