/**
 * A pure media stage (werift's processor shape): input in, outputs out, no
 * sockets or clocks of its own, and a plain-object snapshot of its counters.
 */
export interface MediaStage<I, O> {
  processInput(input: I): O;
  toJSON(): Record<string, number | string | boolean>;
}

/** 8 kHz narrowband, the rate every stage works at after decoding. */
export const SAMPLE_RATE = 8000;
/** Samples in one 20 ms frame at 8 kHz. */
export const FRAME_SAMPLES = 160;
