"""Artifacts through the API's upload protocol (docs/api.md, "Artifacts"), as packages/client/src/artifacts.ts:
hash the files when logged (spooled with path, size, sha256), then at delivery `POST /uploads` per distinct blob,
`PATCH /uploads/<id>` chunks from the server's offset (a cut connection or a restarted API resumes), and
`logArtifact`. A file that changed or vanished since it was logged is a refusal (the artifact is dead-lettered).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Dict, List, Optional

from ._transport import Rejected, ServerFailure, Unreachable, request

LOG_ARTIFACT = "mutation($runId: ID!, $kind: ArtifactKind!, $name: String!, $files: [ArtifactFileInput!]!, $metadata: JSON, $aliases: [String!], $uri: String) { logArtifact(runId: $runId, kind: $kind, name: $name, files: $files, metadata: $metadata, aliases: $aliases, uri: $uri) { id } }"
KINDS = ("checkpoint", "dataset", "file", "model")
CHUNK = 8 << 20


def _sha256(path: str) -> Dict[str, Any]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return {"sha256": h.hexdigest(), "size": size}


def spool_artifact(
    path: str, kind: str, name: str, aliases: Optional[List[str]] = None, metadata: Optional[Dict[str, Any]] = None
) -> Dict[str, Any]:
    """A file or a directory's files as a spooled artifact (hashed now, read again at upload)."""
    if kind not in KINDS:
        raise ValueError(f"log_artifact: type must be one of {', '.join(KINDS)}, not {kind!r}")
    root = os.path.abspath(path)
    if os.path.isfile(root):
        entries = [(os.path.basename(root), root)]
    elif os.path.isdir(root):
        entries = []
        for d, _dirs, names in os.walk(root):
            for n in names:
                src = os.path.join(d, n)
                if os.path.isfile(src):
                    entries.append((os.path.relpath(src, root).replace(os.sep, "/"), src))
        entries.sort()
        if not entries:
            raise ValueError(f"log_artifact {name}: {path} holds no files")
    else:
        raise FileNotFoundError(f"log_artifact {name}: {path} is neither a file nor a directory")
    out: Dict[str, Any] = {
        "kind": kind,
        "name": name,
        "files": [{"path": p, "source": s, **_sha256(s)} for p, s in entries],
    }
    if aliases:
        out["aliases"] = list(aliases)
    if metadata:
        out["metadata"] = metadata
    return out


def log_variables(run_id: str, a: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "runId": run_id,
        "kind": a["kind"],
        "name": a["name"],
        "files": [{"path": f["path"], "sha256": f["sha256"], "size": f["size"]} for f in a["files"]],
        "metadata": a.get("metadata"),
        "aliases": a.get("aliases"),
        "uri": a.get("uri"),
    }


def _call(url: str, key: str, method: str, path: str, body: bytes, headers: Dict[str, str], ok: tuple = ()) -> tuple:
    status, raw = request(url, key, method, path, body, headers, 120)
    try:
        doc = json.loads(raw) if raw else {}
    except ValueError:
        doc = {}
    if status < 300 or status in ok:
        return status, doc
    msg = f"{method} {path}: HTTP {status}"
    errs = doc.get("errors") if isinstance(doc, dict) else None
    if errs:
        msg += f": {errs[0].get('message')}"
    if status in (401, 429, 502, 503, 504):
        raise Unreachable(msg)
    if status >= 500:
        raise ServerFailure(msg)
    raise Rejected(msg)


def upload(url: str, key: str, run_id: str, a: Dict[str, Any], chunk: int = CHUNK) -> None:
    """Uploads every blob of the artifact the project does not hold (each distinct sha256 once)."""
    seen = set()
    for f in a["files"]:
        if f["sha256"] in seen:
            continue
        seen.add(f["sha256"])
        _upload_blob(url, key, run_id, f, chunk)


def _upload_blob(url: str, key: str, run_id: str, f: Dict[str, Any], chunk: int) -> None:
    def begin() -> Dict[str, Any]:
        body = json.dumps({"runId": run_id, "sha256": f["sha256"], "size": f["size"]}).encode()
        return _call(url, key, "POST", "/uploads", body, {"content-type": "application/json"})[1]

    start = begin()
    if start.get("complete"):
        return
    upload_id, offset = start["uploadId"], int(start.get("offset", 0))
    try:
        fh = open(f["source"], "rb")
    except OSError:
        raise Rejected(f"{f['path']}: {f['source']} vanished before it was uploaded") from None
    with fh:
        while True:
            size = os.fstat(fh.fileno()).st_size
            if size != f["size"]:
                raise Rejected(f"{f['path']}: {f['source']} changed since it was logged ({f['size']} -> {size} bytes)")
            fh.seek(offset)
            data = fh.read(min(chunk, f["size"] - offset))
            status, doc = _call(
                url,
                key,
                "PATCH",
                f"/uploads/{upload_id}",
                data,
                {"upload-offset": str(offset), "content-type": "application/offset+octet-stream"},
                (404, 409, 422),
            )
            if status == 404:  # the server dropped the upload: ask again (resumes or restarts it)
                start = begin()
                if start.get("complete"):
                    return
                upload_id, offset = start["uploadId"], int(start.get("offset", 0))
                continue
            if status == 409:  # the server holds another prefix: continue from its offset
                offset = int(doc.get("offset", 0))
                continue
            if status == 422:
                raise Rejected(f"{f['path']}: {f['source']} changed since it was logged (sha256 mismatch)")
            if doc.get("complete"):
                return
            offset = int(doc.get("offset", offset + len(data)))
