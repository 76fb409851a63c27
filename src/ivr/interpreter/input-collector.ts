import type { TransferOutcome, TransferType } from '../channel/voice-channel.ts';
import { attr, childElements, type FormDialog, type FormItem, type MenuDialog, type VxmlElement } from '../document/vxml-model.ts';
import { builtinMatcher, parseBuiltinRef } from '../grammar/builtin-grammars.ts';
import { combine, type DtmfMatcher, type MatchResult } from '../grammar/dtmf-matcher.ts';
import { GrammarError, SrgsGrammar } from '../grammar/srgs-grammar.ts';
import type { ScriptValue } from '../script/json-value.ts';
import type { RecognitionSession, SpeechResult, VoiceGrammar } from '../speech/recognizer.ts';
import { parseTime } from './session-options.ts';
import { GotoSignal, HangupSignal, VxmlEvent } from './signals.ts';
import type { FormRun, VxmlSession } from './vxml-session.ts';

type Collected = { kind: 'match'; result: MatchResult; keys: string } | { kind: 'noinput' } | { kind: 'nomatch'; keys: string };

/**
 * Input items: fields (grammars activated, DTMF collected with timeout,
 * interdigittimeout and termchar), menus, record and transfer.
 */
export class InputCollector {
  private hungUp = false;

  constructor(private readonly s: VxmlSession) {}

  async field(_form: FormDialog, item: FormItem, run: FormRun): Promise<void> {
    const { dtmf: matchers, voice } = await this.activate(item);
    const speech = await this.speech(voice);
    if (matchers.length === 0 && !speech) throw new VxmlEvent('error.unsupported.format', `field '${item.name}' has no DTMF grammar and speech is not available`);
    const t0 = this.s.opts.monotonicNow();
    if (speech) {
      const heard = await this.listen(speech);
      if (heard.kind !== 'dtmf') return this.spoken(item, run, heard, t0);
    }
    const got = await this.collect(matchers);
    if (got.kind === 'noinput') {
      this.s.step('input', this.s.node(), 'noinput', t0, '');
      throw new VxmlEvent('noinput', 'no input');
    }
    if (got.kind === 'nomatch') {
      this.s.step('input', this.s.node(), 'nomatch', t0, got.keys);
      this.keypadEvent(got.keys);
      throw new VxmlEvent('nomatch', 'no match');
    }
    const value = this.s.script(() => got.result.interpret?.());
    this.fill(item.name, value, got.result.utterance);
    run.justFilled.add(item.name);
    this.s.step('input', this.s.node(), JSON.stringify(value ?? null), t0, got.keys);
  }

  async menu(menu: MenuDialog): Promise<GotoSignal> {
    const keys = new Map<string, number>();
    menu.choices.forEach((c, i) => c.dtmf !== undefined && keys.set(c.dtmf, i));
    const matcher: DtmfMatcher = {
      match(k) {
        const exact = keys.has(k);
        const longer = [...keys.keys()].some((d) => d.length > k.length && d.startsWith(k));
        if (exact) return { status: longer ? 'complete' : 'final', utterance: k, interpret: () => k };
        return { status: longer ? 'incomplete' : 'nomatch', utterance: k };
      },
    };
    const t0 = this.s.opts.monotonicNow();
    const got = await this.collect([matcher]);
    if (got.kind === 'noinput') {
      this.s.step('menu', this.s.node(), 'noinput', t0, '');
      throw new VxmlEvent('noinput', 'no input');
    }
    if (got.kind === 'nomatch') {
      this.s.step('menu', this.s.node(), 'nomatch', t0, got.keys);
      this.keypadEvent(got.keys);
      throw new VxmlEvent('nomatch', 'no match');
    }
    const choice = menu.choices[keys.get(got.result.utterance)!]!;
    this.s.step('menu', this.s.node(), choice.next ?? choice.expr ?? choice.event ?? '', t0, got.keys);
    if (choice.event !== undefined || choice.eventexpr !== undefined)
      throw new VxmlEvent(choice.event ?? this.s.evalString(choice.eventexpr!), '');
    const next = choice.next ?? this.s.evalString(choice.expr ?? "''");
    if (next.startsWith('#')) return new GotoSignal(undefined, next.slice(1), undefined);
    const url = new URL(next, this.s.pos.doc.url);
    const dialog = url.hash ? url.hash.slice(1) : undefined;
    url.hash = '';
    const doc = await this.s.loader.document(url.href, this.s.fetchTimeout(choice.element));
    return new GotoSignal(doc, dialog, undefined);
  }

