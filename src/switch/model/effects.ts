/**
 * What an operation asks of the adapters (commands) and what it tells the
 * rest of the system (domain events). Both are plain, typed data: the B2BUA
 * turns commands into SIP and media-engine calls; the event log stores events.
 */
import type { BridgeRole } from './bridge.ts';
import type { HangupSide, LegState, Party } from './leg.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
/** Call-attached data (CTI-5): IVR inputs, identity, ticket in progress. */
export type CallData = Record<string, JsonValue>;

export type MediaSource = 'music-on-hold' | 'ringback' | 'queue-music';

/** Where a blind transfer or consult goes (CTI-3, CTI-4). */
export type Destination =
  | { kind: 'agent'; agentId: string }
  | { kind: 'external'; number: string }
  | { kind: 'queue'; queueId: string }
  | { kind: 'ivr'; mode: 'resume' }
  | { kind: 'ivr'; mode: 'new'; script: string };

export type Command =
  | { kind: 'leg.dial'; leg: string; party: Party; callData: CallData }
  | { kind: 'leg.answer'; leg: string }
  | { kind: 'leg.hangup'; leg: string; cause: string }
  | { kind: 'bridge.create'; bridge: string; maxSize: number }
  | { kind: 'bridge.join'; bridge: string; leg: string; role: BridgeRole; target?: string }
  | { kind: 'bridge.setRole'; bridge: string; leg: string; role: BridgeRole; target?: string }
  | { kind: 'bridge.leave'; bridge: string; leg: string }
  | { kind: 'bridge.destroy'; bridge: string }
  | { kind: 'media.play'; leg: string; source: MediaSource }
  | { kind: 'media.stop'; leg: string }
  | { kind: 'acd.enqueue'; interaction: string; queueId: string; callData: CallData }
  | { kind: 'ivr.start'; interaction: string; leg: string; mode: 'resume' | 'new'; script: string; resumeAt?: string; callData: CallData };

export type SupervisionMode = 'listen' | 'whisper' | 'barge';

interface Base {
  interaction: string;
  at: number;
}
export type DomainEvent =
  | (Base & { type: 'interaction.state'; from: string; to: string; action: string })
  | (Base & { type: 'leg.state'; leg: string; party: Party; from: LegState; to: LegState })
  | (Base & { type: 'interaction.offered'; leg: string; party: Party; callData: CallData })
  | (Base & { type: 'agent.connected'; agentId: string; leg: string })
  | (Base & { type: 'agent.released'; agentId: string; leg: string; by: HangupSide; cause: string })
  | (Base & { type: 'supervision.changed'; supervisorId: string; agentId: string; mode: SupervisionMode | 'ended' })
  | (Base & { type: 'interaction.ended'; by: HangupSide; cause: string });

/** The result of one successful operation. */
export interface Outcome {
  commands: Command[];
  events: DomainEvent[];
}
