import type { ConfCase } from './conformance.test.ts';
import { vxml } from './memory-fetcher.ts';

const P = `<exit expr="'pass'"/>`;
const field = (type: string, keys: string, cond: string): ConfCase => ({
  name: `${type} ← "${keys}" gives ${cond}`,
  docs: { 'a.vxml': vxml(`<form><field name="f" type="${type}"/><block><if cond="${cond.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">${P}<else/><exit expr="'fail: ' + JSON.stringify(f)"/></if></block></form>`) },
  script: [{ keys }],
});
const rejects = (type: string, keys: string): ConfCase => ({
  name: `${type} rejects "${keys}"`,
  docs: { 'a.vxml': vxml(`<form><field name="f" type="${type}"><nomatch>${P}</nomatch></field><block><exit expr="'fail: accepted ' + f"/></block></form>`) },
  script: [{ keys }],
});

export const CASES_BUILTINS: ConfCase[] = [
  field('digits', '12345#', "f === '12345'"),
  field('digits?length=4', '1234', "f === '1234'"),
  field('digits?minlength=2;maxlength=3', '12', "f === '12'"),
  rejects('digits?minlength=3', '12#'),
  field('number', '12*5#', 'f === 12.5'),
  field('currency', '100*25#', "f === '100.25'"),
  rejects('currency', '1*234'),
  field('boolean', '1', 'f === true'),
  field('boolean', '2', 'f === false'),
  rejects('boolean', '3'),
  field('date', '20240229', "f === '20240229'"),
  rejects('date', '20230230'),
  field('time', '0930', "f === '0930h'"),
  rejects('time', '2460'),
  field('phone', '95000*123#', "f === '95000x123'"),
  field('digits?all=true', '#', "f === 'all'"),
];

const grammar = (body: string, root = 'r', extra = ''): string =>
  `<grammar mode="dtmf" root="${root}" version="1.0" ${extra}>${body}</grammar>`;
const srgs = (name: string, g: string, keys: string, cond: string): ConfCase => ({
  name,
  docs: { 'a.vxml': vxml(`<form><field name="f">${g}</field><block><if cond="${cond.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">${P}<else/><exit expr="'fail: ' + JSON.stringify(f)"/></if></block></form>`) },
  script: [{ keys }],
});

export const CASES_SRGS: ConfCase[] = [
  srgs('one-of items', grammar(`<rule id="r"><one-of><item>1</item><item>2</item></one-of></rule>`), '2', "f === '2'"),
  srgs('item repeat="2-4" with termchar', grammar(`<rule id="r"><item repeat="2-4"><one-of><item>1</item><item>2</item><item>3</item></one-of></item></rule>`), '123#', "f === '123'"),
  srgs('item repeat exact count completes without termchar', grammar(`<rule id="r"><item repeat="3">5</item></rule>`), '555', "f === '555'"),
  srgs('ruleref to a local rule', grammar(`<rule id="r"><item>1</item><ruleref uri="#d"/></rule><rule id="d"><one-of><item>7</item><item>8</item></one-of></rule>`), '18', "f === '18'"),
  srgs(
    'tag script sets out properties (SISR)',
    grammar(`<rule id="r"><one-of><item>1<tag>out.fund = 'A'; out.n = 1;</tag></item><item>2<tag>out.fund = 'B'; out.n = 2;</tag></item></one-of></rule>`, 'r', 'tag-format="semantics/1.0"'),
    '2',
    "f.fund === 'B' && f.n === 2",
  ),
  srgs('literal tags (semantics/1.0-literals)', grammar(`<rule id="r"><one-of><item>1<tag>balance</tag></item><item>2<tag>transfer</tag></item></one-of></rule>`, 'r', 'tag-format="semantics/1.0-literals"'), '1', "f === 'balance'"),
  srgs('rules.latest() passes a sub-rule result up', grammar(`<rule id="r"><ruleref uri="#d"/><tag>out = 'digit ' + rules.latest();</tag></rule><rule id="d"><one-of><item>4</item><item>5</item></one-of></rule>`, 'r', 'tag-format="semantics/1.0"'), '5', "f === 'digit 5'"),
  {
    name: 'no-match input raises nomatch',
    docs: { 'a.vxml': vxml(`<form><field name="f">${grammar(`<rule id="r"><item>1</item></rule>`)}<nomatch>${P}</nomatch></field></form>`) },
    script: [{ keys: '9' }],
  },
  {
    name: 'incomplete input followed by inter-digit timeout is nomatch',
    docs: { 'a.vxml': vxml(`<form><field name="f">${grammar(`<rule id="r"><item>1 2 3</item></rule>`)}<nomatch>${P}</nomatch></field></form>`) },
    script: [{ keys: '12' }],
  },
  {
    name: 'a ruleref to an undefined rule is error.badfetch',
    docs: { 'a.vxml': vxml(`<error><if cond="_event.indexOf('error.badfetch')==0">${P}</if></error><form><field name="f">${grammar(`<rule id="r"><ruleref uri="#nope"/></rule>`)}</field></form>`) },
    script: [{ keys: '1' }],
  },
];

export const CASES_MENUS: ConfCase[] = [
  {
    name: 'dtmf="true" numbers choices 1..9 and <enumerate> lists them',
    docs: {
      'a.vxml': vxml(`<menu dtmf="true"><prompt>Main menu. <enumerate/></prompt><choice next="#bal">Balance</choice><choice next="#fund">Funds</choice></menu><form id="bal"><block><exit expr="'fail: bal'"/></block></form><form id="fund"><block>${P}</block></form>`),
    },
    script: [{ keys: '2' }],
  },
  {
    name: 'explicit choice dtmf and an event choice',
    docs: { 'a.vxml': vxml(`<catch event="go.agent">${P}</catch><menu><prompt>Press 9 for an agent</prompt><choice dtmf="9" event="go.agent">Agent</choice></menu>`) },
    script: [{ keys: '9' }],
  },
  {
    name: 'menu nomatch handler then a valid choice',
    docs: { 'a.vxml': vxml(`<menu id="m" dtmf="true"><prompt>Choose</prompt><choice next="#ok">One</choice><nomatch><reprompt/></nomatch></menu><form id="ok"><block>${P}</block></form>`) },
    script: [{ keys: '5' }, { keys: '1' }],
  },
  {
    name: 'enumerate with content uses _prompt and _dtmf',
    docs: { 'a.vxml': vxml(`<menu dtmf="true"><prompt><enumerate>For <value expr="_prompt"/> press <value expr="_dtmf"/>.</enumerate></prompt><choice next="#ok">Funds</choice></menu><form id="ok"><block>${P}</block></form>`) },
    script: [{ keys: '1' }],
  },
];
