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
import { useValidation } from '@/lib/useValidation';

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

type Field =
  | { path: string; label: string; type: 'text' | 'number' }
  | { path: string; label: string; type: 'select'; options: { value: string; label: string }[] };

const TASKS = ['sequence-classification', 'causal-lm', 'masked-lm'];
const DATASETS = [
  { value: 'spam-assassin', label: 'SpamAssassin e-mails (6,046, ham / spam)' },
  { value: 'brown', label: 'Brown corpus (text)' },
  { value: 'jsonl', label: 'JSONL file' },
  { value: 'csv', label: 'CSV file' },
];
const TRUNCATION = [
  { value: 'head', label: 'their beginning' },
  { value: 'tail', label: 'their end' },
  { value: 'head-tail', label: 'beginning and end' },
];

/** Issues at a field's path or below it. */
const issuesAt = (issues: ConfigIssue[], path: string) =>
  issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`));

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
  const fields: Field[] = [
    { path: 'name', label: 'Run name', type: 'text' },
    { path: 'model.base', label: 'Base model', type: 'select', options: baseOptions },
    {
      path: 'model.task',
      label: 'Task',
      type: 'select',
      options: TASKS.map((t) => ({ value: t, label: t })),
    },
    ...(task === 'sequence-classification'
      ? [{ path: 'model.numLabels', label: 'Labels', type: 'number' } as const]
      : []),
    { path: 'data.source.kind', label: 'Dataset', type: 'select', options: DATASETS },
    ...(dataKind === 'jsonl' || dataKind === 'csv'
      ? [{ path: 'data.source.path', label: 'Dataset file', type: 'text' } as const]
      : []),
    { path: 'data.maxLength', label: 'Max tokens', type: 'number' },
    ...(task === 'sequence-classification'
      ? [
          {
            path: 'data.truncation.keep',
            label: 'Longer texts keep',
            type: 'select',
            options: TRUNCATION,
          } as const,
        ]
      : []),
    { path: 'optim.lr', label: 'Learning rate', type: 'number' },
    { path: 'train.batchSize', label: 'Batch size', type: 'number' },
    { path: 'train.epochs', label: 'Epochs', type: 'number' },
    { path: 'train.maxSteps', label: 'Max steps', type: 'number' },
    { path: 'seed', label: 'Seed', type: 'number' },
  ];
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
        const apiError = r.error?.graphQLErrors[0];
        setSubmitError(
          apiError
            ? `${String(apiError.extensions?.field ?? '')}: ${apiError.message}`
            : (r.error?.message ?? null),
        );
        if (r.data?.launchRun) router.push(`/r/${r.data.launchRun.id}`);
      }}
    >
      <h1>Launch a run in {projectName}</h1>
      <div className="fields">
        {fields.map((f) => {
          const mine = issuesAt(issues, f.path);
          const v = get(f.path);
          const id = `f-${f.path}`;
          return (
            <div className="field" key={f.path}>
              <label htmlFor={id}>{f.label}</label>
              {f.type === 'select' ? (
                <select
                  id={id}
                  name={f.path}
                  value={v === undefined ? '' : String(v)}
                  disabled={!parsed}
                  onChange={(e) =>
                    f.path === 'data.source.kind' ? setSource(e.target.value) : set(f.path, e.target.value)
                  }
                  aria-invalid={mine.some((i) => i.severity === 'error')}
                  aria-describedby={mine.length ? `${id}-issues` : undefined}
                >
                  <option value="">—</option>
                  {f.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={id}
                  name={f.path}
                  type="text"
                  inputMode={f.type === 'number' ? 'decimal' : undefined}
                  disabled={!parsed}
                  // Numbers go into the YAML as numbers when they parse, as typed otherwise (the schema says why).
                  value={v === undefined || v === null ? '' : String(v)}
                  onChange={(e) => {
                    const s = e.target.value;
                    set(
                      f.path,
                      f.type === 'number' && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s,
                    );
                  }}
                  aria-invalid={mine.some((i) => i.severity === 'error')}
                  aria-describedby={mine.length ? `${id}-issues` : undefined}
                />
              )}
              {mine.length > 0 && (
                <span id={`${id}-issues`} className="field-issues" data-testid="field-issue">
                  {mine.map((i) => (
                    <span key={i.path + i.message} className={i.severity === 'error' ? 'error' : 'warning'}>
                      {i.message}
                    </span>
                  ))}
                </span>
              )}
            </div>
          );
        })}
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
                {i.path || '(root)'}: {i.message}
              </li>
            ))}
        </ul>
      )}
      <button className="primary" type="submit" disabled={fetching || !parsed}>
        {fetching ? 'Launching…' : errors.length ? `Launch (${errors.length} to fix)` : 'Launch'}
      </button>
      {submitError && (
        <p className="error" role="alert" data-testid="launch-error">
          {submitError}
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
