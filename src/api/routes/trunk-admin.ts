/**
 * Trunks administered live (ADM-1, ADM-2): a carrier or PBX connection
 * (host, port, transport; registration with username, password, realm and
 * expiry, or IP authentication by source addresses) together with its
 * routing (DIDs to entry points, a default entry point). A change is in
 * force at once: the dial plan routes the trunk's DIDs on the next INVITE,
 * the gateway matches INVITEs against the new source addresses, a new or
 * changed registration (re-)registers, a removed trunk unregisters.
 *
 * Persistence: the administered trunks are one JSON document under the
 * `meta` key `admin.trunks` (an array; a trunk of the dial-plan file that an
 * administrator removed is kept there as `{ id, removed: true }`). At start
 * restore() re-applies it over the dial-plan file. The password is kept
 * there (the registration needs it) and never returned by the API.
 */
import { DialPlanError, type DialPlanConfig } from '../../switch/dialplan/index.ts';
import type { TrunkConfig } from '../../switch/gateway/index.ts';
import { ApiError } from '../api-error.ts';
import type { SettingsStore } from './queue-admin.ts';

export const ADMIN_TRUNKS_KEY = 'admin.trunks';

export interface TrunkRegistration {
  username: string;
  password: string;
  /** The carrier's SIP domain and digest realm: the AOR is sip:username@realm (default: host). */
  realm?: string;
  expiresSec?: number;
}

/** A trunk as administrators define it. */
export interface TrunkDefinition {
  id: string;
  host: string;
  port?: number;
  transport?: 'udp' | 'tcp' | 'tls';
  registration?: TrunkRegistration;
  /** IP authentication: INVITEs from these addresses come from this trunk. */
  inboundAddresses?: string[];
  /** DID -> entry point id. */
  dids: Record<string, string>;
  defaultEntryPoint?: string;
}

/** What the API shows: never the password. */
export interface TrunkView extends Omit<TrunkDefinition, 'registration' | 'host'> {
  /** Absent for a trunk of the dial-plan file that has only routing. */
  host?: string;
  registration?: Omit<TrunkRegistration, 'password'> & { state: string };
  /** `admin`: defined through the API; `dial-plan`: from the dial-plan file, routing only. */
  origin: 'admin' | 'dial-plan';
}

/** A change: a value replaces, null removes; a registration without a password keeps the one in force. */
export interface TrunkChange {
  host?: string;
  port?: number | null;
  transport?: 'udp' | 'tcp' | 'tls' | null;
  registration?: (Omit<TrunkRegistration, 'password'> & { password?: string }) | null;
  inboundAddresses?: string[] | null;
  dids?: Record<string, string>;
  defaultEntryPoint?: string | null;
}

type Kept = TrunkDefinition | { id: string; removed: true };

export interface TrunkAdminDeps {
  dialPlan: { readonly config: DialPlanConfig; setTrunks(trunks: DialPlanConfig['trunks']): void };
  gateway: { setTrunks(trunks: TrunkConfig[]): void; registrationStates(): Record<string, string> };
  settings: SettingsStore;
}

const isRemoved = (k: Kept): k is { id: string; removed: true } => 'removed' in k;

export class TrunkAdmin {
  private readonly fileTrunks: DialPlanConfig['trunks'];
  private defined = new Map<string, TrunkDefinition>();
  private removed = new Set<string>();
  /** Changes one after the other, so a document never loses one. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: TrunkAdminDeps) {
    this.fileTrunks = structuredClone(d.dialPlan.config.trunks);
  }

  /** At start: the administered trunks over the dial-plan file; a set the plan refuses is skipped whole, with why. */
  async restore(): Promise<{ restored: string[]; removed: string[]; skipped?: string }> {
    const raw = await this.d.settings.get(ADMIN_TRUNKS_KEY);
    if (raw === undefined) return { restored: [], removed: [] };
    const kept = JSON.parse(raw) as Kept[];
    const defined = new Map(kept.filter((k): k is TrunkDefinition => !isRemoved(k)).map((t) => [t.id, t]));
    const removed = new Set(kept.filter(isRemoved).map((k) => k.id));
    try {
      this.apply(defined, removed);
    } catch (err) {
      return { restored: [], removed: [], skipped: err instanceof Error ? err.message : String(err) };
    }
    return { restored: [...defined.keys()], removed: [...removed] };
  }

