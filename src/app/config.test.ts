import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ConfigSources } from './config.ts';

const cwd = '/srv/hotline';

function errorOf(sources: ConfigSources): string {
  try {
    loadConfig({ cwd, ...sources });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration (ADM-2, OPS-2)', () => {
  it('has defaults a demo can start with', () => {
    const c = loadConfig({ cwd });
    expect(c).toEqual({
      dataDir: '/srv/hotline/data',
      host: '127.0.0.1',
      sipPort: 5060,
      sipTlsPort: 5061,
      sipWsPort: 5066,
      httpPort: 8080,
      rtpPorts: { min: 20000, max: 29999 },
      database: { kind: 'sqlite', file: '/srv/hotline/data/hotline.db' },
      realm: 'hotline.local',
      digestAlgorithms: ['SHA-256', 'MD5'],
      logLevel: 'info',
      security: { sipRateLimit: 20, sipRateBurst: 60, banAfterFailures: 5, banFailureWindowSec: 60, banDurationSec: 3600, trustedNetworks: [] },
      demo: true,
      surveyEntryPoints: 'ivr',
      switch: { mediaWorkers: 0, mediaRealtimePriority: 10, mediaCpuAffinity: 'spread', mediaSendAhead: 'auto', maxConference: 4, ringTimeoutSec: 20, recordCalls: false },
    });
    expect(loadConfig({ cwd, flags: { 'post-call-survey': 'off' } }).surveyEntryPoints).toEqual([]);
    expect(loadConfig({ cwd, flags: { 'post-call-survey': '95000,95003' } }).surveyEntryPoints).toEqual(['95000', '95003']);
    expect(() => loadConfig({ cwd, flags: { 'post-call-survey': 'sometimes' } })).toThrow(/post-call-survey: must be ivr, all, off, or service numbers/);
  });

  it('reads the switch settings (issue 4, TEL-4, TEL-5)', () => {
    const c = loadConfig({ cwd, flags: { 'media-workers': '2', 'media-realtime-priority': '0', 'media-cpu-affinity': 'none', 'media-send-ahead': 'auto', 'media-address': '10.0.0.5', 'dial-plan': 'plan.json', 'music-on-hold': 'moh.wav', 'max-conference': '6', 'ring-timeout': '30', 'record-calls': 'yes' } });
    expect(c.switch).toEqual({ mediaWorkers: 2, mediaRealtimePriority: 0, mediaCpuAffinity: 'none', mediaSendAhead: 'auto', mediaAddress: '10.0.0.5', dialPlanFile: '/srv/hotline/plan.json', musicOnHold: '/srv/hotline/moh.wav', maxConference: 6, ringTimeoutSec: 30, recordCalls: true });
    expect(loadConfig({ cwd, env: { HOTLINE_RECORD_CALLS: 'true' } }).switch.recordCalls).toBe(true);
    expect(() => loadConfig({ cwd, flags: { 'record-calls': 'sometimes' } })).toThrow(/record-calls: must be true or false/);
    expect(() => loadConfig({ cwd, flags: { 'media-realtime-priority': '100' } })).toThrow(/media-realtime-priority: must be an integer 0-99/);
    expect(() => loadConfig({ cwd, flags: { 'media-cpu-affinity': 'pinned' } })).toThrow(/media-cpu-affinity: must be spread or none/);
    expect(() => loadConfig({ cwd, flags: { 'max-conference': '2' } })).toThrow(/max-conference/);
    expect(() => loadConfig({ cwd, flags: { 'media-address': 'nowhere' } })).toThrow(/media-address/);
  });

  it('takes flags over environment over config file over defaults', () => {
    const file = JSON.stringify({ 'sip-port': 5070, 'http-port': 8070, 'log-level': 'debug', 'trusted-networks': ['10.0.0.0/8'] });
    const c = loadConfig({
      cwd,
      flags: { 'sip-port': '5090', config: 'conf.json' },
      env: { HOTLINE_SIP_PORT: '5080', HOTLINE_HTTP_PORT: '8081', HOTLINE_DATABASE: 'postgres://u:p@db:5432/hotline' },
      readFile: (p) => (p === '/srv/hotline/conf.json' ? file : ''),
    });
    expect([c.sipPort, c.httpPort, c.logLevel, c.security.trustedNetworks]).toEqual([5090, 8081, 'debug', ['10.0.0.0/8']]);
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/hotline' });
    expect(c.configFile).toBe('/srv/hotline/conf.json');
  });

  it('reads lists, booleans and sqlite paths from strings', () => {
    const c = loadConfig({ cwd, env: { HOTLINE_TRUSTED_NETWORKS: '192.0.2.0/24, ::1', HOTLINE_DEMO: 'no', HOTLINE_DATABASE: 'sqlite:db/x.db', HOTLINE_DATA: '/var/lib/hotline' } });
    expect(c.security.trustedNetworks).toEqual(['192.0.2.0/24', '::1']);
    expect(c.demo).toBe(false);
    expect(c.database).toEqual({ kind: 'sqlite', file: '/srv/hotline/db/x.db' });
    expect(c.dataDir).toBe('/var/lib/hotline');
    expect(loadConfig({ cwd, flags: { 'digest-algorithms': 'MD5, SHA-256' } }).digestAlgorithms).toEqual(['MD5', 'SHA-256']);
  });

  it('turns on https and wss, with the certificate files or the self-signed pair (TEL-2)', () => {
    const c = loadConfig({ cwd, flags: { 'https-port': '8443', 'tls-cert': 'tls/cert.pem', 'tls-key': 'tls/key.pem' }, env: { HOTLINE_SIP_WSS_PORT: '7443' } });
    expect([c.httpsPort, c.sipWssPort, c.tlsFiles]).toEqual([8443, 7443, { cert: '/srv/hotline/tls/cert.pem', key: '/srv/hotline/tls/key.pem' }]);
    const off = loadConfig({ cwd, flags: { 'https-port': '0' } });
    expect([off.httpsPort, off.sipWssPort, off.tlsFiles]).toEqual([undefined, undefined, undefined]);
  });

  const bad: [string, ConfigSources, string][] = [
    ['media-send-ahead neither auto nor 0-3', { flags: { 'media-send-ahead': '4' } }, 'invalid setting media-send-ahead: must be auto or an integer 0-3'],
    ['https-port too big', { flags: { 'https-port': '70000' } }, 'invalid setting https-port: must be 0 (off) or 1-65535'],
    ['https-port collides', { flags: { 'https-port': '8080' } }, 'invalid setting https-port: must differ from http-port (both 8080)'],
    ['sip-wss-port collides', { flags: { 'https-port': '8443', 'sip-wss-port': '8443' } }, 'invalid setting sip-wss-port: must differ from https-port (both 8443)'],
    ['tls-key without tls-cert', { flags: { 'tls-key': 'k.pem' } }, 'invalid setting tls-cert: tls-cert and tls-key must be given together'],
    ['sip-port too big', { flags: { 'sip-port': '70000' } }, 'invalid setting sip-port: must be 1-65535 (got "70000" from --sip-port)'],
    ['sip-port not a number', { env: { HOTLINE_SIP_PORT: 'abc' } }, 'invalid setting sip-port: must be 1-65535 (got "abc" from HOTLINE_SIP_PORT)'],
    ['http-port zero', { flags: { 'http-port': '0' } }, 'invalid setting http-port: must be 1-65535 (got "0" from --http-port)'],
    ['sip-tls-port fractional', { flags: { 'sip-tls-port': '5061.5' } }, 'invalid setting sip-tls-port: must be 1-65535'],
    ['sip-ws-port negative', { flags: { 'sip-ws-port': '-1' } }, 'invalid setting sip-ws-port: must be 1-65535'],
    ['host not an address', { flags: { host: 'example.com' } }, 'invalid setting host: must be an IPv4 or IPv6 address'],
    ['rtp-ports reversed', { flags: { 'rtp-ports': '30000-20000' } }, 'invalid setting rtp-ports: must be A-B with 1024 <= A < B <= 65535 (got "30000-20000"'],
    ['rtp-ports garbage', { flags: { 'rtp-ports': '20000' } }, 'invalid setting rtp-ports: must be A-B'],
    ['database unknown', { flags: { database: 'mysql://x' } }, 'invalid setting database: must be "sqlite", "sqlite:FILE" or a postgres:// URL'],
    ['realm with space', { flags: { realm: 'a b' } }, 'invalid setting realm: must be a domain-like token'],
    ['log-level unknown', { flags: { 'log-level': 'loud' } }, 'invalid setting log-level: must be one of fatal, error, warn, info, debug, trace, silent'],
    ['ban-after-failures zero', { flags: { 'ban-after-failures': '0' } }, 'invalid setting ban-after-failures: must be an integer 1-1000'],
    ['ban-duration text', { flags: { 'ban-duration': '1h' } }, 'invalid setting ban-duration: must be an integer 1-31536000'],
    ['ban-failure-window huge', { flags: { 'ban-failure-window': '999999' } }, 'invalid setting ban-failure-window: must be an integer 1-86400'],
    ['sip-rate-limit zero', { flags: { 'sip-rate-limit': '0' } }, 'invalid setting sip-rate-limit: must be an integer 1-100000'],
    ['sip-rate-burst zero', { flags: { 'sip-rate-burst': '0' } }, 'invalid setting sip-rate-burst: must be an integer 1-100000'],
    ['trusted-networks bad cidr', { flags: { 'trusted-networks': '10.0.0.0/33' } }, 'invalid setting trusted-networks: must be a comma-separated list of addresses or CIDR blocks'],
    ['digest-algorithms unknown', { flags: { 'digest-algorithms': 'MD5,SHA-1' } }, 'invalid setting digest-algorithms: must be a comma-separated list of SHA-256, MD5, SHA-256-sess, MD5-sess (got "MD5,SHA-1"'],
    ['digest-algorithms empty', { flags: { 'digest-algorithms': ' , ' } }, 'invalid setting digest-algorithms: must name at least one of'],
    ['demo not boolean', { flags: { demo: 'maybe' } }, 'invalid setting demo: must be true or false'],
    ['data empty', { flags: { data: '' } }, 'invalid setting data: must be a directory path'],
    ['ports collide', { flags: { 'http-port': '5060' } }, 'invalid setting http-port: must differ from sip-port (both 5060)'],
    ['port inside rtp range', { flags: { 'http-port': '20002' } }, 'invalid setting http-port: must lie outside rtp-ports 20000-29999 (got 20002)'],
    ['config missing', { flags: { config: 'nope.json' }, readFile: () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); } }, 'invalid setting config: cannot read /srv/hotline/nope.json (ENOENT)'],
    ['config not JSON', { flags: { config: 'c.json' }, readFile: () => '{' }, 'invalid setting config: /srv/hotline/c.json is not valid JSON'],
    ['config not an object', { flags: { config: 'c.json' }, readFile: () => '[1]' }, 'invalid setting config: /srv/hotline/c.json must hold a JSON object'],
    ['config unknown key', { flags: { config: 'c.json' }, readFile: () => '{"sipport": 1}' }, 'invalid setting config: unknown setting "sipport" in /srv/hotline/c.json'],
    ['file value wrong type', { flags: { config: 'c.json' }, readFile: () => '{"sip-port": "x"}' }, 'invalid setting sip-port: must be 1-65535 (got "x" from c.json)'],
    ['file port as boolean', { flags: { config: 'c.json' }, readFile: () => '{"http-port": true}' }, 'invalid setting http-port: must be 1-65535 (got true from c.json)'],
  ];
  it.each(bad)('%s gives one line naming the setting', (_, sources, expected) => {
    const msg = errorOf(sources);
    expect(msg).toContain(expected);
    expect(msg).not.toContain('\n');
  });
});
