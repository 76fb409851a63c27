/**
 * Wire shapes of the API (zod): used to validate input and, through
 * openapi.ts, to document input and output. Instants are ISO 8601 UTC strings.
 */
import { z } from 'zod';
import type { Ban, Registration, SecurityEvent, SipAccount } from '../sip/ports.ts';

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: 'Error' });

export const ComponentHealthSchema = z.object({ status: z.enum(['up', 'down', 'not-started']), detail: z.string().optional() });
export const HealthBody = z
  .object({
    status: z.enum(['ok', 'degraded', 'down']),
    version: z.string(),
    uptimeSec: z.number(),
    components: z.record(z.string(), ComponentHealthSchema),
  })
  .meta({ id: 'Health' });

export const RegistrationDto = z
  .object({
    aor: z.string(),
    contact: z.string(),
    q: z.number(),
    transport: z.string(),
    source: z.string().describe('address:port the REGISTER came from'),
    registeredAt: z.string(),
    expiresAt: z.string(),
    expiresInSec: z.number(),
    userAgent: z.string().optional(),
  })
  .meta({ id: 'Registration' });

export function registrationDto(r: Registration, now: number): z.infer<typeof RegistrationDto> {
  const host = r.sourceAddress.includes(':') ? `[${r.sourceAddress}]` : r.sourceAddress;
  const dto: z.infer<typeof RegistrationDto> = {
    aor: r.aor,
    contact: r.contact,
    q: r.q,
    transport: r.transport,
    source: `${host}:${r.sourcePort}`,
    registeredAt: r.registeredAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    expiresInSec: Math.max(0, Math.round((r.expiresAt.getTime() - now) / 1000)),
  };
  if (r.userAgent !== undefined) dto.userAgent = r.userAgent;
  return dto;
}

export const Extension = z.string().regex(/^[A-Za-z0-9._\-]{1,64}$/, { error: 'must be 1-64 letters, digits, ".", "_" or "-"' });

export const SipUserDto = z
  .object({ ext: z.string(), name: z.string().optional(), realm: z.string(), enabled: z.boolean(), createdAt: z.string() })
  .meta({ id: 'SipUser' });

export function sipUserDto(a: SipAccount): z.infer<typeof SipUserDto> {
  const dto: z.infer<typeof SipUserDto> = { ext: a.username, realm: a.realm, enabled: a.enabled, createdAt: a.createdAt.toISOString() };
  if (a.displayName !== undefined) dto.name = a.displayName;
  return dto;
}

export const NewSipUser = z
  .object({
    ext: Extension,
    password: z.string().min(8, { error: 'must be at least 8 characters' }).max(128).optional().describe('generated and returned once when absent'),
    name: z.string().min(1).max(100).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'NewSipUser' });

export const CreatedSipUser = SipUserDto.extend({ password: z.string().optional().describe('present only when the server generated it') }).meta({ id: 'CreatedSipUser' });

export const ExtParams = z.object({ ext: Extension });

export const BanDto = z.object({ address: z.string(), reason: z.string(), bannedAt: z.string(), until: z.string() }).meta({ id: 'Ban' });
export const banDto = (b: Ban): z.infer<typeof BanDto> => ({ address: b.address, reason: b.reason, bannedAt: b.bannedAt.toISOString(), until: b.until.toISOString() });

export const AddressParams = z.object({ address: z.string().min(1).max(64) });

export const SECURITY_EVENT_KINDS = ['auth-failure', 'ban', 'unban', 'rate-limited', 'scanner-dropped', 'malformed', 'nonce-replay'] as const;

export const SecurityEventDto = z
  .object({
    at: z.string(),
    kind: z.enum(SECURITY_EVENT_KINDS),
    sourceAddress: z.string(),
    sourcePort: z.number().optional(),
    transport: z.string().optional(),
    username: z.string().optional(),
    userAgent: z.string().optional(),
    detail: z.string().optional(),
  })
  .meta({ id: 'SecurityEvent' });

export const securityEventDto = (e: SecurityEvent): z.infer<typeof SecurityEventDto> => ({ ...e, at: e.at.toISOString() });

export const SecurityEventQuery = z
  .object({
    since: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    kind: z.enum(SECURITY_EVENT_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional().describe('default 100'),
  })
  .strict();

export const RegistrationQuery = z.object({ aor: z.string().optional() }).strict();