  async record(item: FormItem, run: FormRun): Promise<void> {
    const el = item.element;
    await this.s.flushPrompts(attr(el, 'bargein') !== 'false');
    const t0 = this.s.opts.monotonicNow();
    const r = await this.s.opts.channel.record({
      maxTimeMs: parseTime(attr(el, 'maxtime'), 60_000),
      finalSilenceMs: parseTime(attr(el, 'finalsilence'), 3_000),
      dtmfTerm: attr(el, 'dtmfterm') !== 'false',
      beep: attr(el, 'beep') === 'true',
      type: attr(el, 'type') ?? 'audio/x-wav',
    });
    if (r.kind === 'hangup') return this.hangup();
    if (r.kind === 'noinput') {
      this.s.step('record', this.s.node(), 'noinput', t0);
      throw new VxmlEvent('noinput', 'no recording');
    }
    const rec = r.recording;
    this.s.sandbox.setPath(item.name, { uri: rec.uri, duration: rec.durationMs, size: rec.sizeBytes, type: rec.type });
    this.s.sandbox.put(`${item.name}$`, 'dialog', { duration: rec.durationMs, size: rec.sizeBytes, termchar: r.termKey ?? null, maxtime: r.maxTime });
    run.justFilled.add(item.name);
    this.s.step('record', this.s.node(), `${rec.durationMs} ms`, t0, r.termKey);
  }

  async transfer(item: FormItem, run: FormRun): Promise<void> {
    const el = item.element;
    const s = this.s;
    await s.flushPrompts(false);
    const dest = attr(el, 'dest') ?? (attr(el, 'destexpr') !== undefined ? s.evalString(attr(el, 'destexpr')!) : '');
    if (!dest) throw new VxmlEvent('error.semantic', '<transfer> without dest');
    const type: TransferType = (attr(el, 'type') as TransferType | undefined) ?? (attr(el, 'bridge') === 'false' ? 'blind' : 'bridge');
    if (type !== 'bridge' && type !== 'blind' && type !== 'consultation') throw new VxmlEvent('error.semantic', `transfer type '${String(type)}'`);
    const aai = attr(el, 'aai') ?? (attr(el, 'aaiexpr') !== undefined ? s.evalString(attr(el, 'aaiexpr')!) : undefined);
    const t0 = s.opts.monotonicNow();
    const r = await s.opts.channel.transfers.transfer({
      type,
      dest,
      connectTimeoutMs: parseTime(attr(el, 'connecttimeout'), 30_000),
      maxTimeMs: parseTime(attr(el, 'maxtime'), 0),
      aai,
      origin: 'document',
    });
    s.step('transfer', s.node(), `${type} ${dest}: ${r.outcome}`, t0);
    if (r.outcome === 'hangup' || r.outcome === 'near_party_disconnect') {
      if (r.outcome === 'hangup') return this.hangup();
    }
    if (r.outcome === 'transferred') throw new VxmlEvent('connection.disconnect.transfer', dest);
    const value: TransferOutcome = r.outcome;
    s.sandbox.setPath(item.name, value);
    s.sandbox.put(`${item.name}$`, 'dialog', { duration: Math.round(r.durationMs / 1000) });
    run.justFilled.add(item.name);
  }

