"""A sweep of any program (`program:` + W&B macros) run by two `python -m anneal agent` processes: every proposal
runs once, with its parameters as arguments and as the run's config; hyperband prunes the worse trials and the
agent stops them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import unittest

from tests.live import data, env, gql, history, logs, needs_api, new_project

TRAIN = '''
import argparse, time
import anneal
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, required=True)
p.add_argument("--layers", type=int, required=True)
p.add_argument("--steps", type=int, default=20)
p.add_argument("--delay", type=float, default=0.0)
args = p.parse_args()
run = anneal.init(project="ignored-when-an-agent-runs-us")
for step in range(args.steps):
    run.log({"loss": args.layers * args.lr / (step + 1)})
    time.sleep(args.delay)
print(f"trained lr={args.lr} layers={args.layers} config={dict(run.config)}")
run.finish()
'''

SWEEP_QUERY = """query($id: ID!) { sweep(id: $id) { state proposals
  runs { id name status config sweepParams stopReason stopDetail project { name } } } }"""


def agents(sweep_id: str, cwd: str, n: int = 2) -> list:
    procs = [subprocess.Popen([sys.executable, "-m", "anneal", "agent", sweep_id, "--grace", "5"], cwd=cwd, env=env(cwd),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(n)]
    return [p.communicate(timeout=300)[0] for p in procs]


def claimed(output: str) -> list:
    return [line.split()[2].rstrip(":") for line in output.splitlines() if line.startswith("anneal agent: run_")
            and " stopping " not in line]


@needs_api
class SweepAgentTest(unittest.TestCase):
    def create(self, project: str, config: dict) -> str:
        body = gql("mutation($p: String!, $c: JSON!) { createSweep(project: $p, config: $c) { id state } }",
                   {"p": project, "c": config})
        self.assertNotIn("errors", body, body)
        return body["data"]["createSweep"]["id"]

    def test_two_agents_run_a_random_program_sweep_with_no_proposal_twice(self) -> None:
        project = new_project()
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "train.py"), "w") as f:
            f.write(TRAIN)
        sweep_id = self.create(project, {
            "program": "train.py", "method": "random", "project": "elsewhere", "entity": "someone",
            "description": "two agents", "metric": {"name": "loss", "goal": "minimize"},
            "command": ["${env}", "${interpreter}", "${program}", "${args}", "--delay=0.02"],
            "parameters": {"lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
                           "layers": {"values": [1, 2, 3]}},
            "run_cap": 6, "max_parallel": 2, "seed": 3,
        })
        out = agents(sweep_id, d)
        self.assertNotIn("refused", "".join(out))  # the scripts' runs joined the claimed ones, nothing dead-lettered
        ids = [claimed(o) for o in out]
        self.assertTrue(all(ids), out)  # both agents ran trials
        self.assertEqual(set(ids[0]) & set(ids[1]), set(), out)
        sweep = data(SWEEP_QUERY, {"id": sweep_id})["sweep"]
        self.assertEqual(sweep["state"], "finished")
        self.assertEqual(sweep["proposals"], 6)
        runs = sweep["runs"]
        self.assertEqual(sorted(r["id"] for r in runs), sorted(ids[0] + ids[1]))
        params = [json.dumps(r["sweepParams"], sort_keys=True) for r in runs]
        self.assertEqual(len(set(params)), 6)  # six different proposals, each run once
        for r in runs:
            self.assertEqual(r["status"], "finished", r)
            self.assertEqual(r["project"]["name"], project)  # the sweep's project, not the script's
            self.assertEqual(r["config"], r["sweepParams"])
            loss = history(r["id"], "loss")
            self.assertEqual(len(loss), 20)
            p = r["sweepParams"]
            self.assertAlmostEqual(loss[0]["value"], p["layers"] * p["lr"])
            lines = [line["line"] for line in logs(r["id"])]
            self.assertTrue(any(line.startswith(f"trained lr={p['lr']} layers={p['layers']}") for line in lines), lines)

    def test_hyperband_prunes_worse_trials_and_the_agent_stops_them(self) -> None:
        project = new_project()
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "train.py"), "w") as f:
            f.write(TRAIN)
        sweep_id = self.create(project, {
            "program": "train.py", "method": "grid", "metric": {"name": "loss", "goal": "minimize"},
            "command": ["${interpreter}", "${program}", "${args_no_hyphens}"],
            "parameters": {"layers": {"values": [1, 2, 3, 4]}, "lr": {"value": 0.5}},
            "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 2},
            "max_parallel": 2,
        })
        # ${args_no_hyphens} gives `layers=1 lr=0.5`, which this argparse script refuses: each trial fails, and says so.
        out = agents(sweep_id, d, 1)
        self.assertIn("train.py lr=0.5 layers=1\n", out[0])
        self.assertIn("the following arguments are required: --lr, --layers", out[0])
        sweep = data(SWEEP_QUERY, {"id": sweep_id})["sweep"]
        self.assertEqual({r["status"] for r in sweep["runs"]}, {"failed"})

        sweep_id = self.create(project, {
            "program": "train.py", "method": "grid", "metric": {"name": "loss", "goal": "minimize"},
            "command": ["${interpreter}", "${program}", "${args}", "--steps=60", "--delay=0.05"],
            "parameters": {"layers": {"values": [1, 2, 3, 4]}, "lr": {"value": 0.5}},
            "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 2},
            "max_parallel": 2,
        })
        out = agents(sweep_id, d)
        runs = {r["sweepParams"]["layers"]: r for r in data(SWEEP_QUERY, {"id": sweep_id})["sweep"]["runs"]}
        self.assertEqual(sorted(runs), [1, 2, 3, 4], out)
        self.assertEqual(runs[1]["status"], "finished", out)
        for layers in (2, 3, 4):
            self.assertEqual(runs[layers]["status"], "pruned", (layers, out))
            self.assertEqual(runs[layers]["stopReason"], "pruned")
            self.assertIn("loss", runs[layers]["stopDetail"])
            self.assertLess(len(history(runs[layers]["id"], "loss")), 60)
        self.assertIn("stopping it (pruned)", "".join(out))

    def test_claims_are_refused_for_trainer_sweeps_and_bad_ids(self) -> None:
        claim = "mutation($id: ID!) { claimSweepRun(sweepId: $id) { runId } }"
        body = gql(claim, {"id": "nope"})
        self.assertEqual(body["errors"][0]["extensions"]["code"], "BAD_INPUT")
        self.assertEqual(body["errors"][0]["extensions"]["field"], "sweepId")
        body = gql(claim, {"id": "sweep_00000000-0000-4000-8000-000000000000"})
        self.assertEqual(body["errors"][0]["extensions"]["code"], "NOT_FOUND")
        res = subprocess.run([sys.executable, "-m", "anneal", "agent", "sweep_00000000-0000-4000-8000-000000000000"],
                             env=env(tempfile.mkdtemp()), capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 1)
        self.assertIn("anneal agent: NOT_FOUND: sweep", res.stderr)
        self.assertNotIn("Traceback", res.stderr)
        body = gql("mutation($c: JSON!) { createSweep(project: \"default\", config: $c) { id } }",
                   {"c": {"method": "random", "metric": {"name": "loss"}, "parameters": {"lr": {"values": [1]}},
                          "command": ["${interpreter}", "${program}"]}})
        self.assertEqual(body["errors"][0]["extensions"]["field"], "config.command")


if __name__ == "__main__":
    unittest.main()
