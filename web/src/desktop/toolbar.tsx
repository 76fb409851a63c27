/**
 * The agent toolbar: one button per registry action (actions.ts), grouped,
 * each with its shortcut; a button and its Alt-key shortcut are enabled by
 * the same pure rule, and only while the switch is connected. Actions that
 * need input take it from the reason list or the number/agent field.
 */
import { Button, Card, Input, Select, Space, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { ACTION_GROUPS, ACTIONS, actionForKey, actionById, type ActionId, type DeskAction } from './actions.ts';
import { NOT_READY_REASONS, type AgentState, type DeskCallState, type NotReadyReason, type SwitchLink } from './desk-state.ts';

export interface ActionRequest {
  id: ActionId;
  reason?: NotReadyReason;
  /** A phone number, or an agent / queue for consult and blind transfer. */
  target?: string;
}

export interface ToolbarProps {
  link: SwitchLink;
  /** Undefined while the agent's state is not known (no switch). */
  agent: AgentState | undefined;
  call: DeskCallState;
  perform?(req: ActionRequest): void;
}

export function isActionEnabled(a: DeskAction, p: Pick<ToolbarProps, 'link' | 'agent' | 'call' | 'perform'>): boolean {
  return p.link === 'connected' && p.agent !== undefined && p.perform !== undefined && a.enabled(p.agent, p.call);
}

export function Toolbar(props: ToolbarProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState<NotReadyReason>('break');
  const [target, setTarget] = useState('');
  const live = props.link === 'connected';

  const run = (a: DeskAction) => {
    if (!isActionEnabled(a, props)) return;
    const req: ActionRequest = { id: a.id };
    if (a.input === 'reason') req.reason = reason;
    if (a.input === 'number' || a.input === 'target') req.target = target.trim();
    props.perform?.(req);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const id = actionForKey(e);
      if (!id) return;
      const a = actionById(id);
      if (!isActionEnabled(a, props)) return;
      e.preventDefault();
      run(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const button = (a: DeskAction) => (
    <Tooltip key={a.id} title={a.shortcut.label}>
      <Button data-testid={`action-${a.id}`} data-enabled={isActionEnabled(a, props)} disabled={!isActionEnabled(a, props)} onClick={() => run(a)}>
        {t(a.labelKey)}
      </Button>
    </Tooltip>
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="agent-toolbar">
      <Space>
        <Typography.Text>{t('desk.target')}</Typography.Text>
        <Input aria-label={t('desk.target')} disabled={!live} value={target} onChange={(e) => setTarget(e.target.value)} style={{ width: 220 }} placeholder="8002 / 95000" />
      </Space>
      {ACTION_GROUPS.map((g) => (
        <Card key={g} size="small" title={t(`desk.group.${g}`)}>
          <Space wrap>
            {ACTIONS.filter((a) => a.group === g).map(button)}
            {g === 'agent' && (
              <Select<NotReadyReason>
                aria-label={t('desk.reason')}
                disabled={!live}
                value={reason}
                onChange={setReason}
                style={{ width: 160 }}
                options={NOT_READY_REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
              />
            )}
          </Space>
        </Card>
      ))}
    </Space>
  );
}
