'use client';
// Launch a run: pick a base model (the shipped bases and the project's recorded models), a dataset, the task and
// the hyperparameters, or edit the whole run config (the same YAML `anneal train` reads) — the fields and the
// editor are two views of one document. The API validates it with the trainer's schema as you type: each issue
// shows beside its field and as a marker in the editor. On success the run page opens (queued, then live).
import { useParams, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { parse, parseDocument, stringify } from 'yaml';
import { graphql } from '@/gql';
import { ConfigEditor, type ConfigIssue } from '@/lib/ConfigEditor';
import { ErrorLine, errorText } from '@/lib/ErrorLine';
import { useValidation } from '@/lib/useValidation';
import { ConfigField } from './ConfigField';
import { issuesAt, launchFields } from './fields';

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

const Models = graphql(`
  query LaunchModels($project: String!) {
    project(ref: $project) {
      models {
        name
        location
        source
        kind
        description
      }
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
  const projectName = decodeURIComponent(project);
  const router = useRouter();
  const search = useSearchParams();
  // ?from=<run id>: "re-run with changes" starts from that run's resolved config; ?base=: a recorded model.
  const from = search.get('from');
  const [{ data: source }] = useQuery({ query: FromRun, variables: { id: from ?? '' }, pause: !from });
  const [{ data: models }] = useQuery({ query: Models, variables: { project: projectName } });
  const [text, setText] = useState(() => {
    const base = search.get('base');
    if (!base) return EXAMPLE;
    const doc = parseDocument(EXAMPLE);
    doc.setIn(['model', 'base'], base);
    return doc.toString();
  });
  useEffect(() => {
    if (source?.run) setText(stringify(source.run.config));
  }, [source]);
  const issues = useValidation('RUN', text);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [{ fetching }, launch] = useMutation(Launch);

  // The fields read and write the YAML document, so comments and the keys they do not cover are kept.
  const doc = parseDocument(text);
  const parsed = doc.errors.length === 0;
  const get = (path: string) => (parsed ? doc.getIn(path.split('.')) : undefined);
  const set = (path: string, v: unknown) => {
    if (!parsed) return;
    const d = parseDocument(text);
    if (v === '' || v === undefined) d.deleteIn(path.split('.'));
    else d.setIn(path.split('.'), v);
    setText(d.toString());
  };
  /** A new dataset kind replaces the whole source (each kind has its own keys). */
  const setSource = (kind: string) => {
    if (!kind) return set('data.source', undefined);
    set('data.source', kind === 'jsonl' || kind === 'csv' ? { kind, path: '' } : { kind });
  };
  const task = String(get('model.task') ?? 'causal-lm');
  const dataKind = String(get('data.source.kind') ?? '');
  const baseOptions = (models?.project.models ?? []).map((m) => ({
    value: m.location,
    label: `${m.name} — ${m.source === 'base' ? m.kind : `recorded ${m.kind}`}`,
  }));
  const base = String(get('model.base') ?? '');
  // A base given by path (a relative `bases/…`, a checkpoint elsewhere) stays selectable as itself.
  if (base && !baseOptions.some((o) => o.value === base)) baseOptions.unshift({ value: base, label: base });
  const fields = launchFields({ task, dataKind, baseOptions });
  const errors = issues.filter((i) => i.severity === 'error');
  const covered = (i: ConfigIssue) => fields.some((f) => issuesAt([i], f.path).length);

  return (
    <form
      className="launch"
      onSubmit={async (e) => {
        e.preventDefault();
        let config: unknown;
        try {
          config = parse(text);
        } catch (err) {
          setSubmitError(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
          return;
        }
        const r = await launch({ project: projectName, config });
        setSubmitError(r.error ? errorText(r.error) : null);
        if (r.data?.launchRun) router.push(`/r/${r.data.launchRun.id}`);
      }}
    >
      <h1>Launch a run in {projectName}</h1>
      <div className="fields">
        {fields.map((f) => (
          <ConfigField
            key={f.path}
            field={f}
            value={get(f.path)}
            issues={issuesAt(issues, f.path)}
            disabled={!parsed}
            onChange={(v) => (f.path === 'data.source.kind' ? setSource(String(v)) : set(f.path, v))}
          />
        ))}
      </div>
      <h2>Run config</h2>
      <p className="muted">
        The whole config (YAML or JSON): every key the trainer takes, with the fields above kept in step.
      </p>
      <ConfigEditor name="config" value={text} onChange={setText} issues={issues} minHeight={260} />
      {issues.filter((i) => !covered(i)).length > 0 && (
        <ul className="issues" data-testid="config-issues">
          {issues
            .filter((i) => !covered(i))
            .map((i) => (
              <li key={i.path + i.message} className={i.severity === 'error' ? 'error' : 'warning'}>
                {i.path ? `${i.path}: ${i.message}` : i.message}
              </li>
            ))}
        </ul>
      )}
      {/* Disabled while the document has errors: what it says is what needs fixing. */}
      <button
        className="primary"
        type="submit"
        disabled={fetching || !parsed || errors.length > 0}
        aria-describedby={errors.length ? 'launch-blocked' : undefined}
      >
        {fetching ? 'Launching…' : errors.length ? `Launch (${errors.length} to fix)` : 'Launch'}
      </button>
      {errors.length > 0 && (
        <p id="launch-blocked" className="muted">
          Fix the {errors.length === 1 ? 'error' : `${errors.length} errors`} above to launch.
        </p>
      )}
      <ErrorLine error={submitError} testId="launch-error" />
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
