/**
 * Failed outbound legs: which of several branch failures is the answer
 * (RFC 3261 section 16.7 step 6: a 6xx wins; then the most telling 4xx),
 * and the cause word the switch records for a status.
 */
export function pickFinal(failures: ReadonlyArray<{ status: number; reason: string }>): { status: number; reason: string } {
  const rank = (s: number): number => {
    if (s >= 600) return 0;
    if (s === 486) return 1;
    if (s >= 400 && s < 500 && s !== 408 && s !== 480 && s !== 487) return 2;
    if (s === 480) return 3;
    if (s >= 300 && s < 400) return 4;
    if (s >= 500) return 5;
    if (s === 408) return 6;
    return 7;
  };
  let best = failures[0] ?? { status: 480, reason: 'Temporarily Unavailable' };
  for (const f of failures) if (rank(f.status) < rank(best.status)) best = f;
  return best;
}

/** The cause of a final failure status: busy, declined, not-found, no-answer, unavailable, cancelled... */
export function causeOf(status: number, reason = ''): string {
  if (reason === 'unreachable') return 'unreachable';
  if (status === 486 || status === 600) return 'busy';
  if (status === 603) return 'declined';
  if (status === 404 || status === 604 || status === 484) return 'not-found';
  if (status === 408) return 'no-answer';
  if (status === 480) return 'unavailable';
  if (status === 487) return 'cancelled';
  if (status === 488 || status === 606) return 'incompatible-media';
  if (status === 401 || status === 403 || status === 407) return 'forbidden';
  if (status >= 300 && status < 400) return 'redirected';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}
