// ACD configuration: validation names the bad value; the demo configuration is valid (issue 5, ACD-1, ACD-6, ACD-7, ACD-9).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { AcdConfigError, loadAcdConfigFile, parseAcdConfig } from './acd-config.ts';
import { AcdService } from './acd-service.ts';
import { DEMO_ACD_CONFIG } from './demo-acd-config.ts';

const base = { agents: [{ id: '8001' }], queues: [{ id: 'general' }] };

describe('ACD configuration (ACD-1, ACD-9)', () => {
  it('fills defaults', () => {
    const c = parseAcdConfig(base);
    expect(c.agents[0]).toMatchObject({ id: '8001', level: 5, skills: {}, groups: [], autoAnswer: false });
    expect([c.strategy, c.ringGuardMs, c.promptLanguage, c.entryPoints, c.blacklist]).toEqual([{ rules: ['longest-idle'] }, 3000, 'zh-CN', [], []]);
  });

  it.each([
    ['no queue', { agents: [] }, 'queues'],
    ['duplicate agent', { ...base, agents: [{ id: '8001' }, { id: '8001' }] }, 'agents.1'],
    ['duplicate extension', { ...base, agents: [{ id: 'a', extension: '8001' }, { id: '8001' }] }, 'agents.1'],
    ['skill level above 10', { ...base, agents: [{ id: '8001', skills: { general: 11 } }] }, 'agents.0.skills.general'],
    ['unknown strategy rule', { ...base, strategy: { rules: ['coin-toss'] } }, 'strategy.rules.0'],
    ['entry point to an unknown queue', { ...base, entryPoints: [{ id: 'e', numbers: ['95001'], queue: 'x' }] }, 'entryPoints.0.queue'],
    ['one number on two entry points', { ...base, entryPoints: [{ id: 'a', numbers: ['95001'], queue: 'general' }, { id: 'b', numbers: ['95001'], queue: 'general' }] }, 'entryPoints.1.numbers'],
    ['overflow to itself', { ...base, queues: [{ id: 'general', treatment: { overflow: { toQueue: 'general', afterMs: 1000 } } }] }, 'queues.0.treatment.overflow.toQueue'],
    ['bad blacklist number', { ...base, blacklist: [{ number: 'abc' }] }, 'blacklist.0.number'],
    ['bad business hours', { ...base, entryPoints: [{ id: 'e', numbers: ['1'], queue: 'general', hours: { weekly: { '1': [{ from: '25:00', to: '26:00' }] } } }] }, 'entryPoints.0.hours.weekly.1.0.from'],
    ['rule to an unknown queue', { ...base, rules: { pre: [{ id: 'p', when: {}, queue: 'x' }] } }, 'rules'],
    ['unknown key', { ...base, agent: [] }, '(root)'],
  ])('rejects %s, naming the path', (_, raw, path) => {
    let err: unknown;
    try {
      parseAcdConfig(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AcdConfigError);
    expect((err as AcdConfigError).path).toBe(path);
    expect((err as Error).message).toMatch(new RegExp(`^invalid ACD configuration at ${path.replace(/[().]/g, '\\$&')}: `));
  });

  it('reads a file and reports an unreadable or non-JSON one', () => {
    expect(loadAcdConfigFile('acd.json', () => JSON.stringify(base)).queues[0]!.id).toBe('general');
    expect(() => loadAcdConfigFile('acd.json', () => '{')).toThrow(/acd.json is not valid JSON/);
    expect(() => loadAcdConfigFile('missing.json', () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); })).toThrow('cannot read missing.json (ENOENT)');
  });

  it('the demo: agents 8001-8010 on their extensions, the general queue on 95001', () => {
    const svc = new AcdService({ config: parseAcdConfig(DEMO_ACD_CONFIG), clock: new FakeClock() });
    expect(svc.control.agents().map((a) => a.extension)).toEqual(Array.from({ length: 10 }, (_, i) => String(8001 + i)));
    expect(svc.control.queues().map((q) => q.id)).toEqual(['general', 'vip']);
    expect(svc.screen('95001', '13900000000')).toMatchObject({ kind: 'queue', queue: 'general' });
    expect(svc.directory.agentOfExtension('8005')).toBe('8005');
  });
});
