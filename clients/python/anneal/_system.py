"""System metrics of the tracked process: CPU (percent of one core), resident memory, and every GPU through
`nvidia-smi` when it is on the PATH. Standard library only (/proc on Linux, resource elsewhere)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from typing import Dict, Optional


class SystemMonitor:
    def __init__(self) -> None:
        self._last: Optional[tuple] = None
        self._smi = shutil.which("nvidia-smi")

    def sample(self) -> Dict[str, float]:
        out: Dict[str, float] = {}
        t = os.times()
        now = (time.monotonic(), t.user + t.system)
        if self._last is not None and now[0] > self._last[0]:
            out["system/cpu_percent"] = 100.0 * (now[1] - self._last[1]) / (now[0] - self._last[0])
        self._last = now
        rss = _rss_bytes()
        if rss is not None:
            out["system/rss_mb"] = rss / 2**20
        if self._smi:
            out.update(self._gpus())
        return out

    def _gpus(self) -> Dict[str, float]:
        try:
            res = subprocess.run(
                [self._smi or "nvidia-smi", "--query-gpu=utilization.gpu,memory.used,temperature.gpu",
                 "--format=csv,noheader,nounits"],
                capture_output=True, text=True, timeout=5,
            )
        except (OSError, subprocess.SubprocessError):
            return {}
        out: Dict[str, float] = {}
        for i, row in enumerate(res.stdout.strip().splitlines()):
            for name, v in zip(("util_percent", "memory_mb", "temp_c"), row.split(",")):
                try:
                    out[f"system/gpu.{i}.{name}"] = float(v)
                except ValueError:
                    pass
        return out


def _rss_bytes() -> Optional[int]:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        try:
            import resource

            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        except (ImportError, OSError):
            return None
