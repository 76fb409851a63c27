/**
 * The root: language (ours and antd's), session, then the sign-in page or
 * the signed-in shell.
 */
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { Locale as AntLocale } from 'antd/es/locale';
import type { Locale } from './i18n/catalogs.ts';
import { I18nProvider, useI18n } from './i18n/i18n-context.tsx';
import { CallerPage } from './pages/caller/caller-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { SessionProvider, useSession } from './session/session-context.tsx';
import { useLocationPath } from './shell/router.ts';
import { Shell } from './shell/shell.tsx';

const ANTD_LOCALES: Record<Locale, AntLocale> = { 'zh-CN': zhCN, 'en-US': enUS };

function Screens() {
  const { status, user } = useSession();
  const [path] = useLocationPath();
  if (path === '/call') return <CallerPage />; // public: callers need no account (MSG-4)
  if (status === 'checking') return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
  if (status === 'signed-in' && user) return <Shell user={user} />;
  return <LoginPage />;
}

function Localized() {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]}>
      <AntApp>
        <SessionProvider>
          <Screens />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Localized />
    </I18nProvider>
  );
}
