"""A tracked run: `anneal.init()` returns one. Logging never blocks on the network: every call is spooled and
sent by the Sender's thread; a ticker thread batches the captured console, samples system metrics and beats.

The run is created lazily — at its first log, summary, artifact or finish (or after 30 s) — so that the common
`wandb.config.update(args)` right after `init` still lands in the run's config.
"""

from __future__ import annotations

import atexit
import fnmatch
import json
import math
import os
import signal
import socket
import sys
import threading
import time
import uuid
from typing import Any, Dict, Iterator, List, Optional

from . import _artifacts
from ._console import Console
from ._sender import Sender
from ._spool import now_iso
from ._system import SystemMonitor
from ._transport import AnnealError, data_dir, default_key, default_url, encode_value, graphql


def _flatten(d: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "/"))
        else:
            out[key] = v
    return out


def _number(v: Any) -> Optional[float]:
    """A loggable number: int, float, bool, or a one-element array/tensor (anything with .item())."""
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    item = getattr(v, "item", None)
    if callable(item):
        try:
            x = item()
            return float(x) if isinstance(x, (int, float, bool)) else None
        except (ValueError, TypeError, RuntimeError):
            return None
    return None


class Config(dict):
    """The run's config: a dict with attribute access (`run.config.lr`) and `update()`, as W&B's."""

    def __init__(self, run: "Run", initial: Dict[str, Any]) -> None:
        super().__init__(initial)
        object.__setattr__(self, "_run", run)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._run._config_changed()

    def update(self, *args: Any, allow_val_change: bool = True, **kw: Any) -> None:  # type: ignore[override]
        src = args[0] if args else {}
        if hasattr(src, "__dict__") and not isinstance(src, dict):  # argparse.Namespace
            src = vars(src)
        super().update(src, **kw)
        self._run._config_changed()

    def setdefaults(self, d: Dict[str, Any]) -> None:
        for k, v in d.items():
            if k not in self:
                super().__setitem__(k, v)
        self._run._config_changed()


class Summary(dict):
    """The run's summary: by default each metric's last value; what you set here wins and is sent at once."""

    def __init__(self, run: "Run") -> None:
        super().__init__()
        self._run = run
        self._explicit: Dict[str, Any] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        n = _number(value)
        value = n if n is not None and not isinstance(value, str) else value
        super().__setitem__(key, value)
        self._explicit[key] = value
        self._run._push({"op": "summary", "summary": _json_safe({key: value})})

    def update(self, *args: Any, **kw: Any) -> None:  # type: ignore[override]
        for k, v in dict(*args, **kw).items():
            self[k] = v


def _cell(v: Any, where: str) -> Any:
    """A table cell as JSON holds it: None, bool, str, or a finite number (numpy scalars through .item())."""
    if hasattr(v, "item") and callable(v.item) and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (TypeError, ValueError):
            pass
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"run.log_table: {where}: {v} is not a finite number")
        return v
    raise ValueError(f"run.log_table: {where}: a cell is a str, a number, a bool or None, not {type(v).__name__}")


def _json_safe(v: Any) -> Any:
    if isinstance(v, float):
        return v if math.isfinite(v) else str(encode_value(v))
    if isinstance(v, dict):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_safe(x) for x in v]
    if v is None or isinstance(v, (str, int, bool)):
        return v
    n = _number(v)
    return _json_safe(n) if n is not None else str(v)


