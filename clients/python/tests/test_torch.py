"""A real PyTorch script (examples/python/torch_mlp.py) trains a small model for 300 steps and logs through the
SDK: its curves and its weights arrive. Needs torch — Debian's python3-torch under /usr/bin/python3, or torch in
the python3 running the tests; skipped, saying so, where neither has it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from tests.live import env, history, needs_api, new_project, run_row

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "examples", "python",
                       "torch_mlp.py")


def torch_python() -> str | None:
    for exe in (sys.executable, "/usr/bin/python3"):
        if exe and shutil.which(exe) and subprocess.run([exe, "-c", "import torch"], capture_output=True).returncode == 0:
            return exe
    return None


TORCH = torch_python()


@needs_api
@unittest.skipUnless(TORCH, "torch is not installed (apt install python3-torch): the PyTorch example is not run")
class TorchExampleTest(unittest.TestCase):
    def test_a_pytorch_script_logs_its_curves_and_weights(self) -> None:
        project = new_project()
        d = tempfile.mkdtemp()
        res = subprocess.run([TORCH or "", EXAMPLE, "--project", project, "--steps", "300"], env=env(d),
                             capture_output=True, text=True, timeout=600)
        self.assertEqual(res.returncode, 0, res.stderr)
        run_id = res.stdout.strip().splitlines()[-1]
        self.assertEqual(run_row(run_id)["status"], "finished")
        loss = history(run_id, "train/loss")
        self.assertEqual(len(loss), 300)
        self.assertLess(sum(p["value"] for p in loss[-20:]) / 20, sum(p["value"] for p in loss[:20]) / 20)
        acc = history(run_id, "val/acc")
        self.assertEqual(len(acc), 15)
        self.assertGreater(acc[-1]["value"], 0.8)
