import type { IvrStepEvent } from '../interpreter/ivr-step-event.ts';
import type { JsonValue } from '../script/json-value.ts';

/** Field names whose values never leave the IVR (logs, call data): passwords, PINs, CVVs. */
const SECRET = /pass|pwd|^pin|pin$|_pin|secret|cvv|(^|_)otp/i;

export function isSecretField(name: string): boolean {
  return SECRET.test(name);
}

/** The form item a step happened at (`url#dialog/item` → item), if any. */
export function itemOf(node: string): string | undefined {
  const hash = node.indexOf('#');
  if (hash < 0) return undefined;
  const slash = node.indexOf('/', hash);
  return slash < 0 ? undefined : node.slice(slash + 1);
}

/** A step as it may be logged: input and result of secret fields masked. */
export function redactStep(e: IvrStepEvent): IvrStepEvent {
  const item = itemOf(e.node);
  if ((e.kind === 'input' || e.kind === 'filled') && item && isSecretField(item)) {
    return { ...e, input: e.input === undefined ? undefined : '***', result: e.result === 'noinput' || e.result === 'nomatch' ? e.result : '***' };
  }
  return e;
}

/**
 * `<transfer aai>` as data: a JSON object, or `k=v` pairs joined by & or ;
 * (the demo sends `account=12345678`), else the raw string as `aai`.
 */
export function parseAai(aai: string | undefined): Record<string, JsonValue> {
  if (aai === undefined || aai.trim() === '') return {};
  const t = aai.trim();
  if (t.startsWith('{')) {
    try {
      const v = JSON.parse(t) as JsonValue;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v;
    } catch {
      // not JSON: fall through
    }
  }
  if (/^[A-Za-z_][\w.-]*=/.test(t)) {
    const out: Record<string, JsonValue> = {};
    for (const pair of t.split(/[&;]/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const k = safeDecode(pair.slice(0, eq).trim());
      if (k === '' || isSecretField(k)) continue;
      out[k] = safeDecode(pair.slice(eq + 1).trim());
    }
    return out;
  }
  return { aai: t };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * IVR-4: what the caller gave the IVR, kept per session from its steps:
 * the menu choices in order and the last value of every field (secret
 * fields left out), to be attached to the call for the agent.
 */
export class CallInputs {
  readonly menuPath: string[] = [];
  readonly fields: Record<string, JsonValue> = {};
  readonly redacted = new Set<string>();
  steps = 0;

  record(e: IvrStepEvent): void {
    this.steps++;
    if (e.kind === 'menu' && e.result !== 'noinput' && e.result !== 'nomatch') this.menuPath.push(shortNode(e.result));
    if (e.kind !== 'input' || e.result === 'noinput' || e.result === 'nomatch') return;
    const item = itemOf(e.node);
    if (!item) return;
    if (isSecretField(item)) {
      this.redacted.add(item);
      return;
    }
    try {
      this.fields[item] = JSON.parse(e.result) as JsonValue;
    } catch {
      this.fields[item] = e.result;
    }
  }

  /** Call data for the switch: AAI fields at the top (identity), the IVR's record under `ivr`. */
  callData(entryPoint: string | undefined, aai: string | undefined): Record<string, JsonValue> {
    const ivr: Record<string, JsonValue> = { menuPath: [...this.menuPath], inputs: { ...this.fields }, steps: this.steps };
    if (entryPoint) ivr['entryPoint'] = entryPoint;
    if (this.redacted.size) ivr['secretFieldsEntered'] = [...this.redacted];
    return { ...parseAai(aai), ivr };
  }
}

/** `http://h/app/main.vxml#login` → `main.vxml#login`; `#login` stays. */
function shortNode(target: string): string {
  const slash = target.lastIndexOf('/', target.indexOf('#') < 0 ? undefined : target.indexOf('#'));
  return slash < 0 ? target : target.slice(slash + 1);
}
