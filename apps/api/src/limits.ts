// Every size and character limit the API enforces on what clients store, in one place, each failure a
// BAD_INPUT naming the field. docs/api.md lists the same table (LIMITS below is its source).
//
// Why these limits exist: Postgres refuses some input outright (a NUL in text or jsonb, a lone UTF-16
// surrogate in jsonb, a btree key over ~2.7 kB, a timestamp past year 294276) and would answer a masked 500;
// deeply nested JSON overflows recursive code (JSON.stringify, jsonb operators); and one oversized config or
// summary makes every runs page that lists it heavy. Checks here are iterative (no recursion over user
// data) and run before anything is written, so a refused call stores nothing.

import { badInput } from './errors.ts';

export const LIMITS = {
  /** Metric points per logMetrics call. */
  pointsPerCall: 10_000,
  /** A metric key, in UTF-16 code units (the btree index on (run, key, step) caps keys near 2.7 kB). */
  metricKeyLength: 256,
  /** A step: an integer in 0..2^53-1 (exact in a float64 and in bigint). */
  stepMax: Number.MAX_SAFE_INTEGER,
  /** A point's time, epoch ms: 1970-01-01 up to (not including) year 10000. */
  timeMaxMs: 253_402_300_800_000,
  /** config (createRun, launchRun, createSweep config and baseConfig), serialized as JSON, in bytes. */
  configBytes: 1 << 20,
  /** summary (updateSummary, finishRun; also the merged summary), serialized, in bytes. */
  summaryBytes: 1 << 20,
  /** A run's summary as stored (after merges; Postgres prints jsonb with spaces), in bytes. */
  storedSummaryBytes: 2 << 20,
  /** gpu (createRun), serialized, in bytes. */
  gpuBytes: 64 << 10,
  /** Nesting of any JSON argument: objects and arrays inside each other. */
  jsonDepth: 64,
  /** A field a run filter, sort or grouping names (config.<path>, summary.<path>), in characters; a path has at most jsonDepth segments. */
  fieldPathLength: 1_024,
  /** Tags per run, and characters per tag. */
  tags: 100,
  tagLength: 64,
  /** A run's name, group and host, in characters. */
  runNameLength: 200,
  groupLength: 200,
  hostLength: 255,
  /** A run's notes (markdown), in characters. */
  notesLength: 100_000,
  /** Console lines per appendLogs call, characters per line, characters of a stream name. */
  logLinesPerCall: 10_000,
  logLineLength: 65_536,
  streamLength: 32,
  /**
   * Items of a list argument whose items become SQL parameters (metrics(keys:), compare(runIds:),
   * deleteRuns(runIds:), a filter's IN list and its and/or lists): Postgres takes at most 65,535 per statement.
   */
  listItems: 1_000,
  /** A user's display name (createUser), an API key's name (createApiKey), in characters. */
  userNameLength: 200,
  apiKeyNameLength: 100,
  /** A project's description (createProject), in characters. */
  projectDescriptionLength: 10_000,
  /** An artifact version's metadata (logArtifact), serialized, in bytes. */
  metadataBytes: 1 << 20,
  /** tryModel: the prompt or text to classify, in characters (the worker also fits it to the model's positions). */
  tryInputChars: 4_000,
  /** tryModel: options.maxNewTokens at most. */
  tryMaxNewTokens: 256,
  /** tryModel: stop sequences, and characters per stop sequence. */
  tryStops: 4,
  tryStopLength: 64,
  /** tryModel: requests per user in any 60 seconds, and requests of a user waiting or running at once. */
  tryPerMinute: 20,
  tryPending: 4,
  /**
   * Live subscriptions (runUpdated, metricsAppended, tryProgress) open at once on one API server per user, all
   * their API keys and browser sessions together (access.ts LiveSubscriptions); a dashboard page opens one to three.
   */
  liveSubscriptions: 128,
  /**
   * tryModel: the model's files together, in bytes. A worker downloads them and reads model.safetensors whole,
   * which Node does up to 2 GiB (about 500 M f32 parameters, or 1 B stored as f16/bf16).
   */
  tryModelBytes: 2 ** 31 - 1,
  /** A logged table (logTable): its key (as a metric key), columns, characters per column name, rows per call. */
  tableKeyLength: 256,
  tableColumns: 64,
  tableColumnLength: 128,
  tableRows: 10_000,
  /** One cell's string, in characters (a text sample, an example's text). */
  tableCellLength: 65_536,
  /** A whole table (columns and rows) serialized as JSON, in bytes. */
  tableBytes: 8 << 20,
  /** Rows per page of Run.table, and filters per query. */
  tablePage: 1_000,
  tableFilters: 16,
  /**
   * Table rows, and their cells' bytes as JSON, one HTTP request may read across all its Run.table fields (a
   * batch of operations included): compare(runIds:) or aliases cannot multiply one table into the API's memory.
   */
  tableRowsPerRequest: 10_000,
  tableBytesPerRequest: 32 << 20,
  /**
   * Rollup rows and raw points one request may read to draw long series (all its metrics fields together): the
   * series are bucketed in the API, so this bounds its memory (~100 MB) whatever the runs, keys and samples.
   */
  seriesRowsPerRequest: 1_000_000,
} as const;

