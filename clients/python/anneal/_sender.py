"""Delivers a run's spooled operations in a background thread, exactly once, as the TypeScript client does.

Every operation is appended to the spool before it is queued; `.sent` counts the settled ones, so a crash (of
this process or of the API) only ever resends what the API may not have — and every operation is idempotent on
the server (createRun with our id, points per (run, key, step), log lines per (run, attempt, seq), artifacts per
manifest), so a resend changes nothing. Failures (see _transport.py): an outage is retried forever with backoff
(250 ms doubling up to max_backoff); an HTTP 500 on one operation while the API answers others is retried
max_tries times and then moved aside to <run>.failed.jsonl; a refusal goes to the dead-letter file (an optional
part of it — config, tags, a finish's summary, one console line — is dropped and the rest sent again).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Optional

from . import _artifacts
from ._spool import append_jsonl, end_line, files, read_sent, read_spool
from ._transport import Rejected, ServerFailure, Unreachable, graphql

GQL = {
    "create": "mutation($project: String!, $id: ID, $name: String, $config: JSON, $tags: [String!], $group: String, $notes: String, $host: String, $gpu: JSON, $forkFrom: ForkFromInput, $attempt: Int) { createRun(project: $project, id: $id, name: $name, config: $config, tags: $tags, group: $group, notes: $notes, host: $host, gpu: $gpu, forkFrom: $forkFrom, attempt: $attempt) { id attempt } }",
    "points": "mutation($runId: ID!, $points: [PointInput!]!) { logMetrics(runId: $runId, points: $points) { stored rejected { index reason } } }",
    "summary": "mutation($runId: ID!, $summary: JSON!) { updateSummary(runId: $runId, summary: $summary) { id } }",
    "logs": "mutation($runId: ID!, $lines: [LogLineInput!]!, $attempt: Int) { appendLogs(runId: $runId, lines: $lines, attempt: $attempt) }",
    "rewind": "mutation($runId: ID!, $step: Int!) { rewindRun(runId: $runId, step: $step) }",
    "table": "mutation($runId: ID!, $key: String!, $step: Float!, $columns: [String!]!, $rows: JSON!) { logTable(runId: $runId, key: $key, step: $step, columns: $columns, rows: $rows) { stored } }",
    "artifact": _artifacts.LOG_ARTIFACT,
    "use": "mutation($runId: ID!, $artifact: String!) { useArtifact(runId: $runId, artifact: $artifact) { id } }",
    "finish": "mutation($runId: ID!, $status: RunStatus, $summary: JSON, $attempt: Int) { finishRun(runId: $runId, status: $status, summary: $summary, attempt: $attempt) { id } }",
}
OPTIONAL_CREATE_ARGS = ("name", "config", "tags", "group", "notes", "host", "gpu")


def _warn(message: str) -> None:
    # The real stderr: a captured console must not feed the sender's own warnings back into the run.
    print(f"anneal: {message}", file=sys.__stderr__, flush=True)


class Sender:
    """One run's spool and the thread that empties it."""

    def __init__(
        self,
        run_id: str,
        spool_dir: str,
        url: str,
        key: str,
        offline: bool = False,
        flush_s: float = 1.0,
        max_batch: int = 1000,
        max_backoff_s: float = 30.0,
        max_tries: int = 5,
        warn: Callable[[str], None] = _warn,
    ) -> None:
        self.id = run_id
        self.url, self.key, self.offline = url, key, offline
        self.flush_s, self.max_batch, self.max_backoff_s, self.max_tries = flush_s, max_batch, max_backoff_s, max_tries
        self.warn = warn
        self.files = files(spool_dir, run_id)
        self.dead_letter_file = self.files["rejected"]
        end_line(self.files["spool"])
        ops = read_spool(self.files["spool"])
        self.sent = read_sent(self.files["sent"], len(ops))
        self.queue: List[Dict[str, Any]] = ops[self.sent :]
        self.log_seq = 0
        for op in ops:
            if op["op"] == "logs":
                self.log_seq = max([self.log_seq] + [int(line["seq"]) + 1 for line in op["lines"]])
        self.attempt: Optional[int] = None
        self.stop_requested = False
        self._cond = threading.Condition()
        self._closing = False
        self._backoff = 0.0
        self._tries = 0
        self._isolate = 0
        self._warned = False
        self._rejected_warned = False
        self._spool_down: Optional[str] = None
        self._wake = False
        self._thread: Optional[threading.Thread] = None
        if not offline:
            self._thread = threading.Thread(target=self._loop, name=f"anneal-sender-{run_id}", daemon=True)
            self._thread.start()

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self.queue)

    # ---- writing ----------------------------------------------------------------------------------------
    def push(self, op: Dict[str, Any]) -> None:
        line = json.dumps(op, allow_nan=False) + "\n"
        with self._cond:
            self._spool_write(lambda: _append(self.files["spool"], line))
            self.queue.append(op)
            points = sum(len(q["points"]) for q in self.queue if q["op"] == "points")
            if op["op"] != "points" or points >= self.max_batch:
                self._wake = True
                self._cond.notify_all()

    def _spool_write(self, write: Callable[[], None]) -> None:
        """A spool that cannot be written (a full disk) is said once; logging goes on from memory."""
        if self._spool_down:
            return
        try:
            write()
        except OSError as e:
            self._spool_down = e.strerror or str(e)
            self.warn(
                f"{self.id}: cannot write the spool {self.files['spool']} ({self._spool_down}): logging goes on "
                "from memory; what is not delivered yet is lost if this process dies"
            )

    # ---- delivery ---------------------------------------------------------------------------------------
    def flush(self, timeout: float = 60.0) -> bool:
        """Waits until everything is settled (True) or `timeout` seconds pass (False; the spool keeps the rest)."""
        if self.offline:
            return not self.queue
        deadline = time.monotonic() + timeout
        with self._cond:
            self._wake = True
            self._cond.notify_all()
            while self.queue and time.monotonic() < deadline:
                self._cond.wait(min(0.1, max(0.0, deadline - time.monotonic())))
            return not self.queue

    def close(self, timeout: float = 60.0) -> bool:
        done = self.flush(timeout)
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        return done

    def drain_here(self, timeout: float) -> bool:
        """Delivers from the calling thread (for `sync`), until done or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        while self.queue and time.monotonic() < deadline:
            if not self._step():
                time.sleep(min(self._backoff, max(0.0, deadline - time.monotonic())))
        return not self.queue

    def _loop(self) -> None:
        while True:
            with self._cond:
                if not self._wake:
                    self._cond.wait(self.flush_s if self.queue else 1.0)
                self._wake = False
                if self._closing and not self.queue:
                    return
            while self.queue:
                if not self._step():
                    with self._cond:
                        if self._closing:
                            return
                        self._cond.wait(self._backoff)
                    continue
            with self._cond:
                self._cond.notify_all()

    def _step(self) -> bool:
        """Sends the head of the queue (a batch of point operations). False: retry later, after the backoff."""
        head = self.queue[0]
        if head["op"] == "corrupt":
            self._dead_letter([{"kind": "corrupt", "line": head["line"], "text": head["text"], "reason": head["error"]}])
            self._settle(1)
            return True
        n = 1
        batch: List[Dict[str, Any]] = []
        if head["op"] == "points":
            n = 0
            for q in list(self.queue):
                if q["op"] != "points":
                    break
                if n and (self._isolate > 0 or len(batch) + len(q["points"]) > self.max_batch):
                    break
                batch.extend(q["points"])
                n += 1
        op = {"op": "points", "points": batch} if head["op"] == "points" else head
        try:
            rejected = self._send(op)
            if rejected:
                self._dead_letter(
                    [{"kind": "point", "point": batch[r["index"]], "reason": r["reason"]} for r in rejected]
                )
        except (Rejected, ServerFailure) as e:
            failed = isinstance(e, ServerFailure) and self._answers_others()
            if n > 1 and (isinstance(e, Rejected) or failed):
                self._isolate = n  # something in this batch is at fault: one by one to find which
                return True
            if isinstance(e, Rejected):
                retry = self._without_refused(head, e)
                if retry is not None:
                    self.queue[0] = retry
                    return True
                self._dead_letter([{"kind": "operation", "operation": head, "reason": str(e)}])
            elif failed:
                self._tries += 1
                if self._tries < self.max_tries:
                    return self._later()
                append_jsonl(self.files["failed"], self.id, [{"tries": self._tries, "reason": str(e), "operation": head}])
                self.warn(f"{self.id}: moved a {head['op']} operation aside after {self._tries} tries ({e}): {self.files['failed']}")
            else:
                return self._outage(e)
        except Unreachable as e:
            return self._outage(e)
        self._settle(n)
        return True

    def _outage(self, e: Exception) -> bool:
        if not self._warned:
            self.warn(f"{self.id}: API unreachable ({e}); spooling to {self.files['spool']}")
        self._warned = True
        return self._later()

    def _later(self) -> bool:
        self._backoff = min(self.max_backoff_s, max(0.25, self._backoff * 2))
        return False

    def _settle(self, n: int) -> None:
        with self._cond:
            del self.queue[:n]
            self.sent += n
            self._isolate = max(0, self._isolate - n)
            self._tries, self._backoff, self._warned = 0, 0.0, False
            sent = str(self.sent)
            self._spool_write(lambda: _write(self.files["sent"], sent))
            self._cond.notify_all()

    def _dead_letter(self, entries: List[Dict[str, Any]]) -> None:
        append_jsonl(self.dead_letter_file, self.id, entries)
        if not self._rejected_warned:
            self._rejected_warned = True
            self.warn(
                f"{self.id}: the API refused some tracking data ({entries[0]['reason']}); it is kept, with the "
                f"reasons, in {self.dead_letter_file}"
            )

    def _without_refused(self, op: Dict[str, Any], e: Rejected) -> Optional[Dict[str, Any]]:
        field = e.field or ""
        top = "".join(c for c in field.split(".")[0].split("[")[0] if c.isalpha())

        def drop(value: Any) -> None:
            self._dead_letter([{"kind": "field", "op": op["op"], "field": field, "value": value, "reason": str(e)}])

        if op["op"] == "create" and top in OPTIONAL_CREATE_ARGS and top in op["args"]:
            drop(op["args"][top])
            args = {k: v for k, v in op["args"].items() if k != top}
            return {"op": "create", "args": args}
        if op["op"] == "finish" and top == "summary" and op.get("summary"):
            drop(op["summary"])
            return {"op": "finish", "status": op["status"]}
        if op["op"] == "logs" and field.startswith("lines[") and len(op["lines"]) > 1:
            i = int(field[len("lines[") : field.index("]")])
            drop(op["lines"][i])
            return {"op": "logs", "lines": [line for j, line in enumerate(op["lines"]) if j != i]}
        return None

    def _answers_others(self) -> bool:
        """Whether the API serves a request that reads the database: a 500 is then this operation's fault."""
        try:
            graphql(self.url, self.key, "query($id: ID!) { run(id: $id) { id } }", {"id": self.id}, 10)
            return True
        except Rejected:
            return True
        except (Unreachable, ServerFailure):
            return False

    def _send(self, op: Dict[str, Any]) -> List[Dict[str, Any]]:
        kind = op["op"]
        rid = self.id
        if kind == "create":
            variables = dict(op["args"])
        elif kind == "points":
            variables = {"runId": rid, "points": op["points"]}
        elif kind == "summary":
            variables = {"runId": rid, "summary": op["summary"]}
        elif kind == "logs":
            variables = {"runId": rid, "lines": op["lines"], "attempt": self.attempt}
        elif kind == "rewind":
            variables = {"runId": rid, "step": op["step"]}
        elif kind == "table":
            variables = {"runId": rid, "key": op["key"], "step": op["step"], "columns": op["columns"], "rows": op["rows"]}
        elif kind == "artifact":
            _artifacts.upload(self.url, self.key, rid, op["artifact"])
            variables = _artifacts.log_variables(rid, op["artifact"])
        elif kind == "use":
            variables = {"runId": rid, "artifact": op["artifact"]}
        else:
            variables = {"runId": rid, "status": op["status"], "summary": op.get("summary"), "attempt": self.attempt}
        data = graphql(self.url, self.key, GQL[kind], variables)
        if kind == "create":
            self.attempt = (data.get("createRun") or {}).get("attempt")
        return ((data.get("logMetrics") or {}).get("rejected")) or []


def _append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read_dead_letters(path: str) -> List[Dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []
