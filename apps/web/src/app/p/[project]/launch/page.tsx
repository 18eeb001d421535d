'use client';
// Launch a run: a run config as YAML or JSON (the same file `anneal train` reads), validated by the API with the
// trainer's schema — an error names the offending key, shown beside the form. On success the run page opens.
import { useParams, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { parse, stringify } from 'yaml';
import { graphql } from '@/gql';

const Launch = graphql(`
  mutation Launch($project: String!, $config: JSON!, $name: String) {
    launchRun(project: $project, config: $config, name: $name) {
      id
      status
    }
  }
`);

const FromRun = graphql(`
  query LaunchFrom($id: ID!) {
    run(id: $id) {
      name
      config
    }
  }
`);

const EXAMPLE = `name: spam-gpt
model: { base: bases/gpt-brown, task: sequence-classification, numLabels: 2 }
data:
  source: { kind: spam-assassin }
  clean: { stripEmailHeaders: true, stripHtml: true }
  maxLength: 64
optim: { lr: 1.0e-3 }
train: { batchSize: 16, epochs: 1, maxSteps: 100, evalEvery: 50 }
`;

function LaunchPage() {
  const { project } = useParams<{ project: string }>();
  const router = useRouter();
  // ?from=<run id>: "re-run with changes" starts from that run's resolved config.
  const from = useSearchParams().get('from');
  const [{ data: source }] = useQuery({ query: FromRun, variables: { id: from ?? '' }, pause: !from });
  const [text, setText] = useState(EXAMPLE);
  useEffect(() => {
    if (source?.run) setText(stringify(source.run.config));
  }, [source]);
  const [parseError, setParseError] = useState<string | null>(null);
  const [{ fetching, error }, launch] = useMutation(Launch);
  const apiError = error?.graphQLErrors[0];
  return (
    <form
      className="login"
      style={{ maxWidth: 720 }}
      onSubmit={async (e) => {
        e.preventDefault();
        let config: unknown;
        try {
          config = parse(text);
          setParseError(null);
        } catch (err) {
          setParseError(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
          return;
        }
        const r = await launch({ project: decodeURIComponent(project), config });
        if (r.data?.launchRun) router.push(`/r/${r.data.launchRun.id}`);
      }}
    >
      <h1>Launch a run in {decodeURIComponent(project)}</h1>
      <label>
        Run config (YAML or JSON)
        <textarea
          name="config"
          rows={16}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button className="primary" type="submit" disabled={fetching}>
        {fetching ? 'Launching…' : 'Launch'}
      </button>
      {(parseError || apiError) && (
        <p className="error" role="alert" data-testid="launch-error">
          {parseError ?? `${String(apiError?.extensions?.field ?? '')}: ${apiError?.message}`}
        </p>
      )}
    </form>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <LaunchPage />
    </Suspense>
  );
}
