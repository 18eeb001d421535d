"""`python -m anneal agent <sweep id> [--count N]`: runs the trials of a sweep of any program, as `wandb agent`.

Each trial is claimed with `claimSweepRun` (atomic on the server: two agents never get the same proposal), its
command built from the sweep's `command` (default `${env} ${interpreter} ${program} ${args}`) the way W&B's agent
does — a list item that is exactly `${args}`, `${args_no_hyphens}`, `${args_json}`, `${args_json_file}`, `${env}`
(/usr/bin/env), `${interpreter}` (this agent's Python) or `${program}` is replaced by its tokens, values formatted
with Python's str() (`--lr=0.001`, `--layers=[64, 64]`) — and run with ANNEAL_SWEEP_ID, ANNEAL_RUN_ID,
ANNEAL_RUN_ATTEMPT, ANNEAL_SWEEP_PARAMS and ANNEAL_PROJECT set, so `anneal.init()` inside joins the claimed run with the proposal as
its config. The child's console streams through. The metric is what the script logs (the controller reads it from
the run); a run the controller prunes shows `stopRequested`, and the agent sends SIGTERM, then SIGKILL after
`--grace` seconds.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Dict, List, Optional

from ._transport import AnnealError, default_key, default_url, graphql

CLAIM = """mutation($id: ID!, $host: String) { claimSweepRun(sweepId: $id, host: $host) {
  runId project attempt params command program sweepState } }"""
# The agent beats for its trial (the script's own SDK beats too once it is up) and learns of a stop from it.
BEAT = "mutation($id: ID!) { heartbeat(runId: $id) { status stopRequested stopReason } }"
RUN_STATE = "query($id: ID!) { run(id: $id) { status stopRequested stopReason } }"
DEFAULT_COMMAND = ["${env}", "${interpreter}", "${program}", "${args}"]


def build_command(command: Optional[List[str]], program: Optional[str], params: Dict[str, Any],
                  json_file: str) -> List[str]:
    flags = [f"{k}={v}" for k, v in params.items()]
    args_json = json.dumps(params)
    macros: Dict[str, List[str]] = {
        "args": ["--" + f for f in flags],
        "args_no_hyphens": flags,
        "args_json": [args_json],
        "args_json_file": [json_file],
        "interpreter": [sys.executable],
        "program": [program] if program else [],
        "env": ["/usr/bin/env"] if os.name != "nt" else [],
    }
    out: List[str] = []
    for chunk in command or DEFAULT_COMMAND:
        c = str(chunk)
        if c.startswith("${") and c.endswith("}") and c[2:-1] in macros:
            out += macros[c[2:-1]]
        else:
            out.append(c)
    return out


def _stop(proc: "subprocess.Popen[bytes]", grace: float) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def run_trial(url: str, key: str, sweep_id: str, claim: Dict[str, Any], grace: float, poll_s: float) -> int:
    params = claim.get("params") or {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix=f"anneal-{claim['runId']}-", delete=False) as f:
        f.write(json.dumps(params))
        json_file = f.name
    cmd = build_command(claim.get("command"), claim.get("program"), params, json_file)
    env = dict(os.environ)
    env.update({
        "ANNEAL_API_URL": url, "ANNEAL_API_KEY": key, "ANNEAL_SWEEP_ID": sweep_id,
        "ANNEAL_RUN_ID": claim["runId"], "ANNEAL_SWEEP_PARAMS": json.dumps(params),
        "ANNEAL_SWEEP_PARAM_PATH": json_file,
    })
    if claim.get("project"):
        env["ANNEAL_PROJECT"] = claim["project"]
    if claim.get("attempt") is not None:
        env["ANNEAL_RUN_ATTEMPT"] = str(claim["attempt"])
    print(f"anneal agent: {claim['runId']}: {' '.join(cmd)}", flush=True)
    try:
        proc = subprocess.Popen(cmd, env=env)  # the child's console goes straight through
    except OSError as e:
        print(f"anneal agent: {claim['runId']}: cannot start {cmd[0]}: {e}", file=sys.stderr, flush=True)
        _finish(url, key, claim["runId"], "failed")
        return 127
    try:
        while True:
            try:
                return proc.wait(poll_s)
            except subprocess.TimeoutExpired:
                pass
            try:
                state = graphql(url, key, BEAT, {"id": claim["runId"]}, 10).get("heartbeat") or {}
            except AnnealError:
                continue  # the API is away: the trial goes on
            if state.get("stopRequested"):
                reason = state.get("stopReason") or "user"
                print(f"anneal agent: {claim['runId']}: stopping it ({reason})", flush=True)
                _stop(proc, grace)
                _finish(url, key, claim["runId"], "pruned" if reason == "pruned" else "stopped")
                return 0
    except BaseException:
        # The agent itself is interrupted (Ctrl-C, SIGTERM): stop its trial too rather than orphan it.
        if proc.poll() is None:
            _stop(proc, grace)
            _finish(url, key, claim["runId"], "stopped")
        raise
    finally:
        try:
            os.unlink(json_file)
        except OSError:
            pass


def _finish(url: str, key: str, run_id: str, status: str) -> None:
    try:
        graphql(url, key, "mutation($id: ID!, $s: RunStatus) { finishRun(runId: $id, status: $s) { id } }",
                {"id": run_id, "s": status}, 10)
    except AnnealError:
        pass


def agent(sweep_id: str, count: Optional[int] = None, url: Optional[str] = None, key: Optional[str] = None,
          grace: float = 10.0, poll_s: float = 2.0, idle_s: float = 2.0) -> int:
    """Runs trials until the sweep is done (or `count` trials); returns how many ran."""
    url = (url or default_url()).rstrip("/")
    key = key or default_key()
    if not url:
        raise AnnealError("anneal agent: set ANNEAL_API_URL")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    ran = 0
    while count is None or ran < count:
        claim = graphql(url, key, CLAIM, {"id": sweep_id, "host": socket.gethostname()}).get("claimSweepRun") or {}
        if not claim.get("runId"):
            if claim.get("sweepState") in ("finished", "cancelled"):
                break
            time.sleep(idle_s)  # paused, or every allowed trial is running: wait for a slot
            continue
        code = run_trial(url, key, sweep_id, claim, grace, poll_s)
        if code != 0:
            # A script that died without finishing its run (no anneal.finish): say so on the run.
            state = graphql(url, key, RUN_STATE, {"id": claim["runId"]}, 10).get("run") or {}
            if state.get("status") == "running":
                _finish(url, key, claim["runId"], "failed")
        ran += 1
    return ran
