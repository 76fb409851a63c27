import type { ConfCase } from './conformance.test.ts';
import { vxml } from './memory-fetcher.ts';

const P = `<exit expr="'pass'"/>`;
const check = (cond: string, what = cond): string =>
  `<if cond="${cond.replace(/</g, '&lt;').replace(/"/g, '&quot;')}">${P}<else/><exit expr="'fail: ${what.replace(/['"<>&]/g, '')}'"/></if>`;

export const CASES_FIA: ConfCase[] = [
  {
    name: 'form items run in document order; a filled item is skipped',
    docs: { 'a.vxml': vxml(`<form><var name="t" expr="''"/><block name="b1"><assign name="t" expr="t+'1'"/></block><block><assign name="t" expr="t+'2'"/>${check("t=='12' && b1 == true")}</block></form>`) },
    script: [],
  },
  {
    name: 'cond=false items are not selected',
    docs: { 'a.vxml': vxml(`<form><block cond="false"><exit expr="'fail: cond'"/></block><block>${P}</block></form>`) },
    script: [],
  },
  {
    name: 'field expr pre-fills and the item is skipped',
    docs: { 'a.vxml': vxml(`<form><field name="f" expr="'x'" type="digits"/><block>${check("f=='x'")}</block></form>`) },
    script: [],
  },
  {
    name: 'goto nextitem jumps inside the form',
    docs: { 'a.vxml': vxml(`<form><block><goto nextitem="c"/></block><block name="b"><exit expr="'fail: b ran'"/></block><block name="c">${P}</block></form>`) },
    script: [],
  },
  {
    name: 'goto #dialog and goto next document with fragment',
    docs: {
      'a.vxml': vxml(`<form><block><goto next="#two"/></block></form><form id="two"><block><goto next="b.vxml#three"/></block></form>`),
      'b.vxml': vxml(`<form id="one"><block><exit expr="'fail: wrong dialog'"/></block></form><form id="three"><block>${P}</block></form>`),
    },
    script: [],
  },
  {
    name: 'field filled by DTMF runs its <filled>, then the form continues',
    docs: { 'a.vxml': vxml(`<form><var name="seen"/><field name="f" type="digits?length=2"><prompt>Enter two digits</prompt><filled><assign name="seen" expr="f"/></filled></field><block>${check("seen=='42' && f$.utterance=='42' && application.lastresult$[0].inputmode=='dtmf'")}</block></form>`) },
    script: [{ keys: '42' }],
  },
  {
    name: 'form-level filled mode=all fires when every field is filled',
    docs: { 'a.vxml': vxml(`<form><field name="a" type="boolean"/><field name="b" type="boolean"/><filled mode="all"><if cond="a === true &amp;&amp; b === false">${P}</if></filled></form>`) },
    script: [{ keys: '1' }, { keys: '2' }],
  },
  {
    name: 'filled mode=any namelist fires on the first listed field',
    docs: { 'a.vxml': vxml(`<form><field name="a" type="boolean"/><filled mode="any" namelist="a">${check('a === true')}</filled><field name="b" type="boolean"/></form>`) },
    script: [{ keys: '1' }],
  },
  {
    name: 'clear resets a field so it is collected again',
    docs: { 'a.vxml': vxml(`<form><var name="n" expr="0"/><field name="f" type="boolean"><filled><assign name="n" expr="n+1"/><if cond="n==1"><clear namelist="f"/></if></filled></field><block>${check('n==2 && f===false')}</block></form>`) },
    script: [{ keys: '1' }, { keys: '2' }],
  },
  {
    name: 'record: DTMF-terminated recording fills the item and its shadow variables',
    docs: { 'a.vxml': vxml(`<form><record name="msg" maxtime="10s" dtmfterm="true"><prompt>Speak after the tone</prompt></record><block>${check("msg.duration == 1500 && msg$.termchar == '#' && msg$.size > 0")}</block></form>`) },
    script: [{ record: { durationMs: 1500, termKey: '#' } }],
  },
  {
    name: 'transfer (bridge) fills the item with the outcome',
    docs: { 'a.vxml': vxml(`<form><transfer name="t" dest="tel:+8610000" type="bridge" connecttimeout="20s"/><block>${check("t == 'busy'")}</block></form>`) },
    script: [{ transfer: 'busy' }],
  },
  {
    name: 'blind transfer raises connection.disconnect.transfer',
    docs: { 'a.vxml': vxml(`<catch event="connection.disconnect.transfer">${P}</catch><form><transfer name="t" destexpr="'sip:8001@hotline'" type="blind"/></form>`) },
    script: [],
  },
  {
    name: 'exit namelist returns the listed values',
    docs: { 'a.vxml': vxml(`<form><var name="x" expr="7"/><block><exit namelist="x"/></block></form>`) },
    script: [],
    expect: { x: 7 },
  },
];

