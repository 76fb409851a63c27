/** Counters the stack keeps; shown through SipStack.toJSON(). */
export class StackMetrics {
  messagesIn = 0;
  messagesOut = 0;
  requestsIn = 0;
  responsesIn = 0;
  parseErrors = 0;
  rejectedRequests = 0;
  strayResponses = 0;
  handlerErrors = 0;
  sendErrors = 0;

  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this)) if (typeof v === 'number') out[k] = v;
    return out;
  }
}
