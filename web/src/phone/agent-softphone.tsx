/**
 * The agent desktop's browser phone (TEL-2, CTI-1): turned on with its
 * switch (remembered in this browser), it registers the signed-in agent's
 * extension over SIP WebSocket with the digest HA1 from
 * GET /api/v1/webphone/credentials (the agent types no SIP password), and
 * answers the calls the switch sends it at once, as an auto-answer desk
 * phone does. Shows registration, call state, talk time and a hang-up.
 */
import { Alert, Button, Card, Space, Switch, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/catalogs.ts';
import { useSession } from '../session/session-context.tsx';
import { callBlocker, formatTimer, reasonKey, isLive, talkSeconds, wsUrlFor } from './phone-state.ts';
import { useSoftphone, type UseSoftphoneOptions } from './use-softphone.ts';

interface Credentials {
  username: string;
  realm: string;
  ha1: string;
  wsPort: number;
  wssPort?: number;
  wsUrl?: string;
  sipDomain: string;
}

const STORAGE_KEY = 'hotline.browserPhone';

export function AgentSoftphone() {
  const { t } = useI18n();
  const { api } = useSession();
  const [on, setOn] = useState(() => window.localStorage.getItem(STORAGE_KEY) === 'on');
  const [creds, setCreds] = useState<Credentials>();
  const [error, setError] = useState<string>();
  const blocker = callBlocker({
    isSecureContext: window.isSecureContext,
    hasGetUserMedia: typeof navigator.mediaDevices?.getUserMedia === 'function',
    hasPeerConnection: typeof RTCPeerConnection !== 'undefined',
  });

  useEffect(() => {
    window.localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    if (!on || creds) return;
    api
      .get<Credentials>('/api/v1/webphone/credentials')
      .then(setCreds)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [on, creds, api]);

  const options = useMemo((): UseSoftphoneOptions | undefined => {
    if (!on || !creds || blocker) return undefined;
    return {
      wsUrl: creds.wsUrl ?? wsUrlFor(window.location, creds.wsPort, creds.wssPort),
      uri: `sip:${creds.username}@${creds.sipDomain}`,
      authorizationUsername: creds.username,
      authorizationHa1: creds.ha1,
      register: true,
      onIncoming: (_from, answer) => answer(),
    };
  }, [on, creds, blocker]);
  const { state, now, audioRef, hangup, registered } = useSoftphone(options);
  const live = isLive(state);
  const reasonText = (r: string | undefined) => {
    const key = reasonKey(r);
    return key ? t(key as MessageKey) : (r ?? '');
  };
  const status: MessageKey = !on ? 'softphone.off' : registered === 'yes' ? 'softphone.registered' : registered === 'failed' ? 'softphone.failed' : 'softphone.registering';

  return (
    <Card
      size="small"
      title={t('softphone.title')}
      extra={<Switch data-testid="softphone-switch" checked={on} onChange={setOn} aria-label={t('softphone.title')} />}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {on && blocker && <Alert type="warning" showIcon title={t(blocker === 'insecure' ? 'caller.insecure' : 'caller.noWebrtc')} />}
        {error && <Alert type="error" showIcon title={t('softphone.noAccount', { message: error })} />}
        <Space>
          <Tag color={registered === 'yes' && on ? 'green' : registered === 'failed' ? 'red' : undefined} data-testid="softphone-status" data-registered={on ? registered : 'off'}>
            {t(status)}
          </Tag>
          {on && (
            <Tag color={live ? 'blue' : undefined} data-testid="softphone-phase" data-phase={state.phase}>
              {t(`caller.phase.${state.phase}` as MessageKey, { number: state.number ?? '', reason: reasonText(state.failure) })}
            </Tag>
          )}
          {live && <Typography.Text strong>{formatTimer(talkSeconds(state, now))}</Typography.Text>}
        </Space>
        {live && (
          <Button danger data-testid="softphone-hangup" onClick={hangup}>
            {t('caller.hangup')}
          </Button>
        )}
        <audio ref={audioRef} autoPlay data-testid="softphone-audio" />
      </Space>
    </Card>
  );
}
