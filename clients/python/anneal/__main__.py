"""`python -m anneal sync [--status]` delivers spooled runs; `python -m anneal agent <sweep> [--count N]`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

from ._sender import Sender, read_dead_letters
from ._spool import files, read_sent, read_spool, spooled_runs
from ._transport import data_dir, default_key, default_url


def sync(spool_dir: str, url: str, key: str, timeout: float) -> int:
    bad = 0
    for run_id in spooled_runs(spool_dir):
        s = Sender(run_id, spool_dir, url, key, offline=True)
        if not s.queue:
            continue
        s.offline = False
        ok = s.drain_here(timeout)
        print(f"{run_id}: {'delivered' if ok else f'{len(s.queue)} operations still pending'}")
        bad += 0 if ok else 1
    return 1 if bad else 0


def status(spool_dir: str) -> None:
    for run_id in spooled_runs(spool_dir):
        f = files(spool_dir, run_id)
        ops = read_spool(f["spool"])
        sent = read_sent(f["sent"], len(ops))
        rejected = len([e for e in read_dead_letters(f["rejected"]) if e.get("runId") == run_id])
        failed = len(read_dead_letters(f["failed"]))
        print(f"{run_id}: {len(ops)} spooled, {sent} settled, {len(ops) - sent} pending, {rejected} rejected "
              f"({f['rejected']}), {failed} moved aside ({f['failed']})")


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m anneal")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sync", help="deliver spooled (offline or cut-off) runs")
    s.add_argument("--spool", default=os.path.join(data_dir(), "spool"))
    s.add_argument("--status", action="store_true", help="only report what each spool holds")
    s.add_argument("--timeout", type=float, default=60.0, help="seconds per run before giving up for now")
    a = sub.add_parser("agent", help="run the trials of a sweep of any program")
    a.add_argument("sweep")
    a.add_argument("--count", type=int, default=None)
    a.add_argument("--grace", type=float, default=10.0, help="seconds between SIGTERM and SIGKILL")
    args = p.parse_args(argv)
    if args.cmd == "sync":
        if args.status:
            status(args.spool)
            return 0
        if not default_url():
            print("anneal sync: set ANNEAL_API_URL", file=sys.stderr)
            return 2
        return sync(args.spool, default_url(), default_key(), args.timeout)
    from ._transport import AnnealError
    from .agent import agent

    try:
        n = agent(args.sweep, count=args.count, grace=args.grace)
    except AnnealError as e:  # a refused sweep id, no access, no server: said plainly, no traceback
        print(f"anneal agent: {e}", file=sys.stderr)
        return 1
    print(f"anneal agent: ran {n} trial(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
