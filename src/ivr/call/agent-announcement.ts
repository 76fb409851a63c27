import type { PromptSegment } from '../channel/voice-channel.ts';
import type { PromptLocale } from '../prompt/say-as.ts';

/**
 * IVR-5: what the caller hears when an agent answers: the agent's number
 * read digit by digit ("工号 8001 为您服务" / "Agent 8001 is now serving you").
 */
export function agentAnnouncement(agentNumber: string, locale: PromptLocale): PromptSegment[] {
  const id: PromptSegment = { kind: 'say-as', interpretAs: 'digits', text: agentNumber, lang: locale };
  return locale === 'zh-CN'
    ? [{ kind: 'text', text: '工号', lang: locale }, id, { kind: 'text', text: '为您服务', lang: locale }]
    : [{ kind: 'text', text: 'Agent', lang: locale }, id, { kind: 'text', text: 'is now serving you', lang: locale }];
}
