// `hotline ivr run FILE` with piped stdin (issue 6, IVR-1, IVR-6).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIvrCli } from './cli-ivr.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = `<?xml version="1.0"?>
<vxml version="2.1" xmlns="http://www.w3.org/2001/vxml">
  <menu id="main" dtmf="true">
    <prompt>Main menu. For balances press 1. For funds press 2.</prompt>
    <choice next="#balance"/>
    <choice next="#funds"/>
  </menu>
  <form id="balance">
    <field name="acct" type="digits?length=4">
      <prompt>Enter your four digit account.</prompt>
      <nomatch>Four digits please.</nomatch>
    </field>
    <block><prompt>Account <value expr="acct"/> has 100 yuan.</prompt><exit expr="'balance ' + acct"/></block>
  </form>
  <form id="funds"><block><prompt>Funds are closed.</prompt><exit expr="'funds'"/></block></form>
</vxml>`;

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-ivr-'));
  file = join(dir, 'app.vxml');
  writeFileSync(file, APP);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function drive(input: string, flags: Parameters<typeof runIvrCli>[1] = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const outcome = await runIvrCli('app.vxml', flags, { stdin: Readable.from([input]), stdout, stderr, cwd: dir, interactive: false });
  return { outcome, out, err };
}

describe('IVR-1 hotline ivr run: terminal session on piped stdin', () => {
  it.each([
    {
      name: 'balance path with a nomatch on the way',
      input: '1\n12\n1234\n',
      prompts: ['Main menu. For balances press 1. For funds press 2.', 'Enter your four digit account.', 'Four digits please.', 'Account 1234 has 100 yuan.'],
      outcome: { kind: 'exit', value: 'balance 1234' },
    },
    {
      name: 'funds path',
      input: '2\n',
      prompts: ['Main menu. For balances press 1. For funds press 2.', 'Funds are closed.'],
      outcome: { kind: 'exit', value: 'funds' },
    },
    {
      name: 'end of input hangs up',
      input: '',
      prompts: ['Main menu. For balances press 1. For funds press 2.'],
      outcome: { kind: 'hangup' },
    },
  ])('$name', async ({ input, prompts, outcome }) => {
    const r = await drive(input);
    expect(r.outcome).toEqual(outcome);
    const printed = r.out.split('\n').filter((l) => l.startsWith('IVR: ') && !l.startsWith('IVR: [')).map((l) => l.slice(5));
    expect(printed).toEqual(prompts);
    expect(r.out).toContain(`[session ended: ${JSON.stringify(outcome)}]`);
  });

  it('--trace prints the path taken (IVR-6): menu choice, input and its result', async () => {
    const r = await drive('1\n4321\n', { trace: true });
    const steps = r.err.split('\n').filter((l) => l.startsWith('step '));
    const menu = steps.find((l) => / menu /.test(l));
    expect(menu).toMatch(/app\.vxml#main input="1" -> #balance/);
    expect(steps.find((l) => / input /.test(l))).toMatch(/#balance\/acct input="4321" -> "4321"/);
    expect(steps.at(-1)).toMatch(/ exit /);
  });

  it('--speak runs the speech program once per prompt, and reports a missing one', async () => {
    const log = join(dir, 'spoken.txt');
    const fake = join(dir, 'fake-espeak.sh');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
    chmodSync(fake, 0o755);
    await drive('2\n', { speak: true, speakProgram: fake });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['Main menu. For balances press 1. For funds press 2.', 'Funds are closed.']);
    const missing = await drive('2\n', { speak: true, speakProgram: join(dir, 'no-such-program') });
    expect(missing.outcome).toEqual({ kind: 'exit', value: 'funds' });
    expect(missing.err).toMatch(/--speak: .*unavailable/);
  });
});

describe('IVR-1 hotline ivr run: the real command with piped stdin', () => {
  it('prints the prompts of the path the keys choose', async () => {
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const c = spawn(process.execPath, [join(ROOT, 'bin', 'hotline.js'), 'ivr', 'run', file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.once('exit', (code) => resolve({ code, stdout }));
      c.stdin.end('1\n9876\n');
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('IVR: Account 9876 has 100 yuan.');
    expect(r.stdout).toContain('[session ended: {"kind":"exit","value":"balance 9876"}]');
  }, 30_000);
});

describe('issue 8: hotline ivr run 95000 walks the packs over the simulator (IVR-3, IVR-4, SEC-2)', () => {
  async function number(dnis: string, input: string, flags: Parameters<typeof runIvrCli>[1] = {}) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const outcome = await runIvrCli(dnis, flags, { stdin: Readable.from([input]), stdout, stderr, cwd: dir, interactive: false });
    return { outcome, out, err };
  }
  const TRADING = '2026-11-23T10:00:00+08:00';

  it('95000 with the demo account: login, balance, then * prints the call-attached data', async () => {
    const r = await number('95000', '1\n10000001#\n135790\n1\n*\n', { at: TRADING });
    expect(r.out).toContain('IVR: 欢迎致电证券服务热线。');
    expect(r.out).toContain('王建国，您好。');
    expect(r.out).toContain('您的可用资金500000.00元');
    const data = /\[call-attached data: (.*)\]/.exec(r.out)?.[1];
    expect(JSON.parse(data!)).toMatchObject({ pack: 'securities', authenticated: true, reason: 'caller', customer: { account: '10000001', name: '王建国' }, ivrSessionId: 'terminal' });
    expect(r.out).toContain('[blind transfer to queue:securities');
    expect(r.outcome).toEqual({ kind: 'hangup' });
  });

  it('95000 in en-US: an order read back and cancelled at the read-back', async () => {
    const r = await number('95000', '1\n10000001#\n135790\n4\n1\n600000\n5*5#\n1000#\n2\n', { at: TRADING, locale: 'en-US' });
    expect(r.out).toContain('You are placing an order to buy 600000 , 海明智能, at 5.50 yuan, 1,000 shares.');
    expect(r.out).toContain('The order was cancelled and not sent.');
  });

  it.each([
    ['95003', 'IVR: 欢迎致电基金服务热线。'],
    ['95002', 'IVR: 欢迎致电银行服务热线。'],
  ])('%s answers with its pack', async (dnis, greeting) => {
    const r = await number(dnis, '');
    expect(r.out).toContain(greeting);
  });

  it('an unknown number or a bad --at is one clear line on stderr', async () => {
    const unknown = await number('12345', '');
    expect(unknown.err).toMatch(/no IVR application answers 12345; service numbers: 95000 \(securities\), 95002 \(bank\), 95003 \(fund\)/);
    expect(unknown.outcome.kind).toBe('error');
    const bad = await number('95000', '', { at: 'yesterday' });
    expect(bad.err).toMatch(/--at: 'yesterday' is not an ISO 8601 instant/);
  });
});

describe('issue 8: the real command answers 95000', () => {
  it('hotline ivr run 95000 --locale en-US: a quote by code', async () => {
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const c = spawn(process.execPath, [join(ROOT, 'bin', 'hotline.js'), 'ivr', 'run', '95000', '--locale', 'en-US', '--at', '2026-11-23T10:00:00+08:00'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.once('exit', (code) => resolve({ code, stdout }));
      c.stdin.end('2\n600000\n');
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('IVR: Welcome to the securities service line.');
    expect(r.stdout).toContain('Code 600000 , 海明智能: last 5.59 yuan');
  }, 30_000);
});
