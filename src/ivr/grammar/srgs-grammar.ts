import { childElements, textOf, type VxmlElement } from '../document/vxml-model.ts';
import type { ScriptValue } from '../script/json-value.ts';
import type { DtmfMatcher, MatchOptions, MatchResult } from './dtmf-matcher.ts';

/** An SRGS grammar that cannot be used (error.badfetch for the document that loads it). */
export class GrammarError extends Error {
  readonly code = 'invalid-grammar';
  constructor(message: string) {
    super(message);
    this.name = 'GrammarError';
  }
}

type GNode =
  | { readonly k: 'tok'; readonly v: string }
  | { readonly k: 'seq'; readonly items: readonly GNode[] }
  | { readonly k: 'alt'; readonly items: readonly GNode[] }
  | { readonly k: 'rep'; readonly node: GNode; readonly min: number; readonly max: number }
  | { readonly k: 'ref'; readonly rule: string }
  | { readonly k: 'tag'; readonly text: string }
  | { readonly k: 'null' }
  | { readonly k: 'void' };

/** What a successful parse went through, for semantic interpretation. */
export type ParseItem = { readonly t: 'tok'; readonly v: string } | { readonly t: 'tag'; readonly text: string } | ParseRule;
export interface ParseRule {
  readonly t: 'rule';
  readonly id: string;
  readonly items: ParseItem[];
}

/** Evaluates generated SISR code in the session's sandbox. */
export type SemanticEvaluator = (code: string) => ScriptValue;

