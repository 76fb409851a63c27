import { promptText, type PromptSegment } from '../channel/voice-channel.ts';
import { attr, childElements, textOf, type FilledHandler, type FormDialog, type FormItem, type MenuDialog, type VxmlElement } from '../document/vxml-model.ts';
import { toXmlJson } from '../document/xml-tree.ts';
import type { ScriptValue } from '../script/json-value.ts';
import type { ScopeName } from '../script/sandbox-prelude.ts';
import { parseTime } from './session-options.ts';
import { ExitSignal, GotoSignal, ReturnSignal, VxmlEvent } from './signals.ts';
import type { FormRun, VxmlSession } from './vxml-session.ts';

/**
 * Executable content (VoiceXML 2.0 §5.3), declarations and prompt building.
 * One method per element, the way a verb-per-file IVR keeps them apart.
 */
export class ContentRunner {
  constructor(private readonly s: VxmlSession) {}

  /** Document / dialog level `<var>`, `<script>`, `<data>` in order. */
  async declarations(els: readonly VxmlElement[], scope: ScopeName, params?: Record<string, ScriptValue>): Promise<void> {
    for (const el of els) {
      if (el.name === 'var' && params && Object.hasOwn(params, attr(el, 'name') ?? '')) {
        this.s.sandbox.put(attr(el, 'name')!, scope, params[attr(el, 'name')!]);
        continue;
      }
      await this.exec(el, scope);
    }
  }

  /** Run a handler body (block, filled, catch) in a fresh anonymous scope. */
  async runHandler(el: VxmlElement, vars: readonly [string, ScriptValue][]): Promise<void> {
    this.s.sandbox.resetScope('anonymous');
    for (const [k, v] of vars) this.s.sandbox.put(k, 'anonymous', v);
    await this.block(el.children.filter((c) => c.kind === 'element' || c.text.trim() !== ''), 'anonymous');
  }

  /** After an item collected input: its own `<filled>`, then the form's (mode any/all, namelist). */
  async runFilled(form: FormDialog, item: FormItem, run: FormRun): Promise<void> {
    if (!run.justFilled.has(item.name)) return;
    const t0 = this.s.opts.monotonicNow();
    for (const f of item.filleds) await this.runHandler(f.element, []);
    for (const f of form.filleds) if (this.filledApplies(f, form, run)) await this.runHandler(f.element, []);
    this.s.step('filled', this.s.node(), 'done', t0);
  }

  private filledApplies(f: FilledHandler, form: FormDialog, run: FormRun): boolean {
    const names = f.namelist ?? form.items.filter((i) => i.input).map((i) => i.name);
    if (!names.some((n) => run.justFilled.has(n))) return false;
    if (f.mode === 'any') return true;
    return names.every((n) => this.s.evalValue(n) !== undefined);
  }

  private async block(nodes: readonly (VxmlElement | { kind: 'text'; text: string })[], scope: ScopeName): Promise<void> {
    for (const n of nodes) {
      if (n.kind === 'text') this.s.promptQueue.push({ kind: 'text', text: n.text.trim().replace(/\s+/g, ' ') });
      else await this.exec(n, scope);
    }
  }

