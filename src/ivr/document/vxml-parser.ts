import { parseXml, toTree, VXML_NS, SRGS_NS, SSML_NS } from './xml-tree.ts';
import {
  attr,
  childElements,
  textOf,
  type CatchHandler,
  type Choice,
  type Dialog,
  type FilledHandler,
  type FormItem,
  type FormItemKind,
  type VxmlDocument,
  type VxmlElement,
} from './vxml-model.ts';

/** A document that cannot be used: the interpreter raises error.badfetch for it. */
export class DocumentError extends Error {
  readonly code: 'malformed-xml' | 'invalid-document';
  constructor(code: DocumentError['code'], message: string) {
    super(message);
    this.name = 'DocumentError';
    this.code = code;
  }
}

const VXML_ELEMENTS = new Set(
  ('assign audio block catch choice clear data disconnect else elseif enumerate error exit field filled foreach form ' +
    'goto grammar help if initial link log mark menu meta metadata noinput nomatch object option param prompt property ' +
    'record reprompt return script subdialog submit throw transfer value var vxml ' +
    // SSML inside prompts
    'break emphasis p s say-as phoneme prosody sub voice lexicon desc speak ' +
    // SRGS inside inline grammars
    'rule one-of item ruleref tag token example').split(/\s+/),
);

const ITEM_KINDS: Readonly<Record<string, FormItemKind>> = {
  field: 'field',
  block: 'block',
  initial: 'initial',
  subdialog: 'subdialog',
  record: 'record',
  transfer: 'transfer',
  object: 'object',
};

const keepNs = (ns: string | null): boolean => ns === null || ns === VXML_NS || ns === SRGS_NS || ns === SSML_NS;

/** Parse and check a VoiceXML document; any problem is a DocumentError. */
export function parseVxml(text: string, url: string): VxmlDocument {
  let root: VxmlElement;
  try {
    const parsed = parseXml(text, url);
    if (parsed.root.localName !== 'vxml') throw new DocumentError('invalid-document', `${url}: root element is not <vxml>`);
    root = toTree(parsed.root, keepNs);
  } catch (e) {
    if (e instanceof DocumentError) throw e;
    throw new DocumentError('malformed-xml', (e as Error).message);
  }
  validate(root, url);
  let anon = 0;
  const dialogs: Dialog[] = [];
  for (const el of childElements(root)) {
    if (el.name === 'form') dialogs.push(buildForm(el, () => `_anon${anon++}`));
    else if (el.name === 'menu') dialogs.push(buildMenu(el, () => `_anon${anon++}`));
  }
  return {
    url,
    version: attr(root, 'version') ?? '2.1',
    application: attr(root, 'application'),
    root,
    catches: catchesOf(root),
    properties: propertiesOf(root),
    declarations: childElements(root).filter(isDeclaration),
    dialogs,
  };
}

function isDeclaration(e: VxmlElement): boolean {
  return e.name === 'var' || e.name === 'script' || e.name === 'data';
}

function validate(el: VxmlElement, url: string): void {
  if (!VXML_ELEMENTS.has(el.name)) throw new DocumentError('invalid-document', `${url}: unknown element <${el.name}>`);
  const has = (a: string): boolean => el.attrs[a] !== undefined;
  switch (el.name) {
    case 'grammar': {
      const inline = el.children.some((c) => c.kind === 'element' || c.text.trim() !== '');
      const n = Number(has('src')) + Number(has('srcexpr')) + Number(inline);
      if (n !== 1) throw new DocumentError('invalid-document', `${url}: <grammar> needs exactly one of src, srcexpr, inline rules`);
      if (inline) return; // SRGS content is checked when the grammar is compiled
      break;
    }
    case 'script': {
      const inline = textOf(el).trim() !== '';
      if (Number(has('src')) + Number(has('srcexpr')) + Number(inline) > 1)
        throw new DocumentError('invalid-document', `${url}: <script> has more than one of src, srcexpr, inline code`);
      break;
    }
    case 'goto':
      if (Number(has('next')) + Number(has('expr')) + Number(has('nextitem')) + Number(has('expritem')) !== 1)
        throw new DocumentError('invalid-document', `${url}: <goto> needs exactly one of next, expr, nextitem, expritem`);
      break;
    case 'submit':
    case 'subdialog':
      if (has('src') && has('srcexpr')) throw new DocumentError('invalid-document', `${url}: <${el.name}> has both src and srcexpr`);
      break;
    case 'data':
      if (has('src') === has('srcexpr')) throw new DocumentError('invalid-document', `${url}: <data> needs exactly one of src, srcexpr`);
      break;
    case 'var':
    case 'assign':
      if (!has('name')) throw new DocumentError('invalid-document', `${url}: <${el.name}> without name`);
      break;
    case 'throw':
      if (has('event') === has('eventexpr')) throw new DocumentError('invalid-document', `${url}: <throw> needs event or eventexpr`);
      break;
  }
  for (const c of el.children) if (c.kind === 'element') validate(c, url);
}

