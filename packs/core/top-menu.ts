/**
 * A pack's top menu: its own choices, then key 9 for the other language's
 * service (zh-CN ⇄ en-US), offered in that language. Key 9 goes to the
 * reserved page `lang`, which moves the caller's session to the other
 * locale and greets them there (the authenticated identity and inputs stay).
 */
import type { PageContext } from './pack-module.ts';
import type { Speech } from './speech.ts';
import { menu, type MenuChoice } from './vxml-kit.ts';
import type { VxmlEl } from './vxml.ts';

export const LANGUAGE_KEY = '9';

export function topMenu<S>(ctx: PageContext<S>, say: Speech, choices: readonly MenuChoice[]): VxmlEl {
  if (choices.some((c) => c.dtmf === LANGUAGE_KEY)) throw new Error(`top menu: key ${LANGUAGE_KEY} is the language switch`);
  return menu('menu', [...say, ...ctx.common.otherLanguage], [...choices, { dtmf: LANGUAGE_KEY, next: ctx.link('lang') }]);
}
