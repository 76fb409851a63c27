/**
 * What the ACD asks of the caller's leg while the call waits (ACD-5, ACD-6,
 * ACD-7). The runtime implements it over the media engine (music and TTS
 * prompts on the customer's media leg) and the call model (voicemail,
 * transfer, IVR, hang-up). Calls are fire-and-forget: the ACD never waits on
 * media; a failure is the implementation's to log.
 */
export type PromptKind = 'position' | 'callback-offer' | 'callback-accepted' | 'night-service' | 'blacklist';

/** A prompt to speak to the caller with TTS, in the center's language. */
export interface Prompt {
  readonly kind: PromptKind;
  readonly text: string;
  readonly lang: 'zh-CN' | 'en-US';
}

export interface TreatmentPort {
  /** Loop music on the caller's leg until something else is played or the call leaves the queue. */
  playMusic(interactionId: string, resource: string): void;
  /** Speak a prompt to the caller, then go back to the music. */
  announce(interactionId: string, prompt: Prompt): void;
  /** Send the caller to voicemail. */
  voicemail(interactionId: string, mailbox?: string): void;
  /** Hand the call to another number (a DTMF exit). */
  transfer(interactionId: string, target: string): void;
  /** Send the call to a VoiceXML application (night service, post-routing). */
  toIvr(interactionId: string, application: string): void;
  /** Speak an optional prompt, then end the call with the given reason. */
  hangUp(interactionId: string, reason: string, prompt?: Prompt): void;
}

type Lang = Prompt['lang'];

function duration(sec: number, lang: Lang): string {
  const min = Math.round(sec / 60);
  if (lang === 'zh-CN') return sec < 60 ? `${sec}秒` : `${min}分钟`;
  if (sec < 60) return `${sec} second${sec === 1 ? '' : 's'}`;
  return `${min} minute${min === 1 ? '' : 's'}`;
}

/** The position / estimated-wait announcement (ACD-5) as TTS text. */
export function positionPrompt(lang: Lang, position?: number, estimatedWaitSec?: number): Prompt {
  const parts: string[] = [];
  if (lang === 'zh-CN') {
    parts.push('您好，坐席正忙，请稍候。');
    if (position !== undefined) parts.push(`您前面还有${position - 1}位客户。`);
    if (estimatedWaitSec !== undefined) parts.push(`预计等待时间约${duration(estimatedWaitSec, lang)}。`);
  } else {
    parts.push('All our agents are busy. Please hold.');
    if (position !== undefined) parts.push(`You are caller number ${position} in line.`);
    if (estimatedWaitSec !== undefined) parts.push(`Your estimated wait is about ${duration(estimatedWaitSec, lang)}.`);
  }
  return { kind: 'position', text: parts.join(lang === 'zh-CN' ? '' : ' '), lang };
}

const FIXED: Record<Exclude<PromptKind, 'position' | 'night-service'>, Record<Lang, string>> = {
  'callback-offer': {
    'zh-CN': '您已等待较长时间。如需我们稍后回电，请按1，您的排队位置将为您保留。',
    'en-US': 'Sorry to keep you waiting. Press 1 and we will call you back, keeping your place in line.',
  },
  'callback-accepted': {
    'zh-CN': '已为您登记回电，我们将尽快与您联系，再见。',
    'en-US': 'Your callback is booked. We will call you back as soon as an agent is free. Goodbye.',
  },
  blacklist: {
    'zh-CN': '对不起，您的来电无法接通。',
    'en-US': 'Sorry, your call cannot be connected.',
  },
};

export function fixedPrompt(kind: keyof typeof FIXED, lang: Lang): Prompt {
  return { kind, text: FIXED[kind][lang], lang };
}
