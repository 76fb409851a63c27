/**
 * The dialog shapes the packs use, built on the typed builder: a menu of
 * keyed choices, one-field forms that post their value to the server, a
 * spoken result followed by a move, and the hand-off to an agent.
 */
import { el, jsLiteral, type Child, type VxmlEl } from './vxml.ts';
import type { Speech } from './speech.ts';

/** Speech as prompt content; adjacent text parts are kept apart by a space (TTS engines pause on neither). */
export function say(s: Speech): Child[] {
  return s.map((p, i) => {
    if (typeof p !== 'string') return 'digits' in p ? el('say-as', { 'interpret-as': 'digits' }, p.digits) : el('s', { 'xml:lang': p.lang }, p.text);
    return i > 0 && typeof s[i - 1] === 'string' && !/^[，。、；：！？,.;:!?)]/.test(p) ? ` ${p}` : p;
  });
}

export function prompt(...s: Speech[]): VxmlEl {
  return el('prompt', {}, say(s.flat()));
}

export interface MenuChoice {
  readonly dtmf: string;
  readonly next: string;
}

/** A keyed menu; 0 and * are left free for back and agent (IVR-3). */
export function menu(id: string, p: Speech, choices: readonly MenuChoice[]): VxmlEl {
  for (const c of choices) if (c.dtmf === '0' || c.dtmf === '*') throw new Error(`menu ${id}: key ${c.dtmf} is reserved for back / agent`);
  return el('menu', { id, dtmf: 'true' }, prompt(p), choices.map((c) => el('choice', { dtmf: c.dtmf, next: c.next })));
}

export interface InputSpec {
  /** Field name, also the posted parameter. */
  readonly name: string;
  /** Builtin type with parameters, e.g. `digits?length=6`, `currency`, `date?all=true`. */
  readonly type: string;
  readonly prompt: Speech;
  /**
   * IVR-3 back in a numbered-choice field: a lone 0 is a digit the grammar
   * accepts (so the interpreter raises no hotline.back); keyed alone it
   * leaves the form for this URL at once instead of asking the next field.
   */
  readonly zeroBack?: string;
}

/** A form asking for one or more fields in turn, then posting them to `next`. */
export function inputForm(id: string, fields: readonly InputSpec[], next: string, intro?: Speech): VxmlEl {
  return el(
    'form',
    { id },
    intro && el('block', {}, prompt(intro)),
    fields.map((f) =>
      el('field', { name: f.name, type: f.type }, prompt(f.prompt), f.zeroBack !== undefined && el('filled', {}, el('if', { cond: `${f.name} == '0'` }, el('goto', { next: f.zeroBack })))),
    ),
    el('block', {}, el('submit', { next, method: 'post', namelist: fields.map((f) => f.name).join(' ') })),
  );
}

/** Speak, then go to `next` (a result read out, then back to a menu). */
export function speakThen(id: string, s: Speech, next: string): VxmlEl {
  return el('form', { id }, el('block', {}, prompt(s), el('goto', { next })));
}

/**
 * IVR-3 back in a numbered-choice field: there a lone 0 is a digit the
 * grammar accepts (so the interpreter does not raise hotline.back); the
 * page sees 0 and goes back itself.
 */
export function backTo(ctx: { link(page: string): string }, page: string): VxmlEl {
  return el('form', { id: 'back' }, el('block', {}, el('goto', { next: ctx.link(page) })));
}

/** Speak and end the call. */
export function speakAndEnd(id: string, s: Speech, result: unknown): VxmlEl {
  return el('form', { id }, el('block', {}, prompt(s), el('exit', { expr: jsLiteral(result) })));
}

/**
 * Hand the caller to an agent: a blind `<transfer>` carrying the call-attached
 * data as its `aai` (IVR-4); when the switch has taken the call the session
 * exits with the same data, so whatever ran the session gets it too.
 */
export function agentTransfer(id: string, s: Speech, dest: string, attached: unknown, busy: Speech, afterBusy: string): VxmlEl {
  const aai = JSON.stringify(attached);
  return el(
    'form',
    { id },
    el('block', {}, prompt(s)),
    el(
      'transfer',
      { name: 'agent', type: 'blind', dest, aai },
      el('filled', {}, prompt(busy), el('goto', { next: afterBusy })),
    ),
    el('catch', { event: 'connection.disconnect.transfer' }, el('exit', { expr: jsLiteral(attached) })),
  );
}
