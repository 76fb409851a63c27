/**
 * Notices from supervisors to agents (SUP-4): to one agent, to an agent
 * group, or to everyone. The recipients are resolved when the notice is
 * sent and kept with it, each with when they acknowledged (read) it.
 */

export type NoticeAudience = { kind: 'all' } | { kind: 'agent'; agentId: string } | { kind: 'group'; group: string };

export interface Notice {
  id: string;
  at: number;
  sender: string;
  audience: NoticeAudience;
  title: string;
  body?: string;
}

export interface NoticeRecipient {
  agentId: string;
  /** When the agent acknowledged it (epoch ms); absent while unread. */
  readAt?: number;
}

/** A notice with its recipients. */
export interface NoticeWithRecipients extends Notice {
  recipients: NoticeRecipient[];
}

/** The audience as one stored string: `all`, `agent:ID`, `group:NAME`. */
export function audienceKey(a: NoticeAudience): string {
  return a.kind === 'all' ? 'all' : a.kind === 'agent' ? `agent:${a.agentId}` : `group:${a.group}`;
}

export function parseAudience(key: string): NoticeAudience {
  if (key === 'all') return { kind: 'all' };
  const i = key.indexOf(':');
  const kind = key.slice(0, i);
  const rest = key.slice(i + 1);
  if (i > 0 && rest && kind === 'agent') return { kind: 'agent', agentId: rest };
  if (i > 0 && rest && kind === 'group') return { kind: 'group', group: rest };
  throw new Error(`not a notice audience: ${key}`);
}
