"""The validated-content cache: which exact file contents passed validation.

An entry is an empty marker file named by a hash of the content and of the
validation rules' source code, so an edit of either is a miss and nobody bumps
a number by hand. It holds no values: a hit only lets a reader rebuild the
records from the file itself without pydantic (`validation.build`). `check`
never uses it, and a write always validates in full. The folder must belong
to this user and be private; otherwise the cache is not used at all.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

KEEP = 64  # markers kept; the oldest beyond this are removed
# The modules whose code decides what "valid" means, relative to the package: every module
# of ours that the validation and the loading import (tests/test_cache_rules.py checks it).
_RULE_MODULES = (
    "domain/constraints.py",
    "domain/errors.py",
    "domain/numbers.py",
    "domain/dates.py",
    "domain/programme.py",
    "domain/progress.py",
    "domain/results.py",
    "storage/document.py",
    "storage/programme_file.py",
    "storage/logformat.py",
    "storage/tomlfile.py",
    "storage/validation.py",
)
_fingerprint: bytes | None = None


def _blake2b(*args: Any, **kwargs: Any) -> Any:
    """hashlib's own blake2b, from `_blake2` where it lives. Speed: `import hashlib` loads
    OpenSSL's `_hashlib` too, about 2 ms of every command that reads a file; blake2b is
    never OpenSSL's (hashlib takes it from `_blake2` itself)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter without it: hashlib's, whatever it is
        from hashlib import blake2b
    return blake2b(*args, **kwargs)


def rules_fingerprint() -> bytes:
    """A hash of the source of every module that defines a validation rule."""
    global _fingerprint  # computed once per process
    if _fingerprint is None:
        package = Path(__file__).resolve().parents[1]
        digest = _blake2b(digest_size=16)
        for name in _RULE_MODULES:
            digest.update((package / name).read_bytes())
        _fingerprint = digest.digest()
    return _fingerprint


class Cache:
    """Markers in `folder` (resolved by the CLI from MLDSPLAN_CACHE_DIR or the user cache)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _key(self, kind: str, content: bytes) -> Path:
        digest = _blake2b(content, digest_size=20, key=rules_fingerprint())
        return self.folder / f"{kind}-{digest.hexdigest()}"

    def _private(self, folder: Path | None = None) -> bool:
        """The folder (the cache's own by default) is a real folder of ours that no one else
        can write to."""
        try:
            info = os.lstat(folder or self.folder)
        except OSError:
            return False
        return (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        )

    def knows(self, kind: str, content: bytes) -> bool:
        try:
            if not self._private():
                return False
            info = os.lstat(self._key(kind, content))
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()

    def remember(self, kind: str, content: bytes) -> None:
        """Mark `content` as validated (call only after a full validation passed)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self._private():
                return
            marker = self._key(kind, content)
            # O_EXCL|O_NOFOLLOW: never write through a planted link or into another's file.
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            os.close(fd)
            self._prune()
        except OSError:
            pass  # a cache is an optimisation: without it, files are validated every time

    def private_folder(self, name: str) -> Path | None:
        """The cache's folder `name` (made when missing), or None when it or the cache is not
        a folder of ours that no one else can write to: what is kept there may be code (the
        page's compiled template), loaded only from such a folder."""
        folder = self.folder / name
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # as `remember` does
            if not self._private():
                return None  # nothing is made inside a folder that is not ours alone
            folder.mkdir(exist_ok=True, mode=0o700)
        except OSError:
            return None
        return folder if self._private(folder) else None

    def _prune(self) -> None:
        entries = [p for p in self.folder.iterdir() if "-" in p.name]
        if len(entries) > KEEP:
            entries.sort(key=lambda p: p.lstat().st_mtime)
            for old in entries[:-KEEP]:
                old.unlink(missing_ok=True)
