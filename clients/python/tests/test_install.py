"""`pip install ./clients/python` works with no network (the in-tree build backend needs nothing downloaded)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

from tests.live import PKG


@unittest.skipUnless(importlib.util.find_spec("pip"), "pip is not installed for this python3")
class InstallTest(unittest.TestCase):
    def test_pip_installs_the_package_offline(self) -> None:
        target = tempfile.mkdtemp()
        res = subprocess.run([sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--quiet",
                              "--target", target, PKG], capture_output=True, text=True, timeout=300)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertTrue(os.path.exists(os.path.join(target, "anneal", "py.typed")))
        check = subprocess.run([sys.executable, "-c", "import anneal, anneal.compat.wandb; print(anneal.__file__)"],
                               env={**os.environ, "PYTHONPATH": target}, cwd=target, capture_output=True, text=True)
        self.assertEqual(check.stdout.strip(), os.path.join(target, "anneal", "__init__.py"), check.stderr)
