// Agents added, changed, frozen and deregistered while the ACD runs (ADM-1, ADM-2): in force at once, no restart.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { AcdError } from '../acd-error.ts';
import { parseAcdConfig } from './acd-config.ts';
import { AcdService } from './acd-service.ts';
import { FakeSwitch, RecordingTreatment } from './test-kit.ts';

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 2, 0));
  const config = parseAcdConfig({
    agents: [{ id: '8001', skills: { general: 5 } }],
    queues: [
      { id: 'general', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 10_000, wrapUpMs: 5_000 },
      { id: 'funds', requiredSkills: [{ skill: 'funds', minLevel: 6 }], ringTimeoutMs: 10_000 },
    ],
    entryPoints: [
      { id: 'general', numbers: ['95001'], queue: 'general' },
      { id: 'funds', numbers: ['95002'], queue: 'funds' },
    ],
  });
  const svc = new AcdService({ config, clock });
  const sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  svc.attach(sw, new RecordingTreatment(sw));
  const ready = (id: string) => {
    svc.control.act(id, 'login');
    svc.control.act(id, 'ready');
  };
  return { clock, svc, sw, ready, state: (id: string) => svc.control.agent(id).state };
}

describe('agents administered at run time (ADM-1, ADM-2)', () => {
  it('a new agent is listed, resolves by extension, logs in and is offered the waiting call at once', () => {
    const t = setup();
    const ix = t.sw.call('13900000001', { entryPoint: '95001' });
    expect(t.sw.offers).toHaveLength(0);
    t.svc.addAgent({ id: '8011', name: 'Agent 8011', skills: { general: 7 } });
    expect(t.svc.control.agents().map((a) => a.id)).toEqual(['8001', '8011']);
    expect(t.svc.control.resolveAgent('8011')).toBe('8011');
    expect(t.svc.directory.extensionOf('8011')).toBe('8011');
    expect(t.svc.control.agent('8011').name).toBe('Agent 8011');
    t.ready('8011');
    expect(t.sw.offers.map((o) => [o.interactionId, o.agentId])).toEqual([[ix, '8011']]);
  });

  it('an agent on its own extension rings there; duplicates of id or extension are refused', () => {
    const t = setup();
    t.svc.addAgent({ id: 'li.wei', extension: '8012', skills: { general: 5 } });
    expect(t.svc.directory.agentOfExtension('8012')).toBe('li.wei');
    expect(t.svc.control.resolveAgent('8012')).toBe('li.wei');
    expect(() => t.svc.addAgent({ id: '8001' })).toThrow(AcdError);
    expect(() => t.svc.addAgent({ id: 'x', extension: '8012' })).toThrow(/extension 8012/);
    expect(() => t.svc.addAgent({ id: 'bad id!' })).toThrow();
  });

  it('new skills take effect at once: a ready agent gets a call its old skills could not take', () => {
    const t = setup();
    t.ready('8001');
    const ix = t.sw.call('13900000002', { entryPoint: '95002' });
    expect(t.sw.offers).toHaveLength(0);
    t.svc.updateAgent({ id: '8001', skills: { general: 5, funds: 5 } });
    expect(t.sw.offers).toHaveLength(0); // below the queue's minimum level 6
    t.svc.updateAgent({ id: '8001', skills: { general: 5, funds: 8 } });
    expect(t.sw.offers.map((o) => [o.interactionId, o.agentId])).toEqual([[ix, '8001']]);
    expect(t.svc.agentConfig('8001')).toMatchObject({ extension: '8001', skills: { general: 5, funds: 8 } });
    expect(() => t.svc.updateAgent({ id: '9999' })).toThrow(/no agent 9999/);
    expect(() => t.svc.updateAgent({ id: '8001', extension: '8100' })).toThrow(/keeps extension/);
  });

  it('a frozen agent is signed out, cannot log in nor be offered calls; back to normal it may log in again', () => {
    const t = setup();
    t.ready('8001');
    expect(t.svc.control.setStatus('8001', 'frozen').state).toBe('locked');
    expect(t.svc.control.adminStatus('8001')).toBe('frozen');
    const ix = t.sw.call('13900000003', { entryPoint: '95001' });
    expect(t.sw.offers).toHaveLength(0);
    expect(() => t.svc.control.act('8001', 'login')).toThrow(expect.objectContaining({ code: 'AGENT_DISABLED' }));
    expect(() => t.svc.control.act('8001', 'unlock')).toThrow(expect.objectContaining({ code: 'AGENT_DISABLED' }));
    expect(t.svc.control.setStatus('8001', 'normal').state).toBe('logged-out');
    t.ready('8001');
    expect(t.sw.offers.map((o) => [o.interactionId, o.agentId])).toEqual([[ix, '8001']]);
  });

  it('an agent deregistered during a call keeps the call; it is locked when the call ends', () => {
    const t = setup();
    t.ready('8001');
    const ix = t.sw.call('13900000004', { entryPoint: '95001' });
    t.sw.answer(ix);
    expect(t.state('8001')).toBe('talking');
    t.svc.control.setStatus('8001', 'deregistered');
    expect(t.state('8001')).toBe('talking');
    t.sw.hangUp(ix);
    expect(t.state('8001')).toBe('locked');
    expect(t.svc.control.adminStatus('8001')).toBe('deregistered');
  });

  it('an agent may be added already frozen; unknown agents cannot change status', () => {
    const t = setup();
    t.svc.addAgent({ id: '8013', skills: { general: 5 } }, 'frozen');
    expect(t.state('8013')).toBe('locked');
    expect(() => t.svc.control.setStatus('9999', 'frozen')).toThrow(expect.objectContaining({ code: 'UNKNOWN_AGENT' }));
  });

  it('blacklist changes are announced (to be kept), a removal of an unlisted number is not', () => {
    const t = setup();
    let changes = 0;
    const off = t.svc.control.onBlacklistChange(() => changes++);
    t.svc.control.addToBlacklist({ number: '13900000666', mode: 'refuse' });
    expect(t.svc.control.removeFromBlacklist('13900000666')).toBe(true);
    expect(t.svc.control.removeFromBlacklist('13900000666')).toBe(false);
    expect(changes).toBe(2);
    off();
    t.svc.control.addToBlacklist({ number: '13900000667' });
    expect(changes).toBe(2);
  });
});
