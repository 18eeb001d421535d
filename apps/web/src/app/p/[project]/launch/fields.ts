// The launch form's fields: each a path into the run config (the YAML document `anneal train` reads), a label and
// an input kind; which fields show depends on the task (labels and truncation for a classifier) and the dataset
// kind (a file's path for JSONL and CSV).
import type { ConfigIssue } from '@/lib/ConfigEditor';

export type Field =
  | { path: string; label: string; type: 'text' }
  /** A numeric input; `integer` ones step by 1 and take no fraction. */
  | { path: string; label: string; type: 'number'; integer?: boolean; min?: number }
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
  { value: 'chunks', label: 'all of it, in windows (predictions pooled)' },
];

/** Issues at a field's path or below it. */
export const issuesAt = (issues: ConfigIssue[], path: string) =>
  issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`));

type Option = { value: string; label: string };

/** The fields for a config with this task and dataset kind; `baseOptions`: the base models offered. */
export function launchFields({
  task,
  dataKind,
  baseOptions,
}: {
  task: string;
  dataKind: string;
  baseOptions: Option[];
}): Field[] {
  return [
    { path: 'name', label: 'Run name', type: 'text' },
    { path: 'model.base', label: 'Base model', type: 'select', options: baseOptions },
    {
      path: 'model.task',
      label: 'Task',
      type: 'select',
      options: TASKS.map((t) => ({ value: t, label: t })),
    },
    ...(task === 'sequence-classification'
      ? [{ path: 'model.numLabels', label: 'Labels', type: 'number', integer: true, min: 2 } as const]
      : []),
    { path: 'data.source.kind', label: 'Dataset', type: 'select', options: DATASETS },
    ...(dataKind === 'jsonl' || dataKind === 'csv'
      ? [{ path: 'data.source.path', label: 'Dataset file', type: 'text' } as const]
      : []),
    { path: 'data.maxLength', label: 'Max tokens', type: 'number', integer: true, min: 1 },
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
    { path: 'train.batchSize', label: 'Batch size', type: 'number', integer: true, min: 1 },
    { path: 'train.epochs', label: 'Epochs', type: 'number', integer: true, min: 1 },
    { path: 'train.maxSteps', label: 'Max steps', type: 'number', integer: true, min: 1 },
    { path: 'seed', label: 'Seed', type: 'number', integer: true },
  ];
}
