/**
 * The switch's call model (DESIGN.md "The call model"): pure state and rules.
 * Adapters (B2BUA over src/sip, bridges in src/media/engine, the event log,
 * the HTTP API) drive these operations and carry out the returned commands.
 */
export { CALL_ERROR_CODES, CALL_ERROR_CODE_LIST, CallModelError, type CallErrorCode } from './errors.ts';
export { LEG_STATES, LEG_TABLE, Leg, type HangupSide, type LegSnapshot, type LegState, type Party, type PartyKind } from './leg.ts';
export { BRIDGE_ROLES, BRIDGE_TABLE, Bridge, type BridgeMember, type BridgeRole, type BridgeSnapshot } from './bridge.ts';
export {
  INTERACTION_ACTIONS,
  INTERACTION_STATES,
  INTERACTION_TABLE,
  Interaction,
  interactionTargets,
  type InteractionAction,
  type InteractionState,
  type SwitchContext,
} from './interaction.ts';
export type { CallData, Command, Destination, DomainEvent, JsonValue, MediaSource, Outcome, SupervisionMode } from './effects.ts';
export { acceptInbound, answer, enqueue, hold, legProgress, makeCall, noAnswer, offer, refuseInbound, retrieve } from './operations-call.ts';
export { alternate, completeConference, completeTransfer, consult, reconnect, type ConsultTarget } from './operations-consult.ts';
export { hangup, type AfterAgent } from './operations-hangup.ts';
export { blindTransfer, queueToIvr } from './operations-transfer.ts';
export { barge, forceRelease, intercept, interactionOfAgent, monitor, whisper } from './operations-supervisor.ts';
