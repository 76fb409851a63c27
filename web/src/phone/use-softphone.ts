/**
 * React glue for Softphone: the call state (phone-state.ts reducer), a
 * clock for the talk timer while a call is up, and the actions. The
 * <audio> element for the far end comes from the component (audioRef).
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { INITIAL, isLive, reduce, type PhoneEvent } from './phone-state.ts';
import { Softphone, type SoftphoneOptions } from './softphone.ts';

export interface UseSoftphoneOptions extends Omit<SoftphoneOptions, 'audio' | 'onEvent'> {
  /** REGISTER on start (a phone that takes calls). */
  register?: boolean;
}

export function useSoftphone(opts: UseSoftphoneOptions | undefined) {
  const [state, dispatch] = useReducer(reduce, INITIAL);
  const [now, setNow] = useState(() => Date.now());
  const audioRef = useRef<HTMLAudioElement>(null);
  const phoneRef = useRef<Softphone | undefined>(undefined);
  const [registered, setRegistered] = useState<'no' | 'yes' | 'failed'>('no');

  const key = opts ? `${opts.wsUrl} ${opts.uri} ${opts.authorizationUsername ?? ''} ${opts.authorizationPassword ?? ''} ${opts.authorizationHa1 ?? ''}` : '';
  useEffect(() => {
    if (!opts || !audioRef.current) return undefined;
    const phone = new Softphone({ ...opts, audio: audioRef.current, onEvent: (e: PhoneEvent) => dispatch(e) });
    phoneRef.current = phone;
    if (opts.register) {
      phone.start(true).then(
        () => setRegistered('yes'),
        () => setRegistered('failed'),
      );
    }
    return () => {
      phoneRef.current = undefined;
      void phone.stop();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one phone per identity
  }, [key]);

  const live = isLive(state);
  useEffect(() => {
    if (!live) return undefined;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [live]);

  const call = useCallback((number: string, uri: string) => {
    const phone = phoneRef.current;
    if (!phone) return;
    dispatch({ type: 'dial', number });
    void phone.call(uri);
  }, []);
  const hangup = useCallback(() => phoneRef.current?.hangup(), []);
  const sendDigit = useCallback((d: string) => phoneRef.current?.sendDigit(d) ?? false, []);
  const reset = useCallback(() => dispatch({ type: 'reset' }), []);

  return { state, now, audioRef, call, hangup, sendDigit, reset, registered, dispatch };
}
