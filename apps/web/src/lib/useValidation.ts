'use client';
// Validates a config as the user types (debounced): the API's `validateConfig` with the trainer's schema (RUN)
// or the sweep format (SWEEP), returning every issue by path. Nothing is stored.
import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { parse } from 'yaml';
import { graphql } from '@/gql';
import type { ConfigIssue } from './ConfigEditor';

const Validate = graphql(`
  query ValidateConfig($kind: ConfigKind!, $config: JSON!, $base: JSON) {
    validateConfig(kind: $kind, config: $config, baseConfig: $base) {
      path
      message
      severity
    }
  }
`);

/** `baseText`: a sweep's base run config (YAML), so parameters the trainer does not know are reported too. */
export function useValidation(
  kind: 'RUN' | 'SWEEP',
  text: string,
  baseText?: string,
  delayMs = 300,
): ConfigIssue[] {
  const client = useClient();
  const [issues, setIssues] = useState<ConfigIssue[]>([]);
  useEffect(() => {
    let config: unknown;
    let base: unknown = null;
    try {
      base = baseText ? parse(baseText) : null;
    } catch {
      base = null; // the base's own editor marks it
    }
    try {
      // A sweep travels as text (the API reports paths in it); a run config as the object it parses to.
      config = kind === 'SWEEP' ? text : parse(text);
    } catch {
      setIssues([]); // the editor marks YAML syntax errors itself
      return;
    }
    let live = true;
    const t = setTimeout(async () => {
      const r = await client
        .query(Validate, { kind, config: config ?? {}, base }, { requestPolicy: 'network-only' })
        .toPromise();
      if (live && r.data) setIssues(r.data.validateConfig);
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, kind, text, baseText, delayMs]);
  return issues;
}