  async exec(el: VxmlElement, scope: ScopeName): Promise<void> {
    const s = this.s;
    switch (el.name) {
      case 'var':
        s.declareIn(scope, attr(el, 'name')!, attr(el, 'expr'));
        return;
      case 'assign':
        s.script(() => s.sandbox.assign(attr(el, 'name')!, attr(el, 'expr') ?? 'undefined'));
        return;
      case 'clear':
        return this.clear(el);
      case 'script':
        return this.script(el, scope);
      case 'data':
        return this.data(el, scope);
      case 'if':
        return this.ifElse(el, scope);
      case 'foreach':
        return this.foreach(el, scope);
      case 'log': {
        const t0 = s.opts.monotonicNow();
        const text = this.segments(el.children).map((p) => ('text' in p ? p.text : '')).join('');
        const label = attr(el, 'label') ?? (attr(el, 'expr') !== undefined ? s.evalString(attr(el, 'expr')!) : '');
        s.opts.logger.info({ sessionId: s.opts.sessionId, label, node: s.node() }, text);
        s.step('log', s.node(), label ? `${label}: ${text}` : text, t0);
        return;
      }
      case 'prompt':
        if (attr(el, 'cond') === undefined || s.cond(attr(el, 'cond')!)) s.promptQueue.push(...this.segments(el.children, this.langOf(el)));
        return;
      case 'audio':
      case 'value':
      case 'break':
      case 'say-as':
      case 'mark':
      case 'enumerate':
        s.promptQueue.push(...this.segments([el]));
        return;
      case 'reprompt':
        if (s.form) s.form.reprompt = true;
        return;
      case 'goto':
        return this.goto(el);
      case 'submit':
        return this.submit(el);
      case 'throw': {
        const name = attr(el, 'event') ?? s.evalString(attr(el, 'eventexpr')!);
        const msg = attr(el, 'message') ?? (attr(el, 'messageexpr') !== undefined ? s.evalString(attr(el, 'messageexpr')!) : '');
        throw new VxmlEvent(name, msg);
      }
      case 'exit': {
        await s.flushPrompts(false).catch(() => undefined);
        const expr = attr(el, 'expr');
        const names = attr(el, 'namelist');
        const value = expr !== undefined ? s.evalValue(expr) : names ? this.namelist(names) : undefined;
        s.step('exit', s.node(), JSON.stringify(value ?? null), s.opts.monotonicNow());
        throw new ExitSignal(value as ScriptValue);
      }
      case 'return': {
        const ev = attr(el, 'event') ?? (attr(el, 'eventexpr') !== undefined ? s.evalString(attr(el, 'eventexpr')!) : undefined);
        const msg = attr(el, 'message') ?? (attr(el, 'messageexpr') !== undefined ? s.evalString(attr(el, 'messageexpr')!) : '');
        const names = attr(el, 'namelist');
        throw new ReturnSignal(names ? (this.namelist(names) as Record<string, ScriptValue>) : {}, ev ? new VxmlEvent(ev, msg) : undefined);
      }
      case 'disconnect':
        await s.flushPrompts(false).catch(() => undefined);
        await s.opts.channel.disconnect();
        throw new VxmlEvent('connection.disconnect.hangup', 'disconnect');
      case 'catch':
      case 'error':
      case 'noinput':
      case 'nomatch':
      case 'help':
      case 'property':
      case 'meta':
      case 'metadata':
      case 'else':
      case 'elseif':
      case 'filled':
      case 'grammar':
      case 'param':
        return; // structural: handled by their owners
      default:
        throw new VxmlEvent('error.badfetch', `<${el.name}> is not allowed here`);
    }
  }

  private clear(el: VxmlElement): void {
    const s = this.s;
    const listed = attr(el, 'namelist');
    const form = s.pos.dialog?.kind === 'form' ? s.pos.dialog : undefined;
    const names = listed ? listed.split(/\s+/).filter((x) => x) : (form?.items.map((i) => i.name) ?? []);
    for (const n of names) {
      s.script(() => s.sandbox.setPath(n, undefined));
      if (form?.items.some((i) => i.name === n)) s.resetCounters(n);
    }
  }

  private async script(el: VxmlElement, scope: ScopeName): Promise<void> {
    const s = this.s;
    let code = textOf(el);
    const src = attr(el, 'src') ?? (attr(el, 'srcexpr') !== undefined ? s.evalString(attr(el, 'srcexpr')!) : undefined);
    if (src !== undefined) code = (await s.loader.text(new URL(src, s.pos.doc.url).href, s.fetchTimeout(el))).text;
    s.script(() => s.sandbox.run(code, scope));
  }

  private async data(el: VxmlElement, scope: ScopeName): Promise<void> {
    const s = this.s;
    const src = attr(el, 'src') ?? s.evalString(attr(el, 'srcexpr')!);
    const names = attr(el, 'namelist');
    const fields = names ? this.fields(names) : undefined;
    const method = attr(el, 'method')?.toUpperCase() === 'POST' ? 'POST' : 'GET';
    const tree = await s.loader.xml(new URL(src, s.pos.doc.url).href, s.fetchTimeout(el), fields, method);
    const name = attr(el, 'name');
    if (name) s.script(() => s.sandbox.putDom(name, scope, toXmlJson(tree)));
  }

