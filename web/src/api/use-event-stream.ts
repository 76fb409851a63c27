/**
 * The event stream (/api/v1/events) for a page: calls `onEvent` for each
 * event the signed-in user may see and returns the link state, so a page
 * can tell live from polling and keep its own timer as the fallback while
 * the link is not `live`. Reconnects by itself (event-stream-client.ts);
 * one WebSocket per mounted hook, closed on unmount or sign-out.
 */
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../session/session-context.tsx';
import { EventStreamClient, eventStreamUrl, type StreamFrame, type StreamLink } from './event-stream-client.ts';

export function useEventStream(onEvent: (frame: StreamFrame) => void, enabled = true): StreamLink {
  const { api } = useSession();
  const token = api.token;
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);
  const [link, setLink] = useState<StreamLink>('connecting');

  useEffect(() => {
    if (!enabled || !token || typeof WebSocket === 'undefined') {
      setLink('down');
      return undefined;
    }
    setLink('connecting');
    const client = new EventStreamClient({
      url: eventStreamUrl(window.location),
      token,
      onEvent: (f) => handler.current(f),
      onLink: setLink,
    });
    client.start();
    return () => client.stop();
  }, [token, enabled]);

  return link;
}
