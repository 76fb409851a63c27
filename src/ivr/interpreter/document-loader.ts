import { parseVxml, DocumentError } from '../document/vxml-parser.ts';
import type { VxmlDocument, VxmlElement } from '../document/vxml-model.ts';
import { parseXml, toTree } from '../document/xml-tree.ts';
import { FetchError, type ResourceFetcher } from '../fetch/resource-fetcher.ts';
import { VxmlEvent } from './signals.ts';

/**
 * Fetch + parse with a per-version cache shared by all sessions (documents
 * are immutable once parsed). Every failure becomes error.badfetch (with an
 * HTTP-style suffix where VoiceXML 2.1 has one).
 */
export class DocumentLoader {
  private readonly docs = new Map<string, VxmlDocument>();

  constructor(private readonly fetcher: ResourceFetcher, private readonly maxBytes: number) {}

  async document(url: string, timeoutMs: number, method: 'GET' | 'POST' = 'GET', fields?: Record<string, string>): Promise<VxmlDocument> {
    const res = await this.text(url, timeoutMs, method, fields);
    const key = `${res.url}\n${res.version}`;
    const hit = method === 'GET' ? this.docs.get(key) : undefined;
    if (hit) return hit;
    try {
      const doc = parseVxml(res.text, res.url);
      if (method === 'GET') {
        this.docs.set(key, doc);
        if (this.docs.size > 1000) this.docs.delete(this.docs.keys().next().value!);
      }
      return doc;
    } catch (e) {
      if (e instanceof DocumentError) throw new VxmlEvent('error.badfetch', e.message);
      throw e;
    }
  }

  /** An XML resource (grammar, data) as a tree. */
  async xml(url: string, timeoutMs: number, fields?: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<VxmlElement> {
    const res = await this.text(url, timeoutMs, method, fields);
    try {
      return toTree(parseXml(res.text, res.url).root, () => true);
    } catch (e) {
      throw new VxmlEvent('error.badfetch', (e as Error).message);
    }
  }

  async text(url: string, timeoutMs: number, method: 'GET' | 'POST' = 'GET', fields?: Record<string, string>): Promise<{ url: string; text: string; version: string }> {
    try {
      return await this.fetcher.fetch({ url, timeoutMs, maxBytes: this.maxBytes, method, fields });
    } catch (e) {
      if (e instanceof FetchError) {
        const m = /HTTP (\d+)/.exec(e.message);
        const suffix = e.code === 'not-found' ? '.http.404' : m ? `.http.${m[1]}` : '';
        throw new VxmlEvent(`error.badfetch${suffix}`, e.message);
      }
      throw new VxmlEvent('error.badfetch', (e as Error).message);
    }
  }
}
