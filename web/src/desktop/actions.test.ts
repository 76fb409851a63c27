import { describe, expect, it } from 'vitest';
import { AGENT_STATES as ACD_AGENT_STATES, nextAgentState, type AgentAction } from '../../../src/acd/agent-state.ts';
import { INTERACTION_STATES, interactionTargets, type InteractionAction, type InteractionState } from '../../../src/switch/model/interaction.ts';
import { CATALOGS } from '../i18n/catalogs.ts';
import { ACTION_IDS, ACTIONS, actionForKey, enabledActions, type ActionId } from './actions.ts';
import { AGENT_STATES, DESK_CALL_STATES, INTERACTION_STATE_OF, type AgentState, type DeskCallState } from './desk-state.ts';

const rows: [AgentState, DeskCallState, ActionId[]][] = [
  ['logged-out', 'idle', ['sign-in']],
  ['locked', 'idle', []],
  ['not-ready', 'idle', ['sign-out', 'ready', 'not-ready', 'make-call']],
  ['ready', 'idle', ['sign-out', 'not-ready']],
  ['wrap-up', 'idle', ['sign-out', 'ready', 'not-ready', 'wrap-up', 'make-call']],
  ['reserved', 'ringing', ['answer']],
  ['not-ready', 'ringing', ['answer']],
  ['logged-out', 'ringing', []],
  ['not-ready', 'dialing', ['hang-up']],
  ['talking', 'talking', ['hang-up', 'hold', 'consult', 'transfer-blind']],
  ['talking', 'on-hold', ['hang-up', 'retrieve', 'consult', 'transfer-blind']],
  ['talking', 'consult-dialing', ['reconnect']],
  ['talking', 'consulting', ['alternate', 'reconnect', 'conference', 'transfer-attended']],
  ['talking', 'conferencing', ['hang-up', 'consult']],
  ['ready', 'talking', ['hang-up', 'hold', 'consult', 'transfer-blind']],
];

describe('agent toolbar: enabled actions by (agent state, call state) (CTI-1, CTI-2, CTI-3, CTI-4, ACD-3)', () => {
  it.each(rows)('agent %s, call %s → %j', (agent, call, expected) => {
    expect(enabledActions(agent, call)).toEqual(expected);
  });

  it('agent-state actions never run with a call on the desk', () => {
    for (const agent of AGENT_STATES) {
      for (const call of DESK_CALL_STATES.filter((c) => c !== 'idle')) {
        const agentActions = enabledActions(agent, call).filter((id) => ['sign-in', 'sign-out', 'ready', 'not-ready', 'wrap-up', 'make-call'].includes(id));
        expect(agentActions, `${agent}/${call}`).toEqual([]);
      }
    }
  });
});

describe('the registry agrees with the server state machines (ACD-3, CTI-1..CTI-4)', () => {
  it('agent states are the ACD agent states', () => {
    expect([...AGENT_STATES]).toEqual([...ACD_AGENT_STATES]);
  });

  it('desk call states stand for real interaction states', () => {
    for (const s of Object.values(INTERACTION_STATE_OF)) if (s !== undefined) expect(INTERACTION_STATES).toContain(s);
  });

  const agentAction: Partial<Record<ActionId, AgentAction>> = { 'sign-in': 'login', 'sign-out': 'logout', ready: 'ready', 'not-ready': 'not-ready', 'wrap-up': 'finish-wrap-up' };
  const callAction: Partial<Record<ActionId, InteractionAction>> = {
    answer: 'answer', 'hang-up': 'end', hold: 'hold', retrieve: 'retrieve', consult: 'consult', alternate: 'alternate',
    reconnect: 'reconnect', conference: 'conference', 'transfer-blind': 'blind-agent', 'transfer-attended': 'transfer',
  };

  it('an enabled agent action is allowed by the ACD agent table', () => {
    for (const agent of AGENT_STATES) {
      for (const id of enabledActions(agent, 'idle')) {
        const a = agentAction[id];
        if (a) expect(nextAgentState(agent, a), `${id} in ${agent}`).toBeDefined();
      }
    }
  });

  it('an enabled call action is allowed by the interaction table', () => {
    for (const agent of AGENT_STATES) {
      for (const call of DESK_CALL_STATES) {
        const ix = INTERACTION_STATE_OF[call] as InteractionState | undefined;
        if (!ix) continue;
        for (const id of enabledActions(agent, call)) {
          const a = callAction[id];
          if (a) expect(interactionTargets(ix, a).length, `${id} in ${call}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('every call action the interaction table allows from talking or on-hold is on the desk', () => {
    for (const [id, a] of Object.entries(callAction)) {
      const somewhere = DESK_CALL_STATES.some((c) => enabledActions('talking', c).includes(id as ActionId) || enabledActions('reserved', c).includes(id as ActionId));
      const serverAllows = INTERACTION_STATES.some((s) => interactionTargets(s, a).length > 0);
      expect(somewhere, id).toBe(serverAllows);
    }
  });
});

describe('registry shape and keyboard shortcuts', () => {
  it('declares each action once, with a label in both languages', () => {
    expect(ACTIONS.map((a) => a.id)).toEqual([...ACTION_IDS]);
    for (const a of ACTIONS) {
      expect(CATALOGS['en-US'][a.labelKey]).toBeTruthy();
      expect(CATALOGS['zh-CN'][a.labelKey]).toBeTruthy();
    }
  });

  it('shortcuts are unique', () => {
    const codes = ACTIONS.map((a) => a.shortcut.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  const key = (code: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({
    code, altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, ...mods,
  });
  it.each([
    [key('KeyA'), 'answer'],
    [key('KeyE'), 'hang-up'],
    [key('KeyH'), 'hold'],
    [key('KeyU'), 'retrieve'],
    [key('KeyX'), 'transfer-attended'],
    [key('KeyA', { altKey: false }), undefined],
    [key('KeyA', { ctrlKey: true }), undefined],
    [key('KeyA', { shiftKey: true }), undefined],
    [key('KeyZ'), undefined],
  ])('%j → %s', (press, id) => {
    expect(actionForKey(press)).toBe(id);
  });
});
