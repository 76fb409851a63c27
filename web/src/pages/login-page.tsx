import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiRequestError } from '../api/client.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { LanguageSwitch } from '../shell/language-switch.tsx';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useI18n();
  const { signIn, ended } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (v: LoginForm) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(v.username.trim(), v.password);
    } catch (err) {
      setError(err instanceof ApiRequestError && err.status === 401 ? t('login.failed') : t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 400 }} title={t('login.title')} extra={<LanguageSwitch />}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {ended && <Alert type="info" showIcon title={t('common.sessionEnded')} />}
          {error && <Alert type="error" showIcon title={error} data-testid="login-error" />}
          <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.required') }]}>
              <Input autoFocus autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
            {t('login.hint')}
          </Typography.Paragraph>
          <Typography.Link href="/call" data-testid="call-us">
            {t('login.callUs')}
          </Typography.Link>
        </Space>
      </Card>
    </div>
  );
}
