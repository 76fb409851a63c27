import type { PromptSegment } from '../channel/voice-channel.ts';
import { attr, type CatchHandler, type Dialog, type FormDialog, type FormItem, type MenuDialog, type VxmlDocument, type VxmlElement } from '../document/vxml-model.ts';
import { ScriptError } from '../script/script-error.ts';
import type { ScriptValue } from '../script/json-value.ts';
import { ScriptSandbox } from '../script/script-sandbox.ts';
import type { ScopeName } from '../script/sandbox-prelude.ts';
import { DocumentLoader } from './document-loader.ts';
import { selectCatch } from './event-selection.ts';
import { ContentRunner } from './content-runner.ts';
import { InputCollector } from './input-collector.ts';
import type { IvrStepKind } from './ivr-step-event.ts';
import { DEFAULT_PROPERTIES, parseTime, type SessionOptions } from './session-options.ts';
import { ExitSignal, GotoSignal, HangupSignal, ReturnSignal, VxmlEvent } from './signals.ts';

export type SessionOutcome =
  | { readonly kind: 'exit'; readonly value: ScriptValue }
  | { readonly kind: 'hangup' }
  | { readonly kind: 'transferred'; readonly dest: string }
  | { readonly kind: 'error'; readonly event: string; readonly message: string };

/** Where the interpreter is: the document (and its root), the dialog and form item. */
export interface Position {
  doc: VxmlDocument;
  root?: VxmlDocument;
  dialog?: Dialog;
  item?: FormItem;
}

/** Per-form bookkeeping of the FIA (VoiceXML 2.0 Appendix C). */
export interface FormRun {
  readonly promptCounts: Map<string, number>;
  readonly eventCounts: Map<string, Map<string, number>>;
  nextItem?: string;
  skipPrompts: boolean;
  reprompt: boolean;
  readonly justFilled: Set<string>;
}

type DocOutcome = { kind: 'exit'; value: ScriptValue } | { kind: 'return'; signal: ReturnSignal } | { kind: 'end' };

/**
 * One caller's run through VoiceXML documents. It owns the session's script
 * sandbox and walks documents, dialogs and form items with the FIA; executable
 * content, input collection and prompts are delegated. `run()` never throws:
 * every failure ends in an outcome, after the platform default has had its say.
 */
export class VxmlSession {
  readonly loader: DocumentLoader;
  readonly content: ContentRunner;
  readonly input: InputCollector;
  pos!: Position;
  form?: FormRun;
  private seq = 0;
  private steps = 0;
  private outcomeOverride?: SessionOutcome;
  promptQueue: PromptSegment[] = [];

  private constructor(
    readonly opts: SessionOptions,
    readonly sandbox: ScriptSandbox,
    loader?: DocumentLoader,
  ) {
    this.loader = loader ?? new DocumentLoader(opts.fetcher, opts.maxDocumentBytes);
    this.content = new ContentRunner(this);
    this.input = new InputCollector(this);
  }

  static async create(opts: SessionOptions, loader?: DocumentLoader): Promise<VxmlSession> {
    const sandbox = await ScriptSandbox.create(opts.sandboxLimits, opts.monotonicNow);
    return new VxmlSession(opts, sandbox, loader);
  }

