/**
 * The agent toolbar: one button per registry action (actions.ts), grouped,
 * each with its shortcut. A button and its Alt-key shortcut are enabled by
 * the same rule: the server can take the action now (`available`, false
 * while the ACD or the call API is not reachable) and the pure registry
 * rule allows it in this (agent state, call state). Actions that need input
 * take it from the reason list or the number/agent field. An agent without
 * may-dial-out (ADM-1) sees it said next to the field, and the number
 * actions stay disabled while the field holds an outside number.
 */
import { Button, Card, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { ACTION_GROUPS, ACTIONS, actionForKey, actionById, type ActionId, type DeskAction } from './actions.ts';
import type { ActionRequest } from './desk-commands.ts';
import { NOT_READY_REASONS, type AgentState, type DeskCallState, type NotReadyReason } from './desk-state.ts';

export interface ToolbarProps {
  /** Undefined while the agent's state is not known. */
  agent: AgentState | undefined;
  call: DeskCallState;
  /** Whether the server can take this action at all right now. */
  available(id: ActionId): boolean;
  perform(req: ActionRequest): void;
  /** An action request is in flight: everything waits for it. */
  busy: boolean;
  /** ADM-1: false when the agent may not call outside numbers (the number actions then take inside targets only). */
  mayDialOut?: boolean;
  /** Whether this target may be asked for (outside numbers need may-dial-out); all when absent. */
  targetAllowed?(target: string): boolean;
  /** A target picked elsewhere (the directory of agents): fills the number field each time `seq` changes. */
  picked?: { value: string; seq: number };
}

export function isActionEnabled(a: DeskAction, p: Pick<ToolbarProps, 'agent' | 'call' | 'available' | 'busy' | 'targetAllowed'>, target = ''): boolean {
  const needsTarget = a.input === 'number' || a.input === 'target';
  if (needsTarget && p.targetAllowed && !p.targetAllowed(target)) return false;
  return !p.busy && p.agent !== undefined && p.available(a.id) && a.enabled(p.agent, p.call);
}

export function Toolbar(props: ToolbarProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState<NotReadyReason>('break');
  const [target, setTarget] = useState('');
  useEffect(() => {
    if (props.picked) setTarget(props.picked.value);
  }, [props.picked]);
  const latest = useRef({ props, reason, target });
  latest.current = { props, reason, target };

  const run = (a: DeskAction) => {
    const { props: p, reason: r, target: tg } = latest.current;
    if (!isActionEnabled(a, p, tg)) return;
    const req: ActionRequest = { id: a.id };
    if (a.input === 'reason') req.reason = r;
    if (a.input === 'number' || a.input === 'target') req.target = tg.trim();
    p.perform(req);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const id = actionForKey(e);
      if (!id) return;
      e.preventDefault();
      run(actionById(id));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const button = (a: DeskAction) => {
    const enabled = isActionEnabled(a, props, target);
    return (
      <Tooltip key={a.id} title={a.shortcut.label}>
        <Button data-testid={`action-${a.id}`} data-enabled={enabled} disabled={!enabled} onClick={() => run(a)}>
          {t(a.labelKey)}
        </Button>
      </Tooltip>
    );
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="agent-toolbar">
      <Space>
        <Typography.Text>{t('desk.target')}</Typography.Text>
        <Input aria-label={t('desk.target')} data-testid="desk-target" value={target} onChange={(e) => setTarget(e.target.value)} style={{ width: 220 }} placeholder="8002 / 95000" />
        {props.mayDialOut === false && (
          <Tag color={props.targetAllowed && !props.targetAllowed(target) ? 'red' : 'default'} data-testid="dial-out-not-allowed">
            {t('desk.dialOutNotAllowed')}
          </Tag>
        )}
      </Space>
      {ACTION_GROUPS.map((g) => (
        <Card key={g} size="small" title={t(`desk.group.${g}`)}>
          <Space wrap>
            {ACTIONS.filter((a) => a.group === g).map(button)}
            {g === 'agent' && (
              <Select<NotReadyReason>
                aria-label={t('desk.reason')}
                data-testid="desk-reason"
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
