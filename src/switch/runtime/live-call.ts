/**
 * What the runtime keeps beside the model's Interaction for one live call:
 * which gateway legs it has answered, the players and recorder it started,
 * the options of pending offers, and the media anchor (the leg whose media
 * worker every other leg and bridge of the call shares).
 */
import type { Command, Interaction } from '../model/index.ts';
import type { OfferOptions } from './ports.ts';

export interface LiveCall {
  ix: Interaction;
  /** The customer as the dial plan saw them. */
  customer: { number: string; name?: string };
  /** Service number or DID the customer dialled. */
  entryPoint?: string;
  /** Engine leg whose worker the call's other legs and bridges share. */
  anchor?: string;
  /** Legs the gateway has already answered (inbound legs after `answer`, click-to-dial agent legs). */
  gatewayAnswered: Set<string>;
  /** Outbound legs the gateway has been asked to dial. */
  dialed: Set<string>;
  /** Offer options by agent ID (ACD offers). */
  offers: Map<string, OfferOptions>;
  /** Player on a leg (ringback, queue music) by leg ID. */
  legPlayers: Map<string, string>;
  /** Music-on-hold player of a bridge, by bridge ID. */
  bridgeMusic: Map<string, string>;
  recorder?: { id: string; bridge: string; path: string };
  /** Recordings started on this call so far (names the next one's file). */
  recordings?: number;
  /** The IVR port was started for this call and has not finished. */
  ivrActive: boolean;
  /** Click-to-dial: the agent's phone is rung first; the model's commands wait here until it answers. */
  clickToDial?: { agentLeg: string; deferred: Command[] };
}

export function newLiveCall(ix: Interaction, customer: { number: string; name?: string }, entryPoint?: string): LiveCall {
  const call: LiveCall = {
    ix,
    customer,
    gatewayAnswered: new Set(),
    dialed: new Set(),
    offers: new Map(),
    legPlayers: new Map(),
    bridgeMusic: new Map(),
    ivrActive: false,
  };
  if (entryPoint !== undefined) call.entryPoint = entryPoint;
  return call;
}