  /** Run from `url` until the call ends. Never throws. */
  async run(url: string): Promise<SessionOutcome> {
    const t0 = this.opts.monotonicNow();
    try {
      const conn = this.opts.sessionVariables['connection'];
      this.sandbox.put('connection', 'session', conn !== null && typeof conn === 'object' && !Array.isArray(conn) ? conn : {});
      for (const [k, v] of Object.entries(this.opts.sessionVariables)) if (k !== 'connection') this.sandbox.put(k, 'session', v);
      let doc: VxmlDocument;
      // `app.vxml#dialog` starts at that dialog (a resume point).
      const hash = url.indexOf('#');
      const startDialog = hash < 0 ? undefined : url.slice(hash + 1) || undefined;
      if (hash >= 0) url = url.slice(0, hash);
      try {
        doc = await this.loader.document(url, parseTime(DEFAULT_PROPERTIES['fetchtimeout'], 10_000));
      } catch (e) {
        const ev = e instanceof VxmlEvent ? e : new VxmlEvent('error.badfetch', String(e));
        this.step('document', url, ev.name, t0);
        return await this.platformError(ev);
      }
      const out = await this.runDocuments(doc, startDialog, undefined);
      if (out.kind === 'exit') return this.outcomeOverride ?? { kind: 'exit', value: out.value };
      return this.outcomeOverride ?? { kind: 'exit', value: undefined };
    } catch (e) {
      if (e instanceof HangupSignal) return this.outcomeOverride ?? { kind: 'hangup' };
      if (e instanceof VxmlEvent) return this.platformError(e);
      this.opts.logger.error({ err: String(e), sessionId: this.opts.sessionId }, 'ivr session failed');
      return this.platformError(new VxmlEvent('error.internal', String(e)));
    } finally {
      this.sandbox.dispose();
    }
  }

  /** Run documents from `doc` until exit, return (subdialog) or the end. */
  private async runDocuments(first: VxmlDocument, dialogId: string | undefined, params: Record<string, ScriptValue> | undefined): Promise<DocOutcome> {
    let doc = first;
    let target = dialogId;
    let root: VxmlDocument | undefined;
    for (;;) {
      const t0 = this.opts.monotonicNow();
      root = await this.enterDocument(doc, root);
      this.step('document', doc.url, target ?? '', t0);
      let dialog = this.findDialog(doc, target);
      try {
        for (;;) {
          if (!dialog) throw new VxmlEvent('error.badfetch', `no dialog '${target ?? ''}' in ${doc.url}`);
          const next = await this.runDialog(dialog, params);
          params = undefined;
          if (!next) return { kind: 'end' };
          if (next.doc && next.doc !== doc) {
            doc = next.doc;
            target = next.dialog;
            break;
          }
          dialog = this.findDialog(doc, next.dialog);
        }
      } catch (e) {
        if (e instanceof ExitSignal) return { kind: 'exit', value: e.value };
        if (e instanceof ReturnSignal) return { kind: 'return', signal: e };
        throw e;
      }
    }
  }

  /** Load the application root when it changes, then reset and initialise document scope. */
  private async enterDocument(doc: VxmlDocument, currentRoot: VxmlDocument | undefined): Promise<VxmlDocument | undefined> {
    this.tick();
    let root: VxmlDocument | undefined;
    if (doc.application) {
      const rootUrl = new URL(doc.application, doc.url).href;
      if (currentRoot && currentRoot.url === rootUrl) root = currentRoot;
      else {
        root = await this.loader.document(rootUrl, this.fetchTimeout());
        this.sandbox.resetScope('application');
        this.pos = { doc: root };
        await this.content.declarations(root.declarations, 'application');
      }
    } else if (currentRoot) {
      this.sandbox.resetScope('application');
    }
    this.sandbox.resetScope('document');
    this.sandbox.resetScope('dialog');
    this.pos = { doc, root };
    if (!root) this.sandbox.put('lastresult$', 'application', []);
    else if (!this.sandbox.isDeclaredIn('application', 'lastresult$')) this.sandbox.put('lastresult$', 'application', []);
    await this.content.declarations(doc.declarations, 'document');
    return root;
  }

  private findDialog(doc: VxmlDocument, id: string | undefined): Dialog | undefined {
    if (id === undefined || id === '') return doc.dialogs[0];
    return doc.dialogs.find((d) => d.id === id);
  }

  /** Run one dialog; returns the next place to go, or undefined when the dialog ends with no transition. */
  private async runDialog(dialog: Dialog, params?: Record<string, ScriptValue>): Promise<GotoSignal | undefined> {
    this.sandbox.resetScope('dialog');
    this.pos = { doc: this.pos.doc, root: this.pos.root, dialog };
    const run: FormRun = { promptCounts: new Map(), eventCounts: new Map(), skipPrompts: false, reprompt: false, justFilled: new Set() };
    this.form = run;
    try {
      if (dialog.kind === 'form') {
        for (const item of dialog.items) {
          if (params && Object.hasOwn(params, item.name)) this.sandbox.put(item.name, 'dialog', params[item.name]);
          else this.sandbox.declare(item.name, 'dialog', item.expr);
        }
        await this.content.declarations(dialog.declarations, 'dialog', params);
        return await this.fia(dialog, run);
      }
      return await this.menuLoop(dialog, run);
    } catch (e) {
      if (e instanceof GotoSignal) return e;
      throw e;
    }
  }

