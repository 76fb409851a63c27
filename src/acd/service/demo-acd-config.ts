/**
 * The demo's ACD (DESIGN.md "Interfaces that people and scripts use"):
 * agents 8001-8010 on their own extensions, the general queue answering on
 * service number 95001 (the demo dial plan sends 95001 to queue `general`),
 * a VIP queue for special customers, skill-first then longest-idle routing,
 * music, position and wait announcements, a callback offer after 5 minutes.
 */
import type { AcdConfigInput } from './acd-config.ts';

const agents = Array.from({ length: 10 }, (_, i) => {
  const ext = String(8001 + i);
  const senior = i < 3;
  return {
    id: ext,
    extension: ext,
    name: `Agent ${ext}`,
    level: senior ? 9 : 5 + (i % 3),
    skills: { general: senior ? 9 : 5 + (i % 4), ...(senior ? { vip: 8 } : {}), ...(i % 2 === 0 ? { funds: 7 } : { securities: 7 }) },
    groups: [{ group: senior ? 'seniors' : 'front-line', priority: 1 }],
  };
});

export const DEMO_ACD_CONFIG: AcdConfigInput = {
  strategy: { rules: ['customer-level', 'skill-first', 'longest-idle'] },
  agents,
  queues: [
    {
      id: 'general',
      name: 'General enquiries',
      requiredSkills: [{ skill: 'general' }],
      wrapUpMs: 10_000,
      ringTimeoutMs: 15_000,
      serviceTimeLimitMs: 600_000,
      serviceTimeReminderMs: 60_000,
      treatment: {
        announcements: { firstAfterMs: 15_000, everyMs: 45_000, position: true, estimatedWait: true },
        maxWait: { afterMs: 300_000, action: 'callback-offer' },
        dtmfExits: { '1': { action: 'callback' } },
      },
    },
    {
      id: 'vip',
      name: 'VIP service',
      requiredSkills: [{ skill: 'vip', minLevel: 7 }],
      wrapUpMs: 10_000,
      treatment: { overflow: { toQueue: 'general', afterMs: 60_000 } },
    },
  ],
  entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general', blacklistMode: 'flag' }],
  rules: { pre: [{ id: 'vip-to-vip-queue', when: { customerLevel: ['special'] }, queue: 'vip' }] },
};