/** C0 controls, DEL and C1 controls: never part of a key, name or tag (they also break CSV and terminals). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * What a name or an artifact path must not hold: the controls above, and characters that change how the text
 * around them looks without being seen — line and paragraph separators (U+2028, U+2029), bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), and zero-width characters and marks (U+200B–U+200F,
 * U+2060, U+FEFF). A name must read as what it is (`evil\u202etxt.exe` must not pass for another).
 */
export const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

/** Why `value` holds a character INVISIBLE refuses (naming it and where), or null. */
export function invisibleProblem(value: string): string | null {
  const c = INVISIBLE.exec(value);
  return c ? `contains the control or invisible character U+${hex(c[0])} at ${c.index}` : null;
}

/** A list argument whose items become SQL parameters: at most LIMITS.listItems. Throws BAD_INPUT naming it. */
export function checkList<T>(
  list: readonly T[],
  field: string,
  max: number = LIMITS.listItems,
): readonly T[] {
  if (list.length > max)
    throw badInput(field, `at most ${max.toLocaleString('en')} items, got ${list.length}`);
  return list;
}

/**
 * Why a metric key is refused, or null when it is fine: 1 to 256 characters, no control characters (U+0000–
 * U+001F, U+007F–U+009F), no lone UTF-16 surrogate. Returned rather than thrown: logMetrics reports it per point.
 */
export function metricKeyProblem(key: string): string | null {
  if (typeof key !== 'string' || !key.length) return 'must not be empty';
  if (key.length > LIMITS.metricKeyLength)
    return `at most ${LIMITS.metricKeyLength} characters, got ${key.length}`;
  const c = CONTROL.exec(key);
  if (c) return `contains the control character U+${hex(c[0])} at ${c.index}`;
  if (!wellFormed(key)) return 'contains a lone UTF-16 surrogate';
  return null;
}

/** Why a step is refused, or null. */
export function stepProblem(step: number): string | null {
  return Number.isSafeInteger(step) && step >= 0
    ? null
    : `must be an integer in 0..${LIMITS.stepMax}, got ${step}`;
}

/** Why a point's time (epoch ms) is refused, or null. */
export function timeProblem(ms: number): string | null {
  return ms >= 0 && ms < LIMITS.timeMaxMs ? null : 'must be between 1970-01-01 and 9999-12-31';
}

/** A lone UTF-16 surrogate (String.prototype.isWellFormed is not in the ES2023 lib this repo targets). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

const hex = (ch: string) => ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/**
 * A short text (name, tag, group, host, stream): at most `max` characters, no control or invisible character
 * (INVISIBLE), no lone surrogate; with `min` 1, not blank. Throws BAD_INPUT naming `field`.
 */
export function checkName(value: string, field: string, max: number, min = 0): void {
  if (value.trim().length < min) throw badInput(field, 'must not be empty');
  if (value.length > max) throw badInput(field, `at most ${max} characters, got ${value.length}`);
  const invisible = invisibleProblem(value);
  if (invisible) throw badInput(field, invisible);
  if (!wellFormed(value)) throw badInput(field, 'contains a lone UTF-16 surrogate');
}

/**
 * Free text (notes, a console line): at most `max` characters; newlines and tabs are fine, but not NUL (Postgres
 * text cannot hold it) nor a lone surrogate. Throws BAD_INPUT naming `field`.
 */
export function checkText(value: string, field: string, max: number): void {
  if (value.length > max) throw badInput(field, `at most ${max} characters, got ${value.length}`);
  const nul = value.indexOf('\u0000');
  if (nul >= 0) throw badInput(field, `contains NUL (U+0000) at ${nul}`);
  if (!wellFormed(value)) throw badInput(field, 'contains a lone UTF-16 surrogate');
}

/** Tags as given (trimmed, each once, in order): at most 100, each 1 to 64 characters, no control characters. */
export function checkTags(tags: readonly string[], field = 'tags'): string[] {
  if (tags.length > LIMITS.tags) throw badInput(field, `at most ${LIMITS.tags} tags, got ${tags.length}`);
  const out = tags.map((t, i) => {
    checkName(t.trim(), `${field}[${i}]`, LIMITS.tagLength, 1);
    return t.trim();
  });
  return [...new Set(out)];
}

/** A run's name as given (trimmed): 1 to 200 characters, no control characters. */
export function checkRunName(name: string, field = 'name'): string {
  const n = name.trim();
  if (!n || n.length > LIMITS.runNameLength)
    throw badInput(field, `a run name is 1 to ${LIMITS.runNameLength} characters`);
  checkName(n, field, LIMITS.runNameLength, 1);
  return n;
}

/**
 * A JSON argument (config, summary, gpu), checked without recursion: nesting at most `LIMITS.jsonDepth`, no
 * NUL or lone surrogate in any key or string (jsonb refuses both), at most `maxBytes` once serialized.
 * Returns the serialization, to store as is. Errors name the path (`config.model.name`) where there is one.
 */
