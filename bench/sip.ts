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
const REGISTRATIONS = Number(process.env.BENCH_SIP_REGISTRATIONS ?? 30_000);
const OPEN = Number(process.env.BENCH_SIP_OPEN ?? 200);
const log = (s: string) => process.stderr.write(`bench:sip: ${s}\n`);

function show(name: string, r: RegisterRun): void {
  log(`${name}: ${r.successful}/${r.registrations} registered in ${r.seconds.toFixed(2)} s = ${Math.round(r.perSecond)}/s, failed ${r.failed}, retransmissions ${r.retransmissions}`);
}

log('(a) parser: ours vs JsSIP');
const parse = await runParseBench();

log(`(b) REGISTER with digest auth: ${REGISTRATIONS} registrations, ${USERS} accounts, at most ${OPEN} in flight, sipp over UDP`);
const realm = 'bench.hotline';
const [kamPort, sippPortA, sippPortB] = (await freePorts(3)) as [number, number, number];

log('starting hotline (SQLite, guard on with its rate limit raised for one busy source)');
const hotline = await startHotline({
  args: ['--realm', realm, '--digest-algorithms', 'MD5', '--sip-rate-limit', '100000', '--sip-rate-burst', '100000', '--log-level', 'warn'],
});
let ours: RegisterRun;
let theirs: RegisterRun;
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
  log('warm-up against hotline');
  await runRegisterLoad({ target: `127.0.0.1:${hotline.sipPort}`, users, registrations: 2000, open: OPEN, localPort: sippPortA });
  log('measuring hotline');
  ours = await runRegisterLoad({ target: `127.0.0.1:${hotline.sipPort}`, users, registrations: REGISTRATIONS, open: OPEN, localPort: sippPortA });
  show('hotline', ours);
} finally {
  await hotline.stop();
}

const children = cpus().length;
log(`starting kamailio (${children} UDP worker processes, usrloc db_mode 0, pv_auth_check)`);
const kam = await startKamailio({ port: kamPort, children, realm });
try {
  const users = usersFile(FIRST_USER, USERS, realm);
  log('warm-up against kamailio');
  await runRegisterLoad({ target: `127.0.0.1:${kamPort}`, users, registrations: 2000, open: OPEN, localPort: sippPortB });
  log('measuring kamailio');
  theirs = await runRegisterLoad({ target: `127.0.0.1:${kamPort}`, users, registrations: REGISTRATIONS, open: OPEN, localPort: sippPortB });
  show('kamailio', theirs);
} finally {
  await kam.stop();
}

const result = {
  bench: 'sip',
  parse_ratio_vs_jssip: parse.parse_ratio_vs_jssip,
  register_per_s: Math.round(ours.perSecond),
  register_ratio_vs_kamailio: Math.round((ours.perSecond / theirs.perSecond) * 100) / 100,
  failed: ours.failed,
  kamailio_register_per_s: Math.round(theirs.perSecond),
  kamailio_failed: theirs.failed,
  invite_parse_serialize_per_s: parse.invite_per_s,
  register_parse_serialize_per_s: parse.register_per_s,
  jssip_invite_parse_per_s: parse.jssip_invite_per_s,
  jssip_register_parse_per_s: parse.jssip_register_per_s,
  registrations: REGISTRATIONS,
  in_flight: OPEN,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
