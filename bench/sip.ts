/**
 * npm run bench:sip (issue 2): (a) SIP parse + serialize rate beside JsSIP's
 * parser in the same run; (b) REGISTER transactions per second with digest
 * authentication, sipp over UDP on loopback, against `hotline start` and,
 * in the same run, Kamailio from Debian as an in-memory registrar with
 * pv_auth_check. Progress on stderr; last stdout line one JSON object.
 */
import { cpus } from 'node:os';
import { startHotline } from '../test/support/server.ts';
import { freePorts } from '../test/support/ports.ts';
import { startKamailio } from './kamailio.ts';
import { runRegisterLoad, usersFile, type RegisterRun } from './register-rate.ts';
import { runParseBench } from './sip-parse.ts';

const USERS = 1000;
const FIRST_USER = 20000;
const REGISTRATIONS = Number(process.env.BENCH_SIP_REGISTRATIONS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_SIP_ROUNDS ?? 5);
const OPEN = Number(process.env.BENCH_SIP_OPEN ?? 200);
const log = (s: string) => process.stderr.write(`bench:sip: ${s}\n`);

function show(name: string, r: RegisterRun): void {
  log(`${name}: ${r.successful}/${r.registrations} registered in ${r.seconds.toFixed(2)} s = ${Math.round(r.perSecond)}/s, failed ${r.failed}, retransmissions ${r.retransmissions}`);
}

log('(a) parser: ours vs JsSIP');
const parse = await runParseBench();

log(`(b) REGISTER with digest auth: ${ROUNDS} alternating rounds of ${REGISTRATIONS} registrations on each side, ${USERS} accounts, at most ${OPEN} in flight, sipp over UDP`);
const realm = 'bench.hotline';
const [kamPort, sippPortA, sippPortB] = (await freePorts(3)) as [number, number, number];

log('starting hotline (SQLite, guard on with its rate limit raised for one busy source)');
const hotline = await startHotline({
  args: ['--realm', realm, '--digest-algorithms', 'MD5', '--sip-rate-limit', '100000', '--sip-rate-burst', '100000', '--log-level', 'warn'],
});
const children = cpus().length;
log(`starting kamailio (${children} UDP worker processes, usrloc db_mode 0, pv_auth_check)`);
const kam = await startKamailio({ port: kamPort, children, realm });
const oursRuns: RegisterRun[] = [];
const theirRuns: RegisterRun[] = [];
try {
  log(`creating ${USERS} SIP accounts through the API`);
  for (let i = 0; i < USERS; i++) {
    const ext = String(FIRST_USER + i);
    const r = await fetch(`${hotline.httpUrl}/api/v1/sip-users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hotline.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ext, password: `demo-${ext}` }),
    });
    if (r.status !== 201) throw new Error(`creating ${ext}: HTTP ${r.status} ${await r.text()}`);
    if (i % 250 === 249) log(`  ${i + 1}/${USERS}`);
  }
  const users = usersFile(FIRST_USER, USERS, realm);
  const ourTarget = `127.0.0.1:${hotline.sipPort}`;
  const theirTarget = `127.0.0.1:${kamPort}`;
  log('warm-up on both');
  await runRegisterLoad({ target: ourTarget, users, registrations: 2000, open: OPEN, localPort: sippPortA });
  await runRegisterLoad({ target: theirTarget, users, registrations: 2000, open: OPEN, localPort: sippPortB });
  // Alternate the two peers so that background load drifts over both alike.
  for (let round = 1; round <= ROUNDS; round++) {
    const ours = await runRegisterLoad({ target: ourTarget, users, registrations: REGISTRATIONS, open: OPEN, localPort: sippPortA });
    show(`round ${round} hotline`, ours);
    oursRuns.push(ours);
    const theirs = await runRegisterLoad({ target: theirTarget, users, registrations: REGISTRATIONS, open: OPEN, localPort: sippPortB });
    show(`round ${round} kamailio`, theirs);
    theirRuns.push(theirs);
  }
} finally {
  await kam.stop();
  await hotline.stop();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ourRate = median(oursRuns.map((r) => r.perSecond));
const theirRate = median(theirRuns.map((r) => r.perSecond));
const sum = (runs: RegisterRun[], f: (r: RegisterRun) => number) => runs.reduce((a, r) => a + f(r), 0);

const result = {
  bench: 'sip',
  parse_ratio_vs_jssip: parse.parse_ratio_vs_jssip,
  register_per_s: Math.round(ourRate),
  register_ratio_vs_kamailio: Math.round((ourRate / theirRate) * 100) / 100,
  failed: sum(oursRuns, (r) => r.failed),
  kamailio_register_per_s: Math.round(theirRate),
  kamailio_failed: sum(theirRuns, (r) => r.failed),
  hotline_rounds_per_s: oursRuns.map((r) => Math.round(r.perSecond)),
  kamailio_rounds_per_s: theirRuns.map((r) => Math.round(r.perSecond)),
  invite_parse_serialize_per_s: parse.invite_per_s,
  register_parse_serialize_per_s: parse.register_per_s,
  jssip_invite_parse_per_s: parse.jssip_invite_per_s,
  jssip_register_parse_per_s: parse.jssip_register_per_s,
  registrations_per_round: REGISTRATIONS,
  rounds: ROUNDS,
  in_flight: OPEN,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
