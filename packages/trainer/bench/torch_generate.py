#!/usr/bin/python3
"""PyTorch peer for `pnpm bench:generate`: the same GPT-2 architecture generating greedily with a KV cache
written by hand (per-layer key/value tensors preallocated to the full length, filled at each position, as
Hugging Face's past_key_values), on the CPU or a CUDA GPU, random weights. Prints one JSON line:
{"ttft_ms": prefill + first token, "step_ms": median decode step, "tokens_per_s": B / step, "blas": ...}.
Usage: torch_generate.py V L NH C NPOS B PROMPT NEW [threads] [cpu|cuda]"""
import json
import math
import statistics
import sys
import time

import torch

V, L, NH, C, NPOS, B, PROMPT, NEW = map(int, sys.argv[1:9])
torch.set_num_threads(int(sys.argv[9]) if len(sys.argv) > 9 else 2)
DEVICE = sys.argv[10] if len(sys.argv) > 10 else "cpu"
HS = C // NH
MAXT = PROMPT + NEW
torch.manual_seed(0)


def lin(i, o):
    return torch.randn(i, o, device=DEVICE) * 0.02, torch.zeros(o, device=DEVICE)


wte = torch.randn(V, C, device=DEVICE) * 0.02
wpe = torch.randn(NPOS, C, device=DEVICE) * 0.01
layers = [
    {
        "ln1": (torch.ones(C, device=DEVICE), torch.zeros(C, device=DEVICE)),
        "attn": lin(C, 3 * C),
        "proj": lin(C, C),
        "ln2": (torch.ones(C, device=DEVICE), torch.zeros(C, device=DEVICE)),
        "fc": lin(C, 4 * C),
        "fcproj": lin(4 * C, C),
        "k": torch.zeros(B, NH, MAXT, HS, device=DEVICE),
        "v": torch.zeros(B, NH, MAXT, HS, device=DEVICE),
    }
    for _ in range(L)
]
lnf = (torch.ones(C, device=DEVICE), torch.zeros(C, device=DEVICE))


def forward(idx, start):
    """Logits of the last position of idx (B, T), whose tokens sit at positions start..start+T-1."""
    T = idx.shape[1]
    x = wte[idx] + wpe[start : start + T]
    for ly in layers:
        a = torch.nn.functional.layer_norm(x, (C,), *ly["ln1"])
        q, k, v = torch.addmm(ly["attn"][1], a.view(-1, C), ly["attn"][0]).view(B, T, 3 * C).split(C, dim=2)
        q, k, v = (t.view(B, T, NH, HS).transpose(1, 2) for t in (q, k, v))
        ly["k"][:, :, start : start + T] = k
        ly["v"][:, :, start : start + T] = v
        K, Vv = ly["k"][:, :, : start + T], ly["v"][:, :, : start + T]
        att = (q @ K.transpose(-2, -1)) / math.sqrt(HS)
        if T > 1:
            mask = torch.ones(T, start + T, dtype=torch.bool, device=DEVICE).tril(start)
            att = att.masked_fill(~mask, float("-inf"))
        y = (att.softmax(dim=-1) @ Vv).transpose(1, 2).reshape(B * T, C)
        x = x + torch.addmm(ly["proj"][1], y, ly["proj"][0]).view(B, T, C)
        m = torch.nn.functional.layer_norm(x, (C,), *ly["ln2"])
        m = torch.nn.functional.gelu(torch.addmm(ly["fc"][1], m.view(-1, C), ly["fc"][0]), approximate="tanh")
        x = x + torch.addmm(ly["fcproj"][1], m, ly["fcproj"][0]).view(B, T, C)
    x = torch.nn.functional.layer_norm(x[:, -1], (C,), *lnf)
    return x @ wte.T


def sync():
    if DEVICE != "cpu":
        torch.cuda.synchronize()


with torch.inference_mode():
    prompt = torch.randint(0, V, (B, PROMPT), device=DEVICE)
    forward(prompt, 0)  # warm-up
    sync()
    t0 = time.perf_counter()
    tok = forward(prompt, 0).argmax(-1)
    tok.tolist()
    ttft = (time.perf_counter() - t0) * 1000
    steps = []
    for i in range(NEW - 1):
        t0 = time.perf_counter()
        tok = forward(tok.view(B, 1), PROMPT + i).argmax(-1)
        tok.tolist()  # the ids reach the host each step, as a streaming generator needs
        steps.append((time.perf_counter() - t0) * 1000)
    step = statistics.median(steps)
    blas = torch.cuda.get_device_name() if DEVICE != "cpu" else (
        "OpenBLAS" if "openblas" in torch.__config__.show().lower() else "MKL" if "mkl" in torch.__config__.show().lower() else "?")
    print(json.dumps({"ttft_ms": ttft, "step_ms": step, "tokens_per_s": B * 1000 / step, "blas": blas,
                      "device": DEVICE, "threads": torch.get_num_threads()}))
