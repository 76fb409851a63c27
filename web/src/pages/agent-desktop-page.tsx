/**
 * The agent desktop's foundation (CTI-1..CTI-4, ACD-3): agent and call
 * state shown prominently, waiting calls in large type, and the toolbar
 * from the action registry. This server has no call or agent-state API yet,
 * so the link is `not-connected`: states read "unknown" and every action is
 * disabled. No state is invented here.
 */
import { Alert, Card, Col, Descriptions, Row, Space, Statistic, Tag, Typography } from 'antd';
import { ACTIONS } from '../desktop/actions.ts';
import type { SwitchLink } from '../desktop/desk-state.ts';
import { Toolbar } from '../desktop/toolbar.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';

const LINK: SwitchLink = 'not-connected';

export function AgentDesktopPage() {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('desk.title')}
      </Typography.Title>
      {LINK === 'not-connected' && <Alert type="warning" showIcon data-testid="switch-status" title={t('desk.switchNotConnected')} description={t('desk.switchNotConnectedDetail')} />}
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card>
            <Typography.Text type="secondary">{t('desk.agentState')}</Typography.Text>
            <div style={{ fontSize: 28, marginTop: 8 }}>
              <Tag style={{ fontSize: 20, padding: '6px 12px' }} data-testid="agent-state">
                {t('desk.unknown')}
              </Tag>
            </div>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Typography.Text type="secondary">{t('desk.callState')}</Typography.Text>
            <div style={{ fontSize: 28, marginTop: 8 }}>
              <Tag style={{ fontSize: 20, padding: '6px 12px' }}>{t('desk.unknown')}</Tag>
            </div>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic title={t('desk.waiting')} value="—" styles={{ content: { fontSize: 40 } }} />
          </Card>
        </Col>
      </Row>
      <Toolbar link={LINK} agent={undefined} call="idle" />
      <Card size="small" title={t('desk.shortcuts')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} items={ACTIONS.map((a) => ({ key: a.id, label: t(a.labelKey), children: <Typography.Text keyboard>{a.shortcut.label}</Typography.Text> }))} />
      </Card>
    </Space>
  );
}
