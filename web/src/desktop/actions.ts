/**
 * The agent toolbar's ONE action registry (CTI-1..CTI-4, ACD-3): every
 * action is declared here once, with its label, group, keyboard shortcut,
 * the input it needs and when it is enabled. Buttons, keys and (later) the
 * call API all run through it, so a button and its shortcut cannot disagree.
 *
 * `enabled` is a pure function of (agent state, call state). Agent-state
 * actions follow the ACD's table (src/acd/agent-state.ts) and need no call
 * on the desk; call actions follow the interaction's table
 * (src/switch/model/interaction.ts). actions.test.ts checks both.
 */
import type { MessageKey } from '../i18n/catalogs.ts';
import type { AgentState, DeskCallState } from './desk-state.ts';

export const ACTION_IDS = [
  'sign-in', 'sign-out', 'ready', 'not-ready', 'wrap-up',
  'make-call', 'answer', 'hang-up', 'hold', 'retrieve',
  'consult', 'alternate', 'reconnect', 'conference',
  'transfer-blind', 'transfer-attended',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

export type ActionGroup = 'agent' | 'call' | 'consult' | 'transfer';
export const ACTION_GROUPS: readonly ActionGroup[] = ['agent', 'call', 'consult', 'transfer'];

/** A shortcut is Alt plus a physical key (KeyboardEvent.code), so it works under any layout or IME. */
export interface Shortcut {
  code: string;
  /** What the key shows as, e.g. "Alt+A". */
  label: string;
}

/** What the agent must give before the action runs. */
export type ActionInput = 'none' | 'reason' | 'number' | 'target';

export interface DeskAction {
  id: ActionId;
  group: ActionGroup;
  labelKey: MessageKey;
  shortcut: Shortcut;
  input: ActionInput;
  enabled(agent: AgentState, call: DeskCallState): boolean;
}

const alt = (letter: string): Shortcut => ({ code: `Key${letter}`, label: `Alt+${letter}` });
const oneOf = <T extends string>(...values: T[]) => (v: T) => values.includes(v);

const idle = (call: DeskCallState) => call === 'idle';
const signedIn = oneOf<AgentState>('not-ready', 'ready', 'wrap-up');

function action(id: ActionId, group: ActionGroup, letter: string, input: ActionInput, enabled: DeskAction['enabled']): DeskAction {
  return { id, group, labelKey: `action.${id}`, shortcut: alt(letter), input, enabled };
}

export const ACTIONS: readonly DeskAction[] = [
  action('sign-in', 'agent', 'I', 'none', (a, c) => a === 'logged-out' && idle(c)),
  action('sign-out', 'agent', 'Q', 'none', (a, c) => signedIn(a) && idle(c)),
  action('ready', 'agent', 'R', 'none', (a, c) => oneOf<AgentState>('not-ready', 'wrap-up')(a) && idle(c)),
  action('not-ready', 'agent', 'N', 'reason', (a, c) => signedIn(a) && idle(c)),
  action('wrap-up', 'agent', 'W', 'none', (a, c) => a === 'wrap-up' && idle(c)),
  action('make-call', 'call', 'D', 'number', (a, c) => oneOf<AgentState>('not-ready', 'wrap-up')(a) && idle(c)),
  action('answer', 'call', 'A', 'none', (a, c) => c === 'ringing' && a !== 'logged-out' && a !== 'locked'),
  action('hang-up', 'call', 'E', 'none', (_, c) => oneOf<DeskCallState>('dialing', 'talking', 'on-hold', 'conferencing')(c)),
  action('hold', 'call', 'H', 'none', (_, c) => c === 'talking'),
  action('retrieve', 'call', 'U', 'none', (_, c) => c === 'on-hold'),
  action('consult', 'consult', 'C', 'target', (_, c) => oneOf<DeskCallState>('talking', 'on-hold', 'conferencing')(c)),
  action('alternate', 'consult', 'L', 'none', (_, c) => c === 'consulting'),
  action('reconnect', 'consult', 'B', 'none', (_, c) => oneOf<DeskCallState>('consult-dialing', 'consulting')(c)),
  action('conference', 'consult', 'F', 'none', (_, c) => c === 'consulting'),
  action('transfer-blind', 'transfer', 'T', 'target', (_, c) => oneOf<DeskCallState>('talking', 'on-hold')(c)),
  action('transfer-attended', 'transfer', 'X', 'none', (_, c) => c === 'consulting'),
];

export function actionById(id: ActionId): DeskAction {
  const found = ACTIONS.find((a) => a.id === id);
  if (!found) throw new Error(`no desk action ${id}`);
  return found;
}

/** The actions enabled in this (agent, call) state, in registry order. */
export function enabledActions(agent: AgentState, call: DeskCallState): ActionId[] {
  return ACTIONS.filter((a) => a.enabled(agent, call)).map((a) => a.id);
}

export interface KeyPress {
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** The action a key press asks for (Alt plus the key, no other modifier), if any. */
export function actionForKey(key: KeyPress): ActionId | undefined {
  if (!key.altKey || key.ctrlKey || key.metaKey || key.shiftKey) return undefined;
  return ACTIONS.find((a) => a.shortcut.code === key.code)?.id;
}
