/**
 * The public web caller (MSG-4, TEL-2) at /call: no sign-in. It lists the
 * service numbers from GET /api/v1/webphone/config, calls one from the
 * browser (SIP.js over WebSocket, WebRTC audio), and offers a keypad
 * (RFC 4733 DTMF), hang-up, the call's state and its timer.
 */
import { Alert, Button, Card, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiClient } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { callBlocker, canSendDigits, reasonKey, formatTimer, isLive, talkSeconds, targetUri, wsUrlFor, type WebphoneConfig } from '../../phone/phone-state.ts';
import { useSoftphone } from '../../phone/use-softphone.ts';
import { LanguageSwitch } from '../../shell/language-switch.tsx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const PHASE_COLOR: Record<string, string> = { 'in-call': 'green', ringing: 'gold', calling: 'blue', connecting: 'blue', failed: 'red' };

export function CallerPage() {
  const { t } = useI18n();
  const [config, setConfig] = useState<WebphoneConfig>();
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    new ApiClient()
      .get<WebphoneConfig>('/api/v1/webphone/config')
      .then(setConfig)
      .catch((err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)));
  }, []);

  const blocker = callBlocker({
    isSecureContext: window.isSecureContext,
    hasGetUserMedia: typeof navigator.mediaDevices?.getUserMedia === 'function',
    hasPeerConnection: typeof RTCPeerConnection !== 'undefined',
  });
  const phoneOptions = useMemo(
    () => (config && !blocker ? { wsUrl: config.wsUrl ?? wsUrlFor(window.location, config.wsPort, config.wssPort), uri: 'sip:anonymous@anonymous.invalid', displayName: 'Web caller' } : undefined),
    [config, blocker],
  );
  const { state, now, audioRef, call, hangup, sendDigit } = useSoftphone(phoneOptions);
  const live = isLive(state);

  const reasonText = (r: string | undefined) => {
    const key = reasonKey(r);
    return key ? t(key as MessageKey) : (r ?? '');
  };
  const phaseText = t(`caller.phase.${state.phase}` as MessageKey, { number: state.number ?? '', reason: reasonText(state.failure) });

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 440 }} title={t('caller.title')} extra={<LanguageSwitch />}>
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('caller.intro')}
          </Typography.Paragraph>
          {blocker === 'insecure' && <Alert type="warning" showIcon title={t('caller.insecure')} data-testid="caller-blocked" />}
          {blocker === 'no-webrtc' && <Alert type="warning" showIcon title={t('caller.noWebrtc')} data-testid="caller-blocked" />}
          {loadError && <Alert type="error" showIcon title={t('caller.loadFailed', { message: loadError })} />}
          {!config && !loadError && <Spin />}
          {config?.entryPoints.map((ep) => (
            <div key={ep.number} style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0', paddingBottom: 8 }}>
              <div>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {ep.number}
                </Typography.Text>
                <br />
                <Typography.Text type="secondary">{t(ep.kind === 'queue' ? 'caller.kind.queue' : 'caller.kind.ivr')}</Typography.Text>
              </div>
              <Button type="primary" data-testid={`call-${ep.number}`} disabled={live || blocker !== undefined} onClick={() => call(ep.number, targetUri(ep.number, config.sipDomain))}>
                {t('caller.call')}
              </Button>
            </div>
          ))}
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Tag color={PHASE_COLOR[state.phase]} data-testid="call-phase" data-phase={state.phase}>
              {phaseText}
            </Tag>
            <Typography.Text strong data-testid="call-timer">
              {formatTimer(talkSeconds(state, now))}
            </Typography.Text>
          </Space>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 8 }} aria-label={t('caller.keypad')}>
            {KEYS.map((k) => (
              <Button key={k} size="large" data-testid={`key-${k}`} disabled={!canSendDigits(state)} onClick={() => sendDigit(k)}>
                {k}
              </Button>
            ))}
          </div>
          <Button danger type="primary" block size="large" data-testid="hangup" disabled={!live || state.phase === 'ending'} onClick={hangup}>
            {t('caller.hangup')}
          </Button>
          {state.digits && (
            <Typography.Text type="secondary" data-testid="sent-digits">
              {t('caller.sent', { digits: state.digits })}
            </Typography.Text>
          )}
          <audio ref={audioRef} autoPlay data-testid="remote-audio" />
          <Typography.Link href="/">{t('caller.staff')}</Typography.Link>
        </Space>
      </Card>
    </div>
  );
}