export const CASES_EVENTS: ConfCase[] = [
  {
    name: 'noinput count 1 then count 2 handlers (counts per item)',
    docs: { 'a.vxml': vxml(`<form><var name="h" expr="''"/><field name="f" type="boolean"><noinput><assign name="h" expr="h+'a'"/><reprompt/></noinput><noinput count="2"><assign name="h" expr="h+'b'"/><reprompt/></noinput></field><block>${check("h=='ab' && f===true")}</block></form>`) },
    script: [{ silence: true }, { silence: true }, { keys: '1' }],
  },
  {
    name: 'nomatch handler then a match',
    docs: { 'a.vxml': vxml(`<form><var name="n" expr="0"/><field name="f" type="boolean"><nomatch><assign name="n" expr="n+1"/></nomatch></field><block>${check('n==1 && f===true')}</block></form>`) },
    script: [{ keys: '7' }, { keys: '1' }],
  },
  {
    name: 'prompt count selects the prompt for each attempt',
    docs: { 'a.vxml': vxml(`<form><field name="f" type="boolean"><prompt count="1">first</prompt><prompt count="2">second</prompt><noinput><reprompt/></noinput></field><block>${P}</block></form>`) },
    script: [{ silence: true }, { keys: '1' }],
  },
  {
    name: 'throw of a custom event caught by prefix at document level',
    docs: { 'a.vxml': vxml(`<catch event="app.x">${P}</catch><form><block><throw event="app.x.y" message="m"/></block></form>`) },
    script: [],
  },
  {
    name: '_event and _message are visible in the handler',
    docs: { 'a.vxml': vxml(`<form><catch event="my.ev">${check("_event=='my.ev' && _message=='hello'")}</catch><block><throw event="my.ev" messageexpr="'hel'+'lo'"/></block></form>`) },
    script: [],
  },
  {
    name: 'inner handler wins over outer; cond=false handlers are skipped',
    docs: { 'a.vxml': vxml(`<catch event="e"><exit expr="'fail: outer'"/></catch><form><catch event="e" cond="false"><exit expr="'fail: cond'"/></catch><catch event="e">${P}</catch><block><throw event="e"/></block></form>`) },
    script: [],
  },
  {
    name: 'application root document handlers are inherited',
    docs: {
      'leaf.vxml': `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml" application="root.vxml"><form><block><throw event="from.leaf"/></block></form></vxml>`,
      'root.vxml': vxml(`<catch event="from.leaf">${P}</catch>`),
    },
    script: [],
  },
  {
    name: 'error.semantic from a script error is catchable',
    docs: { 'a.vxml': vxml(`<catch event="error.semantic">${P}</catch><form><block><script>undefinedFunction();</script></block></form>`) },
    script: [],
  },
  {
    name: 'assign to an undeclared variable is error.semantic',
    docs: { 'a.vxml': vxml(`<catch event="error.semantic">${P}</catch><form><block><assign name="nope" expr="1"/></block></form>`) },
    script: [],
  },
  {
    name: 'goto to a missing document is error.badfetch in the calling document',
    docs: { 'a.vxml': vxml(`<error>${check("_event.indexOf('error.badfetch')==0")}</error><form><block><goto next="missing.vxml"/></block></form>`) },
    script: [],
  },
  {
    name: 'hangup raises connection.disconnect.hangup',
    docs: { 'a.vxml': vxml(`<catch event="connection.disconnect.hangup">${P}</catch><form><field name="f" type="boolean"/></form>`) },
    script: [{ hangup: true }],
  },
  {
    name: 'IVR-3 lone * in a field raises hotline.agent',
    docs: { 'a.vxml': vxml(`<catch event="hotline.agent">${P}</catch><form><field name="f" type="digits?length=4"/></form>`) },
    script: [{ keys: '*' }],
  },
  {
    name: 'IVR-3 lone 0 raises hotline.back',
    docs: { 'a.vxml': vxml(`<catch event="hotline.back">${P}</catch><form><field name="f" type="boolean"/></form>`) },
    script: [{ keys: '0' }],
  },
];

export const CASES_SCOPES: ConfCase[] = [
  {
    name: 'document, dialog and anonymous scopes resolve innermost first',
    docs: { 'a.vxml': vxml(`<var name="x" expr="'doc'"/><form><var name="x" expr="'dialog'"/><block><var name="x" expr="'anon'"/>${check("x=='anon' && dialog.x=='dialog' && document.x=='doc'")}</block></form>`) },
    script: [],
  },
  {
    name: 'anonymous scope does not survive its block',
    docs: { 'a.vxml': vxml(`<form><block><var name="tmp" expr="1"/></block><block>${check("typeof tmp == 'undefined'")}</block></form>`) },
    script: [],
  },
  {
    name: 'application scope is kept across leaf documents of the same root',
    docs: {
      'l1.vxml': `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml" application="root.vxml"><form><block><assign name="application.count" expr="count + 1"/><goto next="l2.vxml"/></block></form></vxml>`,
      'root.vxml': vxml(`<var name="count" expr="10"/>`),
      'l2.vxml': `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml" application="root.vxml"><form><block><if cond="application.count == 11"><exit expr="'pass'"/><else/><exit expr="'fail: ' + count"/></if></block></form></vxml>`,
    },
    script: [],
  },
  {
    name: 'document scope is reset when another document is entered',
    docs: {
      'a.vxml': vxml(`<var name="d" expr="1"/><form><block><goto next="b.vxml"/></block></form>`),
      'b.vxml': vxml(`<form><block>${check("typeof d == 'undefined'")}</block></form>`),
    },
    script: [],
  },
  {
    name: 'script var and function declarations land in the enclosing scope',
    docs: { 'a.vxml': vxml(`<script>var k = 2; function dbl(v) { return v * k; }</script><form><block>${check('dbl(21) == 42 && document.k == 2')}</block></form>`) },
    script: [],
  },
  {
    name: 'session variables come from the platform',
    docs: { 'a.vxml': vxml(`<form><block>${check("typeof session.connection == 'object'")}</block></form>`) },
    script: [],
  },
];
