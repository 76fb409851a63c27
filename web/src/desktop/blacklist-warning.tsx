/**
 * ACD-7 flag mode: the caller is on the blacklist; the agent sees it before
 * answering and can hang up with one click once the call is theirs.
 */
import { Alert, Button } from 'antd';
import { useI18n } from '../i18n/i18n-context.tsx';
import { actionById } from './actions.ts';
import type { AgentState, DeskCallState } from './desk-state.ts';

export function BlacklistWarning(p: { agent: AgentState | undefined; call: DeskCallState; number?: string; busy: boolean; onHangUp(): void }) {
  const { t } = useI18n();
  const canHangUp = !p.busy && p.agent !== undefined && actionById('hang-up').enabled(p.agent, p.call);
  return (
    <Alert
      type="error"
      showIcon
      data-testid="blacklist-warning"
      title={t('desk.blacklist.title', { number: p.number ?? '' })}
      description={t('desk.blacklist.detail')}
      action={
        <Button danger type="primary" data-testid="blacklist-hangup" disabled={!canHangUp} onClick={p.onHangUp}>
          {t('desk.blacklist.hangUp')}
        </Button>
      }
    />
  );
}
