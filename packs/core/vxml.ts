/**
 * A small typed VoiceXML builder: elements are data, rendering escapes every
 * text node and attribute value in one place. Packs never concatenate XML
 * strings; a customer name, a stock name or a mailbox text containing `<`
 * or `&` cannot break (or inject into) a document.
 */
export type VxmlTag =
  | 'vxml' | 'form' | 'menu' | 'choice' | 'field' | 'block' | 'prompt' | 'filled' | 'submit' | 'goto'
  | 'catch' | 'noinput' | 'nomatch' | 'reprompt' | 'exit' | 'transfer' | 'var' | 'assign' | 'if' | 'else'
  | 'say-as' | 's' | 'break' | 'property' | 'log' | 'disconnect' | 'clear';

export type VxmlNode = VxmlEl | string;
export type AttrValue = string | number | boolean | undefined;

export interface VxmlEl {
  readonly tag: VxmlTag;
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly children: readonly VxmlNode[];
}

/** Children may be given nested or conditionally (`cond && el(...)`): false, null and undefined are dropped. */
export type Child = VxmlNode | false | null | undefined | readonly Child[];

export function el(tag: VxmlTag, attrs: Readonly<Record<string, AttrValue>> = {}, ...children: Child[]): VxmlEl {
  return { tag, attrs, children: flatten(children) };
}

function flatten(cs: readonly Child[]): VxmlNode[] {
  const out: VxmlNode[] = [];
  for (const c of cs) {
    if (c === false || c === null || c === undefined) continue;
    if (typeof c === 'string' || !Array.isArray(c)) out.push(c as VxmlNode);
    else out.push(...flatten(c as readonly Child[]));
  }
  return out;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped rather than escaped.
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => TEXT_ESCAPES[c]!);
}

function renderNode(n: VxmlNode, out: string[]): void {
  if (typeof n === 'string') {
    out.push(escapeXml(n));
    return;
  }
  out.push('<', n.tag);
  for (const [k, v] of Object.entries(n.attrs)) {
    if (v === undefined) continue;
    out.push(' ', k, '="', escapeXml(String(v)), '"');
  }
  if (n.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const c of n.children) renderNode(c, out);
  out.push('</', n.tag, '>');
}

/** A whole document: the XML declaration and the `<vxml>` root. */
export function renderDocument(root: VxmlEl): string {
  if (root.tag !== 'vxml') throw new Error(`document root must be <vxml>, not <${root.tag}>`);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  renderNode(root, out);
  out.push('\n');
  return out.join('');
}

/** A JavaScript expression whose value is `value` (JSON is a subset of ECMAScript expressions). */
export function jsLiteral(value: unknown): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
