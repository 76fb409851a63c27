import type { CatchHandler } from '../document/vxml-model.ts';

/** Does catch event name `pattern` match thrown event `name`? Prefix by whole dot-separated tokens; '' or '.' matches all. */
export function eventMatches(pattern: string, name: string): boolean {
  if (pattern === '' || pattern === '.') return true;
  const p = pattern.endsWith('.') ? pattern.slice(0, -1) : pattern;
  return name === p || name.startsWith(p + '.');
}

/**
 * VoiceXML 2.0 §5.2.4 catch selection: the handlers of the current scope and
 * every enclosing one, innermost first then document order; drop those whose
 * event does not match or whose cond is false; the "correct count" is the
 * highest count not above the event's counter; the first with it wins.
 */
export function selectCatch(
  scopes: readonly (readonly CatchHandler[])[],
  event: string,
  count: number,
  condTrue: (cond: string) => boolean,
): CatchHandler | undefined {
  const list = scopes.flat().filter((c) => c.events.some((e) => eventMatches(e, event)) && c.count <= count);
  const live = list.filter((c) => c.cond === undefined || condTrue(c.cond));
  let correct = 0;
  for (const c of live) correct = Math.max(correct, c.count);
  return live.find((c) => c.count === correct);
}
