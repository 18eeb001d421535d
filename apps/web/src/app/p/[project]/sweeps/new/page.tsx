'use client';
// Create a sweep: a W&B-format sweep config (YAML) and the base run config it varies, each in an editor that
// the API validates as you type (the sweep format; the trainer's schema for the base and for the parameters
// applied to it), with the issues marked on the lines they name. On success the sweep page opens.
import { useParams, useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMutation } from 'urql';
import { parse } from 'yaml';
import { graphql } from '@/gql';
import { ConfigEditor, type ConfigIssue } from '@/lib/ConfigEditor';
import { ErrorLine, errorText } from '@/lib/ErrorLine';
import { useValidation } from '@/lib/useValidation';

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

function IssueList({ issues, testId }: { issues: ConfigIssue[]; testId: string }) {
  if (!issues.length) return null;
  return (
    <ul className="issues" data-testid={testId}>
      {issues.map((i) => (
        <li key={i.path + i.message} className={i.severity === 'error' ? 'error' : 'warning'}>
          {i.path ? `${i.path}: ${i.message}` : i.message}
        </li>
      ))}
    </ul>
  );
}

export default function NewSweep() {
  const { project } = useParams<{ project: string }>();
  const router = useRouter();
  const [sweep, setSweep] = useState(SWEEP);
  const [base, setBase] = useState(BASE);
  const sweepIssues = useValidation('SWEEP', sweep, base);
  const baseIssues = useValidation('RUN', base);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [{ fetching }, create] = useMutation(CreateSweep);
  const errors = [...sweepIssues, ...baseIssues].filter((i) => i.severity === 'error').length;
  return (
    <form
      className="launch"
      onSubmit={async (e) => {
        e.preventDefault();
        let baseConfig: unknown;
        try {
          baseConfig = parse(base);
        } catch (err) {
          setSubmitError(`base run config: not valid YAML (${(err as Error).message.split('\n')[0]})`);
          return;
        }
        // The sweep travels as text: the API parses YAML or JSON and reports paths in it.
        const r = await create({ project: decodeURIComponent(project), config: sweep, base: baseConfig });
        setSubmitError(r.error ? errorText(r.error) : null);
        if (r.data?.createSweep) router.push(`/s/${r.data.createSweep.id}`);
      }}
    >
      <h1>New sweep in {decodeURIComponent(project)}</h1>
      <h2>Sweep (W&amp;B format, YAML)</h2>
      <ConfigEditor name="sweep" value={sweep} onChange={setSweep} issues={sweepIssues} />
      <IssueList issues={sweepIssues} testId="sweep-issues" />
      <h2>Base run config (YAML)</h2>
      <ConfigEditor name="base" value={base} onChange={setBase} issues={baseIssues} minHeight={140} />
      <IssueList issues={baseIssues} testId="base-issues" />
      <button className="primary" type="submit" disabled={fetching}>
        {fetching ? 'Creating…' : errors ? `Create sweep (${errors} to fix)` : 'Create sweep'}
      </button>
      <ErrorLine error={submitError} testId="sweep-error" />
    </form>
  );
}