  /** The Form Interpretation Algorithm main loop. */
  private async fia(form: FormDialog, run: FormRun): Promise<GotoSignal | undefined> {
    for (;;) {
      this.tick();
      const item = this.selectItem(form, run);
      if (!item) return undefined;
      this.pos.item = item;
      run.justFilled.clear();
      try {
        await this.runItem(form, item, run);
        await this.content.runFilled(form, item, run);
      } catch (e) {
        if (e instanceof VxmlEvent) await this.handleEventInForm(e, item, run);
        else if (e instanceof GotoSignal && e.item !== undefined && e.doc === undefined) continue; // nextitem
        else throw e;
      }
    }
  }

  /** A handler may itself `<goto nextitem>`: that stays inside this form. */
  private async handleEventInForm(e: VxmlEvent, item: FormItem, run: FormRun): Promise<void> {
    try {
      await this.handleEvent(e, item, run);
    } catch (sig) {
      if (sig instanceof GotoSignal && sig.item !== undefined && sig.doc === undefined) return;
      throw sig;
    }
  }

  private selectItem(form: FormDialog, run: FormRun): FormItem | undefined {
    if (run.nextItem !== undefined) {
      const name = run.nextItem;
      run.nextItem = undefined;
      const found = form.items.find((i) => i.name === name);
      if (!found) throw new VxmlEvent('error.badfetch', `no form item '${name}'`);
      return found;
    }
    for (const item of form.items) {
      if (this.sandbox.eval(item.name) !== undefined) continue;
      if (item.cond !== undefined && !this.cond(item.cond)) continue;
      return item;
    }
    return undefined;
  }

  private async runItem(form: FormDialog, item: FormItem, run: FormRun): Promise<void> {
    const playPrompts = !run.skipPrompts || run.reprompt;
    run.skipPrompts = false;
    run.reprompt = false;
    if (item.kind === 'block') {
      const t0 = this.opts.monotonicNow();
      this.sandbox.setPath(item.name, true);
      await this.content.runHandler(item.element, []);
      this.step('block', this.node(), 'done', t0);
      return;
    }
    if (playPrompts) this.content.queueItemPrompts(item.element, this.bumpPromptCount(run, item.name));
    switch (item.kind) {
      case 'initial':
        // Mixed-initiative form grammars are not supported: an initial plays its prompts and is done.
        this.sandbox.setPath(item.name, true);
        return;
      case 'field':
        await this.input.field(form, item, run);
        return;
      case 'record':
        await this.input.record(item, run);
        return;
      case 'transfer':
        await this.input.transfer(item, run);
        return;
      case 'subdialog':
        await this.subdialog(item, run);
        return;
      case 'object':
        throw new VxmlEvent('error.unsupported.objectname', `<object> is not supported`);
    }
  }

  private bumpPromptCount(run: FormRun, name: string): number {
    const n = (run.promptCounts.get(name) ?? 0) + 1;
    run.promptCounts.set(name, n);
    return n;
  }

  /** Reset prompt and event counters of an item (`<clear>`). */
  resetCounters(name: string): void {
    this.form?.promptCounts.delete(name);
    this.form?.eventCounts.delete(name);
  }

  private async menuLoop(menu: MenuDialog, run: FormRun): Promise<GotoSignal | undefined> {
    for (;;) {
      this.tick();
      const playPrompts = !run.skipPrompts || run.reprompt;
      run.skipPrompts = false;
      run.reprompt = false;
      try {
        if (playPrompts) this.content.queueMenuPrompts(menu, this.bumpPromptCount(run, menu.id));
        return await this.input.menu(menu);
      } catch (e) {
        if (e instanceof VxmlEvent) await this.handleEvent(e, undefined, run);
        else throw e;
      }
    }
  }

