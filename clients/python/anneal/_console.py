"""Captures the process's stdout and stderr as the run's console while still writing them through."""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, List, Tuple


class _Tee:
    def __init__(self, inner: Any, stream: str, sink: Callable[[str, str], None]) -> None:
        self._inner, self._stream, self._sink = inner, stream, sink
        self._partial = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        n = self._inner.write(text)
        with self._lock:
            parts = (self._partial + text).split("\n")
            self._partial = parts.pop()
        for line in parts:
            self._sink(self._stream, line.rstrip("\r"))
        return n if isinstance(n, int) else len(text)

    def flush(self) -> None:
        self._inner.flush()

    def close_partial(self) -> None:
        with self._lock:
            rest, self._partial = self._partial, ""
        if rest:
            self._sink(self._stream, rest)

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding… of the real stream
        return getattr(self._inner, name)


class Console:
    """Buffers captured lines; `take()` hands them to the run's ticker in batches."""

    def __init__(self) -> None:
        self._lines: List[Tuple[str, str]] = []
        self._lock = threading.Lock()
        self._tees: List[_Tee] = []
        self._saved: Tuple[Any, Any] = (None, None)

    def _sink(self, stream: str, line: str) -> None:
        with self._lock:
            self._lines.append((stream, line[:65536].replace("\x00", "")))

    def start(self) -> None:
        self._saved = (sys.stdout, sys.stderr)
        out, err = _Tee(sys.stdout, "stdout", self._sink), _Tee(sys.stderr, "stderr", self._sink)
        self._tees = [out, err]
        sys.stdout, sys.stderr = out, err  # type: ignore[assignment]

    def stop(self) -> None:
        for t in self._tees:
            t.close_partial()
        if self._tees and sys.stdout is self._tees[0]:
            sys.stdout = self._saved[0]
        if self._tees and sys.stderr is self._tees[1]:
            sys.stderr = self._saved[1]
        self._tees = []

    def take(self) -> List[Tuple[str, str]]:
        with self._lock:
            lines, self._lines = self._lines, []
        return lines
