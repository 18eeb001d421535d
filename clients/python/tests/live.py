"""What the tests share: the live API that test/python.test.ts started (ANNEAL_TEST_API_URL, _KEY), its control
server (stop / start the API), GraphQL helpers and a runner for scripts in a child Python. Without those variables
(run by hand, with no API) the tests skip, saying why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request
import uuid
from typing import Any, Dict, Optional

URL = os.environ.get("ANNEAL_TEST_API_URL", "")
KEY = os.environ.get("ANNEAL_TEST_API_KEY", "")
CONTROL = os.environ.get("ANNEAL_TEST_CONTROL_URL", "")
PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

needs_api = unittest.skipUnless(URL and KEY, "no live API: run through `pnpm test test/python.test.ts`")


def gql(query: str, variables: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    req = urllib.request.Request(
        URL + "/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {KEY}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return json.loads(res.read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read())


def data(query: str, variables: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    body = gql(query, variables)
    if body.get("errors"):
        raise AssertionError(f"GraphQL errors: {body['errors']}")
    return body["data"]


def new_project() -> str:
    name = f"py-{uuid.uuid4().hex[:10]}"
    data("mutation($n: String!) { createProject(name: $n) { id } }", {"n": name})
    return name


def control(action: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{CONTROL}/{action}", method="POST"), timeout=30).read()


def history(run_id: str, key: str) -> list:
    return data(
        "query($id: ID!, $k: [String!]!) { run(id: $id) { history(keys: $k, first: 5000) { step value } } }",
        {"id": run_id, "k": [key]},
    )["run"]["history"]


def logs(run_id: str) -> list:
    return data("query($id: ID!) { run(id: $id) { logs(afterSeq: -1, first: 1000) { seq stream line } } }",
                {"id": run_id})["run"]["logs"]


def run_row(run_id: str) -> Dict[str, Any]:
    return data("query($id: ID!) { run(id: $id) { id name status config summary tags group } }", {"id": run_id})["run"]


def env(data_dir: str, **extra: str) -> Dict[str, str]:
    e = dict(os.environ)
    e.update({"PYTHONPATH": PKG, "ANNEAL_API_URL": URL, "ANNEAL_API_KEY": KEY, "ANNEAL_DATA_DIR": data_dir,
              "ANNEAL_HEARTBEAT_S": "1"})
    for k in ("ANNEAL_RUN_ID", "ANNEAL_SWEEP_ID", "ANNEAL_SWEEP_PARAMS", "ANNEAL_MODE", "ANNEAL_PROJECT"):
        e.pop(k, None)
    e.update(extra)
    return e


def run_script(source: str, data_dir: str, args: tuple = (), timeout: float = 120, **extra: str) -> subprocess.CompletedProcess:
    fd, path = tempfile.mkstemp(suffix=".py", dir=data_dir)
    with os.fdopen(fd, "w") as f:
        f.write(source)
    return subprocess.run([sys.executable, path, *args], env=env(data_dir, **extra), capture_output=True, text=True,
                          timeout=timeout)
