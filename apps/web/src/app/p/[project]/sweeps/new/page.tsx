'use client';
// Create a sweep: a W&B-format sweep config (YAML) and the base run config it varies; the API validates both
// and names the offending path. On success the sweep page opens.
import { useParams, useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMutation } from 'urql';
import { parse } from 'yaml';
import { graphql } from '@/gql';

const CreateSweep = graphql(`
  mutation CreateSweep($project: String!, $config: JSON!, $base: JSON!) {
    createSweep(project: $project, config: $config, baseConfig: $base) {
      id
    }
  }
`);

const SWEEP = `method: bayes
metric: { name: val/f1, goal: maximize }
parameters:
  optim:
    parameters:
      lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-2 }
  train.batchSize: { values: [16, 32] }
run_cap: 20
max_parallel: 2
early_terminate: { type: hyperband, min_iter: 50, eta: 3 }
`;

const BASE = `model: { base: bases/gpt-brown, task: sequence-classification, numLabels: 2 }
data: { source: { kind: spam-assassin }, clean: { stripEmailHeaders: true }, maxLength: 64 }
train: { batchSize: 16, epochs: 1, maxSteps: 300, evalEvery: 50 }
`;

export default function NewSweep() {
  const { project } = useParams<{ project: string }>();
  const router = useRouter();
  const [sweep, setSweep] = useState(SWEEP);
  const [base, setBase] = useState(BASE);
  const [parseError, setParseError] = useState<string | null>(null);
  const [{ fetching, error }, create] = useMutation(CreateSweep);
  const apiError = error?.graphQLErrors[0];
  return (
    <form
      className="login"
      style={{ maxWidth: 760 }}
      onSubmit={async (e) => {
        e.preventDefault();
        let baseConfig: unknown;
        try {
          baseConfig = parse(base);
          setParseError(null);
        } catch (err) {
          setParseError(`base run config: not valid YAML (${(err as Error).message.split('\n')[0]})`);
          return;
        }
        // The sweep travels as text: the API parses YAML or JSON and reports paths in it.
        const r = await create({ project: decodeURIComponent(project), config: sweep, base: baseConfig });
        if (r.data?.createSweep) router.push(`/s/${r.data.createSweep.id}`);
      }}
    >
      <h1>New sweep in {decodeURIComponent(project)}</h1>
      <label>
        Sweep (W&amp;B format, YAML)
        <textarea
          name="sweep"
          rows={14}
          spellCheck={false}
          value={sweep}
          onChange={(e) => setSweep(e.target.value)}
        />
      </label>
      <label>
        Base run config (YAML)
        <textarea
          name="base"
          rows={8}
          spellCheck={false}
          value={base}
          onChange={(e) => setBase(e.target.value)}
        />
      </label>
      <button className="primary" type="submit" disabled={fetching}>
        {fetching ? 'Creating…' : 'Create sweep'}
      </button>
      {(parseError || apiError) && (
        <p className="error" role="alert" data-testid="sweep-error">
          {parseError ?? `${String(apiError?.extensions?.field ?? '')}: ${apiError?.message}`}
        </p>
      )}
    </form>
  );
}
