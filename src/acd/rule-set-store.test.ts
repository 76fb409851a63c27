import { describe, expect, it } from 'vitest';
import { postRoute, preRoute, translate } from './routing-rules.ts';
import { RuleSetStore } from './rule-set-store.ts';

const exists = (q: string) => ['a', 'b', 'c'].includes(q);

describe('versioned routing rule sets (ACD-9)', () => {
  it('applies whole sets atomically as new versions and keeps history', () => {
    const s = new RuleSetStore(exists);
    expect(s.current().version).toBe(1);
    expect(s.apply({ pre: [{ id: 'p', when: { callerPrefix: '021' }, queue: 'b' }] }, 'alice', 1000)).toEqual({ ok: true, version: 2 });
    expect(s.apply({ pre: [{ id: 'p', when: {}, queue: 'a' }, { id: 'p', when: {}, queue: 'b' }] }, 'bob', 2000)).toMatchObject({
      ok: false,
      issues: [expect.stringContaining('duplicate rule id p')],
    });
    expect(s.current()).toMatchObject({ version: 2, author: 'alice' });
    expect(preRoute(s.current().rules, { caller: '02155556666' })).toEqual({ queue: 'b', rule: 'p' });
    expect(s.rollback(1, 'carol', 3000)).toEqual({ ok: true, version: 3 });
    expect(preRoute(s.current().rules, { caller: '02155556666' })).toBeUndefined();
    expect(s.history().map((v) => v.version)).toEqual([1, 2, 3]);
    expect(s.current().note).toBe('rollback to 1');
    expect(s.rollback(99, 'x', 0)).toMatchObject({ ok: false });
  });

  it.each([
    [{ translation: [{ id: 't', match: 'abc', to: '1' }] }, 'translation.0.match'],
    [{ pre: [{ id: 'p', when: { colour: 'red' }, queue: 'a' }] }, 'pre.0.when'],
    [{ post: [{ id: 'q', queue: 'a', when: { kind: 'sometimes' }, then: { kind: 'voicemail' } }] }, 'post.0.when'],
    [{ post: [{ id: 'q', queue: 'a', when: { kind: 'no-agents-staffed' }, then: { kind: 'queue', queue: 'a' } }] }, 'itself'],
    ['not an object', '(root)'],
  ])('rejects %j', (input, where) => {
    const s = new RuleSetStore(exists);
    const r = s.apply(input, 'x', 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.join(' ')).toContain(where);
  });

  it('evaluates translation (exact and prefix) and post conditions', () => {
    const s = new RuleSetStore(exists, {
      translation: [{ id: 'pfx', match: '400820', kind: 'prefix', to: '9500' }],
      post: [
        { id: 'ewt', queue: 'a', when: { kind: 'estimated-wait-above', ms: 60_000 }, then: { kind: 'queue', queue: 'c' } },
        { id: 'ivr', queue: 'a', when: { kind: 'waiting-above', count: 3 }, then: { kind: 'ivr', application: 'menu' } },
      ],
    });
    const rs = s.current().rules;
    expect(translate(rs, '4008201')).toEqual({ dialled: '95001', rule: 'pfx' });
    expect(translate(rs, '95000')).toEqual({ dialled: '95000' });
    expect(postRoute(rs, 'a', { staffed: 2, waiting: 1, estimatedWaitMs: 61_000 })?.rule).toBe('ewt');
    expect(postRoute(rs, 'a', { staffed: 2, waiting: 4 })?.rule).toBe('ivr');
    expect(postRoute(rs, 'a', { staffed: 2, waiting: 3 })).toBeUndefined();
  });

  it('a kept history comes back after a restart; versions naming a queue that is gone are dropped; listeners hear every version (ADM-2)', () => {
    const first = new RuleSetStore(exists);
    const heard: number[] = [];
    first.onApply((v) => heard.push(v.version));
    first.apply({ pre: [{ id: 'p', when: { callerPrefix: '021' }, queue: 'b' }] }, 'alice', 1000);
    first.apply({ pre: [{ id: 'q', when: { callerPrefix: '010' }, queue: 'c' }] }, 'bob', 2000);
    first.rollback(2, 'carol', 3000);
    expect(heard).toEqual([2, 3, 4]);
    const kept = JSON.parse(JSON.stringify(first.history()));
    const again = new RuleSetStore((q) => q !== 'c');
    expect(again.restore(kept)).toBe(3);
    expect(again.history().map((v) => v.version)).toEqual([1, 2, 4]);
    expect(again.current()).toMatchObject({ version: 4, author: 'carol', note: 'rollback to 2' });
    expect(again.apply({}, 'dave', 4000)).toEqual({ ok: true, version: 5 });
    expect(new RuleSetStore(exists).restore([{ version: 0, rules: {} as never, author: 'x', appliedAt: 0 }])).toBe(0);
  });
});
