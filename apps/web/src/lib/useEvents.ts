'use client';
// A GraphQL subscription over SSE (the API's graphql-sse "distinct connections" mode, through the /graphql
// proxy): calls `onEvent` with each event's data. Reconnects are EventSource's own.
import { useEffect, useRef } from 'react';

export function useEvents<T>(subscription: string | null, onEvent: (data: T) => void) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!subscription) return;
    const events = new EventSource(`/graphql?query=${encodeURIComponent(subscription)}`);
    events.addEventListener('next', (e) => {
      const data = (JSON.parse((e as MessageEvent).data) as { data?: T }).data;
      if (data) handler.current(data);
    });
    return () => events.close();
  }, [subscription]);
}

/** Calls `fn` at most once per `ms`, trailing: a burst of events becomes one refetch. */
export function useThrottle(fn: () => void, ms: number) {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  return () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  };
}
