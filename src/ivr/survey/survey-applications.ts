/** The built-in post-call satisfaction survey (IVR-8), one VoiceXML document per prompt language. */
import type { PromptLocale } from '../prompt/say-as.ts';

export const SURVEY_APPLICATIONS: Readonly<Record<PromptLocale, string>> = {
  'zh-CN': new URL('./survey-zh.vxml', import.meta.url).href,
  'en-US': new URL('./survey-en.vxml', import.meta.url).href,
};
