"""Anneal experiment tracking from Python (standard library only).

    import anneal
    run = anneal.init(project="default", config={"lr": 3e-4})
    run.log({"train/loss": 0.42})

See docs/python.md. ANNEAL_API_URL / ANNEAL_API_KEY name the server; ANNEAL_MODE=offline only spools (deliver
later with `python -m anneal sync`); ANNEAL_RUN_ID / ANNEAL_SWEEP_ID are set by `python -m anneal agent`.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional

from ._transport import AnnealError, Rejected, ServerFailure, Unreachable
from .api import Api, ApiRun
from .run import Config, Run, Summary

__all__ = [
    "Api", "ApiRun", "AnnealError", "Config", "Rejected", "Run", "ServerFailure", "Summary", "Unreachable",
    "finish", "init", "log", "log_artifact", "run",
]
__version__ = "0.1.0"

run: Optional[Run] = None
_hooked = False


def init(
    project: Optional[str] = None,
    name: Optional[str] = None,
    config: Optional[Dict[str, Any]] = None,
    tags: Optional[List[str]] = None,
    group: Optional[str] = None,
    notes: Optional[str] = None,
    resume: Any = None,
    mode: Optional[str] = None,
    id: Optional[str] = None,
    **options: Any,
) -> Run:
    """Starts a run (or joins the one an agent gave us through ANNEAL_RUN_ID) and makes it the current run."""
    global run, _hooked
    if run is not None and not run._finished:
        run.finish()
    run = Run(project=project, name=name, config=config, tags=tags, group=group, notes=notes, resume=resume,
              mode=mode, id=id, **options)
    if not _hooked:
        _hooked = True
        previous = sys.excepthook

        def hook(tp: Any, value: Any, tb: Any) -> None:
            previous(tp, value, tb)  # print it first, so the traceback is in the console
            if run is not None and not run._finished:
                run.finish(1)

        sys.excepthook = hook
    return run


def _current() -> Run:
    if run is None:
        raise AnnealError("call anneal.init() first")
    return run


def log(data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None) -> None:
    """Logs on the current run."""
    _current().log(data, step=step, commit=commit)


def log_artifact(path: str, type: str = "file", name: Optional[str] = None, **kw: Any) -> None:
    _current().log_artifact(path, type=type, name=name, **kw)


def finish(exit_code: Optional[int] = None) -> None:
    """Finishes the current run."""
    if run is not None:
        run.finish(exit_code)