  private async ifElse(el: VxmlElement, scope: ScopeName): Promise<void> {
    let active = this.s.cond(attr(el, 'cond') ?? 'false');
    let done = active;
    const body: typeof el.children[number][] = [];
    for (const c of el.children) {
      if (c.kind === 'element' && (c.name === 'elseif' || c.name === 'else')) {
        if (done) break;
        active = c.name === 'else' || this.s.cond(attr(c, 'cond') ?? 'false');
        done = active;
        continue;
      }
      if (active) body.push(c);
    }
    await this.block(body.filter((c) => c.kind === 'element' || c.text.trim() !== '') as VxmlElement[], scope);
  }

  private async foreach(el: VxmlElement, scope: ScopeName): Promise<void> {
    const s = this.s;
    const arr = attr(el, 'array') ?? '[]';
    const item = attr(el, 'item') ?? '_item';
    // Pushes the array only when it evaluated and has a length; popped below.
    const len = Number(s.script(() => s.sandbox.foreachBegin(arr)) ?? 0);
    try {
      if (!Number.isFinite(len)) throw new VxmlEvent('error.semantic', `foreach array is not an array`);
      const body = el.children.filter((c) => c.kind === 'element' || c.text.trim() !== '') as VxmlElement[];
      for (let i = 0; i < len; i++) {
        if (!s.sandbox.isDeclaredIn(scope, item)) s.declareIn(scope, item);
        s.script(() => s.sandbox.foreachNext(item));
        await this.block(body, scope);
      }
    } finally {
      s.sandbox.foreachEnd();
    }
  }

  private async goto(el: VxmlElement): Promise<void> {
    const s = this.s;
    const item = attr(el, 'nextitem') ?? (attr(el, 'expritem') !== undefined ? s.evalString(attr(el, 'expritem')!) : undefined);
    if (item !== undefined) {
      if (s.form) s.form.nextItem = item;
      throw new GotoSignal(undefined, s.pos.dialog?.id, item);
    }
    const next = attr(el, 'next') ?? s.evalString(attr(el, 'expr')!);
    const t0 = s.opts.monotonicNow();
    const target = await this.resolveTarget(next, el);
    s.step('goto', s.node(), next, t0);
    if (target.doc === s.pos.doc || target.doc === undefined) {
      throw new GotoSignal(undefined, target.dialog, undefined);
    }
    throw target;
  }

  /** A target URL: `#dialog` stays in the document; anything else is fetched now (failures raise here). */
  private async resolveTarget(next: string, el: VxmlElement): Promise<GotoSignal> {
    const s = this.s;
    if (next.startsWith('#')) return new GotoSignal(undefined, next.slice(1), undefined);
    const url = new URL(next, s.pos.doc.url);
    const dialog = url.hash ? decodeURIComponent(url.hash.slice(1)) : undefined;
    url.hash = '';
    const doc = await s.loader.document(url.href, s.fetchTimeout(el));
    return new GotoSignal(doc, dialog, undefined);
  }

  private async submit(el: VxmlElement): Promise<void> {
    const s = this.s;
    const next = attr(el, 'next') ?? s.evalString(attr(el, 'expr')!);
    const names = attr(el, 'namelist');
    const fields = names ? this.fields(names) : {};
    const method = attr(el, 'method')?.toUpperCase() === 'POST' ? 'POST' : 'GET';
    const t0 = s.opts.monotonicNow();
    const url = new URL(next, s.pos.doc.url);
    const doc = await s.loader.document(url.href.split('#')[0]!, s.fetchTimeout(el), method, fields);
    s.step('submit', s.node(), `${method} ${url.href}`, t0);
    throw new GotoSignal(doc, url.hash ? url.hash.slice(1) : undefined, undefined);
  }

  private namelist(names: string): { [k: string]: ScriptValue } {
    const out: { [k: string]: ScriptValue } = {};
    for (const n of names.split(/\s+/).filter((x) => x)) out[n] = this.s.evalValue(n);
    return out;
  }

