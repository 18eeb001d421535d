"""HTTP to the Anneal API (urllib only): one GraphQL request, and how its failure is classified.

The classes mirror packages/client/src/index.ts so a Python run is retried exactly as a TypeScript one:
- Unreachable: nothing answered, a gateway/overload status (429, 502-504) or the key was refused -> retry forever;
- ServerFailure: HTTP 500 or a masked internal error -> retried `max_tries` times, then moved aside;
- Rejected: the API refused the operation (BAD_INPUT, NOT_FOUND...) -> never retried, dead-lettered.
"""

from __future__ import annotations

import json
import math
import os
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple


class AnnealError(Exception):
    """Base of the errors this package raises."""


class Unreachable(AnnealError):
    """The API could not be reached, or turned every request away."""


class ServerFailure(AnnealError):
    """The API failed on this request (HTTP 500, an internal error)."""


class Rejected(AnnealError):
    """The API refused the request; `field` names the argument at fault when the API says."""

    def __init__(self, message: str, field: Optional[str] = None, code: Optional[str] = None) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


def data_dir() -> str:
    return os.environ.get("ANNEAL_DATA_DIR", ".anneal")


def default_url() -> str:
    return os.environ.get("ANNEAL_API_URL", "").rstrip("/")


def default_key() -> str:
    key = os.environ.get("ANNEAL_API_KEY")
    if key:
        return key
    path = os.path.join(data_dir(), "api-key")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return ""


def encode_value(v: float) -> Any:
    """A float as the API's Double: NaN and the infinities travel as strings."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def request(
    url: str,
    key: str,
    method: str,
    path: str,
    body: Optional[bytes] = None,
    headers: Optional[Dict[str, str]] = None,
    timeout: float = 30.0,
) -> Tuple[int, bytes]:
    """One HTTP request; returns (status, body) for any answer, raises Unreachable when none came."""
    h = {"authorization": f"Bearer {key}"}
    h.update(headers or {})
    req = urllib.request.Request(url + path, data=body, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as e:
        try:
            return e.code, e.read()
        except OSError:
            return e.code, b""
    except (OSError, ValueError) as e:  # URLError, timeouts, resets are OSErrors
        raise Unreachable(str(getattr(e, "reason", e))) from None


def graphql(url: str, key: str, query: str, variables: Dict[str, Any], timeout: float = 30.0) -> Dict[str, Any]:
    """Runs one GraphQL request and returns its `data`, or raises one of the classes above."""
    status, raw = request(
        url,
        key,
        "POST",
        "/graphql",
        json.dumps({"query": query, "variables": variables}, allow_nan=False).encode(),
        {"content-type": "application/json"},
        timeout,
    )
    if status in (429, 502, 503, 504):
        raise Unreachable(f"HTTP {status}")
    try:
        body = json.loads(raw)
    except ValueError:
        if status >= 500:
            raise ServerFailure(f"HTTP {status}") from None
        raise Rejected(f"HTTP {status}") from None
    errors = body.get("errors") or []
    if errors:
        e = errors[0]
        ext = e.get("extensions") or {}
        code = ext.get("code")
        if code == "UNAUTHENTICATED":
            raise Unreachable(f"the API refused the key: {e.get('message')}")
        if code is None and 400 <= status < 500:
            raise Rejected(f"HTTP {status}: {e.get('message')}")
        if code in (None, "INTERNAL_SERVER_ERROR") or status >= 500:
            raise ServerFailure((f"HTTP {status}: " if status >= 500 else "") + str(e.get("message")))
        raise Rejected(f"{code}: {e.get('message')}", ext.get("field"), code)
    if status >= 500:
        raise ServerFailure(f"HTTP {status}")
    return body.get("data") or {}
