// The command of a sweep trial, built from the sweep's `command` the way W&B's agent (and `python -m anneal agent`,
// clients/python/anneal/agent.py) builds it: a list item that is exactly one of the macros below is replaced by its
// tokens; anything else is passed as it is. Values are written as Python's str() writes them (`--lr=0.001`,
// `--layers=[64, 64]`, `--amp=True`), so a sweep's trials get the same arguments from either agent.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: W&B's command macros are literal `${…}` strings

export const DEFAULT_COMMAND = ['${env}', '${interpreter}', '${program}', '${args}'];

export interface MacroContext {
  /** The file `${args_json_file}` names (the parameters as JSON, written by the agent). */
  jsonFile: string;
  /** What `${interpreter}` runs: ANNEAL_PYTHON, else python3 (the Python agent uses its own interpreter). */
  interpreter: string;
  /** `${env}`: /usr/bin/env, nothing on Windows. */
  env: string[];
}

/** A float as Python's repr writes it: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (x !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = x.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

/** A number as Python sees it after json.loads: an integer literal is an int, anything else a float. */
function pyNumber(x: number): string {
  const json = JSON.stringify(x);
  return Number.isInteger(x) && json !== undefined && !/[eE]/.test(json) ? json : pyFloat(x);
}

function pyRepr(v: unknown): string {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : pyStr(v);
}

/** A parameter value as Python's str() writes it. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/** JSON as Python's json.dumps writes it (", " and ": " separators, non-ASCII escaped): `${args_json}`. */
export function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number')
    return Number.isFinite(v) ? pyNumber(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string')
    return JSON.stringify(v).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${pyJson(k)}: ${pyJson(x)}`)
    .join(', ')}}`;
}

/** The argv of a trial: `command` (default `${env} ${interpreter} ${program} ${args}`) with its macros expanded. */
export function buildCommand(
  command: readonly unknown[] | null | undefined,
  program: string | null | undefined,
  params: Record<string, unknown>,
  ctx: MacroContext,
): string[] {
  const flags = Object.entries(params).map(([k, v]) => `${k}=${pyStr(v)}`);
  const macros: Record<string, string[]> = {
    args: flags.map((f) => `--${f}`),
    args_no_hyphens: flags,
    args_json: [pyJson(params)],
    args_json_file: [ctx.jsonFile],
    interpreter: [ctx.interpreter],
    program: program ? [program] : [],
    env: ctx.env,
  };
  const out: string[] = [];
  for (const chunk of command?.length ? command : DEFAULT_COMMAND) {
    const c = String(chunk);
    const name = c.startsWith('${') && c.endsWith('}') ? c.slice(2, -1) : null;
    if (name !== null && Object.hasOwn(macros, name)) out.push(...macros[name]);
    else out.push(c);
  }
  return out;
}
