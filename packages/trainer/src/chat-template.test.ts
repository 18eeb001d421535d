import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatTemplate } from './chat-template.ts';

// Templates as their models' tokenizer_config.json ship them (Qwen2's ChatML; Mistral-7B-Instruct-v0.1).
const CHATML =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const MISTRAL =
  "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

describe('chat templates from tokenizer_config.json', () => {
  const dirs: string[] = [];
  const dirWith = (config: object | string) => {
    const d = mkdtempSync(join(tmpdir(), 'anneal-chat-'));
    dirs.push(d);
    writeFileSync(
      join(d, 'tokenizer_config.json'),
      typeof config === 'string' ? config : JSON.stringify(config),
    );
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const chat = [
    { role: 'user', content: 'Hello, how are you?' },
    { role: 'assistant', content: "I'm doing great." },
    { role: 'user', content: 'Show me.' },
  ];

  it('renders ChatML with the generation prompt', async () => {
    const t = ChatTemplate.fromDir(dirWith({ chat_template: CHATML, eos_token: '<|im_end|>' }))!;
    expect(await t.render(chat.slice(0, 1), { addGenerationPrompt: true })).toBe(
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHello, how are you?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it("renders Mistral's [INST] template with special tokens given as AddedToken objects", async () => {
    const t = ChatTemplate.fromDir(
      dirWith({ chat_template: MISTRAL, bos_token: { content: '<s>', lstrip: false }, eos_token: '</s>' }),
    )!;
    expect(await t.render(chat)).toBe(
      "<s>[INST] Hello, how are you? [/INST]I'm doing great.</s> [INST] Show me. [/INST]",
    );
  });

  it("passes the template's own error for a conversation it refuses, naming the file", async () => {
    const t = ChatTemplate.fromDir(dirWith({ chat_template: MISTRAL, bos_token: '<s>', eos_token: '</s>' }))!;
    await expect(t.render([chat[1]])).rejects.toThrow(/chat_template: .*Conversation roles must alternate/);
  });

  it('picks a named template from a list, and names what is missing', async () => {
    const d = dirWith({
      chat_template: [
        { name: 'default', template: CHATML },
        { name: 'tool_use', template: '{{ "tools" }}' },
      ],
    });
    expect(await ChatTemplate.fromDir(d, 'tool_use')!.render(chat)).toBe('tools');
    expect(await ChatTemplate.fromDir(d)!.render(chat)).toContain('<|im_start|>user');
    expect(() => ChatTemplate.fromDir(d, 'rag')).toThrow(
      /no template named 'rag' \(has: default, tool_use\)/,
    );
  });

  it('is null for a base model without a template or without tokenizer_config.json', () => {
    expect(ChatTemplate.fromDir(dirWith({ eos_token: '</s>' }))).toBeNull();
    expect(ChatTemplate.fromDir(mkdtempSync(join(tmpdir(), 'anneal-chat-none-')))).toBeNull();
  });

  it('rejects malformed JSON, templates and messages by name', async () => {
    expect(() => ChatTemplate.fromDir(dirWith('{not json'))).toThrow(
      /tokenizer_config\.json: not valid JSON/,
    );
    // Parsed only in the limited worker thread: refused when rendered.
    await expect(
      ChatTemplate.fromDir(dirWith({ chat_template: '{% for x in %}' }))!.render(chat),
    ).rejects.toThrow(/chat_template: the template does not parse/);
    expect(() => ChatTemplate.fromDir(dirWith({ chat_template: 42 }))).toThrow(/must be a string or a list/);
    const t = ChatTemplate.fromDir(dirWith({ chat_template: CHATML }))!;
    await expect(t.render([{ role: 'user', content: 3 as unknown as string }])).rejects.toThrow(
      /messages\[0\]: needs/,
    );
    await expect(t.render([])).rejects.toThrow(/messages: needs at least one/);
    expect(() => ChatTemplate.fromDir(dirWith({ chat_template: `{{ '${'x'.repeat(300_000)}' }}` }))).toThrow(
      /chat_template: the template is 300008 characters long, over the limit of 200000/,
    );
  });

  // A hostile tokenizer_config.json on a shared worker: each is stopped with an error naming the limit, and the
  // process goes on (the next render works).
  it('stops a template that runs too long, takes too much memory or writes too much', async () => {
    const loop = ChatTemplate.fromDir(
      dirWith({
        chat_template:
          '{% for i in range(100000) %}{% for j in range(100000) %}{% set x = i * j %}{% endfor %}{% endfor %}',
      }),
    )!;
    const started = performance.now();
    await expect(loop.render(chat, { limits: { timeMs: 300 } })).rejects.toThrow(
      /chat_template: rendering took longer than 300 ms and was stopped/,
    );
    expect(performance.now() - started).toBeLessThan(5_000);

    const hog = ChatTemplate.fromDir(
      dirWith({ chat_template: '{% set x = range(400000000) %}{{ x|length }}' }),
    )!;
    await expect(hog.render(chat, { limits: { heapMb: 32, timeMs: 20_000 } })).rejects.toThrow(
      /chat_template: rendering needed more than 32 MB of memory and was stopped/,
    );

    const wordy = ChatTemplate.fromDir(
      dirWith({ chat_template: `{% for i in range(5000) %}{{ '${'spam '.repeat(100)}' }}{% endfor %}` }),
    )!;
    await expect(wordy.render(chat, { limits: { outputChars: 100_000 } })).rejects.toThrow(
      /chat_template: rendered 2500000 characters, over the limit of 100000/,
    );

    // A template the parser takes quadratic time on (a long run of spaces): nothing of it runs on this thread.
    const started2 = performance.now();
    const slow = ChatTemplate.fromDir(dirWith({ chat_template: `${' '.repeat(199_999)}x` }))!;
    expect(performance.now() - started2).toBeLessThan(500);
    await expect(slow.render(chat, { limits: { timeMs: 300 } })).rejects.toThrow(/took longer than 300 ms/);

    // An error message doubled to a million characters by the template comes back cut.
    const loud = ChatTemplate.fromDir(
      dirWith({
        chat_template:
          "{% set ns = namespace(s='x') %}{% for i in range(20) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ raise_exception(ns.s) }}",
      }),
    )!;
    const err = await loud.render(chat).catch((e: Error) => e.message);
    expect(err).toMatch(/chat_template: x{2000}… \(1048576 characters\)$/);
    expect(err.length).toBeLessThan(2_200);

    const ok = ChatTemplate.fromDir(dirWith({ chat_template: CHATML }))!;
    expect(await ok.render(chat.slice(0, 1))).toContain('Hello, how are you?');
  });
});
