"""The validated-content cache: what pydantic accepted, keyed by the file's bytes.

A command that reads a file whose exact content was validated before loads
the validated result from here instead of importing pydantic again. The key
is a hash of the content (and of mldsplan's version), so an edit of any kind
is a miss; a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

from mldsplan import __version__

CACHE_ENV = "MLDSPLAN_CACHE_DIR"
KEEP = 16  # entries kept per kind


def folder() -> Path:
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    from platformdirs import user_cache_path

    return user_cache_path("mldsplan")


def key(kind: str, content: bytes) -> str:
    try:  # hashlib would also load OpenSSL (~2 ms) for the one hash we need
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without the builtin module
        from hashlib import blake2b
    digest = blake2b(content, digest_size=16, person=__version__.encode()[:16])
    return f"{kind}-{digest.hexdigest()}"


def load(name: str) -> Any:
    try:
        return marshal.loads((folder() / f"{name}.marshal").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def save(name: str, value: Any) -> None:
    try:
        where = folder()
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = where / f".{name}.{os.getpid()}.tmp"
        temp.write_bytes(marshal.dumps(value))
        os.replace(temp, where / f"{name}.marshal")
        kind = name.split("-")[0]
        entries = sorted(where.glob(f"{kind}-*.marshal"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass  # a cache is an optimisation: without it, files are validated every time