  /**
   * Active grammars of a field: its `type` builtin and its `<grammar>`
   * children (srcexpr evaluated now), split into DTMF matchers and the voice
   * grammars a Recognizer would need. Voice grammars are only gathered when
   * `inputmodes` includes voice.
   */
  private async activate(item: FormItem): Promise<{ dtmf: DtmfMatcher[]; voice: VoiceGrammar[] }> {
    const s = this.s;
    const dtmf: DtmfMatcher[] = [];
    const voice: VoiceGrammar[] = [];
    const wantVoice = /\bvoice\b/.test(s.property('inputmodes') ?? '');
    const type = attr(item.element, 'type');
    try {
      if (type !== undefined) {
        const b = parseBuiltinRef(type);
        if (!b) throw new VxmlEvent('error.unsupported.builtin', `builtin type '${type}'`);
        dtmf.push(builtinMatcher(b.type, b.params, s.opts.keypad));
        if (wantVoice) voice.push({ kind: 'builtin', ref: type });
      }
      for (const g of item.grammars) {
        const m = await this.grammar(g, wantVoice);
        if (m && 'match' in m) dtmf.push(m);
        else if (m) voice.push(m);
      }
    } catch (e) {
      if (e instanceof GrammarError) throw new VxmlEvent('error.badfetch', e.message);
      throw e;
    }
    return { dtmf, voice };
  }

  private async grammar(g: VxmlElement, wantVoice: boolean): Promise<DtmfMatcher | VoiceGrammar | undefined> {
    const s = this.s;
    const src = attr(g, 'src') ?? (attr(g, 'srcexpr') !== undefined ? s.evalString(attr(g, 'srcexpr')!) : undefined);
    const evaluate = (code: string): ScriptValue => s.evalValue(code);
    if (src === undefined) {
      if ((attr(g, 'mode') ?? 'voice') !== 'dtmf') return wantVoice ? { kind: 'inline', tree: g, language: attr(g, 'lang') } : undefined;
      return new SrgsGrammar(g, evaluate);
    }
    const builtin = parseBuiltinRef(src);
    if (src.startsWith('builtin:')) {
      if (!builtin) throw new VxmlEvent('error.unsupported.builtin', src);
      if ((attr(g, 'mode') ?? 'dtmf') === 'voice') return wantVoice ? { kind: 'builtin', ref: src } : undefined;
      return builtinMatcher(builtin.type, builtin.params, s.opts.keypad);
    }
    const url = new URL(src, s.pos.doc.url);
    if (attr(g, 'mode') === 'voice') return wantVoice ? { kind: 'external', url: url.href, type: attr(g, 'type') } : undefined;
    const rootRule = url.hash ? url.hash.slice(1) : undefined;
    url.hash = '';
    const tree = await s.loader.xml(url.href, s.fetchTimeout(g));
    if ((tree.attrs['mode'] ?? attr(g, 'mode') ?? 'voice') !== 'dtmf') {
      if (tree.name !== 'grammar') throw new VxmlEvent('error.badfetch', `${url.href} is not an SRGS grammar`);
      return wantVoice ? { kind: 'inline', tree, language: tree.attrs['lang'] } : undefined;
    }
    return new SrgsGrammar({ ...tree, attrs: { mode: 'dtmf', ...tree.attrs } }, evaluate, rootRule);
  }

  /** Ask the Recognizer for the voice grammars; `unsupported` is logged as a step and input goes on by DTMF. */
  private async speech(voice: readonly VoiceGrammar[]): Promise<RecognitionSession | undefined> {
    if (voice.length === 0) return undefined;
    const s = this.s;
    const t0 = s.opts.monotonicNow();
    const r = await s.opts.recognizer.activate(voice, {
      sessionId: s.opts.sessionId,
      language: s.pos.doc.root.attrs['lang'] ?? s.pos.root?.root.attrs['lang'] ?? 'en-US',
      confidenceLevel: Number(s.property('confidencelevel') ?? '0.5'),
      maxNbest: Number(s.property('maxnbest') ?? '1'),
    });
    if (r.kind === 'active') return r.session;
    s.step('speech', s.node(), `unsupported (${r.reason}): DTMF only`, t0);
    return undefined;
  }

  private async listen(rs: RecognitionSession): Promise<SpeechResult> {
    const s = this.s;
    try {
      await s.flushPrompts(s.property('bargein') !== 'false');
      return await rs.listen(parseTime(s.property('timeout'), 5_000));
    } finally {
      rs.close();
    }
  }

