"""The on-disk spool, in the TypeScript client's format (packages/client/src/spool.ts), so either client — and
`anneal sync` of either — delivers the other's runs:
  <run id>.jsonl           every operation, one JSON line each, in order (append-only)
  <run id>.sent            how many of those lines are settled: delivered, rejected, moved aside or skipped
  <run id>.rejected.jsonl  the dead-letter file: what the API refused, each with its reason
  <run id>.failed.jsonl    operations moved aside after the API failed on them (HTTP 500) max_tries times
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from typing import Any, Dict, List

OP_NAMES = ("create", "points", "summary", "logs", "artifact", "use", "rewind", "finish")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def files(spool_dir: str, run_id: str) -> Dict[str, str]:
    j = os.path.join
    return {
        "spool": j(spool_dir, f"{run_id}.jsonl"),
        "sent": j(spool_dir, f"{run_id}.sent"),
        "rejected": j(spool_dir, f"{run_id}.rejected.jsonl"),
        "failed": j(spool_dir, f"{run_id}.failed.jsonl"),
    }


def read_spool(path: str) -> List[Dict[str, Any]]:
    """Every line as an operation, or a `corrupt` entry in its place (so indices stay line numbers)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: List[Dict[str, Any]] = []
    for i, text in enumerate(lines):
        try:
            op = json.loads(text)
            if isinstance(op, dict) and op.get("op") in OP_NAMES:
                out.append(op)
                continue
            err = "not an Anneal operation"
        except ValueError as e:
            err = str(e)
        out.append({"op": "corrupt", "line": i + 1, "text": text, "error": err})
    return out


def end_line(path: str) -> None:
    """A spool whose last write was torn ends mid-line: start the next operation on a line of its own."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() == 0:
                return
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
        if last != b"\n":
            with open(path, "ab") as f:
                f.write(b"\n")
    except OSError:
        pass


def read_sent(path: str, total: int) -> int:
    try:
        with open(path, encoding="utf-8") as f:
            return max(0, min(int(f.read().strip() or 0), total))
    except (OSError, ValueError):
        return 0


def append_jsonl(path: str, run_id: str, entries: List[Dict[str, Any]]) -> None:
    t = now_iso()
    with open(path, "a", encoding="utf-8") as f:
        for e in entries:
            f.write(json.dumps({"time": t, "runId": run_id, **e}) + "\n")


def spooled_runs(spool_dir: str) -> List[str]:
    if not os.path.isdir(spool_dir):
        return []
    return sorted(
        f[: -len(".jsonl")]
        for f in os.listdir(spool_dir)
        if f.endswith(".jsonl") and not f.endswith((".rejected.jsonl", ".failed.jsonl"))
    )