export function checkJson(value: unknown, field: string, maxBytes: number): string {
  const stack: [unknown, string, number][] = [[value, field, 1]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw badInput(path, 'contains NUL (U+0000), which JSON storage cannot hold');
      if (!wellFormed(v)) throw badInput(path, 'contains a lone UTF-16 surrogate');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > LIMITS.jsonDepth)
      throw badInput(field, `nested deeper than ${LIMITS.jsonDepth} levels (at ${path})`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${path}[${i}]`, depth + 1]);
      continue;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000') || !wellFormed(k))
        throw badInput(path, `a key contains NUL (U+0000) or a lone surrogate: ${JSON.stringify(k)}`);
      stack.push([x, `${path}.${k}`, depth + 1]);
    }
  }
  const json = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes)
    throw badInput(
      field,
      `at most ${maxBytes.toLocaleString('en')} bytes as JSON, got ${bytes.toLocaleString('en')}`,
    );
  return json;
}

/** A JSON object argument (config, summary): checkJson, and an object rather than an array or a scalar. */
export function checkJsonObject(value: unknown, field: string, maxBytes: number): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badInput(field, 'must be a JSON object');
  return checkJson(value, field, maxBytes);
}

/** appendLogs' lines: at most 10,000 per call; each line and stream name within its limit, seq ≥ 0. */
export function checkLogLines(lines: readonly { seq: number; stream?: string | null; line: string }[]): void {
  if (lines.length > LIMITS.logLinesPerCall)
    throw badInput('lines', `at most ${LIMITS.logLinesPerCall} lines per call, got ${lines.length}`);
  lines.forEach((l, i) => {
    if (l.seq < 0) throw badInput(`lines[${i}].seq`, `must be non-negative, got ${l.seq}`);
    if (l.stream != null) checkName(l.stream, `lines[${i}].stream`, LIMITS.streamLength, 1);
    checkText(l.line, `lines[${i}].line`, LIMITS.logLineLength);
  });
}

/** A table cell: a JSON scalar. */
export type Cell = string | number | boolean | null;

/**
 * logTable's input: the key as a metric key; 1 to 64 distinct column names; at most 10,000 rows, each a list
 * with one cell per column, each cell a string (no NUL, at most 65,536 characters), a finite number, a boolean
 * or null; at most 8 MiB as JSON. Errors name the cell (`rows[3][1]`) and its column. Returns the rows, typed.
 */
export function checkTable(key: string, columns: readonly string[], rows: unknown): Cell[][] {
  const keyWrong = metricKeyProblem(key);
  if (keyWrong) throw badInput('key', keyWrong);
  if (!columns.length) throw badInput('columns', 'a table needs at least one column');
  checkList(columns, 'columns', LIMITS.tableColumns);
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    checkName(c, `columns[${i}]`, LIMITS.tableColumnLength, 1);
    if (seen.has(c)) throw badInput(`columns[${i}]`, `'${c}' is named twice`);
    seen.add(c);
  });
  if (!Array.isArray(rows)) throw badInput('rows', 'must be a list of rows, each a list of cells');
  checkList(rows, 'rows', LIMITS.tableRows);
  rows.forEach((row: unknown, i) => {
    if (!Array.isArray(row))
      throw badInput(`rows[${i}]`, `must be a list of ${columns.length} cells, got ${jsonType(row)}`);
    if (row.length !== columns.length)
      throw badInput(
        `rows[${i}]`,
        `has ${row.length} cells, the table has ${columns.length} columns (${columns.join(', ')})`,
      );
    row.forEach((cell: unknown, j) => {
      const at = `rows[${i}][${j}]`;
      if (typeof cell === 'string') checkText(cell, at, LIMITS.tableCellLength);
      else if (typeof cell === 'number' && !Number.isFinite(cell))
        throw badInput(at, `column '${columns[j]}': ${cell} is not a finite number`);
      else if (cell !== null && typeof cell !== 'number' && typeof cell !== 'boolean')
        throw badInput(
          at,
          `column '${columns[j]}': a cell is a string, a number, a boolean or null, got ${jsonType(cell)}`,
        );
    });
  });
  const bytes = Buffer.byteLength(JSON.stringify({ columns, rows }));
  if (bytes > LIMITS.tableBytes)
    throw badInput(
      'rows',
      `a table is at most ${LIMITS.tableBytes.toLocaleString('en')} bytes as JSON, got ${bytes.toLocaleString('en')}`,
    );
  return rows as Cell[][];
}

const jsonType = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : `a${typeof v === 'object' ? 'n' : ''} ${typeof v}`;

/**
 * What is left of a request's reading: table rows and bytes (LIMITS.tableRowsPerRequest, tableBytesPerRequest)
 * and the source rows of long series (LIMITS.seriesRowsPerRequest).
 */
export interface ReadBudget {
  rows: number;
  bytes: number;
  seriesRows: number;
}

export const newReadBudget = (): ReadBudget => ({
  rows: LIMITS.tableRowsPerRequest,
  bytes: LIMITS.tableBytesPerRequest,
  seriesRows: LIMITS.seriesRowsPerRequest,
});
