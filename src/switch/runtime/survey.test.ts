// IVR-8 on the switch runtime: when the handling agent hangs up first (the
// phone's BYE or the desktop's hang-up), the runtime asks the IVR port for a
// survey and, given one, keeps the customer and starts it on the customer's
// leg; otherwise, or when the customer hangs up first, the call ends.
import { describe, expect, it } from 'vitest';
import { runtimeKit, settle, talkingCall } from './test-kit.ts';


const talking = talkingCall;

describe('post-call survey when the agent hangs up first (IVR-8)', () => {
  it('the agent phone hangs up: the customer stays and the survey starts on the customer leg', async () => {
    const k = runtimeKit();
    k.ivr.survey = 'survey-zh.vxml';
    const { ix, cust, agent } = await talking(k);
    k.gateway.emit({ type: 'hangup', legId: agent, cause: 'bye' });
    await settle();
    expect(k.ivr.surveyAsked).toEqual([{ interactionId: ix, agentId: '8001', entryPoint: '95001' }]);
    expect(k.gateway.hungUp(cust)).toBe(false);
    expect(k.runtime.get(ix).state).toBe('ivr');
    expect(k.ivr.started.at(-1)).toMatchObject({ interactionId: ix, script: 'survey-zh.vxml', mode: 'new', customerLegId: cust });
    expect(k.events.find((e) => e.type === 'agent.released')).toMatchObject({ agentId: '8001', by: 'party' });
    expect(k.events.some((e) => e.type === 'interaction.state' && e.action === 'survey' && e.from === 'talking' && e.to === 'ivr')).toBe(true);
    // The survey's end ends the call.
    await k.runtime.ivrHangup(ix, 'survey-complete');
    await settle();
    expect(k.gateway.hungUp(cust)).toBe(true);
    expect(k.runtime.get(ix).state).toBe('ended');
  });

  it('the agent hangs up from the desktop while the customer is on hold: music stops, the survey starts', async () => {
    const k = runtimeKit();
    k.ivr.survey = 'survey-en.vxml';
    const { ix, cust, agent } = await talking(k);
    await k.runtime.agentOp(ix, '8001', 'hold');
    await settle();
    await k.runtime.agentOp(ix, '8001', 'hangup');
    await settle();
    expect(k.gateway.hungUp(agent)).toBe(true);
    expect(k.gateway.hungUp(cust)).toBe(false);
    expect(k.runtime.get(ix).state).toBe('ivr');
    expect(k.ivr.started.at(-1)).toMatchObject({ script: 'survey-en.vxml', customerLegId: cust });
  });

  it('no survey for this call: the agent hanging up ends the call as before', async () => {
    const k = runtimeKit();
    const { ix, cust, agent } = await talking(k);
    k.gateway.emit({ type: 'hangup', legId: agent, cause: 'bye' });
    await settle();
    expect(k.ivr.surveyAsked.map((q) => q.interactionId)).toEqual([ix]);
    expect(k.gateway.hungUp(cust)).toBe(true);
    expect(k.runtime.get(ix).state).toBe('ended');
  });

  it('the customer hangs up first: no survey is asked for', async () => {
    const k = runtimeKit();
    k.ivr.survey = 'survey-zh.vxml';
    const { ix, cust } = await talking(k);
    k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(k.ivr.surveyAsked).toEqual([]);
    expect(k.runtime.get(ix).state).toBe('ended');
  });
});
