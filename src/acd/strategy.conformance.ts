/**
 * The one conformance suite every RoutingStrategy passes (Hono's
 * common.case.test style). A strategy that cannot meet a case names it in
 * `skip` with the reason; the suite prints the reason in the test name.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { Agent, type AgentView } from './agent.ts';
import type { AgentAction } from './agent-state.ts';
import { isEligible } from './eligibility.ts';
import { QueueEntry, type EntryAction } from './queue-entry.ts';
import type { RoutingStrategy } from './routing-strategy.ts';
import {
  type AgentProfile,
  CUSTOMER_LEVELS,
  type ContactData,
  MEDIA_TYPES,
  type QueueDefinition,
} from './types.ts';

export const CONFORMANCE_CASES = [
  'no agents',
  'skips agents that are not ready',
  'skips agents lacking a skill or level',
  'skips agents outside the queue groups, media or customer level',
  'skips agents who let the contact ring out',
  'picks someone whenever an agent is eligible',
  'same input gives the same choice',
  'choice does not depend on pool order',
  'random pools: never an ineligible agent',
  'explanation counts candidates',
  'no entries',
  'agent not ready picks no entry',
  'skips entries the agent cannot serve or that are not waiting',
  'serves callback entries',
  'same input gives the same entry',
] as const;
export type ConformanceCase = (typeof CONFORMANCE_CASES)[number];

const T0 = 1_700_000_000_000;

/** Builds agents and entries in a chosen state without an engine. */
export class Scene {
  readonly clock = new FakeClock(T0);
  private n = 0;

  agent(p: Partial<AgentProfile> & { id: string }, state: Agent['state'] = 'ready', idleMs = 0): Agent {
    const a = new Agent(
      { level: 5, skills: { sales: 5 }, groups: [{ group: 'g1', priority: 1 }], autoAnswer: false, ...p },
      ++this.n,
      this.clock,
    );
    const path: Record<Agent['state'], AgentAction[]> = {
      'logged-out': [],
      'not-ready': ['login'],
      ready: ['login', 'ready'],
      reserved: ['login', 'ready', 'reserve'],
      talking: ['login', 'ready', 'reserve', 'connect'],
      'wrap-up': ['login', 'ready', 'reserve', 'connect', 'release'],
      locked: ['lock'],
    };
    for (const act of path[state]) a.apply(act);
    a.idleSince -= idleMs;
    return a;
  }

  entry(queue: QueueDefinition, data: Partial<ContactData> = {}, waitedMs = 0, actions: EntryAction[] = []): QueueEntry {
    const seq = ++this.n;
    const t = this.clock.now() - waitedMs;
    const e = new QueueEntry(`e${seq}`, queue.id, { customerLevel: 'standard', media: 'voice', ...data }, t, t, seq);
    for (const a of actions) e.apply(a);
    return e;
  }
}

export const SALES: QueueDefinition = { id: 'sales', requiredSkills: [{ skill: 'sales', minLevel: 3 }] };

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random pool over every state, skill level, group, media, level and region. */
function randomPool(scene: Scene, rnd: () => number, size: number): Agent[] {
  const states = ['logged-out', 'not-ready', 'ready', 'ready', 'ready', 'reserved', 'talking', 'wrap-up', 'locked'] as const;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Agent[] = [];
  for (let i = 0; i < size; i++) {
    out.push(
      scene.agent(
        {
          id: `r${i}`,
          level: 1 + Math.floor(rnd() * 10),
          skills: rnd() < 0.8 ? { sales: 1 + Math.floor(rnd() * 10) } : { support: 5 },
          groups: [{ group: pick(['g1', 'g2']), priority: 1 + Math.floor(rnd() * 3) }],
          region: pick(['sh', 'bj', undefined]),
          media: rnd() < 0.7 ? undefined : [pick(MEDIA_TYPES)],
        },
        pick(states),
        Math.floor(rnd() * 600_000),
      ),
    );
  }
  return out;
}

