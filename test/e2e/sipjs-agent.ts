/**
 * A SIP.js user agent as a separate process, so that it can run inside a
 * test network namespace (`ip netns exec NS node bin/run-ts.js THIS ...`):
 * registers USER with PASSWORD at ws://HOST:PORT, prints `REGISTERED` or
 * `FAILED <reason>` on stdout, then stays registered until SIGTERM.
 *   node bin/run-ts.js test/e2e/sipjs-agent.ts WS_URL USER PASSWORD DOMAIN
 * SIP.js runs in Node with npm `ws` standing in for the browser's WebSocket.
 */
import { Registerer, RegistererState, UserAgent } from 'sip.js';
import { WebSocket } from 'ws';

const [server, user, password, domain] = process.argv.slice(2);
if (!server || !user || !password || !domain) {
  process.stderr.write('usage: sipjs-agent.ts WS_URL USER PASSWORD DOMAIN\n');
  process.exit(2);
}
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

const ua = new UserAgent({
  uri: UserAgent.makeURI(`sip:${user}@${domain}`),
  authorizationUsername: user,
  authorizationPassword: password,
  transportOptions: { server },
  userAgentString: 'SIP.js hotline-e2e',
  logBuiltinEnabled: false,
});
const registerer = new Registerer(ua, { expires: 600 });
registerer.stateChange.addListener((s) => {
  if (s === RegistererState.Registered) process.stdout.write('REGISTERED\n');
});
const fail = (why: string) => {
  process.stdout.write(`FAILED ${why}\n`);
  process.exit(1);
};
try {
  await ua.start();
  await registerer.register({
    requestDelegate: {
      onReject: (r) => fail(`${r.message.statusCode} ${r.message.reasonPhrase}`),
    },
  });
} catch (err) {
  fail((err as Error).message);
}
process.on('SIGTERM', () => process.exit(0));
setInterval(() => undefined, 60_000);
