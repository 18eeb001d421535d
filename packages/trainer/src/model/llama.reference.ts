// A float64 Llama forward on the CPU, straight from Hugging Face's LlamaForCausalLM (modeling_llama.py):
// RMSNorm, q/k/v projections with optional biases, rotate-half RoPE from the same inv_freq, grouped-query
// causal attention (repeat_kv), o_proj, SwiGLU MLP, final norm and head. One sequence, every position's
// logits; tests use it as the truth for the GPU model and its KV-cache decoder. Not fast: tiny models only.

import { ropeInvFreq } from '@anneal/kernels/ops/rope/rope';
import type { LlamaConfig } from './llama.ts';

/** y (T, out) = x (T, in) · Wᵀ (+ b), W (out, in) as nn.Linear stores it. */
function linear(x: Float64Array, T: number, w: Float32Array, b: Float32Array | undefined, out: number) {
  const inp = w.length / out;
  const y = new Float64Array(T * out);
  for (let t = 0; t < T; t++)
    for (let o = 0; o < out; o++) {
      let acc = b ? b[o] : 0;
      for (let i = 0; i < inp; i++) acc += x[t * inp + i] * w[o * inp + i];
      y[t * out + o] = acc;
    }
  return y;
}

function rmsnorm(x: Float64Array, T: number, C: number, w: Float32Array, eps: number) {
  const y = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    let ss = 0;
    for (let c = 0; c < C; c++) ss += x[t * C + c] ** 2;
    const r = 1 / Math.sqrt(ss / C + eps);
    for (let c = 0; c < C; c++) y[t * C + c] = x[t * C + c] * r * w[c];
  }
  return y;
}

/** In place: each head's (i, i + HS/2) pairs rotated by position t. */
function rope(x: Float64Array, T: number, heads: number, HS: number, inv: Float64Array) {
  const half = HS / 2;
  for (let t = 0; t < T; t++)
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < half; i++) {
        const base = (t * heads + h) * HS;
        const [a, b] = [x[base + i], x[base + i + half]];
        const [c, s] = [Math.cos(t * inv[i]), Math.sin(t * inv[i])];
        x[base + i] = a * c - b * s;
        x[base + i + half] = b * c + a * s;
      }
}

/** logits (T, V) of a Llama on `tokens` (positions 0..T-1). */
export function llamaForwardRef(
  c: LlamaConfig,
  w: Map<string, Float32Array>,
  tokens: number[],
): Float64Array {
  const T = tokens.length;
  const { hiddenSize: C, nHead: NH, nKvHead: NKV, headDim: HS, intermediateSize: I, rmsNormEps: eps } = c;
  const get = (n: string) => {
    const x = w.get(n);
    if (!x) throw new Error(`llamaForwardRef: missing ${n}`);
    return x;
  };
  const inv = ropeInvFreq(HS, c.ropeTheta, c.ropeScaling);
  const emb = get('model.embed_tokens.weight');
  let x = new Float64Array(T * C);
  tokens.forEach((id, t) => {
    for (let i = 0; i < C; i++) x[t * C + i] = emb[id * C + i];
  });
  for (let l = 0; l < c.nLayer; l++) {
    const h = `model.layers.${l}`;
    const a = `${h}.self_attn`;
    const ln = rmsnorm(x, T, C, get(`${h}.input_layernorm.weight`), eps);
    const q = linear(ln, T, get(`${a}.q_proj.weight`), w.get(`${a}.q_proj.bias`), NH * HS);
    const k = linear(ln, T, get(`${a}.k_proj.weight`), w.get(`${a}.k_proj.bias`), NKV * HS);
    const v = linear(ln, T, get(`${a}.v_proj.weight`), w.get(`${a}.v_proj.bias`), NKV * HS);
    rope(q, T, NH, HS, inv);
    rope(k, T, NKV, HS, inv);
    const atty = new Float64Array(T * NH * HS);
    for (let hd = 0; hd < NH; hd++) {
      const kh = Math.floor((hd * NKV) / NH);
      for (let t = 0; t < T; t++) {
        const s = new Float64Array(t + 1);
        let m = -Infinity;
        for (let j = 0; j <= t; j++) {
          let dot = 0;
          for (let d = 0; d < HS; d++) dot += q[(t * NH + hd) * HS + d] * k[(j * NKV + kh) * HS + d];
          s[j] = dot / Math.sqrt(HS);
          m = Math.max(m, s[j]);
        }
        let sum = 0;
        for (let j = 0; j <= t; j++) {
          s[j] = Math.exp(s[j] - m);
          sum += s[j];
        }
        for (let d = 0; d < HS; d++) {
          let acc = 0;
          for (let j = 0; j <= t; j++) acc += s[j] * v[(j * NKV + kh) * HS + d];
          atty[(t * NH + hd) * HS + d] = acc / sum;
        }
      }
    }
    const o = linear(atty, T, get(`${a}.o_proj.weight`), w.get(`${a}.o_proj.bias`), C);
    const x2 = x.map((xi, i) => xi + o[i]);
    const ln2 = rmsnorm(x2, T, C, get(`${h}.post_attention_layernorm.weight`), eps);
    const gate = linear(ln2, T, get(`${h}.mlp.gate_proj.weight`), undefined, I);
    const up = linear(ln2, T, get(`${h}.mlp.up_proj.weight`), undefined, I);
    const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]);
    const down = linear(act, T, get(`${h}.mlp.down_proj.weight`), undefined, C);
    x = x2.map((xi, i) => xi + down[i]);
  }
  const lnf = rmsnorm(x, T, C, get('model.norm.weight'), eps);
  const head = get(c.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight');
  return linear(lnf, T, head, undefined, c.vocabSize);
}

/** Greedy continuation of `prompt` by n tokens: the arg max of the float64 logits at each step. */
export function llamaGreedyRef(
  c: LlamaConfig,
  w: Map<string, Float32Array>,
  prompt: number[],
  n: number,
): { tokens: number[]; margins: number[] } {
  const seq = [...prompt];
  const margins: number[] = [];
  for (let i = 0; i < n; i++) {
    const logits = llamaForwardRef(c, w, seq);
    const last = logits.subarray((seq.length - 1) * c.vocabSize);
    let [best, second] = [0, -Infinity];
    for (let v = 1; v < c.vocabSize; v++) {
      if (last[v] > last[best]) [best, second] = [v, last[best]];
      else second = Math.max(second, last[v]);
    }
    margins.push(last[best] - second);
    seq.push(best);
  }
  return { tokens: seq.slice(prompt.length), margins };
}