  private fields(names: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.namelist(names))) out[k] = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return out;
  }

  // ---- prompts ----

  /** Queue the prompts of a form item for the given prompt count (§4.1.6: highest count not above it). */
  queueItemPrompts(el: VxmlElement, count: number): void {
    const prompts = childElements(el, 'prompt').filter((p) => attr(p, 'cond') === undefined || this.s.cond(attr(p, 'cond')!));
    let best = 0;
    for (const p of prompts) {
      const c = Number(attr(p, 'count') ?? '1');
      if (c <= count && c > best) best = c;
    }
    for (const p of prompts) if (Number(attr(p, 'count') ?? '1') === best) this.s.promptQueue.push(...this.segments(p.children, this.langOf(p)));
  }

  queueMenuPrompts(menu: MenuDialog, count: number): void {
    this.queueItemPrompts(menu.element, count);
    this.menu = menu;
  }

  /** The menu whose choices `<enumerate>` lists. */
  private menu?: MenuDialog;

  /** SSML language of a prompt element: its own xml:lang, else the document's, else its root's (undefined: the channel decides). */
  private langOf(el: VxmlElement): string | undefined {
    const s = this.s;
    return attr(el, 'lang') ?? s.pos?.doc.root.attrs['lang'] ?? s.pos?.root?.root.attrs['lang'];
  }

  segments(nodes: readonly (VxmlElement | { kind: 'text'; text: string })[], inherited?: string): PromptSegment[] {
    const s = this.s;
    const out: PromptSegment[] = [];
    const lang = inherited ?? s.pos?.doc.root.attrs['lang'] ?? s.pos?.root?.root.attrs['lang'];
    const tag = lang === undefined ? {} : { lang };
    for (const n of nodes) {
      if (n.kind === 'text') {
        const t = n.text.replace(/\s+/g, ' ');
        if (t.trim() !== '') out.push({ kind: 'text', text: t.trim(), ...tag });
        continue;
      }
      // SSML <voice name="cmn"> / xml:lang on any element switches the language of its content.
      const own = attr(n, 'lang') ?? (n.name === 'voice' ? (attr(n, 'name') ?? attr(n, 'languages')) : undefined);
      const inner = own ?? lang;
      switch (n.name) {
        case 'value':
          out.push({ kind: 'text', text: s.evalString(attr(n, 'expr') ?? "''"), ...tag });
          break;
        case 'break':
          out.push({ kind: 'break', ms: parseTime(attr(n, 'time'), attr(n, 'strength') === 'none' ? 0 : 500) });
          break;
        case 'say-as':
          // SSML allows <value> inside say-as (VoiceXML 2.0 §4.1.4): render the children, keep the text.
          out.push({ kind: 'say-as', interpretAs: attr(n, 'interpret-as') ?? 'text', text: promptText(this.segments(n.children, inner)), ...(inner === undefined ? {} : { lang: inner }) });
          break;
        case 'audio': {
          const src = attr(n, 'src') ?? (attr(n, 'expr') !== undefined ? s.evalString(attr(n, 'expr')!) : '');
          out.push({ kind: 'audio', url: src ? new URL(src, s.pos.doc.url).href : '', fallback: this.segments(n.children, inner) });
          break;
        }
        case 'mark':
          out.push({ kind: 'mark', name: attr(n, 'name') ?? s.evalString(attr(n, 'nameexpr') ?? "''") });
          break;
        case 'enumerate':
          out.push(...this.enumerate(n));
          break;
        default:
          // SSML containers (p, s, emphasis, prosody, voice, sub...): keep their content.
          out.push(...this.segments(n.children, inner));
      }
    }
    return out;
  }

  private enumerate(el: VxmlElement): PromptSegment[] {
    const menu = this.menu ?? (this.s.pos.dialog?.kind === 'menu' ? this.s.pos.dialog : undefined);
    if (!menu) return [];
    const out: PromptSegment[] = [];
    for (const c of menu.choices) {
      if (el.children.length === 0) {
        out.push({ kind: 'text', text: c.dtmf ? `For ${c.text}, press ${c.dtmf}.` : `${c.text}.` });
        continue;
      }
      this.s.sandbox.resetScope('anonymous');
      this.s.sandbox.put('_prompt', 'anonymous', c.text);
      this.s.sandbox.put('_dtmf', 'anonymous', c.dtmf ?? '');
      out.push(...this.segments(el.children));
    }
    return out;
  }
}