  private async subdialog(item: FormItem, _run: FormRun): Promise<void> {
    const t0 = this.opts.monotonicNow();
    const el = item.element;
    const src = attr(el, 'src') ?? (attr(el, 'srcexpr') !== undefined ? this.evalString(attr(el, 'srcexpr')!) : undefined);
    if (!src) throw new VxmlEvent('error.badfetch', '<subdialog> without src');
    const params: Record<string, ScriptValue> = {};
    for (const p of el.children) {
      if (p.kind !== 'element' || p.name !== 'param') continue;
      const name = attr(p, 'name');
      if (!name) continue;
      params[name] = attr(p, 'expr') !== undefined ? this.evalValue(attr(p, 'expr')!) : attr(p, 'value');
    }
    const url = new URL(src, this.pos.doc.url);
    const doc = url.href.split('#')[0] === this.pos.doc.url ? this.pos.doc : await this.loader.document(url.href.split('#')[0]!, this.fetchTimeout());
    const saved = { pos: this.pos, form: this.form };
    this.sandbox.pushContext();
    let out: DocOutcome;
    try {
      out = await this.runDocuments(doc, url.hash ? url.hash.slice(1) : undefined, params);
    } finally {
      this.sandbox.popContext();
      this.pos = saved.pos;
      this.form = saved.form;
    }
    if (out.kind === 'exit') throw new ExitSignal(out.value);
    if (out.kind === 'return' && out.signal.event) {
      this.step('subdialog', this.node(), out.signal.event.name, t0);
      throw out.signal.event;
    }
    const values = out.kind === 'return' ? out.signal.values : {};
    this.sandbox.setPath(item.name, values as ScriptValue);
    this.form?.justFilled.add(item.name);
    this.step('subdialog', this.node(), JSON.stringify(values), t0);
  }

  /** Find and run the catch for an event, or the platform default. */
  async handleEvent(ev: VxmlEvent, item: FormItem | undefined, run: FormRun): Promise<void> {
    const t0 = this.opts.monotonicNow();
    const key = item?.name ?? '';
    let counts = run.eventCounts.get(key);
    if (!counts) run.eventCounts.set(key, (counts = new Map()));
    const count = (counts.get(ev.name) ?? 0) + 1;
    counts.set(ev.name, count);
    const scopes: (readonly CatchHandler[])[] = [];
    if (item) scopes.push(item.catches);
    if (this.pos.dialog) scopes.push(this.pos.dialog.catches);
    scopes.push(this.pos.doc.catches);
    if (this.pos.root) scopes.push(this.pos.root.catches);
    const handler = selectCatch(scopes, ev.name, count, (c) => this.safeCond(c));
    this.step('event', this.node(), handler ? `${ev.name} caught` : `${ev.name} default`, t0);
    run.skipPrompts = true;
    if (handler) {
      await this.content.runHandler(handler.element, [
        ['_event', ev.name],
        ['_message', ev.message],
      ]);
      return;
    }
    await this.defaultHandler(ev, run);
  }

  /** VoiceXML defaults, and the Hotline platform default for errors (apologise, then an agent). */
  private async defaultHandler(ev: VxmlEvent, run: FormRun): Promise<void> {
    const n = ev.name;
    if (n === 'cancel') return;
    if (n === 'noinput' || n === 'nomatch' || n === 'help' || n === 'hotline.back' || n.startsWith('maxspeechtimeout')) {
      run.reprompt = true;
      return;
    }
    if (n.startsWith('connection.disconnect')) throw new HangupSignal();
    const out = await this.platformError(ev);
    this.outcomeOverride = out;
    throw new ExitSignal(undefined);
  }

