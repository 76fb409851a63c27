import { getQuickJS, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';
import { ScriptError } from './script-error.ts';
import type { JsonValue, ScriptValue } from './json-value.ts';
import { SANDBOX_DOM, SANDBOX_PRELUDE, type ScopeName } from './sandbox-prelude.ts';

export interface SandboxLimits {
  /** Heap of one session's runtime; allocation beyond it fails inside the script. */
  memoryLimitBytes: number;
  /** Wall time one evaluation may take before the interrupt handler stops it. */
  timeLimitMs: number;
  /** Native stack for deep recursion. */
  maxStackBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryLimitBytes: 8 * 1024 * 1024,
  timeLimitMs: 250,
  maxStackBytes: 256 * 1024,
};

/** Monotonic milliseconds; injected so tests need not depend on wall time. */
export type MonotonicNow = () => number;

let modulePromise: Promise<QuickJSWASMModule> | undefined;
function quickjs(): Promise<QuickJSWASMModule> {
  modulePromise ??= getQuickJS();
  return modulePromise;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * One session's ECMAScript world: a QuickJS runtime in the shared WASM
 * module, with its own memory limit and a per-evaluation deadline. Values
 * cross the boundary as JSON only. Every failure is a ScriptError; nothing
 * a document does can throw anything else or stop the process.
 */
export class ScriptSandbox {
  private deadline = Infinity;
  private disposed = false;
  private domInstalled = false;
  /** `__hl` and its helpers, called directly: host bookkeeping needs no parsing (the hot path of every step). */
  private hl?: QuickJSHandle;
  private readonly helpers = new Map<string, QuickJSHandle>();

  private constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly vm: QuickJSContext,
    private readonly limits: SandboxLimits,
    private readonly now: MonotonicNow,
  ) {}

  static async create(limits: Partial<SandboxLimits> = {}, now: MonotonicNow = () => performance.now()): Promise<ScriptSandbox> {
    const full = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
    const mod = await quickjs();
    const runtime = mod.newRuntime();
    runtime.setMaxStackSize(full.maxStackBytes);
    const vm = runtime.newContext();
    const sb = new ScriptSandbox(runtime, vm, full, now);
    runtime.setInterruptHandler(() => sb.now() > sb.deadline);
    sb.exec(SANDBOX_PRELUDE, 'prelude');
    sb.hl = vm.getProp(vm.global, '__hl');
    for (const name of ['put', 'reset', 'has', 'hasIn', 'setPath', 'ev', 'decl', 'run', 'push', 'pop', 'names', 'fePush', 'fePop']) sb.helpers.set(name, vm.getProp(sb.hl, name));
    runtime.setMemoryLimit(full.memoryLimitBytes);
    return sb;
  }

  /** Evaluate an ECMAScript expression through the scope chain. */
  eval(expr: string): ScriptValue {
    return this.call('ev', `return (${expr}\n);`);
  }

  /** Evaluate a condition with ECMAScript truthiness. */
  evalBool(expr: string): boolean {
    return this.call('ev', `return !!(${expr}\n);`) === true;
  }

  /** Evaluate an expression and return String(value), as `<value>` and prompts need. */
  evalString(expr: string): string {
    const v = this.call('ev', `return String((${expr}\n));`);
    return typeof v === 'string' ? v : '';
  }

  /** Run a `<script>` body; its var and function declarations land in `scope`. */
  run(code: string, scope: ScopeName): void {
    this.call('run', code, scope);
  }

  /** `<var name expr>`: declare in `scope`, initialised by an expression (or undefined). */
  declare(name: string, scope: ScopeName, expr?: string): void {
    if (!IDENT.test(name)) throw new ScriptError('syntax', `bad variable name '${name}'`);
    this.call('decl', scope, name, expr === undefined || expr === '' ? undefined : `return (${expr}\n);`);
  }

  /** Declare a variable holding host data (JSON-compatible). */
  put(name: string, scope: ScopeName, value: ScriptValue): void {
    this.call('put', scope, name, value === undefined ? undefined : JSON.stringify(value));
  }

  /** Declare a variable holding a read-only DOM built from an XML tree (see xml-json.ts). */
  putDom(name: string, scope: ScopeName, tree: JsonValue): void {
    if (!this.domInstalled) {
      this.exec(SANDBOX_DOM, 'dom-prelude');
      this.domInstalled = true;
    }
    this.exec(
      `__hl.putDom(${JSON.stringify(scope)}, ${JSON.stringify(name)}, ${JSON.stringify(JSON.stringify(tree))})`,
      'dom',
    );
  }

  /** Set a scope-qualified or dotted path that already resolves, to host data. */
  setPath(path: string, value: ScriptValue): void {
    if (!PATH.test(path)) throw new ScriptError('syntax', `bad variable name '${path}'`);
    const head = path.split('.')[0]!;
    if (this.call('setPath', path, value === undefined ? undefined : JSON.stringify(value)) !== true) throw new ScriptError('undeclared', `'${head}' is not declared`);
  }

  /** `<assign name expr>`: the variable must already be declared in some scope. */
  assign(path: string, expr: string): void {
    if (!PATH.test(path)) throw new ScriptError('syntax', `bad variable name '${path}'`);
    const head = path.split('.')[0]!;
    if (!this.isDeclared(head)) throw new ScriptError('undeclared', `'${head}' is not declared`);
    this.call('ev', `${path} = (${expr}\n);`);
  }

  isDeclared(name: string): boolean {
    if (name === 'session' || name === 'application' || name === 'document' || name === 'dialog') return true;
    return this.call('has', name) === true;
  }

  isDeclaredIn(scope: ScopeName, name: string): boolean {
    return this.call('hasIn', scope, name) === true;
  }

  /** Give a scope a fresh, empty object (entering a document, dialog, or handler). */
  resetScope(scope: ScopeName): void {
    this.call('reset', scope);
  }

  /** Enter / leave a subdialog's fresh application, document, dialog and anonymous scopes. */
  pushContext(): void {
    this.call('push');
  }
  popContext(): void {
    this.call('pop');
  }

  /**
   * `<foreach>`: evaluate the array expression once and keep it in the
   * sandbox; returns its length. Each `foreachNext` assigns the next element
   * to `item` (already declared), and `foreachEnd` drops the array.
   */
  foreachBegin(arrayExpr: string): ScriptValue {
    return this.call('fePush', `return (${arrayExpr}\n);`);
  }
  foreachNext(item: string): void {
    this.assign(item, '__hl.feNext()');
  }
  foreachEnd(): void {
    this.call('fePop');
  }

  /** Names declared directly in a scope (for debugging and tests). */
  names(scope: ScopeName): string[] {
    const v = this.call('names', scope);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const h of this.helpers.values()) h.dispose();
    this.hl?.dispose();
    this.vm.dispose();
    this.runtime.dispose();
  }

  /** Call a prelude helper with string (or undefined) arguments. */
  private call(name: string, ...args: (string | undefined)[]): ScriptValue {
    if (this.disposed) throw new ScriptError('disposed', 'the session sandbox is disposed');
    const fn = this.helpers.get(name)!;
    const handles = args.map((a) => (a === undefined ? this.vm.undefined : this.vm.newString(a)));
    this.deadline = this.now() + this.limits.timeLimitMs;
    let result;
    try {
      result = this.vm.callFunction(fn, this.hl!, ...handles);
    } catch (e) {
      throw new ScriptError('memory', `sandbox failure: ${(e as Error).message}`);
    } finally {
      this.deadline = Infinity;
      for (const h of handles) h.dispose();
    }
    return this.settle(result);
  }

  private exec(code: string, what: string): ScriptValue {
    if (this.disposed) throw new ScriptError('disposed', 'the session sandbox is disposed');
    this.deadline = this.now() + this.limits.timeLimitMs;
    let result;
    try {
      result = this.vm.evalCode(code, what);
    } catch (e) {
      // The WASM side itself failed (should not happen with limits set): contain it.
      throw new ScriptError('memory', `sandbox failure: ${(e as Error).message}`);
    } finally {
      this.deadline = Infinity;
    }
    return this.settle(result);
  }

  private settle(result: ReturnType<QuickJSContext['evalCode']>): ScriptValue {
    if (result.error) {
      const err = this.readError(result.error);
      result.error.dispose();
      throw err;
    }
    try {
      return this.vm.dump(result.value) as ScriptValue;
    } catch {
      return undefined;
    } finally {
      result.value.dispose();
    }
  }

  private readError(h: Parameters<QuickJSContext['dump']>[0]): ScriptError {
    let name = 'Error';
    let message = '';
    try {
      const d = this.vm.dump(h) as unknown;
      if (d && typeof d === 'object') {
        const o = d as { name?: unknown; message?: unknown };
        name = typeof o.name === 'string' ? o.name : name;
        message = typeof o.message === 'string' ? o.message : JSON.stringify(d);
      } else {
        message = String(d);
      }
    } catch {
      message = 'unreadable error';
    }
    if (/interrupted/i.test(message)) return new ScriptError('timeout', `script stopped after ${this.limits.timeLimitMs} ms`);
    if (/out of memory/i.test(message) || (name === 'InternalError' && /memory/i.test(message)))
      return new ScriptError('memory', `script exceeded ${this.limits.memoryLimitBytes} bytes`);
    if (name === 'InternalError' && /stack/i.test(message)) return new ScriptError('memory', `stack overflow: ${message}`);
    if (name === 'SyntaxError') return new ScriptError('syntax', message);
    return new ScriptError('runtime', `${name}: ${message}`);
  }
}
