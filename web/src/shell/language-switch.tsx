import { Segmented } from 'antd';
import { LOCALES, type Locale } from '../i18n/catalogs.ts';
import { useI18n } from '../i18n/i18n-context.tsx';

/** 中文 | English, always visible in the header and on the sign-in page. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <Segmented<Locale>
      aria-label={t('lang.label')}
      data-testid="language-switch"
      size="small"
      value={locale}
      onChange={setLocale}
      options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}
