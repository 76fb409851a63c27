/**
 * The ACD's TreatmentPort (ACD-5..ACD-7) over the switch runtime: music and
 * spoken prompts (espeak-ng, cached as WAV) on the waiting caller's leg,
 * transfer of a waiting call to an agent extension, the IVR, and hang-up.
 * Calls are fire-and-forget as the port asks; failures are logged. It lives
 * in the composition root because it joins two services of the same layer
 * (the ACD must not import the switch's runtime class, nor the reverse).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Prompt, TreatmentPort } from '../acd/service/index.ts';
import type { TextToSpeech } from '../media/tts/text-to-speech.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { wavBytes, type SwitchSounds } from '../switch/runtime/hold-music.ts';
import type { AgentDirectory } from '../switch/runtime/ports.ts';
import type { SwitchRuntime } from '../switch/runtime/switch-runtime.ts';

export interface SwitchTreatmentOptions {
  runtime: SwitchRuntime;
  tts: TextToSpeech;
  sounds: SwitchSounds;
  agents: AgentDirectory;
  /** Where rendered prompts are kept. */
  promptDir: string;
  clock: Clock;
  logger: Logger;
  ringTimeoutMs: number;
}

export class SwitchTreatment implements TreatmentPort {
  private readonly music = new Map<string, string>();

  constructor(private readonly o: SwitchTreatmentOptions) {
    mkdirSync(o.promptDir, { recursive: true });
    o.runtime.onEvent((e) => {
      if (e.type === 'interaction.ended') this.forget(e.interaction);
    });
  }

  playMusic(interactionId: string, resource: string): void {
    const path = resource === 'default' || !existsSync(resource) ? this.o.sounds.queueMusic : resource;
    this.music.set(interactionId, path);
    this.run(interactionId, 'music', () => this.o.runtime.playToCustomer(interactionId, path, true));
  }

  announce(interactionId: string, prompt: Prompt): void {
    this.run(interactionId, 'announce', async () => {
      const ms = await this.speak(interactionId, prompt);
      this.o.clock.setTimeout(() => {
        const path = this.music.get(interactionId) ?? this.o.sounds.queueMusic;
        this.run(interactionId, 'music after prompt', () => this.o.runtime.playToCustomer(interactionId, path, true));
      }, ms + 200);
    });
  }

  voicemail(interactionId: string, mailbox?: string): void {
    // Not built yet: the caller stays in the queue with music rather than being dropped.
    this.o.logger.warn({ interaction: interactionId, mailbox }, 'treatment: voicemail is not available; the caller keeps waiting');
  }

  transfer(interactionId: string, target: string): void {
    const agentId = this.o.agents.agentOfExtension(target);
    if (agentId === undefined) {
      this.o.logger.warn({ interaction: interactionId, target }, 'treatment: transfer of a waiting call reaches agent extensions only; the caller keeps waiting');
      return;
    }
    this.run(interactionId, 'transfer', () => this.o.runtime.offerToAgent(interactionId, agentId, { autoAnswer: false, ringTimeoutMs: this.o.ringTimeoutMs }));
  }

  toIvr(interactionId: string, application: string): void {
    this.forget(interactionId);
    this.run(interactionId, 'to IVR', () => this.o.runtime.queueToIvr(interactionId, { mode: 'new', script: application }));
  }

  hangUp(interactionId: string, reason: string, prompt?: Prompt): void {
    this.forget(interactionId);
    if (prompt === undefined) {
      this.run(interactionId, 'hang up', () => this.o.runtime.endCall(interactionId, reason));
      return;
    }
    this.run(interactionId, 'goodbye', async () => {
      const ms = await this.speak(interactionId, prompt);
      this.o.clock.setTimeout(() => this.run(interactionId, 'hang up', () => this.o.runtime.endCall(interactionId, reason)), ms + 200);
    });
  }

  /** Plays the prompt once; resolves with its length in ms. */
  private async speak(interactionId: string, prompt: Prompt): Promise<number> {
    const key = createHash('sha256').update(`${prompt.lang}\n${prompt.text}`).digest('hex').slice(0, 24);
    const path = join(this.o.promptDir, `${key}.wav`);
    const pcm = await this.o.tts.render(prompt.text, prompt.lang);
    if (!existsSync(path)) writeFileSync(path, wavBytes(pcm));
    await this.o.runtime.playToCustomer(interactionId, path, false);
    return Math.round((pcm.length / 8000) * 1000);
  }

  private forget(interactionId: string): void {
    this.music.delete(interactionId);
  }

  private run(interactionId: string, what: string, f: () => Promise<unknown>): void {
    f().catch((err: unknown) => this.o.logger.warn({ interaction: interactionId, err: err instanceof Error ? err.message : String(err) }, `treatment: ${what} failed`));
  }
}