  list(): TrunkView[] {
    const states = this.d.gateway.registrationStates();
    const out: TrunkView[] = [];
    for (const [id, t] of Object.entries(this.d.dialPlan.config.trunks)) {
      const def = this.defined.get(id);
      if (!def) {
        out.push({ id, dids: { ...t.dids }, ...(t.defaultEntryPoint !== undefined ? { defaultEntryPoint: t.defaultEntryPoint } : {}), origin: 'dial-plan' });
        continue;
      }
      out.push(view(def, states[id]));
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): TrunkView {
    const v = this.list().find((t) => t.id === id);
    if (!v) throw new ApiError('not-found', `no trunk ${id}`);
    return v;
  }

  create(def: TrunkDefinition): Promise<TrunkView> {
    return this.serial(async () => {
      if (this.defined.has(def.id) || def.id in this.d.dialPlan.config.trunks) throw new ApiError('already-exists', `trunk ${def.id} exists`);
      const defined = new Map(this.defined).set(def.id, clean(def));
      const removed = new Set(this.removed);
      removed.delete(def.id);
      await this.commit(defined, removed);
      return this.get(def.id);
    });
  }

  update(id: string, change: TrunkChange): Promise<TrunkView> {
    return this.serial(async () => {
      const current = this.defined.get(id) ?? this.fromFile(id, change);
      const next: TrunkDefinition = { ...current, dids: change.dids ?? current.dids };
      if (change.host !== undefined) next.host = change.host;
      setOrDrop(next, 'port', change.port);
      setOrDrop(next, 'transport', change.transport);
      setOrDrop(next, 'inboundAddresses', change.inboundAddresses);
      setOrDrop(next, 'defaultEntryPoint', change.defaultEntryPoint);
      if (change.registration === null) delete next.registration;
      else if (change.registration !== undefined) {
        const password = change.registration.password ?? current.registration?.password;
        if (password === undefined) throw new ApiError('invalid-request', 'registration.password: required for a trunk that did not register before');
        next.registration = { ...change.registration, password };
      }
      await this.commit(new Map(this.defined).set(id, clean(next)), this.removed);
      return this.get(id);
    });
  }

  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const inFile = id in this.fileTrunks;
      if (!this.defined.has(id) && !(inFile && !this.removed.has(id))) throw new ApiError('not-found', `no trunk ${id}`);
      const defined = new Map(this.defined);
      defined.delete(id);
      const removed = new Set(this.removed);
      if (inFile) removed.add(id);
      await this.commit(defined, removed);
    });
  }

  /** A trunk of the dial-plan file becomes administered on its first change; it then needs a host. */
  private fromFile(id: string, change: TrunkChange): TrunkDefinition {
    const t = this.removed.has(id) ? undefined : this.fileTrunks[id];
    if (!t) throw new ApiError('not-found', `no trunk ${id}`);
    if (change.host === undefined) throw new ApiError('invalid-request', `host: trunk ${id} comes from the dial-plan file; give its host to administer it`);
    return { id, host: change.host, dids: { ...t.dids }, ...(t.defaultEntryPoint !== undefined ? { defaultEntryPoint: t.defaultEntryPoint } : {}) };
  }

  private async commit(defined: Map<string, TrunkDefinition>, removed: Set<string>): Promise<void> {
    this.apply(defined, removed);
    const kept: Kept[] = [...defined.values(), ...[...removed].map((id) => ({ id, removed: true as const }))];
    await this.d.settings.set(ADMIN_TRUNKS_KEY, JSON.stringify(kept));
  }

  /** Dial plan first (it validates every entry point and external route), then the gateway; state changes only when both accept. */
  private apply(defined: Map<string, TrunkDefinition>, removed: Set<string>): void {
    const routing: DialPlanConfig['trunks'] = {};
    for (const [id, t] of Object.entries(this.fileTrunks)) if (!removed.has(id)) routing[id] = t;
    for (const t of defined.values()) routing[t.id] = { dids: t.dids, ...(t.defaultEntryPoint !== undefined ? { defaultEntryPoint: t.defaultEntryPoint } : {}) };
    const before = this.d.dialPlan.config.trunks;
    try {
      this.d.dialPlan.setTrunks(routing);
    } catch (err) {
      if (err instanceof DialPlanError) throw new ApiError('invalid-request', err.detail);
      throw err;
    }
    try {
      this.d.gateway.setTrunks([...defined.values()].map(gatewayTrunk));
    } catch (err) {
      this.d.dialPlan.setTrunks(before);
      throw new ApiError('invalid-request', err instanceof Error ? err.message : String(err));
    }
    this.defined = defined;
    this.removed = removed;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

function gatewayTrunk(t: TrunkDefinition): TrunkConfig {
  const r = t.registration;
  return {
    id: t.id,
    host: t.host,
    ...(t.port !== undefined ? { port: t.port } : {}),
    ...(t.transport !== undefined ? { transport: t.transport } : {}),
    ...(t.inboundAddresses !== undefined ? { inboundAddresses: t.inboundAddresses } : {}),
    ...(r ? { register: true, username: r.username, password: r.password, ...(r.expiresSec !== undefined ? { registerExpiresSec: r.expiresSec } : {}), ...(r.realm !== undefined ? { domain: r.realm } : {}) } : {}),
  };
}

function view(t: TrunkDefinition, state: string | undefined): TrunkView {
  const { registration, ...rest } = t;
  const v: TrunkView = { ...rest, origin: 'admin' };
  if (registration) {
    const { password: _password, ...shown } = registration;
    v.registration = { ...shown, state: state ?? 'idle' };
  }
  return v;
}

function setOrDrop<K extends 'port' | 'transport' | 'inboundAddresses' | 'defaultEntryPoint'>(t: TrunkDefinition, key: K, value: TrunkDefinition[K] | null | undefined): void {
  if (value === null) delete t[key];
  else if (value !== undefined) t[key] = value;
}

/** A copy without undefined fields (the JSON document and the views stay minimal). */
function clean(t: TrunkDefinition): TrunkDefinition {
  return JSON.parse(JSON.stringify(t)) as TrunkDefinition;
}
