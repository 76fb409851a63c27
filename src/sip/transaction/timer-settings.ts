/**
 * Transaction timer values (RFC 3261 section 17 and table 4). Every timer is
 * derived from T1, T2 and T4; Timer D has its own floor of 32 s for
 * unreliable transports. Partial settings in, validated once.
 */
export interface TimerSettings {
  /** RTT estimate (default 500 ms). */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (default 4 s). */
  t2: number;
  /** Maximum time a message stays in the network (default 5 s). */
  t4: number;
  /** Timer D on unreliable transports: at least 32 s (17.1.1.2). */
  timerD: number;
  /** The INVITE server transaction sends 100 Trying after this long unless the TU answered (17.2.1). */
  trying100: number;
}

export const DEFAULT_TIMER_SETTINGS: Readonly<TimerSettings> = Object.freeze({
  t1: 500,
  t2: 4000,
  t4: 5000,
  timerD: 32_000,
  trying100: 200,
});

export class TimerSettingsError extends Error {
  override readonly name = 'TimerSettingsError';
  constructor(readonly setting: keyof TimerSettings, message: string) {
    super(message);
  }
}

/** Fill defaults and check the values once: positive integers, T1 <= T2. */
export function resolveTimerSettings(partial: Partial<TimerSettings> = {}): TimerSettings {
  const s: TimerSettings = { ...DEFAULT_TIMER_SETTINGS, ...partial };
  for (const key of Object.keys(DEFAULT_TIMER_SETTINGS) as Array<keyof TimerSettings>) {
    const v = s[key];
    if (!Number.isFinite(v) || v < 0) throw new TimerSettingsError(key, `timer ${key} must be a non-negative number of ms, got ${String(v)}`);
  }
  if (s.t1 <= 0) throw new TimerSettingsError('t1', 'T1 must be positive');
  if (s.t2 < s.t1) throw new TimerSettingsError('t2', 'T2 must not be below T1');
  return s;
}

/** 64*T1: Timers B, F, H, J, L and M. */
export function transactionTimeout(s: TimerSettings): number {
  return 64 * s.t1;
}
