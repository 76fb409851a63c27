/**
 * SIP call gateway: the CallGateway port (src/switch/runtime/call-gateway.ts)
 * over Hotline's SIP stack and media engine.
 *
 * ========================= HOW THE APP WIRES IT =========================
 * In src/app/signalling.ts (startSignalling), after the stack, the
 * authenticator, the location service and the registrar exist, and given
 * the started MediaEngine (`media`, bound to the address phones reach):
 *
 *   const gateway = new SipCallGateway({
 *     stack, location, authenticator, media, clock, logger: log,
 *     mediaAddress: <address written in SDP: config.host, or viaHost when bound to a wildcard>,
 *     sipHost: viaHost ?? config.host,
 *     sipPorts: { udp: config.sipPort, tcp: config.sipPort, tls: config.sipTlsPort, ws: config.sipWsPort },
 *     aorOf: (ext) => registrar.aorOf(ext),
 *     trunks: config.trunks,                       // TrunkConfig[] (IP-authenticated and/or registering)
 *     isPublicNumber: (user) => dialPlan.isServiceNumber(user),  // e.g. 95000: callable without an account
 *     store: new JsonlDialogStore(join(config.dataDir, 'sip-dialogs.jsonl')),
 *     rtpTimeoutMs: 60_000,
 *   });
 *   await gateway.recover();   // BYE every dialog a crashed predecessor left (OPS-3), before taking calls
 *   gateway.start();           // registers INVITE, BYE, INFO, REFER on the stack; trunk registrations
 *   ... the switch runtime takes `gateway` as its CallGateway ...
 *   on stop: gateway.stop() before stack.close().
 *
 * The stack should be built with `supported: ['path', 'outbound', 'replaces']`.
 * Leg lifecycle: the gateway creates the engine leg (same ID as the leg)
 * before `inbound` is emitted or `dial` resolves, and destroys it when the
 * leg ends (after `failed` / `hangup`, or a runtime hangup/reject). Legs
 * the runtime ends itself (hangup, reject) emit no event. To join legs in
 * one bridge they must share a media worker: create the bridge `near` one
 * of them (engine `cross-worker` otherwise), or run the engine with one
 * worker per process.
 * =========================================================================
 */
export { SipCallGateway } from './sip-call-gateway.ts';
export type { SipCallGatewayOptions, TrunkConfig, GatewayMedia } from './gateway-options.ts';
export { GatewayError, type GatewayErrorCode } from './gateway-error.ts';
export { MemoryDialogStore, type DialogRecord, type DialogStore } from './dialog-store.ts';
export { JsonlDialogStore } from './jsonl-dialog-store.ts';
export type { RecoveredDialog } from './dialog-recovery.ts';
