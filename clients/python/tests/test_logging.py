"""Logging from a script: metrics, config, summary, console, system metrics, artifacts, refusals."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unittest

from tests.live import data, history, logs, needs_api, new_project, run_row, run_script

SCRIPT = """
import sys, anneal, json
project = sys.argv[1]
with anneal.init(project=project, name="py-logging", config={"lr": 0.001, "model": {"layers": 2}}, tags=["py"],
                 group="g1", notes="from python", system_metrics_s=0.2) as run:
    run.config.update({"batch": 32})
    for step in range(50):
        run.log({"train/loss": 1.0 / (step + 1), "train": {"acc": step / 50}})
        print(f"step {step} loss {1.0 / (step + 1):.4f}")
    run.log({"val/nan": float("nan"), "val/inf": float("inf")})
    run.summary["best/acc"] = 0.98
    print("to stderr", file=sys.stderr)
    with open(sys.argv[2], "w") as f:
        f.write("weights" * 1000)
    run.log_artifact(sys.argv[2], type="model", name="tiny-model", aliases=["best"])
    import time; time.sleep(0.6)  # a few system samples
    print(json.dumps({"id": run.id}))
"""


@needs_api
class LoggingTest(unittest.TestCase):
    def test_a_script_logs_metrics_config_summary_console_and_an_artifact(self) -> None:
        project = new_project()
        d = tempfile.mkdtemp()
        weights = os.path.join(d, "model.bin")
        res = run_script(SCRIPT, d, (project, weights))
        self.assertEqual(res.returncode, 0, res.stderr)
        run_id = json.loads(res.stdout.strip().splitlines()[-1])["id"]
        row = run_row(run_id)
        self.assertEqual(row["status"], "finished")
        self.assertEqual(row["name"], "py-logging")
        self.assertEqual(row["config"], {"lr": 0.001, "model": {"layers": 2}, "batch": 32})
        self.assertEqual(row["tags"], ["py"])
        self.assertEqual(row["group"], "g1")
        loss = history(run_id, "train/loss")
        self.assertEqual([p["step"] for p in loss], list(range(50)))
        self.assertAlmostEqual(loss[9]["value"], 0.1)
        self.assertEqual(len(history(run_id, "train/acc")), 50)
        self.assertEqual(history(run_id, "val/nan")[0], {"step": 50, "value": "NaN"})
        self.assertEqual(history(run_id, "val/inf")[0]["value"], "Infinity")
        self.assertEqual(row["summary"]["best/acc"], 0.98)
        self.assertAlmostEqual(row["summary"]["train/loss"], 1 / 50)
        self.assertGreater(len(history(run_id, "system/rss_mb")), 0)
        self.assertGreater(history(run_id, "system/rss_mb")[0]["value"], 1)
        lines = logs(run_id)
        self.assertEqual([line["seq"] for line in lines], list(range(len(lines))))
        text = [line["line"] for line in lines]
        self.assertIn("step 49 loss 0.0200", text)
        self.assertEqual(text.count("step 0 loss 1.0000"), 1)
        self.assertIn({"seq": text.index("to stderr"), "stream": "stderr", "line": "to stderr"}, lines)
        arts = data("query($id: ID!) { run(id: $id) { artifacts { kind name version aliases files { path size sha256 } } } }",
                    {"id": run_id})["run"]["artifacts"]
        digest = hashlib.sha256(b"weights" * 1000).hexdigest()
        self.assertEqual(len(arts), 1)
        self.assertEqual(sorted(arts[0].pop("aliases")), ["best", "latest"])
        self.assertEqual(arts[0], {"kind": "model", "name": "tiny-model", "version": 0,
                                   "files": [{"path": "model.bin", "size": 7000, "sha256": digest}]})

    def test_refused_points_go_to_the_dead_letter_file_and_the_rest_is_stored(self) -> None:
        import anneal

        project = new_project()
        d = tempfile.mkdtemp()
        from tests.live import KEY, URL

        run = anneal.init(project=project, url=URL, api_key=KEY, spool_dir=d, console=False, system_metrics_s=0)
        run.log({"ok": 1.0, "bad\nkey": 2.0})
        with self.assertRaises(TypeError):
            run.log([1, 2])  # type: ignore[arg-type]
        with self.assertRaises(ValueError):
            run.log({"x": 1}, step=-1)
        self.assertTrue(run.finish(timeout=30))
        self.assertEqual(history(run.id, "ok"), [{"step": 0, "value": 1}])
        with open(run.dead_letter_file) as f:
            dead = [json.loads(line) for line in f]
        self.assertEqual(len(dead), 1)
        self.assertEqual(dead[0]["kind"], "point")
        self.assertEqual(dead[0]["point"]["key"], "bad\nkey")
        self.assertIn("control", dead[0]["reason"])
        self.assertEqual(run_row(run.id)["status"], "finished")

    def test_init_without_a_server_says_what_to_set(self) -> None:
        import anneal

        old = os.environ.pop("ANNEAL_API_URL", None)
        try:
            with self.assertRaisesRegex(anneal.AnnealError, "ANNEAL_API_URL"):
                anneal.Run(project="x", console=False)
            with self.assertRaisesRegex(ValueError, "mode"):
                anneal.Run(project="x", mode="sometimes", console=False)
        finally:
            if old is not None:
                os.environ["ANNEAL_API_URL"] = old


if __name__ == "__main__":
    unittest.main()
