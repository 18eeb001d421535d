"""Exactly-once delivery: an offline run delivered by `python -m anneal sync` (twice: nothing doubles), and an
online run whose API is stopped mid-run (every connection cut) and started again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from tests.live import KEY, URL, control, env, history, logs, needs_api, new_project, run_row, run_script

OFFLINE = """
import sys, anneal
run = anneal.init(project=sys.argv[1], name="offline", mode="offline", config={"seed": 1})
for step in range(300):
    run.log({"loss": 1.0 / (step + 1)})
    if step % 100 == 0:
        print(f"at {step}")
run.finish()
print(run.id)
"""


@needs_api
class DeliveryTest(unittest.TestCase):
    def test_offline_then_sync_delivers_everything_once(self) -> None:
        project = new_project()
        d = tempfile.mkdtemp()
        res = run_script(OFFLINE, d, (project,))
        self.assertEqual(res.returncode, 0, res.stderr)
        run_id = res.stdout.strip().splitlines()[-1]
        # Offline never touched the API.
        body = __import__("tests.live", fromlist=["gql"]).gql("query($id: ID!) { run(id: $id) { id } }", {"id": run_id})
        self.assertEqual(body["errors"][0]["extensions"]["code"], "NOT_FOUND")
        status = subprocess.run([sys.executable, "-m", "anneal", "sync", "--status"], env=env(d), capture_output=True,
                                text=True)
        self.assertIn(f"{run_id}: ", status.stdout)
        self.assertIn("0 settled", status.stdout)
        for _ in range(2):  # the second sync finds nothing to send
            res = subprocess.run([sys.executable, "-m", "anneal", "sync"], env=env(d), capture_output=True, text=True,
                                 timeout=120)
            self.assertEqual(res.returncode, 0, res.stderr)
        loss = history(run_id, "loss")
        self.assertEqual([p["step"] for p in loss], list(range(300)))
        row = run_row(run_id)
        self.assertEqual(row["status"], "finished")
        self.assertEqual(row["config"], {"seed": 1})
        self.assertEqual([line["line"] for line in logs(run_id)], ["at 0", "at 100", "at 200"])
        # A sync after a sync: the .sent cursor says everything is settled; replaying the whole spool changes nothing.
        os.remove(os.path.join(d, "spool", f"{run_id}.sent"))
        res = subprocess.run([sys.executable, "-m", "anneal", "sync"], env=env(d), capture_output=True, text=True)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(len(history(run_id, "loss")), 300)
        self.assertEqual(len(logs(run_id)), 3)

    def test_api_stopped_mid_run_every_point_arrives_once(self) -> None:
        import anneal

        project = new_project()
        d = tempfile.mkdtemp()
        warnings: list = []
        run = anneal.Run(project=project, url=URL, api_key=KEY, spool_dir=d, console=False, system_metrics_s=0,
                         flush_s=0.05, max_backoff_s=0.2)
        run._sender.warn = warnings.append
        for step in range(100):
            run.log({"loss": float(step)})
        self.assertTrue(run._sender.flush(30))
        control("stop")
        try:
            for step in range(100, 200):
                run.log({"loss": float(step)})
            time.sleep(0.5)  # the sender meets the outage
            self.assertFalse(run.finish(timeout=1))  # cannot deliver now: the spool keeps it
            self.assertTrue(any("unreachable" in w for w in warnings), warnings)
            self.assertGreater(run.pending, 0)
        finally:
            control("start")
        # A later sync (another process) delivers what the outage held back, once.
        res = subprocess.run([sys.executable, "-m", "anneal", "sync", "--spool", d], env=env(d), capture_output=True,
                             text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        loss = history(run.id, "loss")
        self.assertEqual([p["step"] for p in loss], list(range(200)))
        self.assertEqual([p["value"] for p in loss], [float(s) for s in range(200)])
        self.assertEqual(run_row(run.id)["status"], "finished")

    def test_a_corrupt_spool_line_is_skipped_and_reported(self) -> None:
        project = new_project()
        d = tempfile.mkdtemp()
        res = run_script(OFFLINE, d, (project,))
        run_id = res.stdout.strip().splitlines()[-1]
        spool = os.path.join(d, "spool", f"{run_id}.jsonl")
        with open(spool) as f:
            lines = f.read().split("\n")
        lines.insert(2, '{"op": "points", "points": [{"key": "torn"')
        with open(spool, "w") as f:
            f.write("\n".join(lines))
        res = subprocess.run([sys.executable, "-m", "anneal", "sync"], env=env(d), capture_output=True, text=True)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(len(history(run_id, "loss")), 300)
        with open(os.path.join(d, "spool", f"{run_id}.rejected.jsonl")) as f:
            dead = [json.loads(line) for line in f]
        self.assertEqual([(e["kind"], e["line"]) for e in dead], [("corrupt", 3)])


if __name__ == "__main__":
    unittest.main()
