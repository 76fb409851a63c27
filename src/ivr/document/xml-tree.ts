import { DOMParser, type Element as XmlElement, type Node as XmlNode } from '@xmldom/xmldom';
import type { VxmlElement, VxmlNode } from './vxml-model.ts';

/**
 * XML text to a plain tree of elements and text. We use @xmldom/xmldom: a
 * maintained, dependency-free W3C DOM parser that keeps namespaces (needed to
 * tell VoiceXML from foreign elements such as the conformance `conf:` ones),
 * reports every well-formedness error through a callback we turn into a
 * typed failure, and gives `<data>` a real DOM to convert.
 */
export class XmlSyntaxError extends Error {
  readonly code = 'malformed-xml';
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

export interface ParsedXml {
  readonly root: XmlElement;
}

export function parseXml(text: string, url: string): ParsedXml {
  let firstError: string | undefined;
  const parser = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') firstError ??= msg;
    },
  });
  let doc;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (e) {
    throw new XmlSyntaxError(`${url}: ${(e as Error).message}`);
  }
  if (firstError !== undefined) throw new XmlSyntaxError(`${url}: ${firstError}`);
  const root = doc.documentElement;
  if (!root) throw new XmlSyntaxError(`${url}: no root element`);
  return { root };
}

export const VXML_NS = 'http://www.w3.org/2001/vxml';
export const SRGS_NS = 'http://www.w3.org/2001/06/grammar';
export const SSML_NS = 'http://www.w3.org/2001/10/synthesis';

/** Convert a DOM element to the model tree; `keep` decides which elements to keep. */
export function toTree(el: XmlElement, keep: (ns: string | null) => boolean): VxmlElement {
  const attrs: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (a && a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.localName ?? a.name] = a.value;
  }
  const children: VxmlNode[] = [];
  for (let n: XmlNode | null = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const ce = n as XmlElement;
      if (keep(ce.namespaceURI)) children.push(toTree(ce, keep));
    } else if (n.nodeType === 3 || n.nodeType === 4) {
      const text = n.nodeValue ?? '';
      if (text.length > 0) children.push({ kind: 'text', text });
    }
  }
  return { kind: 'element', name: el.localName ?? el.nodeName, attrs, children };
}

/** An XML tree as the JSON the sandbox DOM is built from (`{t,n,a,c}` / `{t,v}`). */
export type XmlJson = { t: 'e'; n: string; a: Record<string, string>; c: XmlJson[] } | { t: 'x'; v: string };

export function toXmlJson(el: VxmlElement): XmlJson {
  return {
    t: 'e',
    n: el.name,
    a: { ...el.attrs },
    c: el.children.map((c) => (c.kind === 'text' ? { t: 'x' as const, v: c.text } : toXmlJson(c))),
  };
}
