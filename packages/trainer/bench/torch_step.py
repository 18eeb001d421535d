#!/usr/bin/python3
"""PyTorch peer for `pnpm bench:train`: the same architecture — GPT-2, or with `llama NKV I` a Llama
(RMSNorm, RoPE, grouped-query attention with NKV kv heads, SwiGLU of width I, untied head) — and training
step (forward, backward, AdamW) on the CPU or, where PyTorch has one, a CUDA GPU. Prints one JSON line:
{"ms": median ms per step, "tokens_per_s": ..., "blas": BLAS or GPU name}.
Usage: torch_step.py V L NH C T B [threads] [cpu|cuda] [llama NKV I]"""
import json
import math
import sys
import time

import torch

V, L, NH, C, T, B = map(int, sys.argv[1:7])
torch.set_num_threads(int(sys.argv[7]) if len(sys.argv) > 7 else 2)
DEVICE = sys.argv[8] if len(sys.argv) > 8 else "cpu"
LLAMA = len(sys.argv) > 9 and sys.argv[9] == "llama"
torch.manual_seed(0)
if DEVICE != "cpu":
    torch.set_default_device(DEVICE)  # torch >= 2.0; Debian 12's 1.13 runs the CPU peer only


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = torch.nn.LayerNorm(C), torch.nn.LayerNorm(C)
        self.c_attn, self.c_proj = torch.nn.Linear(C, 3 * C), torch.nn.Linear(C, C)
        self.c_fc, self.mlp_proj = torch.nn.Linear(C, 4 * C), torch.nn.Linear(4 * C, C)
        self.register_buffer("mask", torch.tril(torch.ones(T, T, dtype=torch.bool)))

    def forward(self, x):
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, NH, C // NH).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // NH)
        att = att.masked_fill(~self.mask, float("-inf")).softmax(dim=-1)
        x = x + self.c_proj((att @ v).transpose(1, 2).reshape(B, T, C))
        return x + self.mlp_proj(torch.nn.functional.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = torch.nn.Embedding(V, C), torch.nn.Embedding(T, C)
        self.h = torch.nn.ModuleList(Block() for _ in range(L))
        self.ln_f = torch.nn.LayerNorm(C)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for b in self.h:
            x = b(x)
        logits = self.ln_f(x) @ self.wte.weight.T
        return torch.nn.functional.cross_entropy(logits.view(-1, V), targets.view(-1))


class LlamaBlock(torch.nn.Module):
    def __init__(self, NKV, I):
        super().__init__()
        HS = C // NH
        self.nkv = NKV
        self.w1, self.w2 = torch.nn.Parameter(torch.ones(C)), torch.nn.Parameter(torch.ones(C))
        self.q = torch.nn.Linear(C, C, bias=False)
        self.k, self.v = torch.nn.Linear(C, NKV * HS, bias=False), torch.nn.Linear(C, NKV * HS, bias=False)
        self.o = torch.nn.Linear(C, C, bias=False)
        self.gate, self.up = torch.nn.Linear(C, I, bias=False), torch.nn.Linear(C, I, bias=False)
        self.down = torch.nn.Linear(I, C, bias=False)
        inv = 1.0 / (10000 ** (torch.arange(0, HS, 2).float() / HS))
        f = torch.arange(T).float()[:, None] * inv[None]
        emb = torch.cat((f, f), -1)
        self.register_buffer("cos", emb.cos())
        self.register_buffer("sin", emb.sin())
        self.register_buffer("mask", torch.tril(torch.ones(T, T, dtype=torch.bool)))

    @staticmethod
    def norm(x, w):
        return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5))

    def rope(self, x):
        h = x.shape[-1] // 2
        return x * self.cos + torch.cat((-x[..., h:], x[..., :h]), -1) * self.sin

    def forward(self, x):
        HS = C // NH
        a = self.norm(x, self.w1)
        q = self.rope(self.q(a).view(B, T, NH, HS).transpose(1, 2))
        k = self.rope(self.k(a).view(B, T, self.nkv, HS).transpose(1, 2)).repeat_interleave(NH // self.nkv, 1)
        v = self.v(a).view(B, T, self.nkv, HS).transpose(1, 2).repeat_interleave(NH // self.nkv, 1)
        att = ((q @ k.transpose(-2, -1)) / math.sqrt(HS)).masked_fill(~self.mask, float("-inf")).softmax(dim=-1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(B, T, C))
        m = self.norm(x, self.w2)
        return x + self.down(torch.nn.functional.silu(self.gate(m)) * self.up(m))


class Llama(torch.nn.Module):
    def __init__(self, NKV, I):
        super().__init__()
        self.emb = torch.nn.Embedding(V, C)
        self.h = torch.nn.ModuleList(LlamaBlock(NKV, I) for _ in range(L))
        self.wf = torch.nn.Parameter(torch.ones(C))
        self.head = torch.nn.Linear(C, V, bias=False)

    def forward(self, idx, targets):
        x = self.emb(idx)
        for b in self.h:
            x = b(x)
        logits = self.head(LlamaBlock.norm(x, self.wf))
        return torch.nn.functional.cross_entropy(logits.view(-1, V), targets.view(-1))


model = Llama(int(sys.argv[10]), int(sys.argv[11])) if LLAMA else GPT()
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
idx, tgt = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
times = []
for i in range(12):
    t0 = time.perf_counter()
    opt.zero_grad()
    model(idx, tgt).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if DEVICE == "cuda":
        torch.cuda.synchronize()
    if i >= 2:
        times.append((time.perf_counter() - t0) * 1000)
times.sort()
ms = (times[4] + times[5]) / 2
# Which BLAS the process really loaded (Debian switches libblas.so.3 between reference and OpenBLAS).
with open("/proc/self/maps") as f:
    maps = f.read()
blas = "openblas" if "openblas" in maps else ("reference" if "/blas/libblas" in maps else "builtin")
if DEVICE == "cuda":
    blas = torch.cuda.get_device_name()
print(json.dumps({"ms": ms, "tokens_per_s": B * T / ms * 1000, "blas": blas, "threads": torch.get_num_threads(), "device": DEVICE}))
