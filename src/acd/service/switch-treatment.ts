/**
 * TreatmentPort over the switch runtime and a TTS engine (ACD-5, ACD-6,
 * ACD-7): prompts are rendered once to 8 kHz WAV files (named by a hash of
 * language and text) and played to the waiting caller's leg; the queue music
 * comes back when a prompt ends. What the switch cannot do yet is said in
 * the log, never pretended:
 *  - voicemail goes to a VoiceXML recording application when one is
 *    configured, else the call ends with cause `voicemail-unavailable`;
 *  - a DTMF transfer to an outside number is not offered by the switch for a
 *    queued call: the call ends with cause `transfer-unavailable`.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SAMPLE_RATE } from '../../media/stage.ts';
import type { TextToSpeech } from '../../media/tts/text-to-speech.ts';
import { wavHeader } from '../../media/wav/wav-format.ts';
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SwitchControl } from '../../switch/runtime/ports.ts';
import type { Prompt, TreatmentPort } from './treatment-port.ts';

/** What the treatment needs of the runtime (SwitchRuntime has all three). */
export interface CustomerLegControl extends Pick<SwitchControl, 'queueToIvr'> {
  /** Plays a WAV to the caller while queued, replacing what played before. */
  playToCustomer(interactionId: string, path: string, loop: boolean): Promise<void>;
  /** Ends the whole call from the switch's side. */
  endCall(interactionId: string, cause: string): Promise<void>;
}

export interface SwitchTreatmentOptions {
  readonly control: CustomerLegControl;
  readonly tts: TextToSpeech;
  /** Directory for rendered prompts. */
  readonly promptDir: string;
  /** Queue music played again after each announcement (the runtime's queue-music WAV). */
  readonly queueMusic: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** VoiceXML application that records a voicemail; `?mailbox=NAME` is appended when a mailbox is named. */
  readonly voicemailApplication?: string;
}

interface Rendered {
  readonly path: string;
  readonly durationMs: number;
}

export class SwitchTreatment implements TreatmentPort {
  private readonly rendered = new Map<string, Promise<Rendered>>();
  /** Pending "music back" or "hang up after the prompt" timers per call. */
  private readonly after = new Map<string, TimerHandle>();

  constructor(private readonly o: SwitchTreatmentOptions) {}

  playMusic(interactionId: string, resource: string): void {
    // The runtime starts its queue music when the call is queued; only another resource needs playing.
    if (resource === 'default') return;
    this.run(interactionId, 'music', this.o.control.playToCustomer(interactionId, resource, true));
  }

  announce(interactionId: string, prompt: Prompt): void {
    this.speak(interactionId, prompt, () => this.run(interactionId, 'music back', this.o.control.playToCustomer(interactionId, this.o.queueMusic, true)));
  }

  voicemail(interactionId: string, mailbox?: string): void {
    this.cancelAfter(interactionId);
    const app = this.o.voicemailApplication;
    if (app === undefined) {
      this.o.logger.warn({ interaction: interactionId, mailbox }, 'ACD voicemail: no voicemail application configured; the call ends');
      this.run(interactionId, 'end', this.o.control.endCall(interactionId, 'voicemail-unavailable'));
      return;
    }
    const script = mailbox === undefined ? app : `${app}${app.includes('?') ? '&' : '?'}mailbox=${encodeURIComponent(mailbox)}`;
    this.run(interactionId, 'voicemail', this.o.control.queueToIvr(interactionId, { mode: 'new', script }));
  }

  transfer(interactionId: string, target: string): void {
    this.cancelAfter(interactionId);
    this.o.logger.warn({ interaction: interactionId, target }, 'ACD transfer exit: the switch cannot transfer a queued call to a number yet; the call ends');
    this.run(interactionId, 'end', this.o.control.endCall(interactionId, 'transfer-unavailable'));
  }

  toIvr(interactionId: string, application: string): void {
    this.cancelAfter(interactionId);
    this.run(interactionId, 'ivr', this.o.control.queueToIvr(interactionId, { mode: 'new', script: application }));
  }

  hangUp(interactionId: string, reason: string, prompt?: Prompt): void {
    const end = () => this.run(interactionId, 'end', this.o.control.endCall(interactionId, reason));
    if (prompt) this.speak(interactionId, prompt, end, end);
    else {
      this.cancelAfter(interactionId);
      end();
    }
  }

  /** Renders (once) and plays a prompt; `then` runs when it has been heard, `failed` if it could not play. */
  private speak(interactionId: string, prompt: Prompt, then: () => void, failed?: () => void): void {
    this.cancelAfter(interactionId);
    this.render(prompt)
      .then(async (r) => {
        await this.o.control.playToCustomer(interactionId, r.path, false);
        this.after.set(interactionId, this.o.clock.setTimeout(() => {
          this.after.delete(interactionId);
          then();
        }, r.durationMs));
      })
      .catch((err: unknown) => {
        this.o.logger.debug({ interaction: interactionId, prompt: prompt.kind, err: (err as Error).message }, 'ACD prompt not played');
        failed?.();
      });
  }

  private render(prompt: Prompt): Promise<Rendered> {
    const key = createHash('sha256').update(`${prompt.lang}\n${prompt.text}`).digest('hex').slice(0, 32);
    let r = this.rendered.get(key);
    if (!r) {
      r = this.renderFile(prompt, join(this.o.promptDir, `acd-${key}.wav`));
      this.rendered.set(key, r);
      r.catch(() => this.rendered.delete(key));
    }
    return r;
  }

  private async renderFile(prompt: Prompt, path: string): Promise<Rendered> {
    const pcm = await this.o.tts.render(prompt.text, prompt.lang);
    const durationMs = Math.round((pcm.length / SAMPLE_RATE) * 1000);
    if (!existsSync(path)) {
      await mkdir(this.o.promptDir, { recursive: true });
      const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      await writeFile(`${path}.tmp`, Buffer.concat([wavHeader(1, SAMPLE_RATE, data.length), data]));
      await rename(`${path}.tmp`, path);
    }
    return { path, durationMs };
  }

  private cancelAfter(interactionId: string): void {
    this.after.get(interactionId)?.cancel();
    this.after.delete(interactionId);
  }

  /** Runs a switch request; a call that already left the queue is no error worth more than a debug line. */
  private run(interactionId: string, what: string, p: Promise<void>): void {
    p.catch((err: unknown) => this.o.logger.debug({ interaction: interactionId, what, err: (err as Error).message }, 'ACD treatment request not applied'));
  }
}
