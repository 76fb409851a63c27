import type { ConfCase } from './conformance.test.ts';
import { vxml } from './memory-fetcher.ts';

const P = `<exit expr="'pass'"/>`;

export const CASES_SUBDIALOG_DATA_PROPS: ConfCase[] = [
  {
    name: 'subdialog with params returns values; caller scopes are restored',
    docs: {
      'a.vxml': vxml(`<var name="mine" expr="'kept'"/><form><subdialog name="r" src="sub.vxml"><param name="acct" expr="'1001'"/></subdialog><block><if cond="r.ok == 'yes-1001' &amp;&amp; mine == 'kept'">${P}<else/><exit expr="'fail: ' + JSON.stringify(r)"/></if></block></form>`),
      'sub.vxml': vxml(`<var name="mine" expr="'sub'"/><form><var name="acct"/><block><var name="ok" expr="'yes-' + acct"/><return namelist="ok"/></block></form>`),
    },
    script: [],
  },
  {
    name: 'subdialog return event is thrown in the caller',
    docs: {
      'a.vxml': vxml(`<form><catch event="auth.failed">${P}</catch><subdialog name="r" src="sub.vxml"/></form>`),
      'sub.vxml': vxml(`<form><block><return event="auth.failed"/></block></form>`),
    },
    script: [],
  },
  {
    name: 'subdialog collects input from the caller',
    docs: {
      'a.vxml': vxml(`<form><subdialog name="r" src="sub.vxml#pin"/><block><if cond="r.pin == '1234'">${P}</if></block></form>`),
      'sub.vxml': vxml(`<form id="pin"><field name="pin" type="digits?length=4"><prompt>PIN</prompt></field><block><return namelist="pin"/></block></form>`),
    },
    script: [{ keys: '1234' }],
  },
  {
    name: 'data fetches XML exposed as a DOM; foreach walks an array',
    docs: {
      'a.vxml': vxml(`<form><block><data name="d" src="funds.xml"/><var name="names" expr="''"/><var name="items" expr="d.documentElement.getElementsByTagName('fund')"/><foreach item="it" array="items"><assign name="names" expr="names + it.getAttribute('code') + it.firstChild.data"/></foreach><if cond="names == 'F1Alpha;F2Beta;'">${P}<else/><exit expr="'fail: ' + names"/></if></block></form>`),
      'funds.xml': `<?xml version="1.0"?><funds><fund code="F1">Alpha;</fund><fund code="F2">Beta;</fund></funds>`,
    },
    script: [],
  },
  {
    name: 'foreach plays a prompt per element',
    docs: { 'a.vxml': vxml(`<form><block><var name="n" expr="0"/><foreach item="x" array="[1,2,3]"><assign name="n" expr="n + x"/><prompt><value expr="x"/></prompt></foreach><if cond="n == 6">${P}</if></block></form>`) },
    script: [],
  },
  {
    name: 'submit sends the namelist and goes to the returned document',
    docs: {
      'a.vxml': vxml(`<form><var name="acct" expr="'88'"/><block><submit next="check.vxml" namelist="acct"/></block></form>`),
      'check.vxml?acct=88': vxml(`<form><block>${P}</block></form>`),
    },
    script: [],
  },
  {
    name: 'property termchar changes the end key',
    docs: { 'a.vxml': vxml(`<property name="termchar" value="*"/><form><field name="f" type="digits"/><block><if cond="f == '123'">${P}</if></block></form>`) },
    script: [{ keys: '123*' }],
  },
  {
    name: 'property at field level overrides the document',
    docs: { 'a.vxml': vxml(`<property name="termchar" value="*"/><form><field name="f" type="digits"><property name="termchar" value="#"/></field><block><if cond="f == '55'">${P}</if></block></form>`) },
    script: [{ keys: '55#' }],
  },
  {
    name: 'mark, log, audio with fallback and say-as do not disturb the flow',
    docs: { 'a.vxml': vxml(`<form><block><log label="t">hello <value expr="1+1"/></log><prompt><mark name="m1"/><audio src="missing.wav">fallback text</audio><say-as interpret-as="digits">123</say-as><break time="200ms"/></prompt>${P}</block></form>`) },
    script: [],
  },
];
