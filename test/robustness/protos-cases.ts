/**
 * PROTOS c07-sip cases (OUSPG, University of Oulu) from
 * ../shared/fixtures/protos-sip: unpacking, placeholder filling as its
 * MANIFEST.md says (plain byte substitution, never parsing first), and the
 * sending harness used by the robustness test.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const PROTOS_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'protos-sip');

export interface ProtosCase {
  id: number;
  invite: Buffer;
  teardown: Buffer;
}

export interface Fill {
  to: string;
  from: string;
  fromAddress: string;
  fromIp: string;
  localPort: number;
}

/** Unpack all 4,527 cases into a temp folder; returns the folder holding the case files. */
export function unpackAll(): string {
  const dir = mkdtempSync(join(tmpdir(), 'protos-'));
  execFileSync('tar', ['xzf', join(PROTOS_DIR, 'cases.tar.gz'), '-C', dir]);
  return join(dir, 'cases');
}

/** Remove the temp folder `unpackAll` made (given the folder it returned). */
export function removeUnpacked(casesDir: string): void {
  rmSync(dirname(casesDir), { recursive: true, force: true });
}

export function listCases(dir: string): number[] {
  return readdirSync(dir)
    .filter((n) => /^\d{7}$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Split a case file into its two length-prefixed PDUs. */
export function splitPdus(file: Buffer): [Buffer, Buffer] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < file.length && out.length < 2) {
    const sp = file.indexOf(0x20, at);
    if (sp < 0) throw new Error('PROTOS case: no length prefix');
    const len = Number(file.subarray(at, sp).toString('latin1'));
    if (!Number.isInteger(len) || len < 0) throw new Error('PROTOS case: bad length prefix');
    out.push(file.subarray(sp + 1, sp + 1 + len));
    at = sp + 1 + len;
  }
  if (out.length !== 2) throw new Error('PROTOS case: expected two PDUs');
  return [out[0]!, out[1]!];
}

function replaceAll(buf: Buffer, token: string, value: string): Buffer {
  const needle = Buffer.from(token, 'latin1');
  const repl = Buffer.from(value, 'latin1');
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const i = buf.indexOf(needle, at);
    if (i < 0) break;
    parts.push(buf.subarray(at, i), repl);
    at = i + needle.length;
  }
  if (at === 0) return buf;
  parts.push(buf.subarray(at));
  return Buffer.concat(parts);
}

function fillCommon(pdu: Buffer, f: Fill, branch: string, callId: string): Buffer {
  let b = pdu;
  // <From-Address> and <From-IP> before <From>, whose name is their prefix.
  b = replaceAll(b, '<From-Address>', f.fromAddress);
  b = replaceAll(b, '<From-IP>', f.fromIp);
  b = replaceAll(b, '<From>', f.from);
  b = replaceAll(b, '<To>', f.to);
  b = replaceAll(b, '<Local-Port>', String(f.localPort));
  b = replaceAll(b, '<Branch-ID>', branch);
  b = replaceAll(b, '<Call-ID>', callId);
  b = replaceAll(b, '<CSeq>', '1');
  b = replaceAll(b, '<Teardown-Method>', 'CANCEL');
  return b;
}

/** Fill one case's placeholders; <Content-Length> last, from the octets after the first CRLF CRLF. */
export function fillCase(id: number, file: Buffer, f: Fill): ProtosCase {
  const [inv, tear] = splitPdus(file);
  const branch = randomBytes(6).toString('hex');
  const callId = randomBytes(8).toString('hex');
  let invite = fillCommon(inv, f, branch, callId);
  const teardown = fillCommon(tear, f, branch, callId);
  const token = Buffer.from('<Content-Length>', 'latin1');
  const at = invite.lastIndexOf(token);
  if (at >= 0) {
    const sep = invite.indexOf('\r\n\r\n', 0, 'latin1');
    // The body length after substitution does not depend on the Content-Length value itself.
    const bodyLen = sep >= 0 ? invite.length - (sep + 4) : 0;
    invite = Buffer.concat([invite.subarray(0, at), Buffer.from(String(bodyLen), 'latin1'), invite.subarray(at + token.length)]);
  }
  return { id, invite, teardown };
}

export function readCase(dir: string, id: number, f: Fill): ProtosCase {
  return fillCase(id, readFileSync(join(dir, String(id).padStart(7, '0'))), f);
}
