'use client';
// "Try it": run a run's exported model (or a model / checkpoint artifact) on new input, on a worker's GPU.
// A causal LM gets a prompt and sampling options (max new tokens, temperature, top-p, seed) and its text streams
// in as the worker generates it (the tryProgress subscription); a classifier gets a text and shows a bar per
// class. The API stores each request (Run.tryRequests, tryRequest); the box shows the last one's timing.
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';
import { useEvents } from '@/lib/useEvents';

const TryRunQuery = graphql(`
  query TryItRun($id: ID!) {
    run(id: $id) {
      id
      config
      artifacts {
        id
        kind
      }
      tryRequests(first: 5) {
        id
        kind
        status
        input
        output
        error
        user
        createdAt
        durationMs
      }
    }
  }
`);

const TryArtifactQuery = graphql(`
  query TryItArtifact($id: ID!) {
    artifact(id: $id) {
      id
      kind
      files {
        path
      }
      run {
        id
        config
      }
      tryRequests(first: 5) {
        id
        kind
        status
        input
        output
        error
        user
        createdAt
        durationMs
      }
    }
  }
`);

const TryModel = graphql(`
  mutation TryModel($run: ID, $artifact: String, $input: String!, $options: TryModelOptions) {
    tryModel(run: $run, artifact: $artifact, input: $input, options: $options) {
      id
      kind
      status
    }
  }
`);

const TryProgress = graphql(`
  subscription TryItProgress($id: ID!) {
    tryProgress(id: $id) {
      status
      index
      count
      text
    }
  }
`);

const TryResult = graphql(`
  query TryItResult($id: ID!) {
    tryRequest(id: $id) {
      id
      kind
      status
      output
      tokens
      probabilities
      finishReason
      error
      host
      firstTokenMs
      durationMs
    }
  }
`);

type Kind = 'generate' | 'classify';

const taskKind = (config: unknown): Kind | null => {
  const task = (config as { model?: { task?: string } } | null)?.model?.task;
  return task === 'causal-lm' ? 'generate' : task === 'sequence-classification' ? 'classify' : null;
};

/** The try-it box for a run (its exported model) or an artifact (by id). */
export function TryIt(props: { run: string } | { artifact: string }) {
  const byRun = 'run' in props;
  const [runQ, refetchRun] = useQuery({
    query: TryRunQuery,
    variables: { id: byRun ? props.run : '' },
    pause: !byRun,
  });
  const [artQ, refetchArt] = useQuery({
    query: TryArtifactQuery,
    variables: { id: byRun ? '' : props.artifact },
    pause: byRun,
  });
  const refresh = () => (byRun ? refetchRun : refetchArt)({ requestPolicy: 'network-only' });
  let kind: Kind | null = null;
  let why: string | null = null;
  let recent: Recent[] = [];
  if (byRun) {
    if (!runQ.data) return null;
    recent = runQ.data.run.tryRequests;
    kind = taskKind(runQ.data.run.config);
    if (!runQ.data.run.artifacts.some((a) => a.kind === 'model'))
      why = 'This run has no exported model yet: it is exported when training ends.';
  } else {
    const a = artQ.data?.artifact;
    if (!a) return null;
    recent = a.tryRequests;
    kind = taskKind(a.run.config);
    if (a.kind !== 'model' && a.kind !== 'checkpoint') return null;
    if (!a.files.some((f) => f.path === 'tokenizer.json')) why = 'This artifact has no tokenizer.json.';
  }
  if (!kind) return null; // a masked-LM model, or a run without a task: nothing to try
  return (
    <section aria-labelledby="try-it-heading" data-testid="try-it">
      <h2 id="try-it-heading">Try it</h2>
      {why ? (
        <p className="muted">{why}</p>
      ) : (
        <TryForm
          kind={kind}
          target={byRun ? { run: props.run } : { artifact: props.artifact }}
          onEnd={refresh}
        />
      )}
      {recent.length > 0 && <RecentTries recent={recent} />}
    </section>
  );
}

type Recent = {
  id: string;
  kind: string;
  status: string;
  input: string;
  output: string;
  error?: string | null;
  user?: string | null;
  createdAt: string;
  durationMs?: number | null;
};

