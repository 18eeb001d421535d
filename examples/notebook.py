#!/usr/bin/env python3
"""Query Anneal from a notebook with nothing but Python's standard library (urllib + json).

    ANNEAL_API_URL=http://127.0.0.1:4000 ANNEAL_API_KEY=ank_... python3 examples/notebook.py [project]

Lists the project's finished runs with a filter, fetches each run's full metric history (paging by step),
and builds one row per (run, key, step) — as a pandas DataFrame when pandas is installed. The same history
also comes as one CSV table per run (GET /runs/<id>/history.csv): `history_table` reads it with the csv
module, and pandas reads it in one line (see its docstring)."""
import csv
import io
import json
import os
import sys
import urllib.request

BASE = os.environ.get("ANNEAL_API_URL", "http://127.0.0.1:4000").rstrip("/")
URL = BASE + "/graphql"
KEY = os.environ.get("ANNEAL_API_KEY") or open(os.path.join(os.environ.get("ANNEAL_DATA_DIR", ".anneal"), "api-key")).read().strip()


def gql(query, **variables):
    req = urllib.request.Request(
        URL,
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {KEY}"},
    )
    with urllib.request.urlopen(req) as res:
        body = json.load(res)
    if body.get("errors"):
        raise RuntimeError(body["errors"][0]["message"])
    return body["data"]


def runs(project, filter=None, page=100):
    """Every run matching the filter, newest first (Relay pagination)."""
    after = None
    while True:
        data = gql(
            """query($p: String!, $f: RunFilter, $after: String, $n: Int) {
                 runs(project: $p, filter: $f, first: $n, after: $after) {
                   totalCount edges { node { id name status config summary tags } } pageInfo { hasNextPage endCursor } } }""",
            p=project, f=filter, after=after, n=page,
        )["runs"]
        yield from (e["node"] for e in data["edges"])
        if not data["pageInfo"]["hasNextPage"]:
            return
        after = data["pageInfo"]["endCursor"]


def history(run_id, key, page=10_000):
    """Full-resolution points of one metric, paged by step. NaN and ±Infinity arrive as strings; float() reads them."""
    after = -1
    while True:
        points = gql(
            """query($id: ID!, $keys: [String!]!, $after: Float, $n: Int) {
                 run(id: $id) { history(keys: $keys, afterStep: $after, first: $n) { step value } } }""",
            id=run_id, keys=[key], after=after, n=page,
        )["run"]["history"]
        yield from points
        if len(points) < page:
            return
        after = points[-1]["step"]


def history_table(run_id, keys=None):
    """The run's whole history as one table: a row per step (a dict: step, wall_time, then a column per metric,
    "" where a metric has no point at that step). With pandas, the same in one line:
    pd.read_csv(f"{BASE}/runs/{run_id}/history.csv", storage_options={"Authorization": f"Bearer {KEY}"})"""
    query = "?keys=" + ",".join(keys) if keys else ""
    req = urllib.request.Request(f"{BASE}/runs/{run_id}/history.csv{query}", headers={"authorization": f"Bearer {KEY}"})
    with urllib.request.urlopen(req) as res:
        return list(csv.DictReader(io.TextIOWrapper(res, encoding="utf-8")))


if __name__ == "__main__":
    project = sys.argv[1] if len(sys.argv) > 1 else "default"
    finished = {"field": "status", "op": "EQ", "value": "finished"}
    keys = [k["key"] for k in gql('query($p: String!) { project(ref: $p) { metricKeys { key } } }', p=project)["project"]["metricKeys"]]
    rows = []
    for run in runs(project, finished):
        for key in keys:
            for p in history(run["id"], key):
                rows.append({"run": run["name"], "key": key, "step": p["step"], "value": float(p["value"])})
        print(f"{run['id']}  {run['name']}  {run['status']}  summary keys: {len(run['summary'])}")
        table = history_table(run["id"])
        for key in keys[:1]:
            paged = sum(1 for r in rows if r["run"] == run["name"] and r["key"] == key)
            cells = sum(1 for r in table if r.get(key, "") != "")
            print(f"  {key}: {paged} points by history(), {cells} in history.csv ({len(table)} steps)")
    try:
        import pandas as pd
        frame = pd.DataFrame(rows)
        print(frame.pivot_table(index="step", columns=["run", "key"], values="value").tail())
    except ImportError:
        print(f"{len(rows)} rows (install pandas for a DataFrame); first: {rows[:3]}")
