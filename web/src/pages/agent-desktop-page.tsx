/**
 * The agent desktop (CTI-1..CTI-4, CTI-7, ACD-3, ACD-7): agent state and
 * call state shown prominently, waiting calls in large type, the service
 * time countdown, the blacklist warning with one-click hang-up, and the
 * toolbar from the action registry, live over the event stream with the
 * ACD and call APIs as the fallback (desktop/use-desk.ts). When a part of
 * the server does not answer, the page says which and why, shows the state
 * as unknown and keeps the actions that need it disabled.
 */
import { Alert, Card, Col, Descriptions, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ACTIONS } from '../desktop/actions.ts';
import { AGENT_STATE_COLOR, reasonKey } from '../desktop/desk-state.ts';
import { screenPopOf, type ScreenPop } from '../desktop/screen-pop.ts';
import { ScreenPopPanel } from '../desktop/screen-pop-panel.tsx';
import { CustomerPanel, ServiceReminders } from '../desktop/customer-panel.tsx';
import { useCustomerPop } from '../desktop/use-customer-pop.ts';
import { WrapupForm } from '../desktop/wrap-up-form.tsx';
import { Toolbar } from '../desktop/toolbar.tsx';
import { BlacklistWarning } from '../desktop/blacklist-warning.tsx';
import { ServiceCountdown } from '../desktop/service-countdown.tsx';
import { useDesk } from '../desktop/use-desk.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { AgentSoftphone } from '../phone/agent-softphone.tsx';
import { NoticesPanel } from '../desktop/notices-panel.tsx';
import { AgentDirectory } from '../desktop/agent-directory.tsx';

const BIG = { fontSize: 20, padding: '6px 12px' };

export function AgentDesktopPage() {
  const { t, formatTime } = useI18n();
  const { user } = useSession();
  const desk = useDesk(user?.username ?? '');
  const [picked, setPicked] = useState<{ value: string; seq: number }>();
  const { agent, call } = desk;
  const reasonLabel = (r: string) => {
    const key = reasonKey(r);
    return key ? t(key) : r;
  };
  const connected = !desk.acdProblem && !desk.callProblem && agent !== undefined;
  const agentId = agent?.id ?? user?.username ?? '';
  const livePop = call.interaction ? screenPopOf(call.interaction, agentId, desk.queues, Date.now()) : undefined;
  // The last call's pop stays through wrap-up (CTI-6), until the agent is ready, paused or out.
  const [lastPop, setLastPop] = useState<ScreenPop>();
  useEffect(() => {
    if (livePop) setLastPop(livePop);
    // Not cleared while still talking: the call's end and the move to wrap-up are two events that may come in either order.
    else if (agent && agent.state !== 'wrap-up' && agent.state !== 'talking') setLastPop(undefined);
  }, [livePop?.interactionId, JSON.stringify(livePop?.rows), agent?.state]);
  const pop = livePop ?? (agent?.state === 'wrap-up' ? lastPop : undefined);
  const crm = useCustomerPop(pop?.interactionId, JSON.stringify(livePop?.rows ?? []), desk.link !== 'live');
  // CRM-3: the wrap-up form stays after wrap-up ends, until the note is filed or the next call pops.
  const [noteFor, setNoteFor] = useState<string>();
  useEffect(() => {
    if (pop) setNoteFor(pop.interactionId);
  }, [pop?.interactionId]);
  const formFor = pop?.interactionId ?? noteFor;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('desk.title')}
        </Typography.Title>
        <Tag color={desk.link === 'live' ? 'green' : undefined} data-testid="desk-live" data-link={desk.link}>
          {t(desk.link === 'live' ? 'desk.live' : 'desk.polling')}
        </Tag>
      </Space>
      {(desk.acdProblem || desk.callProblem) && (
        <Alert
          type="warning"
          showIcon
          data-testid="switch-status"
          title={t('desk.switchNotConnected')}
          description={
            <>
              {desk.acdProblem && <div>{t('desk.acdUnavailable', { message: desk.acdProblem })}</div>}
              {desk.callProblem && <div>{t('desk.callsUnavailable', { message: desk.callProblem })}</div>}
              <div>{t('desk.switchNotConnectedDetail')}</div>
            </>
          }
        />
      )}
      {connected && <Alert type="success" showIcon data-testid="switch-status" title={t('desk.connected')} />}
      <NoticesPanel agentId={agent?.id ?? user?.username ?? ''} />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card>
            <Typography.Text type="secondary">{t('desk.agentState')}</Typography.Text>
            <div style={{ marginTop: 8 }}>
              <Tag style={BIG} color={agent ? AGENT_STATE_COLOR[agent.state] : 'default'} data-testid="agent-state" data-state={agent?.state ?? 'unknown'}>
                {agent ? t(`desk.state.${agent.state}`) : t('desk.unknown')}
              </Tag>
            </div>
            {agent && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {[agent.reason && reasonLabel(agent.reason), t('desk.since', { time: formatTime(agent.since) })].filter(Boolean).join(' · ')}
                {agent.pendingNotReady && <div>{t('desk.pendingNotReady', { reason: reasonLabel(agent.pendingNotReady) })}</div>}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Typography.Text type="secondary">{t('desk.callState')}</Typography.Text>
            <div style={{ marginTop: 8 }}>
              <Tag style={BIG} data-testid="call-state" data-state={desk.callProblem ? 'unknown' : call.state}>
                {desk.callProblem ? t('desk.unknown') : t(`desk.call.${call.state}`)}
              </Tag>
            </div>
            {call.interaction && (
              <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }} data-testid="call-customer">
                {t('desk.customer', { number: call.interaction.customer.name ?? call.interaction.customer.number })}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic title={t('desk.waiting')} value={desk.waiting ?? '—'} styles={{ content: { fontSize: 40 } }} />
          </Card>
        </Col>
      </Row>
      {desk.blacklisted && call.interaction && (
        <BlacklistWarning agent={agent?.state} call={call.state} number={call.interaction.customer.number} busy={desk.busy} onHangUp={() => desk.perform({ id: 'hang-up' })} />
      )}
      {desk.serviceTimer && <ServiceCountdown timer={desk.serviceTimer} />}
      <ScreenPopPanel pop={pop} ended={!livePop && pop !== undefined} />
      {pop && <ServiceReminders data={crm.data} />}
      <Toolbar agent={agent?.state} call={call.state} available={desk.available} perform={desk.perform} busy={desk.busy} mayDialOut={desk.mayDialOut} targetAllowed={desk.targetAllowed} {...(picked ? { picked } : {})} />
      {desk.directory.length > 0 && <AgentDirectory agents={desk.directory} onPick={(value) => setPicked((p) => ({ value, seq: (p?.seq ?? 0) + 1 }))} />}
      {pop && <CustomerPanel data={crm.data} categories={crm.categories} {...(crm.problem ? { problem: crm.problem } : {})} />}
      {formFor && <WrapupForm interactionId={formFor} categories={crm.categories} inWrapup={agent?.state === 'wrap-up' && (agent.interactionId ?? formFor) === formFor} onFiled={() => setNoteFor(undefined)} />}
      <AgentSoftphone />
      <Card size="small" title={t('desk.shortcuts')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} items={ACTIONS.map((a) => ({ key: a.id, label: t(a.labelKey), children: <Typography.Text keyboard>{a.shortcut.label}</Typography.Text> }))} />
      </Card>
    </Space>
  );
}