const DTMF_KEY = /^[0-9*#A-D]$/;

/**
 * SRGS 1.0 XML-form grammar compiled for DTMF: rule, one-of, item (with
 * repeat), ruleref to local rules and the special NULL/VOID/GARBAGE, tag.
 * Matching enumerates every parse of the keys (DTMF inputs are short).
 */
export class SrgsGrammar implements DtmfMatcher {
  private readonly rules = new Map<string, GNode>();
  private readonly rootId: string;
  private readonly literalTags: boolean;

  constructor(
    grammar: VxmlElement,
    private readonly evaluate: SemanticEvaluator,
    rootOverride?: string,
  ) {
    if (grammar.name !== 'grammar') throw new GrammarError(`root element is <${grammar.name}>, not <grammar>`);
    const mode = grammar.attrs['mode'] ?? 'voice';
    if (mode !== 'dtmf') throw new GrammarError(`mode="${mode}" grammars need a speech recognizer`);
    this.literalTags = (grammar.attrs['tag-format'] ?? '').startsWith('semantics/1.0-literals');
    const ruleEls = childElements(grammar, 'rule');
    for (const r of ruleEls) {
      const id = r.attrs['id'];
      if (!id) throw new GrammarError('<rule> without id');
      this.rules.set(id, this.compileChildren(r));
    }
    const root = rootOverride ?? grammar.attrs['root'] ?? ruleEls[0]?.attrs['id'];
    if (!root || !this.rules.has(root)) throw new GrammarError(`root rule '${root ?? ''}' is not defined`);
    this.rootId = root;
    for (const body of this.rules.values()) this.checkRefs(body);
  }

  match(keys: string, _options?: MatchOptions): MatchResult {
    const input = [...keys];
    let wantsMore = false;
    let parse: ParseRule | undefined;
    const root: ParseRule = { t: 'rule', id: this.rootId, items: [] };
    const body = this.rules.get(this.rootId)!;
    let steps = 0;
    const walk = (node: GNode, pos: number, frame: ParseRule, k: (pos: number) => boolean): boolean => {
      if (++steps > 200_000) return true; // pathological grammar: stop searching
      switch (node.k) {
        case 'tok':
          if (pos >= input.length) {
            wantsMore = true;
            return false;
          }
          if (input[pos] !== node.v) return false;
          frame.items.push({ t: 'tok', v: node.v });
          if (k(pos + 1)) return true;
          frame.items.pop();
          return false;
        case 'tag':
          frame.items.push({ t: 'tag', text: node.text });
          if (k(pos)) return true;
          frame.items.pop();
          return false;
        case 'null':
          return k(pos);
        case 'void':
          return false;
        case 'seq': {
          const go = (i: number, p: number): boolean => (i === node.items.length ? k(p) : walk(node.items[i]!, p, frame, (q) => go(i + 1, q)));
          return go(0, pos);
        }
        case 'alt':
          for (const it of node.items) if (walk(it, pos, frame, k)) return true;
          return false;
        case 'rep': {
          const go = (n: number, p: number): boolean => {
            if (n < node.max && walk(node.node, p, frame, (q) => q > p && go(n + 1, q))) return true;
            return n >= node.min && k(p);
          };
          return go(0, pos);
        }
        case 'ref': {
          const sub: ParseRule = { t: 'rule', id: node.rule, items: [] };
          frame.items.push(sub);
          if (walk(this.rules.get(node.rule)!, pos, sub, k)) return true;
          frame.items.pop();
          return false;
        }
      }
    };
    walk(body, 0, root, (pos) => {
      if (pos !== input.length) return false;
      parse = structuredClone(root);
      return true;
    });
    // A full match may still be extendable (e.g. repeat="1-4"): then wait for more keys.
    if (parse) wantsMore = this.canExtend(body, input);
    if (!parse) return { status: wantsMore ? 'incomplete' : 'nomatch', utterance: keys };
    const found = parse;
    return {
      status: wantsMore ? 'complete' : 'final',
      utterance: keys,
      interpret: () => this.interpret(found),
    };
  }

  /** True when some path consumes all keys and still accepts one more. */
  private canExtend(body: GNode, input: string[]): boolean {
    let more = false;
    let steps = 0;
    const walk = (node: GNode, pos: number, k: (pos: number) => boolean): boolean => {
      if (++steps > 200_000) return true;
      switch (node.k) {
        case 'tok':
          if (pos === input.length) {
            more = true;
            return true;
          }
          return input[pos] === node.v && k(pos + 1);
        case 'tag':
        case 'null':
          return k(pos);
        case 'void':
          return false;
        case 'seq': {
          const go = (i: number, p: number): boolean => (i === node.items.length ? k(p) : walk(node.items[i]!, p, (q) => go(i + 1, q)));
          return go(0, pos);
        }
        case 'alt':
          return node.items.some((it) => walk(it, pos, k));
        case 'rep': {
          const go = (n: number, p: number): boolean =>
            (n < node.max && walk(node.node, p, (q) => q > p && go(n + 1, q))) || (n >= node.min && k(p));
          return go(0, pos);
        }
        case 'ref':
          return walk(this.rules.get(node.rule)!, pos, k);
      }
    };
    walk(body, 0, () => false);
    return more;
  }

  /** SISR: run the tags of each rule with its own `out`; untagged rules yield their text. */
  private interpret(parse: ParseRule): ScriptValue {
    const hasTag = (r: ParseRule): boolean => r.items.some((i) => i.t === 'tag' || (i.t === 'rule' && hasTag(i)));
    if (!hasTag(parse)) return parse.items.length ? textOfParse(parse) : '';
    if (this.literalTags) return lastLiteral(parse) ?? textOfParse(parse);
    return this.evaluate(this.ruleCode(parse));
  }

  private ruleCode(r: ParseRule): string {
    const parts: string[] = [];
    let tagged = false;
    for (const it of r.items) {
      if (it.t === 'tok') parts.push(`__txt.push(${JSON.stringify(it.v)});`);
      else if (it.t === 'tag') {
        tagged = true;
        const literal = !/[=;(]/.test(it.text);
        parts.push(literal ? `out = ${JSON.stringify(it.text.trim())};` : `${it.text}\n;`);
      } else {
        parts.push(`__txt.push(${JSON.stringify(textOfParse(it))}); __latest = rules[${JSON.stringify(it.id)}] = ${this.ruleCode(it)};`);
      }
    }
    const end = tagged ? 'return out;' : 'return __txt.join("");';
    return `(function(){var out = {}; var __latest; var rules = {}; Object.defineProperty(rules, 'latest', {value: function(){return __latest;}}); var __txt = []; var meta = {current: function(){return {text: __txt.join('')};}}; ${parts.join(' ')} ${end}})()`;
  }

  private compileChildren(el: VxmlElement): GNode {
    const items: GNode[] = [];
    for (const c of el.children) {
      if (c.kind === 'text') {
        for (const tok of c.text.split(/\s+/).filter((t) => t !== '')) items.push(...tokens(tok));
      } else items.push(this.compile(c));
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  }

  private compile(el: VxmlElement): GNode {
    switch (el.name) {
      case 'one-of':
        return { k: 'alt', items: childElements(el, 'item').map((i) => this.compile(i)) };
      case 'item': {
        const body = this.compileChildren(el);
        const rep = el.attrs['repeat'];
        if (rep === undefined) return body;
        const m = /^\s*(\d+)\s*(?:-\s*(\d*)\s*)?$/.exec(rep);
        if (!m) throw new GrammarError(`bad repeat="${rep}"`);
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[2] === '' ? Infinity : Number(m[2]);
        if (max < min) throw new GrammarError(`bad repeat="${rep}"`);
        return { k: 'rep', node: body, min, max };
      }
      case 'token':
        return { k: 'seq', items: textOf(el).split(/\s+/).filter((t) => t).flatMap(tokens) };
      case 'tag':
        return { k: 'tag', text: textOf(el) };
      case 'ruleref': {
        const special = el.attrs['special'];
        if (special === 'NULL' || special === 'GARBAGE') return { k: 'null' };
        if (special === 'VOID') return { k: 'void' };
        const uri = el.attrs['uri'] ?? '';
        if (!uri.startsWith('#')) throw new GrammarError(`ruleref to '${uri}': only local rules are supported`);
        return { k: 'ref', rule: uri.slice(1) };
      }
      case 'example':
      case 'meta':
      case 'metadata':
      case 'lexicon':
        return { k: 'null' };
      default:
        throw new GrammarError(`<${el.name}> is not an SRGS element`);
    }
  }

  private checkRefs(n: GNode): void {
    if (n.k === 'ref' && !this.rules.has(n.rule)) throw new GrammarError(`ruleref to undefined rule '${n.rule}'`);
    if (n.k === 'seq' || n.k === 'alt') n.items.forEach((i) => this.checkRefs(i));
    if (n.k === 'rep') this.checkRefs(n.node);
  }
}

function tokens(tok: string): GNode[] {
  return [...tok].map((ch) => {
    if (!DTMF_KEY.test(ch)) throw new GrammarError(`'${tok}' is not a DTMF token`);
    return { k: 'tok', v: ch } as GNode;
  });
}

function textOfParse(r: ParseRule): string {
  return r.items.map((i) => (i.t === 'tok' ? i.v : i.t === 'rule' ? textOfParse(i) : '')).join('');
}

function lastLiteral(r: ParseRule): string | undefined {
  let last: string | undefined;
  for (const i of r.items) {
    if (i.t === 'tag') last = i.text.trim();
    else if (i.t === 'rule') last = lastLiteral(i) ?? last;
  }
  return last;
}
