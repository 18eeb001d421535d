"""W&B's step rules, read from the spool of an offline run (no API needed): the step advances after each committed
call, an explicit step moves it, commit=False gathers keys for one step, nested dicts flatten, tensors' .item()."""

from __future__ import annotations

import json
import tempfile
import unittest

import anneal


class _Scalar:
    """Stands in for a one-element tensor or numpy scalar."""

    def __init__(self, v: float) -> None:
        self.v = v

    def item(self) -> float:
        return self.v


class StepTest(unittest.TestCase):
    def test_steps_commits_and_values(self) -> None:
        d = tempfile.mkdtemp()
        run = anneal.Run(project="p", mode="offline", spool_dir=d, console=False, system_metrics_s=0)
        run.log({"a": 1})                      # step 0
        run.log({"a": 2, "nested": {"b": 3}})  # step 1
        run.log({"a": 3}, commit=False)        # step 2, not yet committed
        run.log({"c": _Scalar(4.5)})           # joins step 2
        run.log({"a": 5}, step=10)             # step 10
        run.log({"a": 6})                      # step 11
        run.log({"text": "hello", "flag": True})  # step 12: the string goes to the summary only
        run.finish()
        with open(run.spool_file) as f:
            ops = [json.loads(line) for line in f]
        self.assertEqual(ops[0]["op"], "create")
        self.assertEqual(ops[0]["args"]["project"], "p")
        points = [(p["key"], p["step"], p["value"]) for op in ops if op["op"] == "points" for p in op["points"]]
        self.assertEqual(points, [("a", 0, 1.0), ("a", 1, 2.0), ("nested/b", 1, 3.0), ("a", 2, 3.0), ("c", 2, 4.5),
                                  ("a", 10, 5.0), ("a", 11, 6.0), ("flag", 12, 1.0)])
        finish = ops[-1]
        self.assertEqual(finish["op"], "finish")
        self.assertEqual(finish["status"], "finished")
        self.assertEqual(finish["summary"]["a"], 6.0)
        self.assertEqual(finish["summary"]["text"], "hello")
        self.assertEqual(finish["summary"]["_step"], 12)

    def test_a_failed_exit_code_fails_the_run(self) -> None:
        d = tempfile.mkdtemp()
        with self.assertRaises(RuntimeError):
            with anneal.Run(project="p", mode="offline", spool_dir=d, console=False, system_metrics_s=0) as run:
                run.log({"a": 1})
                raise RuntimeError("boom")
        with open(run.spool_file) as f:
            self.assertEqual(json.loads(f.read().splitlines()[-1])["status"], "failed")


if __name__ == "__main__":
    unittest.main()
