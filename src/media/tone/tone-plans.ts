/**
 * Call-progress tones per country. A plan is a list of frequencies played
 * together and a cadence of on/off steps in ms (an empty cadence: continuous).
 * CN follows YD/T 1124 / GF 002-9002 (450 Hz); US follows the North American
 * precise tone plan (ATIS-0300011).
 */
export type ProgressTone = 'dial' | 'ringback' | 'busy' | 'congestion';

export interface TonePlan {
  frequencies: number[];
  /** Alternating on, off durations in ms, repeated; [] is continuous. */
  cadence: number[];
}

export type CountryTones = Record<ProgressTone, TonePlan>;

export const COUNTRY_TONES: Record<string, CountryTones> = {
  CN: {
    dial: { frequencies: [450], cadence: [] },
    ringback: { frequencies: [450], cadence: [1000, 4000] },
    busy: { frequencies: [450], cadence: [350, 350] },
    congestion: { frequencies: [450], cadence: [700, 700] },
  },
  US: {
    dial: { frequencies: [350, 440], cadence: [] },
    ringback: { frequencies: [440, 480], cadence: [2000, 4000] },
    busy: { frequencies: [480, 620], cadence: [500, 500] },
    congestion: { frequencies: [480, 620], cadence: [250, 250] },
  },
};

/** DTMF pairs (ITU-T Q.23): low group (row) and high group (column). */
export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLS = [1209, 1336, 1477, 1633] as const;
export const DTMF_KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

export function dtmfFrequencies(digit: string): [number, number] {
  const d = digit.toUpperCase();
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYPAD[r]!.indexOf(d);
    if (c >= 0 && d.length === 1) return [DTMF_ROWS[r]!, DTMF_COLS[c]!];
  }
  throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
}
