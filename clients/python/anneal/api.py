"""Reading runs back (the notebook use): `anneal.Api(url, key).runs(project, filter, order)`.

    api = anneal.Api()                                   # ANNEAL_API_URL / ANNEAL_API_KEY
    runs = api.runs("default", filter={"field": "status", "op": "EQ", "value": "finished"},
                    order=[{"field": "summary.val/f1", "direction": "DESC"}])
    runs[0].history(["train/loss"])                      # every point, paged
    runs.to_dataframe()                                  # with pandas installed
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Union

from ._transport import default_key, default_url, graphql

RUNS = """query($project: String!, $first: Int, $after: String, $filter: RunFilter, $orderBy: [RunOrder!]) {
  runs(project: $project, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount edges { node { id name status config summary tags group notes createdAt finishedAt } }
    pageInfo { hasNextPage endCursor } } }"""
HISTORY = """query($id: ID!, $keys: [String!]!, $after: Float, $first: Int) {
  run(id: $id) { history(keys: $keys, afterStep: $after, first: $first) { key step value time } } }"""


def _num(v: Any) -> float:
    return float(v) if isinstance(v, str) else v  # "NaN", "Infinity" → float


class ApiRun:
    """One run as read from the API."""

    def __init__(self, api: "Api", node: Dict[str, Any]) -> None:
        self._api = api
        self.id: str = node["id"]
        self.name: Optional[str] = node.get("name")
        self.status: str = node.get("status", "")
        self.config: Dict[str, Any] = node.get("config") or {}
        self.summary: Dict[str, Any] = node.get("summary") or {}
        self.tags: List[str] = node.get("tags") or []
        self.group: Optional[str] = node.get("group")
        self.created_at: Optional[str] = node.get("createdAt")

    def history(self, keys: Optional[Sequence[str]] = None, page: int = 5000) -> List[Dict[str, Any]]:
        """Every point of `keys` (default: the summary's numeric keys) at full resolution, one row per step:
        `[{"_step": 0, "train/loss": 0.9, ...}, ...]`."""
        if keys is None:
            keys = sorted(k for k, v in self.summary.items() if isinstance(v, (int, float)) and not k.startswith("_"))
        rows: Dict[int, Dict[str, Any]] = {}
        for key in keys:
            after = -1.0
            while True:
                data = self._api._q(HISTORY, {"id": self.id, "keys": [key], "after": after, "first": page})
                pts = (data.get("run") or {}).get("history") or []
                for p in pts:
                    step = int(p["step"])
                    rows.setdefault(step, {"_step": step})[key] = _num(p["value"])
                if len(pts) < page:
                    break
                after = float(pts[-1]["step"])
        return [rows[s] for s in sorted(rows)]

    def __repr__(self) -> str:
        return f"<ApiRun {self.id} {self.name!r} {self.status}>"


class Runs(List[ApiRun]):
    """A list of runs, with `.to_dataframe()` (one row per run: config.* and summary.* columns)."""

    def to_dataframe(self) -> Any:
        import pandas as pd  # optional: only this method needs it

        rows = []
        for r in self:
            row: Dict[str, Any] = {"id": r.id, "name": r.name, "status": r.status}
            row.update({f"config.{k}": v for k, v in _flat(r.config).items()})
            row.update({f"summary.{k}": v for k, v in r.summary.items()})
            rows.append(row)
        return pd.DataFrame(rows)


def _flat(d: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


class Api:
    def __init__(self, url: Optional[str] = None, key: Optional[str] = None) -> None:
        self.url = (url or default_url()).rstrip("/")
        self.key = key or default_key()
        if not self.url:
            raise ValueError("anneal.Api: give url= or set ANNEAL_API_URL")

    def _q(self, query: str, variables: Dict[str, Any]) -> Dict[str, Any]:
        return graphql(self.url, self.key, query, variables, 60)

    def runs(
        self,
        project: str = "default",
        filter: Optional[Dict[str, Any]] = None,
        order: Optional[Union[str, List[Dict[str, Any]]]] = None,
        per_page: int = 500,
    ) -> Runs:
        """Every run of `project` matching `filter` (the API's RunFilter: `{"field", "op", "value"}` or
        `{"and"|"or": [...]}`, `{"not": {...}}`), sorted by `order` (`"-summary.val/f1"` or the API's
        `[{"field", "direction"}]`), fetched page by page."""
        if isinstance(order, str):
            order = [{"field": order.lstrip("+-"), "direction": "DESC" if order.startswith("-") else "ASC"}]
        out = Runs()
        after = None
        while True:
            data = self._q(RUNS, {"project": project, "first": per_page, "after": after, "filter": filter,
                                  "orderBy": order})
            page = data["runs"]
            out.extend(ApiRun(self, e["node"]) for e in page["edges"])
            if not page["pageInfo"]["hasNextPage"]:
                return out
            after = page["pageInfo"]["endCursor"]

    def run(self, run_id: str) -> ApiRun:
        data = self._q("query($id: ID!) { run(id: $id) { id name status config summary tags group createdAt } }",
                       {"id": run_id})
        return ApiRun(self, data["run"])
