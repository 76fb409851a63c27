// The typed VoiceXML builder escapes everything it renders (issue 8, IVR-1).
import { describe, expect, it } from 'vitest';
import { el, escapeXml, jsLiteral, renderDocument } from './vxml.ts';

describe('IVR-1 VoiceXML builder', () => {
  it.each([
    ['plain', '王建国', '王建国'],
    ['markup', 'a<b>&"c\'', 'a&lt;b&gt;&amp;&quot;c&apos;'],
    ['control characters dropped', 'x\u0001y', 'xy'],
  ])('escapes text: %s', (_n, input, want) => expect(escapeXml(input)).toBe(want));

  it('renders attributes escaped, skips undefined ones and false children', () => {
    const doc = el('vxml', { version: '2.1', 'xml:lang': 'zh-CN' }, el('form', { id: 'a', x: undefined }, false, el('block', {}, el('prompt', {}, 'R&D <1>'))));
    expect(renderDocument(doc)).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<vxml version="2.1" xml:lang="zh-CN"><form id="a"><block><prompt>R&amp;D &lt;1&gt;</prompt></block></form></vxml>\n');
  });

  it('a JSON value becomes a script expression that survives attribute escaping', () => {
    const v = { name: '李"秀\'英', n: 1 };
    expect(JSON.parse(jsLiteral(v))).toEqual(v);
    expect(renderDocument(el('vxml', {}, el('exit', { expr: jsLiteral(v) })))).toContain('expr="{&quot;name&quot;:&quot;李\\&quot;秀&apos;英&quot;,&quot;n&quot;:1}"');
  });

  it('refuses a document whose root is not <vxml>', () => {
    expect(() => renderDocument(el('form'))).toThrow(/root/);
  });
});
