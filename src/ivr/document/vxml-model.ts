/**
 * Typed model of a VoiceXML 2.1 document. The raw tree keeps every element
 * (executable content is interpreted from it); the structural view above it
 * (documents, dialogs, form items, handlers) is what the FIA walks.
 */
export interface VxmlElement {
  readonly kind: 'element';
  /** Local name; VoiceXML, SSML and SRGS share it inside a document. */
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly VxmlNode[];
}
export interface VxmlText {
  readonly kind: 'text';
  readonly text: string;
}
export type VxmlNode = VxmlElement | VxmlText;

/** `<catch>` and its shorthands, with the event names it handles ('' = any). */
export interface CatchHandler {
  readonly events: readonly string[];
  readonly count: number;
  readonly cond?: string;
  readonly element: VxmlElement;
}

export interface FilledHandler {
  readonly mode: 'all' | 'any';
  readonly namelist?: readonly string[];
  readonly element: VxmlElement;
}

export type FormItemKind = 'field' | 'block' | 'initial' | 'subdialog' | 'record' | 'transfer' | 'object';

export interface FormItem {
  readonly kind: FormItemKind;
  readonly name: string;
  readonly element: VxmlElement;
  readonly cond?: string;
  readonly expr?: string;
  readonly catches: readonly CatchHandler[];
  readonly properties: Readonly<Record<string, string>>;
  readonly filleds: readonly FilledHandler[];
  /** `<grammar>` children (fields). */
  readonly grammars: readonly VxmlElement[];
  /** true when the item is an input item (can be filled from the caller). */
  readonly input: boolean;
}

export interface Choice {
  readonly dtmf?: string;
  readonly next?: string;
  readonly expr?: string;
  readonly event?: string;
  readonly eventexpr?: string;
  readonly text: string;
  readonly element: VxmlElement;
}

interface DialogBase {
  readonly id: string;
  readonly element: VxmlElement;
  readonly catches: readonly CatchHandler[];
  readonly properties: Readonly<Record<string, string>>;
  /** `<var>`, `<script>` and `<data>` at dialog level, in document order. */
  readonly declarations: readonly VxmlElement[];
}
export interface FormDialog extends DialogBase {
  readonly kind: 'form';
  readonly items: readonly FormItem[];
  readonly filleds: readonly FilledHandler[];
}
export interface MenuDialog extends DialogBase {
  readonly kind: 'menu';
  readonly choices: readonly Choice[];
  readonly dtmf: boolean;
  /** `<prompt>` / text / `<audio>` children played when the menu is entered. */
  readonly prompts: readonly VxmlElement[];
}
export type Dialog = FormDialog | MenuDialog;

export interface VxmlDocument {
  readonly url: string;
  readonly version: string;
  readonly application?: string;
  readonly root: VxmlElement;
  readonly catches: readonly CatchHandler[];
  readonly properties: Readonly<Record<string, string>>;
  readonly declarations: readonly VxmlElement[];
  readonly dialogs: readonly Dialog[];
}

export function attr(e: VxmlElement, name: string): string | undefined {
  return e.attrs[name];
}

export function childElements(e: VxmlElement, name?: string): VxmlElement[] {
  const out: VxmlElement[] = [];
  for (const c of e.children) if (c.kind === 'element' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

export function textOf(e: VxmlElement): string {
  let s = '';
  for (const c of e.children) s += c.kind === 'text' ? c.text : textOf(c);
  return s;
}