/** The model's last requests (stored by the API): who asked what, and what came back. */
function RecentTries({ recent }: { recent: Recent[] }) {
  const cut = (t: string, n = 80) => (t.length > n ? `${t.slice(0, n)}…` : t);
  return (
    <table className="runs" data-testid="try-recent" style={{ marginTop: '0.75rem' }}>
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>Recent requests</caption>
      <thead>
        <tr>
          <th scope="col">when</th>
          <th scope="col">who</th>
          <th scope="col">input</th>
          <th scope="col">output</th>
          <th scope="col">time</th>
        </tr>
      </thead>
      <tbody>
        {recent.map((r) => (
          <tr key={r.id}>
            <td>{new Date(r.createdAt).toLocaleString()}</td>
            <td>{r.user ?? '—'}</td>
            <td title={r.input}>{cut(r.input)}</td>
            <td title={r.error ?? r.output}>
              {r.status === 'failed' ? (
                <span className="error">{cut(r.error ?? 'failed')}</span>
              ) : r.status === 'finished' ? (
                r.kind === 'classify' ? (
                  `class ${r.output}`
                ) : (
                  cut(r.output)
                )
              ) : (
                <span className="muted">{r.status}</span>
              )}
            </td>
            <td>{r.durationMs != null ? `${Math.round(Number(r.durationMs))} ms` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TryForm({
  kind,
  target,
  onEnd,
}: {
  kind: Kind;
  target: { run: string } | { artifact: string };
  onEnd: () => void;
}) {
  const [input, setInput] = useState('');
  const [maxNewTokens, setMaxNewTokens] = useState(64);
  const [temperature, setTemperature] = useState(0.8);
  const [topP, setTopP] = useState(0.95);
  const [seed, setSeed] = useState(0);
  /** The prompt is a user's message, answered through the model's chat template. */
  const [chat, setChat] = useState(false);
  const [system, setSystem] = useState('');
  const [requestId, setRequestId] = useState<string | null>(null);
  const [text, setText] = useState('');
  /** Tokens shown so far: an event the page already has is skipped. */
  const seen = useRef(0);
  const [status, setStatus] = useState<string | null>(null);
  /** Subscribed until the request ends (then EventSource must not reconnect). */
  const [live, setLive] = useState(false);
  const [asked, ask] = useMutation(TryModel);
  const [result] = useQuery({
    query: TryResult,
    variables: { id: requestId ?? '' },
    pause: !requestId || (status !== 'finished' && status !== 'failed'),
    requestPolicy: 'network-only',
  });

  useEvents(TryProgress, requestId && live ? { id: requestId } : null, (d) => {
    const e = d.tryProgress;
    setStatus(e.status);
    if (e.text && !(e.count > 0 && e.index + e.count <= seen.current)) {
      // The first event is what is stored so far (index 0); later ones continue it.
      setText((t) => (e.index === 0 ? e.text : t + e.text));
      seen.current = e.index + e.count;
    }
    if (e.status === 'finished' || e.status === 'failed') setLive(false);
  });

  const busy = asked.fetching || status === 'queued' || status === 'running';
  const submit = async (ev: React.FormEvent) => {
    ev.preventDefault();
    setText('');
    seen.current = 0;
    setStatus(null);
    setRequestId(null);
    const r = await ask({
      ...target,
      input,
      options:
        kind === 'generate'
          ? { maxNewTokens, temperature, topP, seed, ...(chat ? { chat, system: system || null } : {}) }
          : null,
    });
    if (r.data) {
      setStatus(r.data.tryModel.status);
      setRequestId(r.data.tryModel.id);
      setLive(true);
    }
  };
  const done = result.data?.tryRequest;
  const ended = done && (done.status === 'finished' || done.status === 'failed') ? done.id : null;
  const endedRef = useRef(onEnd);
  endedRef.current = onEnd;
  useEffect(() => {
    if (ended) endedRef.current(); // the recent list gains this request
  }, [ended]);
  const final = done && (done.status === 'finished' || done.status === 'failed') ? done : null;
  const shown = final?.status === 'finished' && final.kind === 'generate' ? final.output : text;
  return (
    <form onSubmit={submit} className="details-form" style={{ maxWidth: '48rem' }}>
      {kind === 'generate' && (
        <label style={{ display: 'flex', gap: '0.4rem', alignItems: 'center' }}>
          <input
            type="checkbox"
            data-testid="try-chat"
            checked={chat}
            onChange={(e) => setChat(e.target.checked)}
          />
          Chat (the model's chat template answers the message)
        </label>
      )}
      {kind === 'generate' && chat && (
        <label>
          System message (optional)
          <input
            data-testid="try-system"
            value={system}
            maxLength={4000}
            onChange={(e) => setSystem(e.target.value)}
            placeholder="You are a helpful assistant."
          />
        </label>
      )}
      <label>
        {kind === 'generate' ? (chat ? 'Message' : 'Prompt') : 'Text'}
        <textarea
          data-testid="try-input"
          value={input}
          rows={3}
          maxLength={4000}
          onChange={(e) => setInput(e.target.value)}
          placeholder={
            kind === 'generate'
              ? chat
                ? 'Your message to the model'
                : 'The text to continue'
              : 'The text to classify'
          }
        />
      </label>
      {kind === 'generate' && (
        <fieldset style={{ display: 'flex', flexWrap: 'wrap', gap: '0.75rem', border: 0, padding: 0 }}>
          <legend className="sr-only">Sampling</legend>
          <NumberField label="max new tokens" min={1} max={256} value={maxNewTokens} set={setMaxNewTokens} />
          <NumberField
            label="temperature"
            min={0}
            max={10}
            step={0.05}
            value={temperature}
            set={setTemperature}
          />
          <NumberField label="top-p" min={0.01} max={1} step={0.01} value={topP} set={setTopP} />
          <NumberField label="seed" min={0} step={1} value={seed} set={setSeed} width="6rem" />
        </fieldset>
      )}
      <p>
        <button type="submit" className="primary" disabled={busy || !input.trim()}>
          {busy
            ? status === 'queued'
              ? 'Waiting for a worker…'
              : 'Running…'
            : kind === 'generate'
              ? 'Generate'
              : 'Classify'}
        </button>
      </p>
      <ErrorLine error={asked.error} testId="try-error" />
      {kind === 'generate' && (requestId || shown) && (
        <pre
          data-testid="try-output"
          aria-live="polite"
          style={{
            whiteSpace: 'pre-wrap',
            border: '1px solid var(--line)',
            padding: '0.5rem',
            minHeight: '3rem',
          }}
        >
          {chat ? null : <span className="muted">{input}</span>}
          {shown}
        </pre>
      )}
      {final?.status === 'failed' && (
        <p className="error" role="alert" data-testid="try-failed">
          {final.error}
        </p>
      )}
      {final?.status === 'finished' && final.kind === 'classify' && final.probabilities && (
        <ClassBars probabilities={final.probabilities.map(Number)} />
      )}
      {final?.status === 'finished' && (
        <p className="muted" data-testid="try-timing">
          {final.kind === 'generate' ? `${final.tokens} tokens, ${final.finishReason ?? ''}; ` : ''}
          {final.firstTokenMs != null && final.kind === 'generate'
            ? `first token ${Math.round(final.firstTokenMs)} ms, `
            : ''}
          {final.durationMs != null ? `${Math.round(final.durationMs)} ms` : ''}
          {final.host ? ` on ${final.host}` : ''}
        </p>
      )}
    </form>
  );
}

/** A labelled number input of the sampling options. */
function NumberField({
  label,
  value,
  set,
  min,
  max,
  step,
  width = '5rem',
}: {
  label: string;
  value: number;
  set: (n: number) => void;
  min: number;
  max?: number;
  step?: number;
  width?: string;
}) {
  return (
    <label style={{ display: 'flex', gap: '0.3rem', alignItems: 'center' }}>
      {label}
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(e) => set(e.target.valueAsNumber)}
        style={{ width }}
      />
    </label>
  );
}

/** One bar per class, its probability as the bar's length and as a percentage. */
function ClassBars({ probabilities }: { probabilities: number[] }) {
  const top = probabilities.indexOf(Math.max(...probabilities));
  return (
    <table className="summary" data-testid="try-probabilities">
      <caption className="sr-only">Class probabilities</caption>
      <thead>
        <tr>
          <th scope="col">class</th>
          <th scope="col">probability</th>
        </tr>
      </thead>
      <tbody>
        {probabilities.map((p, k) => (
          <tr key={k}>
            <th scope="row" style={{ fontWeight: k === top ? 700 : 400 }}>
              {k}
            </th>
            <td style={{ minWidth: '16rem', textAlign: 'left' }}>
              <meter
                min={0}
                max={1}
                value={p}
                aria-label={`class ${k}`}
                style={{ width: '12rem', height: '0.9rem', verticalAlign: 'middle', marginRight: '0.5rem' }}
              />
              {(p * 100).toFixed(1)}%
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
