'use client';
// A GraphQL subscription over SSE (the API's graphql-sse "distinct connections" mode, through the /graphql
// proxy): a typed subscription document (graphql() through codegen) and its variables; calls `onEvent` with each
// event's data. Reconnects are EventSource's own. Null variables: not subscribed (yet).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useEffect, useMemo, useRef } from 'react';
import { stringifyDocument } from 'urql';

export function useEvents<T, V extends Record<string, unknown>>(
  subscription: TypedDocumentNode<T, V>,
  variables: V | null,
  onEvent: (data: T) => void,
) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const query = useMemo(() => stringifyDocument(subscription), [subscription]);
  const vars = variables === null ? null : JSON.stringify(variables);
  useEffect(() => {
    if (vars === null) return;
    const url = `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(vars)}`;
    const events = new EventSource(url);
    events.addEventListener('next', (e) => {
      const data = (JSON.parse((e as MessageEvent).data) as { data?: T }).data;
      if (data) handler.current(data);
    });
    return () => events.close();
  }, [query, vars]);
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
