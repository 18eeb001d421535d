"""A small PyTorch training script tracked with the Anneal Python SDK — and sweepable as it is:

    python examples/python/torch_mlp.py --lr 0.01 --hidden 32
    python -m anneal agent <sweep id>     # with `program: examples/python/torch_mlp.py` in the sweep file

An MLP learns a noisy two-moons-like classification task (generated here, no download) for a few hundred steps;
it logs train/loss every step and val/loss, val/acc every 20 steps, and records the final weights as an artifact.
"""

import argparse
import math
import os
import tempfile

import torch
from torch import nn

import anneal

p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.01)
p.add_argument("--hidden", type=int, default=32)
p.add_argument("--steps", type=int, default=300)
p.add_argument("--batch_size", type=int, default=64)
p.add_argument("--project", default=os.environ.get("ANNEAL_PROJECT", "default"))
args = p.parse_args()

torch.manual_seed(0)


def moons(n: int) -> "tuple[torch.Tensor, torch.Tensor]":
    t = torch.rand(n) * math.pi
    label = torch.randint(0, 2, (n,))
    x = torch.stack([torch.cos(t) + label * 1.0, torch.sin(t) * (1 - 2 * label) + label * 0.5], 1)
    return x + 0.15 * torch.randn_like(x), label


x_train, y_train = moons(4096)
x_val, y_val = moons(512)
model = nn.Sequential(nn.Linear(2, args.hidden), nn.ReLU(), nn.Linear(args.hidden, args.hidden), nn.ReLU(),
                      nn.Linear(args.hidden, 2))
opt = torch.optim.Adam(model.parameters(), lr=args.lr)
loss_fn = nn.CrossEntropyLoss()

run = anneal.init(project=args.project, name=f"mlp-lr{args.lr:g}-h{args.hidden}", config=vars(args), tags=["torch"])
for step in range(args.steps):
    idx = torch.randint(0, len(x_train), (args.batch_size,))
    loss = loss_fn(model(x_train[idx]), y_train[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    metrics = {"train/loss": loss}  # a tensor: the SDK takes .item()
    if step % 20 == 19 or step == args.steps - 1:
        with torch.no_grad():
            logits = model(x_val)
            metrics["val/loss"] = loss_fn(logits, y_val)
            metrics["val/acc"] = (logits.argmax(1) == y_val).float().mean()
        print(f"step {step}: train/loss {loss.item():.4f} val/acc {metrics['val/acc'].item():.3f}")
    run.log(metrics, step=step)

weights = os.path.join(tempfile.mkdtemp(), "mlp.pt")
torch.save(model.state_dict(), weights)
run.log_artifact(weights, type="model", name="mlp", aliases=["final"])
run.finish()
print(run.id)
