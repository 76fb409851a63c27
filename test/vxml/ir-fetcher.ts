import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/shared/clock.ts';
import { HttpFileFetcher } from '../../src/ivr/fetch/http-file-fetcher.ts';
import type { FetchRequest, FetchedResource, ResourceFetcher } from '../../src/ivr/fetch/resource-fetcher.ts';

const CONF_NS = 'http://www.w3.org/2002/vxml-conformance';
const VXML_NS = 'http://www.w3.org/2001/vxml';

const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The W3C IR convention (MANIFEST.md): a link to X.vxml means the
 * transformed X.txml. Our transformation maps the conf: elements to plain
 * VoiceXML: pass/fail end the session with `<exit expr>` ("pass" /
 * "fail: ..."), comment becomes `<log>`, the input requests become prompts.
 */
export function transformTxml(text: string): string {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const confs: Element[] = [];
  const all = doc.getElementsByTagNameNS(CONF_NS, '*');
  for (let i = 0; i < all.length; i++) confs.push(all.item(i)!);
  for (const el of confs) {
    const mk = (name: string): Element => doc.createElementNS(VXML_NS, name);
    let repl: Element[] = [];
    switch (el.localName) {
      case 'pass': {
        const e = mk('exit');
        e.setAttribute('expr', "'pass'");
        repl = [e];
        break;
      }
      case 'fail': {
        const e = mk('exit');
        const expr = el.getAttribute('expr');
        const reason = el.getAttribute('reason') ?? '';
        e.setAttribute('expr', expr ? `'fail: ' + (${expr})` : `'fail: ' + ${quote(reason)}`);
        repl = [e];
        break;
      }
      case 'comment': {
        const e = mk('log');
        e.appendChild(doc.createTextNode(el.textContent ?? ''));
        repl = [e];
        break;
      }
      default: {
        const e = mk('prompt');
        const v = el.getAttribute('value');
        e.appendChild(doc.createTextNode(el.localName === 'dtmf' ? `Press '${v}'.` : `${el.localName} ${v ?? ''}`.trim()));
        repl = [e];
      }
    }
    for (const r of repl) el.parentNode!.insertBefore(r, el);
    el.parentNode!.removeChild(el);
  }
  return new XMLSerializer().serializeToString(doc);
}

export class IrFetcher implements ResourceFetcher {
  private readonly files = new HttpFileFetcher(systemClock);
  readonly fetched: string[] = [];

  async fetch(req: FetchRequest): Promise<FetchedResource> {
    this.fetched.push(req.url);
    if (req.url.endsWith('.vxml')) {
      const txml = req.url.replace(/\.vxml$/, '.txml');
      const res = await this.files.fetch({ ...req, url: txml });
      return { url: req.url, text: transformTxml(res.text), version: res.version };
    }
    return this.files.fetch(req);
  }
}

export async function readJson<T>(url: URL): Promise<T> {
  return JSON.parse(await readFile(fileURLToPath(url), 'utf8')) as T;
}
