"""A typical W&B training script, with only its import changed, logs into Anneal."""

from __future__ import annotations

import json
import tempfile
import unittest

from tests.live import history, logs, needs_api, new_project, run_row, run_script

SCRIPT = '''
import argparse, math, random
import anneal.compat.wandb as wandb

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--project")
args = parser.parse_args()

run = wandb.init(project=args.project, entity="someone", name="wandb-style", config=args, tags=["shim"],
                 job_type="train", reinit=True)
wandb.config.update({"optimizer": "sgd"}, allow_val_change=True)
wandb.config.batch_size = 16
wandb.define_metric("epoch")
wandb.define_metric("val/*", step_metric="epoch", summary="max")
random.seed(0)
step = 0
for epoch in range(wandb.config.epochs):
    for i in range(10):
        wandb.log({"train/loss": math.exp(-wandb.config.lr * step)})
        step += 1
    wandb.log({"epoch": epoch, "val/acc": [0.5, 0.9, 0.7][epoch]})
    print(f"epoch {epoch} done")
wandb.summary["final_note"] = "ok"
wandb.finish()
print(json.dumps({"id": run.id})) if False else print(run.id)
'''


@needs_api
class WandbShimTest(unittest.TestCase):
    def test_a_typical_wandb_script_logs_into_anneal(self) -> None:
        project = new_project()
        d = tempfile.mkdtemp()
        res = run_script(SCRIPT.replace("import argparse", "import argparse, json"), d, ("--project", project, "--lr", "0.1"))
        self.assertEqual(res.returncode, 0, res.stderr)
        run_id = res.stdout.strip().splitlines()[-1]
        row = run_row(run_id)
        self.assertEqual(row["status"], "finished")
        self.assertEqual(row["name"], "wandb-style")
        self.assertEqual(row["tags"], ["shim", "train"])
        self.assertEqual(row["config"], {"lr": 0.1, "epochs": 3, "project": project, "optimizer": "sgd", "batch_size": 16})
        loss = history(run_id, "train/loss")
        self.assertEqual(len(loss), 30)
        self.assertEqual(loss[0], {"step": 0, "value": 1})
        val = history(run_id, "val/acc")
        self.assertEqual([p["value"] for p in val], [0.5, 0.9, 0.7])
        # The step metric travels with each val point (plot val/acc against epoch with xKey: "epoch").
        epochs = {p["step"]: p["value"] for p in history(run_id, "epoch")}
        self.assertEqual([epochs[p["step"]] for p in val], [0, 1, 2])
        self.assertEqual(row["summary"]["val/acc"], 0.9)  # summary="max"
        self.assertEqual(row["summary"]["final_note"], "ok")
        self.assertEqual([line["line"] for line in logs(run_id)], ["epoch 0 done", "epoch 1 done", "epoch 2 done"])


if __name__ == "__main__":
    unittest.main()