export function runStrategyConformance(
  label: string,
  make: () => RoutingStrategy,
  skip: Partial<Record<ConformanceCase, string>> = {},
): void {
  const test = (name: ConformanceCase, fn: () => void): void => {
    const reason = skip[name];
    if (reason) it.skip(`${name} — skipped: ${reason}`, fn);
    else it(name, fn);
  };

  describe(`RoutingStrategy conformance: ${label} (ACD-2)`, () => {
    test('no agents', () => {
      const s = new Scene();
      const d = make().selectAgent({ entry: s.entry(SALES), queue: SALES, agents: [], now: s.clock.now() });
      expect(d.chosen).toBeUndefined();
      expect(d.explanation.eligible).toBe(0);
      expect(d.explanation.decidedBy).toBe('none');
    });

    test('skips agents that are not ready', () => {
      const s = new Scene();
      const busy = (['logged-out', 'not-ready', 'reserved', 'talking', 'wrap-up', 'locked'] as const).map((st, i) =>
        s.agent({ id: `b${i}`, skills: { sales: 10 }, level: 10 }, st, 900_000),
      );
      const ok = s.agent({ id: 'ok', skills: { sales: 3 } });
      const d = make().selectAgent({ entry: s.entry(SALES), queue: SALES, agents: [...busy, ok], now: s.clock.now() });
      expect(d.chosen?.id).toBe('ok');
      const none = make().selectAgent({ entry: s.entry(SALES), queue: SALES, agents: busy, now: s.clock.now() });
      expect(none.chosen).toBeUndefined();
    });

    test('skips agents lacking a skill or level', () => {
      const s = new Scene();
      const agents = [
        s.agent({ id: 'none', skills: {} }, 'ready', 900_000),
        s.agent({ id: 'low', skills: { sales: 2 } }, 'ready', 900_000),
        s.agent({ id: 'other', skills: { support: 10 } }, 'ready', 900_000),
        s.agent({ id: 'ok', skills: { sales: 3 } }),
      ];
      const d = make().selectAgent({ entry: s.entry(SALES), queue: SALES, agents, now: s.clock.now() });
      expect(d.chosen?.id).toBe('ok');
    });

    test('skips agents outside the queue groups, media or customer level', () => {
      const s = new Scene();
      const q: QueueDefinition = { ...SALES, groups: ['g1'], levelMapping: { special: 8, priority: 5, standard: 1 } };
      const agents = [
        s.agent({ id: 'group', groups: [{ group: 'g2', priority: 1 }] }, 'ready', 900_000),
        s.agent({ id: 'media', media: ['email'] }, 'ready', 900_000),
        s.agent({ id: 'junior', level: 7 }, 'ready', 900_000),
        s.agent({ id: 'ok', level: 8 }),
      ];
      const d = make().selectAgent({ entry: s.entry(q, { customerLevel: 'special' }), queue: q, agents, now: s.clock.now() });
      expect(d.chosen?.id).toBe('ok');
    });

    test('skips agents who let the contact ring out', () => {
      const s = new Scene();
      const e = s.entry(SALES);
      e.excludedAgents.add('rona');
      const agents = [s.agent({ id: 'rona', skills: { sales: 10 } }, 'ready', 900_000), s.agent({ id: 'ok' })];
      expect(make().selectAgent({ entry: e, queue: SALES, agents, now: s.clock.now() }).chosen?.id).toBe('ok');
    });

    test('picks someone whenever an agent is eligible', () => {
      const s = new Scene();
      const rnd = mulberry32(7);
      for (let i = 0; i < 50; i++) {
        const agents = randomPool(s, rnd, 12);
        const e = s.entry(SALES, {
          customerLevel: CUSTOMER_LEVELS[i % 3]!,
          region: i % 2 ? 'sh' : undefined,
          ...(i % 2 ? { lastAgent: `r${i % 12}`, lastContactAt: s.clock.now() - 60_000 } : {}),
        });
        const anyEligible = agents.some((a) => isEligible(a, e, SALES));
        const d = make().selectAgent({ entry: e, queue: SALES, agents, now: s.clock.now() });
        expect(d.chosen !== undefined).toBe(anyEligible);
      }
    });

    test('same input gives the same choice', () => {
      const s = new Scene();
      const rnd = mulberry32(11);
      for (let i = 0; i < 30; i++) {
        const agents = randomPool(s, rnd, 15);
        const e = s.entry(SALES, { region: 'sh' }, 5_000);
        const st = make();
        const a = st.selectAgent({ entry: e, queue: SALES, agents, now: s.clock.now() });
        const b = st.selectAgent({ entry: e, queue: SALES, agents, now: s.clock.now() });
        const c = make().selectAgent({ entry: e, queue: SALES, agents, now: s.clock.now() });
        expect(b.chosen?.id).toBe(a.chosen?.id);
        expect(c.chosen?.id).toBe(a.chosen?.id);
        expect(c.explanation).toEqual(a.explanation);
      }
    });

    test('choice does not depend on pool order', () => {
      const s = new Scene();
      const rnd = mulberry32(13);
      for (let i = 0; i < 30; i++) {
        const agents = randomPool(s, rnd, 15);
        const e = s.entry(SALES);
        const fwd = make().selectAgent({ entry: e, queue: SALES, agents, now: s.clock.now() });
        const rev = make().selectAgent({ entry: e, queue: SALES, agents: [...agents].reverse(), now: s.clock.now() });
        expect(rev.chosen?.id).toBe(fwd.chosen?.id);
      }
    });

    test('random pools: never an ineligible agent', () => {
      const s = new Scene();
      const rnd = mulberry32(3);
      const q: QueueDefinition = { ...SALES, groups: ['g1'], levelMapping: { special: 6, priority: 3, standard: 1 } };
      for (let i = 0; i < 200; i++) {
        const agents = randomPool(s, rnd, 10);
        const e = s.entry(q, {
          customerLevel: CUSTOMER_LEVELS[i % 3]!,
          media: MEDIA_TYPES[i % 5]!,
          ...(i % 2 ? { lastAgent: `r${i % 10}`, lastContactAt: s.clock.now() - 60_000 } : {}),
        });
        if (i % 4 === 0) e.excludedAgents.add(`r${i % 10}`);
        const st = make();
        const d = st.selectAgent({ entry: e, queue: q, agents, now: s.clock.now() });
        if (d.chosen) {
          expect(isEligible(d.chosen, e, q)).toBe(true);
          st.assigned?.(d.chosen, e, q);
        }
      }
    });

    test('explanation counts candidates', () => {
      const s = new Scene();
      const agents = [s.agent({ id: 'a' }), s.agent({ id: 'b' }, 'talking'), s.agent({ id: 'c' }, 'ready', 1000)];
      const d = make().selectAgent({ entry: s.entry(SALES), queue: SALES, agents, now: s.clock.now() });
      expect(d.explanation.strategy).toBe(make().name);
      expect(d.explanation.direction).toBe('agent');
      expect(d.explanation.considered).toBe(3);
      expect(d.explanation.eligible).toBe(2);
      expect(d.explanation.decidedBy).not.toBe('');
    });

    test('no entries', () => {
      const s = new Scene();
      const d = make().selectEntry({ agent: s.agent({ id: 'a' }), entries: [], queueOf: () => SALES, now: s.clock.now() });
      expect(d.chosen).toBeUndefined();
      expect(d.explanation.direction).toBe('entry');
    });

    test('agent not ready picks no entry', () => {
      const s = new Scene();
      for (const st of ['not-ready', 'talking', 'locked', 'wrap-up'] as const) {
        const d = make().selectEntry({ agent: s.agent({ id: st }, st), entries: [s.entry(SALES)], queueOf: () => SALES, now: s.clock.now() });
        expect(d.chosen).toBeUndefined();
      }
    });

    test('skips entries the agent cannot serve or that are not waiting', () => {
      const s = new Scene();
      const support: QueueDefinition = { id: 'support', requiredSkills: [{ skill: 'support' }] };
      const queues = new Map([[SALES.id, SALES], [support.id, support]]);
      const old = 600_000;
      const excluded = s.entry(SALES, { customerLevel: 'special' }, old);
      excluded.excludedAgents.add('b');
      const entries = [
        s.entry(support, { customerLevel: 'special' }, old),
        s.entry(SALES, { customerLevel: 'special' }, old, ['offer']),
        s.entry(SALES, { customerLevel: 'special' }, old, ['abandon']),
        s.entry(SALES, { customerLevel: 'special', media: 'email' }, old),
        excluded,
        s.entry({ id: 'gone', requiredSkills: [] }, {}, old),
        s.entry(SALES),
      ];
      const noEmail = s.agent({ id: 'b', skills: { sales: 5 }, media: ['voice'] });
      const d = make().selectEntry({ agent: noEmail, entries, queueOf: (id) => queues.get(id), now: s.clock.now() });
      expect(d.chosen?.id).toBe(entries[6]!.id);
      expect(make().selectEntry({ agent: noEmail, entries: entries.slice(0, 6), queueOf: (id) => queues.get(id), now: s.clock.now() }).chosen).toBeUndefined();
    });

    test('serves callback entries', () => {
      const s = new Scene();
      const cb = s.entry(SALES, {}, 1000, ['accept-callback']);
      const d = make().selectEntry({ agent: s.agent({ id: 'a' }), entries: [cb], queueOf: () => SALES, now: s.clock.now() });
      expect(d.chosen?.id).toBe(cb.id);
    });

    test('same input gives the same entry', () => {
      const s = new Scene();
      const rnd = mulberry32(5);
      const agent = s.agent({ id: 'a', region: 'sh' });
      for (let i = 0; i < 30; i++) {
        const entries = Array.from({ length: 8 }, () =>
          s.entry(SALES, { customerLevel: CUSTOMER_LEVELS[Math.floor(rnd() * 3)]!, region: rnd() < 0.5 ? 'sh' : 'bj', media: MEDIA_TYPES[Math.floor(rnd() * 5)]! }, Math.floor(rnd() * 200_000)),
        );
        const req = { agent, entries, queueOf: () => SALES, now: s.clock.now() };
        const a = make().selectEntry(req);
        const b = make().selectEntry({ ...req, entries: [...entries].reverse() });
        expect(a.chosen).toBeDefined();
        expect(b.chosen?.id).toBe(a.chosen?.id);
      }
    });
  });
}
