/**
 * Which calls of an agent the ACD did not route, told from the switch's event
 * stream (issue 5, ACD-3, CTI-4; kinds and their ends: ../direct-call.ts).
 *
 *   agent.connected, agent not reserved for that contact:
 *     the switch rang the agent on this interaction (interaction.offered)
 *       and the interaction is consulting       → consult
 *       otherwise (blind transfer, IVR to agent) → transfer
 *     the agent placed the call (no offer)       → internal when the number
 *       dialled is an agent's extension, else outbound
 *   interaction.state with action `transfer`      → the consulted agent now handles the customer
 *   agent.released                               → the direct call ends
 *   the callee of an extension-to-extension call (a customer-kind leg the
 *   switch dialled to an agent's extension): connected → internal, terminated → ends
 */
import type { AgentDirectory, SwitchEvent } from '../../switch/runtime/ports.ts';
import type { AcdEngine } from '../acd-engine.ts';
import type { DirectCallKind } from '../direct-call.ts';

const TAKES_DIRECT = new Set(['ready', 'not-ready', 'wrap-up']);

export class DirectCalls {
  private readonly state = new Map<string, string>();
  private readonly rung = new Map<string, Set<string>>();
  private readonly customer = new Map<string, string>();
  /** Outbound legs dialled to an agent's extension, by leg id. */
  private readonly callees = new Map<string, string>();

  constructor(
    private readonly engine: AcdEngine,
    private readonly directory: AgentDirectory,
    private readonly queueOf: (interactionId: string) => string | undefined,
  ) {}

  /** Keeps what the classification needs; called for every switch event. */
  observe(e: SwitchEvent): void {
    const ix = e.interaction;
    switch (e.type) {
      case 'interaction.state':
        this.state.set(ix, e.to);
        if (e.action === 'transfer') this.engine.transferDirect(ix);
        return;
      case 'interaction.offered':
        if (e.party.kind === 'agent') this.rung.set(ix, (this.rung.get(ix) ?? new Set()).add(e.party.id));
        return;
      case 'leg.state': {
        if (e.party.kind !== 'customer') return;
        if (!this.customer.has(ix)) this.customer.set(ix, e.party.id);
        const callee = e.from === 'idle' && e.to === 'dialing' ? this.directory.agentOfExtension(e.party.id) : undefined;
        if (callee !== undefined) this.callees.set(e.leg, callee);
        const agentId = this.callees.get(e.leg);
        if (agentId === undefined) return;
        if (e.to === 'connected' && e.from !== 'held') this.connected(agentId, ix);
        else if (e.to === 'terminated') {
          this.callees.delete(e.leg);
          this.released(agentId, ix);
        }
        return;
      }
      case 'interaction.ended':
        this.state.delete(ix);
        this.rung.delete(ix);
        this.customer.delete(ix);
        return;
      default:
        return;
    }
  }

  /** The switch connected the agent to a call its ACD did not offer; false when the ACD does not track it (not logged in, busy). */
  connected(agentId: string, interactionId: string): boolean {
    if (!this.knows(agentId) || !TAKES_DIRECT.has(this.engine.agentSnapshot(agentId).state)) return false;
    const queueId = this.queueOf(interactionId);
    this.engine.connectDirect(agentId, { interactionId, kind: this.kindOf(agentId, interactionId), ...(queueId !== undefined ? { queueId } : {}) });
    return true;
  }

  released(agentId: string, interactionId: string): boolean {
    return this.knows(agentId) && this.engine.endDirect(agentId, interactionId);
  }

  private kindOf(agentId: string, ix: string): DirectCallKind {
    if (this.rung.get(ix)?.has(agentId)) return this.state.get(ix) === 'consulting' ? 'consult' : 'transfer';
    const number = this.customer.get(ix);
    return number !== undefined && this.directory.agentOfExtension(number) !== undefined ? 'internal' : 'outbound';
  }

  private knows(agentId: string): boolean {
    return this.engine.agentSnapshots().some((a) => a.id === agentId);
  }
}
