// Chat templates: the Jinja template a chat model's tokenizer_config.json carries (`chat_template`, a string,
// or a list of named templates with `default`), rendered as transformers' apply_chat_template renders it,
// through Hugging Face's own Jinja subset (@huggingface/jinja, written for exactly these templates). A template
// is code from a model directory — anyone's upload, on a shared worker — so it is parsed and rendered only in a
// worker thread of its own, with a time limit, a heap limit, no environment and a bound on its output and on its
// error message: `{% for i in range(10**9) %}`, a template the parser takes quadratic time on, or an error message
// doubled to a gigabyte ends in a clear error, never in a stalled or crashed worker. (A worker thread is a limit,
// not a security boundary: the library gives templates no way to reach Node's globals.)

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface ChatMessage {
  role: string;
  content: string;
}

/** A special token as tokenizer_config.json writes it: a string, or an AddedToken object with `content`. */
type TokenField = string | { content?: string } | null | undefined;

const tokenText = (t: TokenField): string => (typeof t === 'string' ? t : (t?.content ?? ''));

/**
 * What one rendering may take: wall time, heap, output characters, template source characters, characters of an
 * error message passed on (a template's own raise_exception message included).
 */
export const CHAT_LIMITS = {
  timeMs: 2_000,
  heapMb: 64,
  outputChars: 1_000_000,
  sourceChars: 200_000,
  errorChars: 2_000,
};

// The parse and the render, in a worker thread of their own (a CommonJS eval script: it needs no file of ours,
// bundled or not). An error message is cut there, under the thread's limits, before it is sent.
const RENDER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const cut = (m) => (m.length > w.errorChars ? m.slice(0, w.errorChars) + '… (' + m.length + ' characters)' : m);
let reply;
let template;
try {
  const { Template } = require(w.lib);
  template = new Template(w.source);
} catch (e) {
  reply = { error: 'the template does not parse (' + cut(String((e && e.message) || e)) + ')' };
}
if (!reply) {
  try {
    const text = template.render(w.context);
    reply = typeof text !== 'string' ? { error: 'the template gave no text' }
      : text.length > w.outputChars ? { tooLong: text.length } : { text };
  } catch (e) {
    reply = { error: cut(String((e && e.message) || e)) };
  }
}
parentPort.postMessage(reply);
`;

let jinjaPath: string | undefined;

/**
 * A model directory's tokenizer_config.json, or null when it has none; an error naming the file when it is not a
 * JSON object.
 */
function readTokenizerConfig(dir: string): Record<string, unknown> | null {
  const path = join(dir, 'tokenizer_config.json');
  if (!existsSync(path)) return null;
  let cfg: unknown;
  try {
    cfg = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg))
    throw new Error(`${path}: not a JSON object`);
  return cfg as Record<string, unknown>;
}

/**
 * tokenizer_config.json's eos_token (a chat model's end-of-turn token, such as <|im_end|>), or null — also when
 * the file is missing or unreadable: plain generation does not depend on it.
 */
export function tokenizerConfigEos(dir: string): string | null {
  try {
    return tokenText(readTokenizerConfig(dir)?.eos_token as TokenField) || null;
  } catch {
    return null;
  }
}

export class ChatTemplate {
  /** The source is only kept here: it is parsed with each rendering, in the limited worker thread. */
  constructor(
    readonly source: string,
    readonly specialTokens: { bos_token: string; eos_token: string; pad_token: string; unk_token: string },
    readonly where = 'chat_template',
  ) {
    if (source.length > CHAT_LIMITS.sourceChars)
      throw new Error(
        `${where}: the template is ${source.length} characters long, over the limit of ${CHAT_LIMITS.sourceChars}`,
      );
  }

  /**
   * The chat template of a model directory's tokenizer_config.json, or null when it has none (a base model).
   * `name` picks one of several named templates (default: `default`).
   */
  static fromDir(dir: string, name = 'default'): ChatTemplate | null {
    const cfg = readTokenizerConfig(dir);
    if (!cfg) return null;
    let source = cfg.chat_template;
    const where = `${join(dir, 'tokenizer_config.json')}: chat_template`;
    if (source === undefined || source === null) return null;
    if (Array.isArray(source)) {
      const entry = source.find((t) => (t as { name?: string })?.name === name) as { template?: unknown };
      if (!entry)
        throw new Error(
          `${where} has no template named '${name}' (has: ${source.map((t) => (t as { name?: string })?.name).join(', ')})`,
        );
      source = entry.template;
    }
    if (typeof source !== 'string')
      throw new Error(`${where} must be a string or a list of {name, template}`);
    const tokens = {
      bos_token: tokenText(cfg.bos_token as TokenField),
      eos_token: tokenText(cfg.eos_token as TokenField),
      pad_token: tokenText(cfg.pad_token as TokenField),
      unk_token: tokenText(cfg.unk_token as TokenField),
    };
    return new ChatTemplate(source, tokens, where);
  }

  /**
   * The conversation as the model was trained to read it; with addGenerationPrompt, ready for its reply. Runs
   * in a worker thread under CHAT_LIMITS (`limits` overrides them, for tests): a template that runs too long,
   * takes too much memory or writes too much is stopped with an error naming the limit.
   */
  async render(
    messages: ChatMessage[],
    { addGenerationPrompt = false, limits = {} as Partial<typeof CHAT_LIMITS> } = {},
  ): Promise<string> {
    if (!Array.isArray(messages) || messages.length === 0)
      throw new Error('messages: needs at least one {role, content}');
    for (const [i, m] of messages.entries())
      if (typeof m?.role !== 'string' || typeof m?.content !== 'string')
        throw new Error(`messages[${i}]: needs a string role and a string content`);
    const l = { ...CHAT_LIMITS, ...limits };
    jinjaPath ??= createRequire(import.meta.url).resolve('@huggingface/jinja');
    const worker = new Worker(RENDER, {
      eval: true,
      workerData: {
        lib: jinjaPath,
        source: this.source,
        outputChars: l.outputChars,
        errorChars: l.errorChars,
        context: {
          messages: messages.map(({ role, content }) => ({ role, content })),
          add_generation_prompt: addGenerationPrompt,
          ...this.specialTokens,
        },
      },
      resourceLimits: { maxOldGenerationSizeMb: l.heapMb, maxYoungGenerationSizeMb: 16 },
      env: {}, // none of this process's variables (an API key among them)
      stdout: true,
      stderr: true,
    });
    type Reply = { text?: string; error?: string; tooLong?: number };
    const reply = await new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.where}: rendering took longer than ${l.timeMs} ms and was stopped`));
        void worker.terminate();
      }, l.timeMs);
      worker.once('message', (r: Reply) => {
        clearTimeout(timer);
        resolve(r);
      });
      worker.once('error', (e: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(
          new Error(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `${this.where}: rendering needed more than ${l.heapMb} MB of memory and was stopped`
              : `${this.where}: ${e.message}`,
          ),
        );
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.where}: the renderer exited (code ${code}) without a result`));
      });
    }).finally(() => void worker.terminate());
    // Templates reject bad conversations themselves (raise_exception('Conversation roles must alternate…')).
    if (reply.error !== undefined)
      throw new Error(`${this.where}: ${String(reply.error).slice(0, 2 * l.errorChars)}`);
    if (reply.tooLong !== undefined)
      throw new Error(
        `${this.where}: rendered ${reply.tooLong} characters, over the limit of ${l.outputChars}`,
      );
    return reply.text as string;
  }
}
