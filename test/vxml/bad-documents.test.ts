import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScriptedChannel } from '../../src/ivr/channel/scripted-channel.ts';
import { IvrRunner } from '../../src/ivr/ivr-runner.ts';
import { silentLogger } from './support.ts';

const ok = `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><block><exit expr="'pass'"/></block></form></vxml>`;
const withBlock = (b: string): string => `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><block>${b}</block></form></vxml>`;

const pages: Record<string, string> = {
  '/ok.vxml': ok,
  '/malformed.vxml': `<?xml version="1.0"?><vxml version="2.1"><form><block></form></vxml>`,
  '/unknown.vxml': withBlock('<frobnicate/>'),
  '/script-error.vxml': withBlock('<script>this is not javascript</script>'),
  '/loop.vxml': withBlock('<script>while (true) {}</script>'),
  '/alloc.vxml': withBlock('<script>var a = []; while (true) a.push(new Array(1000).join("x") + a.length);</script>'),
  '/goto-slow.vxml': withBlock('<goto next="slow.vxml" fetchtimeout="500ms"/>'),
  '/big.vxml': withBlock(`<log>${'x'.repeat(10 * 1024 * 1024)}</log>`),
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow.vxml') {
      setTimeout(() => res.end(ok), 3000).unref();
      return;
    }
    const page = pages[req.url ?? ''];
    if (page === undefined) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/voicexml+xml');
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('IVR-1 bad documents end in error events handled by the platform default (apology + agent transfer)', () => {
  const runner = (): IvrRunner =>
    new IvrRunner({ logger: silentLogger, sandboxLimits: { timeLimitMs: 200, memoryLimitBytes: 4 * 1024 * 1024 }, platform: { apologyText: 'Sorry.', agentDestination: 'queue:agents', agentTransferType: 'blind' } });

  it.each([
    ['malformed XML', '/malformed.vxml', 'error.badfetch'],
    ['unknown element', '/unknown.vxml', 'error.badfetch'],
    ['script syntax error', '/script-error.vxml', 'error.semantic'],
    ['script that loops forever', '/loop.vxml', 'error.semantic'],
    ['script that allocates without end', '/alloc.vxml', 'error.semantic'],
    ['fetch failure (404)', '/missing.vxml', 'error.badfetch'],
    ['fetch time-out (goto with fetchtimeout=500ms to a server answering after 3 s)', '/goto-slow.vxml', 'error.badfetch'],
    ['10 MB document', '/big.vxml', 'error.badfetch'],
  ])('%s → %s, apology, transfer to an agent', async (_n, path, event) => {
    const ch = new ScriptedChannel([]);
    const t0 = performance.now();
    const r = runner();
    const outcome = await r.run(`${base}${path}`, ch);
    expect(outcome.kind).toBe('error');
    if (outcome.kind === 'error') expect(outcome.event.startsWith(event)).toBe(true);
    expect(ch.prompts()).toContain('Sorry.');
    expect(ch.transcript.some((e) => e.kind === 'transfer' && e.request.dest === 'queue:agents' && e.request.origin === 'platform')).toBe(true);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('a runaway session does not disturb others running at the same time', async () => {
    const r = runner();
    const [bad, good1, good2] = await Promise.all([
      r.run(`${base}/loop.vxml`, new ScriptedChannel([])),
      r.run(`${base}/ok.vxml`, new ScriptedChannel([])),
      r.run(`${base}/alloc.vxml`, new ScriptedChannel([])).then(() => r.run(`${base}/ok.vxml`, new ScriptedChannel([]))),
    ]);
    expect(bad.kind).toBe('error');
    expect(good1).toEqual({ kind: 'exit', value: 'pass' });
    expect(good2).toEqual({ kind: 'exit', value: 'pass' });
  });
});
