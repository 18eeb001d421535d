// Chat templates: the Jinja template a chat model's tokenizer_config.json carries (`chat_template`, a string,
// or a list of named templates with `default`), rendered as transformers' apply_chat_template renders it,
// through Hugging Face's own Jinja subset (@huggingface/jinja, written for exactly these templates).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';

export interface ChatMessage {
  role: string;
  content: string;
}

/** A special token as tokenizer_config.json writes it: a string, or an AddedToken object with `content`. */
type TokenField = string | { content?: string } | null | undefined;

const tokenText = (t: TokenField): string => (typeof t === 'string' ? t : (t?.content ?? ''));

export class ChatTemplate {
  private readonly template: Template;

  constructor(
    readonly source: string,
    readonly specialTokens: { bos_token: string; eos_token: string; pad_token: string; unk_token: string },
    readonly where = 'chat_template',
  ) {
    try {
      this.template = new Template(source);
    } catch (e) {
      throw new Error(`${where}: the template does not parse (${(e as Error).message})`);
    }
  }

  /**
   * The chat template of a model directory's tokenizer_config.json, or null when it has none (a base model).
   * `name` picks one of several named templates (default: `default`).
   */
  static fromDir(dir: string, name = 'default'): ChatTemplate | null {
    const path = join(dir, 'tokenizer_config.json');
    if (!existsSync(path)) return null;
    let cfg: Record<string, unknown>;
    try {
      cfg = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
    }
    let source = cfg.chat_template;
    const where = `${path}: chat_template`;
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

  /** The conversation as the model was trained to read it; with addGenerationPrompt, ready for its reply. */
  render(messages: ChatMessage[], { addGenerationPrompt = false } = {}): string {
    for (const [i, m] of messages.entries())
      if (typeof m?.role !== 'string' || typeof m?.content !== 'string')
        throw new Error(`messages[${i}]: needs a string role and a string content`);
    try {
      return this.template.render({
        messages,
        add_generation_prompt: addGenerationPrompt,
        ...this.specialTokens,
      });
    } catch (e) {
      // Templates reject bad conversations themselves (raise_exception('Conversation roles must alternate…')).
      throw new Error(`${this.where}: ${(e as Error).message}`);
    }
  }
}
