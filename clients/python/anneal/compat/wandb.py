"""The common W&B calls on Anneal: `import anneal.compat.wandb as wandb` and a typical script logs unchanged.

Covered: init (project, name, config, tags, group, notes, id, resume, mode incl. "disabled"), log (step, commit),
config (attribute access, update), summary, finish, define_metric (step_metric, summary), log_artifact, run,
Artifact-free `save` (a no-op with a warning). `entity`, `dir`, `reinit`, `settings`… are accepted and ignored.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional

import anneal
from anneal.run import Run

run: Optional[Run] = None


class _Proxy:
    """`wandb.config` / `wandb.summary` before and after init: they follow the current run."""

    def __init__(self, attr: str) -> None:
        object.__setattr__(self, "_attr", attr)
        object.__setattr__(self, "_early", {})

    def _target(self) -> Any:
        return getattr(run, self._attr) if run is not None else self._early

    def __getattr__(self, name: str) -> Any:
        t = self._target()
        if hasattr(type(t), name) or name in ("update", "keys", "items", "values", "get"):
            return getattr(t, name)
        try:
            return t[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._target()[name] = value

    def __getitem__(self, k: str) -> Any:
        return self._target()[k]

    def __setitem__(self, k: str, v: Any) -> None:
        self._target()[k] = v

    def __contains__(self, k: object) -> bool:
        return k in self._target()

    def __iter__(self) -> Any:
        return iter(self._target())

    def __repr__(self) -> str:
        return repr(self._target())


config: Any = _Proxy("config")
summary: Any = _Proxy("summary")


def init(project: Optional[str] = None, entity: Optional[str] = None, config: Any = None, name: Optional[str] = None,
         tags: Any = None, group: Optional[str] = None, notes: Optional[str] = None, id: Optional[str] = None,
         resume: Any = None, mode: Optional[str] = None, job_type: Optional[str] = None, **_ignored: Any) -> Run:
    global run
    if mode == "disabled":
        mode = "offline"
    cfg: Dict[str, Any] = dict(object.__getattribute__(globals()["config"], "_early"))
    if config is not None:
        cfg.update(vars(config) if hasattr(config, "__dict__") and not isinstance(config, dict) else dict(config))
    all_tags = list(tags or []) + ([job_type] if job_type else [])
    run = anneal.init(project=project, name=name, config=cfg, tags=all_tags or None, group=group, notes=notes,
                      id=id, resume=resume, mode=mode)
    return run


class Table:
    """wandb.Table: named columns and rows of scalars (str, number, bool, None). `wandb.log({"preds": table})`
    logs it as the run's table at that step (Run.table in the API, the run page's tables)."""

    def __init__(self, columns: Optional[List[str]] = None, data: Optional[List[List[Any]]] = None,
                 rows: Optional[List[List[Any]]] = None, dataframe: Any = None, **_: Any) -> None:
        if dataframe is not None:
            columns = [str(c) for c in dataframe.columns]
            data = dataframe.values.tolist()
        self.data: List[List[Any]] = [list(r) for r in (data if data is not None else rows or [])]
        self.columns: List[str] = list(columns) if columns is not None else \
            [f"col{i}" for i in range(len(self.data[0]) if self.data else 0)]

    def add_data(self, *row: Any) -> None:
        if len(row) != len(self.columns):
            raise ValueError(f"wandb.Table.add_data: {len(row)} values for {len(self.columns)} columns ({', '.join(self.columns)})")
        self.data.append(list(row))

    def add_column(self, name: str, data: List[Any]) -> None:
        if len(data) != len(self.data):
            raise ValueError(f"wandb.Table.add_column: {len(data)} values for {len(self.data)} rows")
        self.columns.append(name)
        for r, v in zip(self.data, data):
            r.append(v)


def log(data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None, **_: Any) -> None:
    if run is None:
        raise anneal.AnnealError("wandb.log: call wandb.init() first")
    tables = {k: v for k, v in data.items() if isinstance(v, Table)}
    for k, t in tables.items():
        run.log_table(k, t.columns, t.data, step=step if step is not None else run.step)
    run.log({k: v for k, v in data.items() if k not in tables}, step=step, commit=commit)


def define_metric(name: str, step_metric: Optional[str] = None, summary: Optional[str] = None, **kw: Any) -> None:
    if run is None:
        raise anneal.AnnealError("wandb.define_metric: call wandb.init() first")
    run.define_metric(name, step_metric=step_metric, summary=summary, **kw)


def log_artifact(path: str, name: Optional[str] = None, type: str = "file", **kw: Any) -> None:
    if run is None:
        raise anneal.AnnealError("wandb.log_artifact: call wandb.init() first")
    run.log_artifact(path, type=type if type in ("checkpoint", "dataset", "file", "model") else "file", name=name)


def save(*_: Any, **__: Any) -> None:
    print("anneal: wandb.save is not supported; use wandb.log_artifact", file=sys.__stderr__)


def watch(*_: Any, **__: Any) -> None:
    """Gradient histograms are not tracked; accepted so that scripts run."""


def finish(exit_code: Optional[int] = None, quiet: Any = None) -> None:
    global run
    if run is not None:
        run.finish(exit_code)
    run = None