function splitNames(s: string | undefined): string[] {
  return (s ?? '').split(/\s+/).filter((x) => x !== '');
}

export function catchesOf(el: VxmlElement): CatchHandler[] {
  const out: CatchHandler[] = [];
  for (const c of childElements(el)) {
    let events: string[] | undefined;
    if (c.name === 'catch') events = splitNames(attr(c, 'event'));
    else if (c.name === 'error' || c.name === 'noinput' || c.name === 'nomatch' || c.name === 'help') events = [c.name];
    if (!events) continue;
    out.push({ events: events.length ? events : [''], count: Number(attr(c, 'count') ?? '1') || 1, cond: attr(c, 'cond'), element: c });
  }
  return out;
}

export function propertiesOf(el: VxmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of childElements(el, 'property')) {
    const name = attr(p, 'name');
    const value = attr(p, 'value');
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

function filledsOf(el: VxmlElement): FilledHandler[] {
  return childElements(el, 'filled').map((f) => ({
    mode: attr(f, 'mode') === 'all' ? 'all' : 'any',
    namelist: attr(f, 'namelist') !== undefined ? splitNames(attr(f, 'namelist')) : undefined,
    element: f,
  }));
}

function buildForm(el: VxmlElement, anonId: () => string): Dialog {
  const items: FormItem[] = [];
  let n = 0;
  for (const c of childElements(el)) {
    const kind = ITEM_KINDS[c.name];
    if (!kind) continue;
    n++;
    items.push({
      kind,
      name: attr(c, 'name') ?? `_item${n}_${c.name}`,
      element: c,
      cond: attr(c, 'cond'),
      expr: attr(c, 'expr'),
      catches: catchesOf(c),
      properties: propertiesOf(c),
      filleds: filledsOf(c),
      grammars: childElements(c, 'grammar'),
      input: kind !== 'block' && kind !== 'initial',
    });
  }
  // Form-level <filled> default mode is "all" (VoiceXML 2.0 §2.4).
  const filleds = childElements(el, 'filled').map((f) => ({
    mode: attr(f, 'mode') === 'any' ? ('any' as const) : ('all' as const),
    namelist: attr(f, 'namelist') !== undefined ? splitNames(attr(f, 'namelist')) : undefined,
    element: f,
  }));
  return {
    kind: 'form',
    id: attr(el, 'id') ?? anonId(),
    element: el,
    catches: catchesOf(el),
    properties: propertiesOf(el),
    declarations: childElements(el).filter(isDeclaration),
    items,
    filleds,
  };
}

function buildMenu(el: VxmlElement, anonId: () => string): Dialog {
  const dtmf = attr(el, 'dtmf') === 'true';
  let auto = 0;
  const choices: Choice[] = childElements(el, 'choice').map((c) => {
    const explicit = attr(c, 'dtmf');
    if (explicit === undefined) auto++;
    return {
      dtmf: explicit ?? (dtmf && auto <= 9 ? String(auto) : undefined),
      next: attr(c, 'next'),
      expr: attr(c, 'expr'),
      event: attr(c, 'event'),
      eventexpr: attr(c, 'eventexpr'),
      text: textOf(c).trim().replace(/\s+/g, ' '),
      element: c,
    };
  });
  return {
    kind: 'menu',
    id: attr(el, 'id') ?? anonId(),
    element: el,
    catches: catchesOf(el),
    properties: propertiesOf(el),
    declarations: [],
    choices,
    dtmf,
    prompts: childElements(el).filter((c) => c.name === 'prompt' || c.name === 'audio' || c.name === 'value' || c.name === 'enumerate'),
  };
}