  /** Apologise and hand the caller to an agent; used for unhandled errors and `hotline.agent`. */
  async platformError(ev: VxmlEvent): Promise<SessionOutcome> {
    const p = this.opts.platform;
    const ch = this.opts.channel;
    try {
      const agentRequest = ev.name === 'hotline.agent';
      if (!agentRequest) this.opts.logger.warn({ sessionId: this.opts.sessionId, event: ev.name, message: ev.message }, 'ivr: unhandled error, transferring to an agent');
      const prompts: PromptSegment[] = [...this.promptQueue];
      this.promptQueue = [];
      if (!agentRequest) prompts.push({ kind: 'text', text: p.apologyText });
      if ((await ch.play(prompts, { bargein: false })) === 'hangup') return { kind: 'hangup' };
      const t0 = this.opts.monotonicNow();
      const r = await ch.transfers.transfer({ type: p.agentTransferType, dest: p.agentDestination, connectTimeoutMs: 30_000, maxTimeMs: 0, origin: 'platform' });
      this.step('transfer', this.pos ? this.node() : '', `${p.agentDestination}: ${r.outcome}`, t0);
      if (r.outcome === 'transferred' || r.outcome === 'far_end_disconnect' || r.outcome === 'near_party_disconnect')
        return agentRequest ? { kind: 'transferred', dest: p.agentDestination } : { kind: 'error', event: ev.name, message: ev.message };
      return { kind: 'error', event: ev.name, message: ev.message };
    } catch (e) {
      return { kind: 'error', event: ev.name, message: `${ev.message}; platform default failed: ${String(e)}` };
    }
  }

  // ---- helpers shared with ContentRunner / InputCollector ----

  /** Effective property value: item > dialog > document > root > platform. */
  property(name: string): string | undefined {
    return (
      this.pos?.item?.properties[name] ??
      this.pos?.dialog?.properties[name] ??
      this.pos?.doc.properties[name] ??
      this.pos?.root?.properties[name] ??
      DEFAULT_PROPERTIES[name]
    );
  }

  fetchTimeout(el?: VxmlElement): number {
    return parseTime(el ? attr(el, 'fetchtimeout') : undefined, parseTime(this.property('fetchtimeout'), 10_000));
  }

  cond(expr: string): boolean {
    return this.script(() => this.sandbox.evalBool(expr));
  }

  private safeCond(expr: string): boolean {
    try {
      return this.sandbox.evalBool(expr);
    } catch {
      return false;
    }
  }

  evalValue(expr: string): ScriptValue {
    return this.script(() => this.sandbox.eval(expr));
  }

  evalString(expr: string): string {
    return this.script(() => this.sandbox.evalString(expr));
  }

  /** Run sandbox work, turning script failures into error.semantic. */
  script<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof ScriptError) throw new VxmlEvent('error.semantic', `${e.code}: ${e.message}`);
      throw e;
    }
  }

  declareIn(scope: ScopeName, name: string, expr?: string): void {
    this.script(() => this.sandbox.declare(name, scope, expr));
  }

  node(): string {
    const d = this.pos.dialog ? `#${this.pos.dialog.id}` : '';
    const i = this.pos.item ? `/${this.pos.item.name}` : '';
    return `${this.pos.doc.url}${d}${i}`;
  }

  step(kind: IvrStepKind, node: string, result: string, startedAt: number, input?: string): void {
    const durationMs = this.opts.monotonicNow() - startedAt;
    this.opts.steps({ sessionId: this.opts.sessionId, seq: ++this.seq, at: this.opts.clock.now(), kind, node, input, result, durationMs });
  }

  /** Bound the number of FIA iterations / transitions (a document can loop without ever waiting for input). */
  private tick(): void {
    if (++this.steps > this.opts.maxSteps) throw new VxmlEvent('error.hotline.steplimit', `more than ${this.opts.maxSteps} interpreter steps`);
  }

  /** Play and clear the prompt queue. */
  async flushPrompts(bargein: boolean): Promise<void> {
    if (this.promptQueue.length === 0) return;
    if (this.input.isHungUp()) {
      this.promptQueue = [];
      return;
    }
    const q = this.promptQueue;
    this.promptQueue = [];
    const t0 = this.opts.monotonicNow();
    const r = await this.opts.channel.play(q, { bargein });
    this.step('prompt', this.node(), q.map((s) => (s.kind === 'text' || s.kind === 'say-as' ? s.text : s.kind)).join(' ').trim(), t0);
    if (r === 'hangup') throw new VxmlEvent('connection.disconnect.hangup', 'caller hung up');
  }
}