  /** A speech result for a field (anything but `dtmf`). */
  private spoken(item: FormItem, run: FormRun, r: Exclude<SpeechResult, { kind: 'dtmf' }>, t0: number): void {
    const s = this.s;
    if (r.kind === 'hangup') return this.hangup();
    if (r.kind === 'noinput') {
      s.step('input', s.node(), 'noinput', t0, '');
      throw new VxmlEvent('noinput', 'no input');
    }
    if (r.kind === 'nomatch' || r.confidence < Number(s.property('confidencelevel') ?? '0.5')) {
      s.step('input', s.node(), 'nomatch', t0, `voice:${r.utterance}`);
      throw new VxmlEvent('nomatch', 'no match');
    }
    this.fill(item.name, r.interpretation, r.utterance, 'voice', r.confidence);
    run.justFilled.add(item.name);
    s.step('input', s.node(), JSON.stringify(r.interpretation), t0, `voice:${r.utterance}`);
  }

  /** Collect DTMF against matchers: timeout, interdigittimeout, termchar. */
  private async collect(matchers: readonly DtmfMatcher[]): Promise<Collected> {
    const s = this.s;
    if (this.hungUp) throw new HangupSignal();
    await s.flushPrompts(s.property('bargein') !== 'false');
    const timeout = parseTime(s.property('timeout'), 5_000);
    const inter = parseTime(s.property('interdigittimeout'), 3_000);
    const termchar = s.property('termchar') ?? s.opts.keypad.endKey;
    const ch = s.opts.channel;
    let keys = '';
    let ev = await ch.waitKey(timeout, 'first');
    let last: MatchResult | undefined;
    for (;;) {
      if (ev.kind === 'hangup') return this.hangup();
      if (ev.kind === 'timeout') {
        if (keys === '') return { kind: 'noinput' };
        return last && (last.status === 'complete' || last.status === 'final') ? { kind: 'match', result: last, keys } : { kind: 'nomatch', keys };
      }
      if (ev.key === termchar && termchar !== '') {
        const r = combine(matchers.map((m) => m.match(keys, { terminated: true })), keys);
        if (r.status === 'complete' || r.status === 'final') return { kind: 'match', result: r, keys: keys + ev.key };
        return keys === '' && r.status === 'nomatch' ? { kind: 'nomatch', keys: ev.key } : { kind: 'nomatch', keys: keys + ev.key };
      }
      keys += ev.key;
      last = combine(matchers.map((m) => m.match(keys)), keys);
      if (last.status === 'final') return { kind: 'match', result: last, keys };
      if (last.status === 'nomatch') return { kind: 'nomatch', keys };
      ev = await ch.waitKey(inter, 'next');
    }
  }

  /** IVR-3: a lone back / agent key that no grammar accepted becomes hotline.back / hotline.agent. */
  private keypadEvent(keys: string): void {
    const k = this.s.opts.keypad;
    if (keys === k.agentKey) throw new VxmlEvent('hotline.agent', 'caller asked for an agent');
    if (keys === k.backKey) throw new VxmlEvent('hotline.back', 'caller asked to go back');
  }

  private fill(name: string, value: ScriptValue, utterance: string, inputmode: 'dtmf' | 'voice' = 'dtmf', confidence = 1): void {
    const s = this.s;
    s.sandbox.setPath(name, value);
    const result = { utterance, interpretation: value ?? null, confidence, inputmode };
    s.sandbox.put(`${name}$`, 'dialog', result);
    s.sandbox.setPath('application.lastresult$', [result]);
  }

  private hangup(): never {
    this.hungUp = true;
    throw new VxmlEvent('connection.disconnect.hangup', 'caller hung up');
  }

  isHungUp(): boolean {
    return this.hungUp;
  }

  /** Child elements for callers that need raw access (kept for record/transfer prompts). */
  static prompts(el: VxmlElement): VxmlElement[] {
    return childElements(el, 'prompt');
  }
}
