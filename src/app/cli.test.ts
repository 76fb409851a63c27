// The `hotline` CLI against a running server (DESIGN.md "Interfaces that people and scripts use").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHotlineCli, startHotline, type HotlineProcess } from '../../test/support/server.ts';

let h: HotlineProcess;
const cli = (...args: string[]) => runHotlineCli([...args, '--data', h.dataDir]);

beforeAll(async () => {
  h = await startHotline({ args: ['--log-level', 'warn'] });
});
afterAll(async () => {
  await h?.stop();
});

describe('hotline CLI (ADM-1, OPS-2, OPS-4)', () => {
  it('registrations --json prints [] when nothing is registered', async () => {
    const r = await cli('registrations', '--json');
    expect([r.code, JSON.parse(r.stdout), r.stderr]).toEqual([0, [], '']);
  });

  it('sip-user add, list and remove', async () => {
    const add = await cli('sip-user', 'add', '7001', '--password', 'secret-7001', '--name', 'Alice Wong');
    expect([add.code, add.stdout.trim()]).toEqual([0, 'SIP user 7001 added (realm hotline.local)']);

    const [json, table] = await Promise.all([cli('sip-user', 'list', '--json'), cli('sip-user', 'list')]);
    const users = JSON.parse(json.stdout) as { ext: string; name?: string }[];
    expect(users.find((u) => u.ext === '7001')).toMatchObject({ ext: '7001', name: 'Alice Wong', realm: 'hotline.local', enabled: true });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EXT\s+NAME\s+REALM\s+ENABLED\s+CREATED$/);
    const row = lines.find((l) => l.startsWith('7001'))!;
    // Columns are aligned: NAME starts in the same column in the header and in the row.
    expect(row.indexOf('Alice Wong')).toBe(lines[0]!.indexOf('NAME'));

    const rm = await cli('sip-user', 'remove', '7001');
    expect([rm.code, rm.stdout.trim()]).toEqual([0, 'SIP user 7001 removed']);
    const again = await cli('sip-user', 'remove', '7001');
    expect([again.code, again.stderr]).toEqual([1, 'hotline: no SIP user 7001 (HTTP 404)\n']);
  });

  it('sip-user add without a password prints the generated one', async () => {
    const r = await cli('sip-user', 'add', '7002', '--json');
    const u = JSON.parse(r.stdout) as { ext: string; password: string };
    expect(u.ext).toBe('7002');
    expect(u.password.length).toBeGreaterThanOrEqual(12);
    const dup = await cli('sip-user', 'add', '7002');
    expect([dup.code, dup.stderr]).toEqual([1, 'hotline: SIP user 7002 already exists (HTTP 409)\n']);
  });

  it('security bans --json and unban of an unknown address', async () => {
    const [bans, unban] = await Promise.all([cli('security', 'bans', '--json'), cli('security', 'unban', '192.0.2.9')]);
    expect([bans.code, JSON.parse(bans.stdout)]).toEqual([0, []]);
    expect([unban.code, unban.stderr]).toEqual([1, 'hotline: 192.0.2.9 is not banned (HTTP 404)\n']);
  });

  it('works with --server URL --token T, and says why a bad token fails', async () => {
    const ok = await runHotlineCli(['registrations', '--json', '--server', h.httpUrl, '--token', h.adminToken]);
    expect([ok.code, JSON.parse(ok.stdout)]).toEqual([0, []]);
    const bad = await runHotlineCli(['sip-user', 'list', '--server', h.httpUrl, '--token', 'htl_wrong']);
    expect([bad.code, bad.stderr]).toEqual([1, 'hotline: invalid or expired token (HTTP 401)\n']);
  });

  it('fails with one line when no server runs in the data dir', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'hotline-none-'));
    try {
      const r = await runHotlineCli(['registrations', '--data', empty]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`hotline: no running server found: ${join(empty, 'server.json')} is missing`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
