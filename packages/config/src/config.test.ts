import { describe, expect, it } from 'vitest';
import { applyOverrides, ConfigError, resolveConfig } from './config.ts';

describe('run config', () => {
  it('fills grouped defaults', () => {
    const c = resolveConfig({ model: { base: 'bases/gpt' } });
    expect(c.optim).toMatchObject({ kind: 'adamw', lr: 3e-4, maxGradNorm: 1, gradAccumSteps: 1 });
    expect(c.data.split).toEqual({ validation: 0.1, test: 0.1, stratify: true });
    expect(c.model.task).toBe('causal-lm');
    expect(c.data.truncation).toEqual({ keep: 'head', headTokens: 64, maxChunks: 8 });
  });

  it('takes model.arch gpt2, llama or bert, and names a wrong one', () => {
    expect(resolveConfig({ model: { base: 'b', arch: 'llama' } }).model.arch).toBe('llama');
    expect(resolveConfig({ model: { base: 'b' } }).model.arch).toBeUndefined();
    expect(() => resolveConfig({ model: { base: 'b', arch: 'mamba' } })).toThrow(/model\.arch/);
  });

  it('rejects unknown keys, naming their path', () => {
    expect(() => resolveConfig({ model: { base: 'x' }, optim: { lr: 1e-3, learning_rate: 2 } })).toThrow(
      /optim: unknown key 'optim.learning_rate'/,
    );
    expect(() => resolveConfig({ modle: {} })).toThrow(/unknown key 'modle'/);
  });

  it('rejects wrong types and ranges, naming the key', () => {
    const err = (() => {
      try {
        resolveConfig({ model: { base: 'x' }, train: { batchSize: 'eight' }, schedule: { factor: 2 } });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.issues.map((i) => i.path).sort()).toEqual(['schedule.factor', 'train.batchSize']);
    expect(() => resolveConfig({ model: { base: 'x' }, data: { truncation: { keep: 'middle' } } })).toThrow(
      /data.truncation.keep/,
    );
  });

  it('accepts a plain run name and refuses one that is not a single safe directory name, naming `name`', () => {
    expect(resolveConfig({ model: { base: 'x' }, name: 'spam lr=3e-4 (v2)' }).name).toBe('spam lr=3e-4 (v2)');
    expect(resolveConfig({ model: { base: 'x' } }).name).toBe('run');
    for (const [name, message] of [
      ['../../../../tmp/x', /'\/'/],
      ['a/b', /'\/'/],
      ['a\\b', /'\\'/],
      ['..', /'\.\.'/],
      ['x..y', /'\.\.'/],
      ['.hidden', /start with '\.'/],
      ['nul\0byte', /control/],
      ['line\nbreak', /control/],
      ['c1\u0085', /control/],
      ['bidi\u202eevil', /control or invisible/],
      ['zero\u200bwidth', /control or invisible/],
      ['', /too small|>=1/i],
      ['x'.repeat(101), /too big|<=100/i],
    ] as const) {
      const err = (() => {
        try {
          resolveConfig({ model: { base: 'x' }, name });
        } catch (e) {
          return e as ConfigError;
        }
      })();
      expect(err, JSON.stringify(name)).toBeInstanceOf(ConfigError);
      expect(new Set(err!.issues.map((i) => i.path))).toEqual(new Set(['name']));
      expect(err!.message, JSON.stringify(name)).toMatch(message);
    }
  });

  it('applies --key.path=value overrides as YAML scalars', () => {
    const raw = applyOverrides({ model: { base: 'x' } }, [
      '--optim.lr=1e-4',
      '--train.earlyStopping.patience=5',
      '--name=my run',
    ]);
    const c = resolveConfig(raw);
    expect(c.optim.lr).toBe(1e-4);
    expect(c.train.earlyStopping?.patience).toBe(5);
    expect(c.name).toBe('my run');
    expect(() => applyOverrides({}, ['optim.lr'])).toThrow(/--key.path=value/);
  });

  it('validates LoRA settings, naming the key', () => {
    const c = resolveConfig({ model: { base: 'x', lora: { targets: ['c_attn'] } } });
    expect(c.model.lora).toEqual({ rank: 8, alpha: 16, targets: ['c_attn'] });
    expect(() => resolveConfig({ model: { base: 'x', lora: { rank: 0, targets: ['c_attn'] } } })).toThrow(
      /model\.lora\.rank/,
    );
    expect(() => resolveConfig({ model: { base: 'x', lora: { targets: [] } } })).toThrow(
      /model\.lora\.targets/,
    );
    expect(() =>
      resolveConfig({ model: { base: 'x', trainLastBlocks: 1, lora: { targets: ['c_attn'] } } }),
    ).toThrow(/model: model.lora and model.trainLastBlocks cannot be combined/);
  });
});
