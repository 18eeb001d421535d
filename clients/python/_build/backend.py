"""An in-tree PEP 517 build backend, standard library only, so that `pip install ./clients/python` works with no
network and no setuptools/wheel installed (pip builds in an isolated environment and would otherwise download
them). It builds a pure-Python wheel of the `anneal` package, an sdist, and editable installs (PEP 660)."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import zipfile
from typing import Any, Dict, List, Optional, Tuple

NAME, VERSION = "anneal", "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = f"{NAME}-{VERSION}.dist-info"
TAG = "py3-none-any"


def _metadata() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (
        f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"
        "Summary: Anneal experiment tracking from Python (standard library only)\n"
        "Requires-Python: >=3.9\nProvides-Extra: pandas\nRequires-Dist: pandas; extra == \"pandas\"\n"
        "Description-Content-Type: text/markdown\n\n" + readme
    )


def _package_files() -> List[Tuple[str, str]]:
    out = []
    for d, dirs, names in os.walk(os.path.join(ROOT, NAME)):
        dirs[:] = [x for x in dirs if x != "__pycache__"]
        for n in sorted(names):
            if n.endswith((".py", ".typed")):
                src = os.path.join(d, n)
                out.append((os.path.relpath(src, ROOT).replace(os.sep, "/"), src))
    return sorted(out)


def _wheel(wheel_directory: str, files: List[Tuple[str, bytes]]) -> str:
    meta = {
        f"{DIST_INFO}/METADATA": _metadata().encode(),
        f"{DIST_INFO}/WHEEL": f"Wheel-Version: 1.0\nGenerator: anneal-backend\nRoot-Is-Purelib: true\nTag: {TAG}\n".encode(),
        f"{DIST_INFO}/entry_points.txt": b"[console_scripts]\nanneal-py = anneal.__main__:main\n",
    }
    entries = files + list(meta.items())
    record = []
    for path, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{DIST_INFO}/RECORD,,")
    name = f"{NAME}-{VERSION}-{TAG}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in entries:
            z.writestr(path, data)
        z.writestr(f"{DIST_INFO}/RECORD", "\n".join(record) + "\n")
    return name


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


get_requires_for_build_sdist = get_requires_for_build_editable = get_requires_for_build_wheel


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    files = []
    for rel, src in _package_files():
        with open(src, "rb") as f:
            files.append((rel, f.read()))
    return _wheel(wheel_directory, files)


def build_editable(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    return _wheel(wheel_directory, [(f"_{NAME}_editable.pth", (ROOT + "\n").encode())])


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    base = f"{NAME}-{VERSION}"
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for rel in ["pyproject.toml", "README.md", "_build/backend.py"] + [r for r, _ in _package_files()]:
            t.add(os.path.join(ROOT, rel), f"{base}/{rel}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return name