class Run:
    """One run of a project. Make it with `anneal.init()`; log with `run.log()`; end with `run.finish()`."""

    def __init__(
        self,
        project: Optional[str] = None,
        name: Optional[str] = None,
        config: Optional[Dict[str, Any]] = None,
        tags: Optional[List[str]] = None,
        group: Optional[str] = None,
        notes: Optional[str] = None,
        id: Optional[str] = None,
        resume: Any = None,
        mode: Optional[str] = None,
        url: Optional[str] = None,
        api_key: Optional[str] = None,
        spool_dir: Optional[str] = None,
        console: bool = True,
        system_metrics_s: float = 10.0,
        heartbeat_s: Optional[float] = None,
        flush_s: float = 1.0,
        max_backoff_s: float = 30.0,
        max_tries: int = 5,
    ) -> None:
        self.mode = mode or os.environ.get("ANNEAL_MODE", "online")
        if self.mode not in ("online", "offline"):
            raise ValueError(f"anneal.init: mode must be 'online' or 'offline', not {self.mode!r}")
        self.url = (url or default_url()).rstrip("/")
        self.api_key = api_key or default_key()
        if self.mode == "online" and not self.url:
            raise AnnealError("anneal.init: set ANNEAL_API_URL (or mode='offline' / ANNEAL_MODE=offline)")
        env_id = os.environ.get("ANNEAL_RUN_ID")
        if env_id and not id and os.environ.get("ANNEAL_SWEEP_ID") and os.environ.get("ANNEAL_PROJECT"):
            # An agent's trial: the run is the sweep's, in the sweep's project, whatever the script names (as W&B).
            project = os.environ["ANNEAL_PROJECT"]
        self.project = project or os.environ.get("ANNEAL_PROJECT") or "default"
        self.id = id or env_id or f"run_{uuid.uuid4()}"
        if resume in ("must",) and not (id or env_id):
            raise ValueError("anneal.init: resume='must' needs id= (the run to resume)")
        self.sweep_id = os.environ.get("ANNEAL_SWEEP_ID")
        cfg = dict(config or {})
        if hasattr(config, "__dict__") and not isinstance(config, dict):
            cfg = dict(vars(config))
        if self.sweep_id and os.environ.get("ANNEAL_SWEEP_PARAMS"):
            # An agent started us: the sweep's proposal wins over the script's defaults, as in W&B.
            cfg.update(json.loads(os.environ["ANNEAL_SWEEP_PARAMS"]))
        self.config = Config(self, cfg)
        self.summary = Summary(self)
        self.name = name
        self._create_args: Dict[str, Any] = {"project": self.project, "id": self.id, "host": socket.gethostname()}
        for k, v in (("name", name), ("tags", tags), ("group", group), ("notes", notes)):
            if v is not None:
                self._create_args[k] = list(v) if k == "tags" else v
        attempt = os.environ.get("ANNEAL_RUN_ATTEMPT")
        if env_id and self.id == env_id and attempt:
            self._create_args["attempt"] = int(attempt)
        self.spool_dir = spool_dir or os.path.join(data_dir(), "spool")
        os.makedirs(self.spool_dir, exist_ok=True)
        self._sender = Sender(
            self.id, self.spool_dir, self.url, self.api_key, offline=self.mode == "offline",
            flush_s=flush_s, max_backoff_s=max_backoff_s, max_tries=max_tries,
        )
        self._sender.log_seq = 0  # a new session is a new attempt: its console is numbered from 0
        self._lock = threading.RLock()
        self._created = False
        self._finished = False
        self._late_config_warned = False
        self._started = time.monotonic()
        self.step = 0
        self._pending: Dict[str, float] = {}
        self._last: Dict[str, Any] = {}
        self._metric_defs: Dict[str, Dict[str, Any]] = {}
        self._sys_step = 0
        self._monitor = SystemMonitor()
        self._system_s = system_metrics_s
        hb = heartbeat_s if heartbeat_s is not None else float(os.environ.get("ANNEAL_HEARTBEAT_S", "15"))
        self._heartbeat_s = hb if self.mode == "online" else 0.0
        self.stop_requested = False
        self._console = Console() if console else None
        if self._console:
            self._console.start()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick_loop, name=f"anneal-ticker-{self.id}", daemon=True)
        self._ticker.start()
        atexit.register(self._at_exit)
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            # A stop (`anneal agent` pruning the trial, a scheduler's kill): exit through Python, so the run
            # finishes and what was logged is delivered (or left in the spool) instead of dying mid-write.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    # ---- the public API ---------------------------------------------------------------------------------
    def log(self, data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None) -> None:
        """Logs metrics at `step` (default: the run's step, which advances after each committed call; an explicit
        step moves it). `commit=False` gathers more keys for the same step until a committed call."""
        if not isinstance(data, dict):
            raise TypeError("run.log: data must be a dict of metric name -> number")
        with self._lock:
            if step is not None:
                step = int(step)
                if step < 0:
                    raise ValueError(f"run.log: step must be >= 0, not {step}")
                if step != self.step and self._pending:
                    self._commit()
                self.step = step
            for k, v in _flatten(data).items():
                n = _number(v)
                if n is None:
                    self._last[k] = v  # strings, lists…: summary only
                    continue
                self._pending[k] = n
            self._add_step_metrics()
            if commit is None or commit:
                self._commit()
                self.step += 1  # the next call without a step logs at the following one

    def log_table(self, key: str, columns: List[str], rows: List[List[Any]], step: Optional[int] = None) -> None:
        """Logs a table at `step` (default: the run's current step) — W&B's wandb.Table: predictions, samples. Each
        row has one cell per column, each cell a str, a finite number, a bool or None (numpy scalars are read as
        numbers). One table per key and step; logging the same one again is harmless. A malformed table raises
        here, naming the cell; nothing of it is sent."""
        if not isinstance(key, str) or not key:
            raise ValueError("run.log_table: key must be a non-empty string")
        cols = [str(c) for c in columns]
        if not cols:
            raise ValueError("run.log_table: columns: a table needs at least one column")
        out: List[List[Any]] = []
        for i, row in enumerate(rows):
            row = list(row)
            if len(row) != len(cols):
                raise ValueError(f"run.log_table({key!r}): rows[{i}]: must have {len(cols)} cells ({', '.join(cols)}), got {len(row)}")
            out.append([_cell(c, f"rows[{i}][{j}] (column {cols[j]!r})") for j, c in enumerate(row)])
        with self._lock:
            at = self.step if step is None else int(step)
            if at < 0:
                raise ValueError(f"run.log_table: step must be >= 0, not {at}")
            self._push({"op": "table", "key": key, "step": at, "columns": cols, "rows": out})

    def log_text(self, key: str, text: Any, step: Optional[int] = None) -> None:
        """Text at `step`: a one-column table (column `text`), one row per string."""
        texts = [text] if isinstance(text, str) else list(text)
        self.log_table(key, ["text"], [[t] for t in texts], step=step)

    def log_artifact(
        self, path: str, type: str = "file", name: Optional[str] = None,
        aliases: Optional[List[str]] = None, metadata: Optional[Dict[str, Any]] = None,
    ) -> None:
        """Records a file or directory as a version of artifact `name` (hashed now, uploaded in the background)."""
        name = name or os.path.basename(os.path.abspath(path))
        art = _artifacts.spool_artifact(path, type, name, aliases, metadata)
        self._push({"op": "artifact", "artifact": art})

    def use_artifact(self, ref: str) -> None:
        """Lineage: this run used artifact `ref` (an id, `name`, `name:v3` or `name:<alias>`)."""
        self._push({"op": "use", "artifact": ref})

    def define_metric(self, name: str, step_metric: Optional[str] = None, summary: Optional[str] = None,
                      goal: Optional[str] = None, **_: Any) -> None:
        """W&B's define_metric: `step_metric` is logged with every matching metric (plot it with xKey); a
        `summary` of min/max/mean/last decides the metric's summary value."""
        self._metric_defs[name] = {"step_metric": step_metric, "summary": summary}

    def finish(self, exit_code: Optional[int] = None, timeout: float = 60.0) -> bool:
        """Ends the run (finished, or failed for a non-zero exit code) and waits up to `timeout` s for delivery.
        Returns whether everything was delivered (else the spool keeps it for `python -m anneal sync`)."""
        with self._lock:
            if self._finished:
                return self._sender.pending == 0
            self._finished = True
            if self._pending:
                self._commit()
        self._stop.set()
        self._ticker.join(5)
        if self._console:
            self._console.stop()
            self._flush_console()
        status = "finished" if not exit_code else "failed"
        self._push({"op": "finish", "status": status, "summary": _json_safe(self._final_summary())})
        return self._sender.close(timeout)

    @property
    def pending(self) -> int:
        return self._sender.pending

    @property
    def spool_file(self) -> str:
        return self._sender.files["spool"]

    @property
    def dead_letter_file(self) -> str:
        return self._sender.dead_letter_file

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.finish(1 if exc_type else 0)

    # ---- internals --------------------------------------------------------------------------------------
    def _add_step_metrics(self) -> None:
        for pattern, d in self._metric_defs.items():
            sm = d.get("step_metric")
            if sm and sm not in self._pending and sm in self._last and any(
                fnmatch.fnmatch(k, pattern) for k in self._pending
            ):
                n = _number(self._last[sm])
                if n is not None:
                    self._pending[sm] = n

    def _commit(self) -> None:
        if not self._pending:
            return
        t = now_iso()
        points = [{"key": k, "step": self.step, "value": encode_value(v), "time": t} for k, v in self._pending.items()]
        for k, v in self._pending.items():
            self._track_summary(k, v)
        self._pending = {}
        self._push({"op": "points", "points": points})

    def _track_summary(self, key: str, v: float) -> None:
        rule = next((d.get("summary") for p, d in self._metric_defs.items() if fnmatch.fnmatch(key, p)), None)
        old = self._last.get(key)
        if rule in ("min", "max") and isinstance(old, float) and not math.isnan(old):
            v = min(old, v) if rule == "min" else max(old, v)
        self._last[key] = v

    def _final_summary(self) -> Dict[str, Any]:
        out = dict(self._last)
        out.update(self.summary._explicit)
        out["_runtime"] = time.monotonic() - self._started
        out["_step"] = max(0, self.step - 1) if self._last else 0
        return out

    def _config_changed(self) -> None:
        if self._created and not self._late_config_warned:
            self._late_config_warned = True
            print(f"anneal: {self.id}: config changed after the run was created; the change is not stored "
                  "(set the config before the first log)", file=sys.__stderr__)

    def _ensure_created(self) -> None:
        with self._lock:
            if self._created:
                return
            self._created = True
            args = dict(self._create_args)
            args["config"] = _json_safe(dict(self.config))
            self._sender.push({"op": "create", "args": args})

    def _push(self, op: Dict[str, Any]) -> None:
        self._ensure_created()
        self._sender.push(op)

    def _flush_console(self) -> None:
        if not self._console:
            return
        lines = self._console.take()
        if not lines:
            return
        t = now_iso()
        out = []
        for stream, line in lines:
            out.append({"seq": self._sender.log_seq, "stream": stream, "line": line, "time": t})
            self._sender.log_seq += 1
        for i in range(0, len(out), 5000):
            self._push({"op": "logs", "lines": out[i : i + 5000]})

    def _tick_loop(self) -> None:
        next_sys = next_beat = time.monotonic()
        tick = min(1.0, self._system_s) if self._system_s > 0 else 1.0
        while not self._stop.wait(tick):
            now = time.monotonic()
            try:
                if self._created or now - self._started > 30:
                    self._flush_console()
                if self._system_s > 0 and now >= next_sys and (self._created or now - self._started > 30):
                    next_sys = now + self._system_s
                    sample = self._monitor.sample()
                    if sample:
                        t = now_iso()
                        pts = [{"key": k, "step": self._sys_step, "value": encode_value(v), "time": t}
                               for k, v in sample.items()]
                        self._sys_step += 1
                        self._push({"op": "points", "points": pts})
                if self._heartbeat_s > 0 and now >= next_beat and self._created and self._sender.sent > 0:
                    next_beat = now + self._heartbeat_s
                    self._beat()
            except Exception as e:  # never let the ticker die: logging goes on
                print(f"anneal: {self.id}: {e}", file=sys.__stderr__)

    def _beat(self) -> None:
        try:
            data = graphql(self.url, self.api_key,
                           "mutation($runId: ID!) { heartbeat(runId: $runId) { id stopRequested } }",
                           {"runId": self.id}, 10)
            self.stop_requested = bool((data.get("heartbeat") or {}).get("stopRequested"))
        except AnnealError:
            pass  # the sender reports outages; a missed beat is only a missed beat

    def _at_exit(self) -> None:
        if not self._finished:
            self.finish(0)

    def __repr__(self) -> str:
        return f"<anneal.Run {self.id} project={self.project!r}>"

    def keys(self) -> Iterator[str]:
        return iter(self._last)
