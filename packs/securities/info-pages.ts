/** Securities pack, public information: quotes by code and the SEC-3 voice mailboxes (TTS reading of text files). */
import type { MailboxItem, MailboxSource } from '../core/mailbox.ts';
import { INSTITUTIONS } from '../core/mailbox.ts';
import type { PageDef } from '../core/pack-module.ts';
import type { Speech } from '../core/speech.ts';
import { inputForm, menu, speakThen } from '../core/vxml-kit.ts';
import { securitiesMessages as msg } from './securities-messages.ts';
import type { SecuritiesState } from './securities-state.ts';

type Page = PageDef<SecuritiesState>;

/** Quote pages under a parent menu (`prefix` keeps the two copies apart: public and inside the account menu). */
export function quotePages(prefix: string, parent: string, auth: boolean): Record<string, Page> {
  return {
    [prefix]: {
      parent,
      auth,
      render: (ctx) => [inputForm(prefix, [{ name: 'code', type: 'digits?length=6', prompt: msg(ctx.locale).enterQuoteCode }], ctx.link(`${prefix}-show`))],
    },
    [`${prefix}-show`]: {
      // An unknown code is spoken and the caller is asked again; 0 there goes back.
      parent: prefix,
      auth,
      async render(ctx) {
        const code = ctx.params['code'] ?? '';
        ctx.note('quoteCode', code);
        const q = await ctx.backOffice.getQuote(code);
        return [speakThen(`${prefix}-show`, msg(ctx.locale).quote(q), ctx.link(prefix))];
      },
    },
  };
}

export function mailboxPages(mailbox: MailboxSource): Record<string, Page> {
  /** Read one item (or say there is none), then back to the mailbox menu. */
  const readOut = (id: string, item: (p: Readonly<Record<string, string>>) => MailboxItem | undefined, title: (m: ReturnType<typeof msg>, item: MailboxItem) => string, none: (m: ReturnType<typeof msg>, item: MailboxItem) => Speech, validateCode: boolean): Page => ({
    parent: 'mailbox',
    async render(ctx) {
      const m = msg(ctx.locale);
      const it = item(ctx.params);
      if (!it) return [speakThen(id, ctx.common.invalidChoice, ctx.link('mailbox'))];
      if (validateCode && 'code' in it) {
        ctx.note('mailboxCode', it.code);
        await ctx.backOffice.getQuote(it.code); // an unknown code is a typed error, not "no information"
      }
      const text = await mailbox.read(ctx.locale, it);
      return [speakThen(id, text === undefined ? none(m, it) : m.mailboxText(title(m, it), text), ctx.link('mailbox'))];
    },
  });
  const codeForm = (id: string, next: string): Page => ({
    parent: 'mailbox',
    render: (ctx) => [inputForm(id, [{ name: 'code', type: 'digits?length=6', prompt: msg(ctx.locale).enterCode }], ctx.link(next))],
  });
  return {
    mailbox: {
      render(ctx) {
        const l = (p: string) => ctx.link(p);
        return [
          menu('mailbox', msg(ctx.locale).mailboxMenu, [
            { dtmf: '1', next: l('mailbox-notes') },
            { dtmf: '2', next: l('mailbox-analysis') },
            { dtmf: '3', next: l('mailbox-recommendations') },
            { dtmf: '4', next: l('mailbox-comments') },
            { dtmf: '5', next: l('mailbox-announcements') },
          ]),
        ];
      },
    },
    'mailbox-notes': codeForm('mailbox-notes', 'mailbox-notes-show'),
    'mailbox-notes-show': readOut('mailbox-notes-show', (p) => ({ box: 'special-notes', code: p['code'] ?? '' }), (m) => m.boxTitle('special-notes'), (m) => m.noLatestInformation, true),
    'mailbox-comments': codeForm('mailbox-comments', 'mailbox-comments-show'),
    'mailbox-comments-show': readOut('mailbox-comments-show', (p) => ({ box: 'comments', code: p['code'] ?? '' }), (m) => m.boxTitle('comments'), (m) => m.noComment, true),
    'mailbox-analysis': {
      parent: 'mailbox',
      render: (ctx) => [menu('mailbox-analysis', msg(ctx.locale).institutionMenu, INSTITUTIONS.map((i, n) => ({ dtmf: String(n + 1), next: ctx.link('mailbox-analysis-show', { i }) })))],
    },
    'mailbox-analysis-show': readOut(
      'mailbox-analysis-show',
      (p) => {
        const i = INSTITUTIONS.find((x) => x === p['i']);
        return i ? { box: 'analysis', institution: i } : undefined;
      },
      (m, it) => (it.box === 'analysis' ? m.institution(it.institution) : ''),
      (m, it) => (it.box === 'analysis' ? m.noAnalysis(it.institution) : m.noLatestInformation),
      false,
    ),
    'mailbox-recommendations': readOut('mailbox-recommendations', () => ({ box: 'recommendations' }), (m) => m.boxTitle('recommendations'), (m) => m.noRecommendations, false),
    'mailbox-announcements': readOut('mailbox-announcements', () => ({ box: 'announcements' }), (m) => m.boxTitle('announcements'), (m) => m.noAnnouncements, false),
  };
}
