"""Locked, atomic reading and writing of the progress file; schema versions.

A write takes an exclusive lock on `<file>.lock`, reads and validates the
current file, writes the new content to a temporary file in the same folder,
fsyncs it, keeps the previous version as `<file>.bak`, `os.replace`s the new
file into place and fsyncs the folder. A crash at any moment leaves the old
file or the new one, whole; a temporary file it leaves is removed by the next
successful write.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mldsplan import cache, tomlfile
from mldsplan.errors import FileFormatError, StoreError
from mldsplan.programme import Programme
from mldsplan.progress import (
    SCHEMA_VERSION,
    Progress,
    from_document,
    from_plain,
    record_problems,
    to_document,
    to_plain,
)

LOCK_TIMEOUT_SECONDS = 10.0
TEMP_SUFFIX = ".tmp"

# One function per schema step: MIGRATIONS[n] turns a version-n document into
# version n+1. Schema 1 is the first; add `2: _v1_to_v2` when a change needs it.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}


def migrate(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Bring a parsed document up to SCHEMA_VERSION, or refuse it."""
    version = data.get("schema_version")
    if version is None:
        raise FileFormatError(f"{path}: schema_version: required field is missing")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileFormatError(f"{path}: schema_version: {version!r} is not a schema version")
    if version > SCHEMA_VERSION:
        raise FileFormatError(
            f"{path}: schema_version: {version} was written by a newer mldsplan"
            f" (this one reads up to {SCHEMA_VERSION})",
            hint="upgrade mldsplan: pip install --upgrade mldsplan",
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version + 1](data)
        version += 1
        data["schema_version"] = version
    return data


def parse(path: Path, raw: bytes) -> Progress:
    """The record in `raw`; pydantic validates it once per distinct content."""
    document = tomlfile.parse(path, raw)
    key = cache.key(f"progress{SCHEMA_VERSION}", raw)
    plain = cache.load(key)
    if plain is not None:
        try:
            return from_plain(plain, document.get("log", ()))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged cache entry: validate the file again
    progress = from_document(path, migrate(path, document))
    cache.save(key, to_plain(progress))
    return progress


def check_against(path: Path, progress: Progress, programme: Programme, today: date) -> Progress:
    problems = [f"{path}: {line}" for line in record_problems(progress, programme, today)]
    if problems:
        raise FileFormatError(
            problems[0], hint="fix the file by hand, or run 'mldsplan check'", problems=problems
        )
    return progress


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise FileFormatError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read: {exc.strerror}") from None


def load(path: Path) -> Progress:
    """The record in `path`; a missing file is a new student with nothing recorded."""
    raw = _read_bytes(path)
    return Progress() if raw is None else parse(path, raw)


def load_for(path: Path, programme: Programme, today: date) -> Progress:
    return check_against(path, load(path), programme, today)


def serialise(progress: Progress) -> bytes:
    """The file's text: settings, the study log as a text block, then the tables.

    The log is one literal multi-line string, an entry a line, because TOML
    arrays of tables parse about 40 times slower and a log grows long.
    """
    import tomli_w

    from mldsplan.progress import format_log_line

    document = to_document(progress)
    settings: dict[str, Any] = {
        k: document[k] for k in ("schema_version", "start", "weekly_hours") if k in document
    }
    tables = {k: document[k] for k in ("completions", "deferrals") if document[k]}
    parts = [
        "# mldsplan progress file: written by mldsplan; safe to read, edit with care.\n",
        tomli_w.dumps(settings),
    ]
    if progress.log:
        lines = "".join(format_log_line(e) + "\n" for e in progress.log)
        parts.append(
            "\n# Study log, an entry a line: date, hours, module (- for none), note.\n"
            f"log = '''\n{lines}'''\n"
        )
    if tables:
        parts.append("\n" + tomli_w.dumps(tables))
    return "".join(parts).encode("utf-8")


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_files(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"))


def write_atomic(path: Path, content: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `content`, whole or not at all."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
        _fsync_folder(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot create the folder: {exc.strerror}") from None


def update(
    path: Path, change: Callable[[Progress], Progress], timeout: float = LOCK_TIMEOUT_SECONDS
) -> tuple[Progress, Progress]:
    """Apply `change` to the record under the lock; returns (before, after).

    Nothing is written when `change` raises or returns the record unchanged.
    """
    from filelock import FileLock, Timeout

    _make_folder(path.parent)
    lock = FileLock(f"{path}.lock", timeout=timeout)
    try:
        with lock:
            old_raw = _read_bytes(path)
            before = Progress() if old_raw is None else parse(path, old_raw)
            after = change(before)
            if after != before or old_raw is None:
                _write_versions(path, old_raw, after)
            return before, after
    except Timeout:
        raise StoreError(
            f"another mldsplan is writing to {path} (gave up after {timeout:g} s)",
            hint="try again when it has finished",
        ) from None
    except OSError as exc:
        raise StoreError(
            f"{exc.filename or path}: cannot write: {exc.strerror or exc}",
            hint="the file is unchanged",
        ) from None


def _write_versions(path: Path, old_raw: bytes | None, after: Progress) -> None:
    if old_raw is not None:
        on_disk = tomlfile.parse(path, old_raw).get("schema_version")
        if on_disk != SCHEMA_VERSION:
            # Keep the pre-migration file as it was, once, beside the usual backup.
            backup = path.with_name(f"{path.name}.v{on_disk}.bak")
            if not backup.exists():
                write_atomic(backup, old_raw)
        write_atomic(path.with_name(f"{path.name}.bak"), old_raw)
    stale = _temp_files(path)
    content = serialise(after)
    write_atomic(path, content)
    # The new record was built by checked changes from a validated one: the
    # next read need not validate it again.
    cache.save(cache.key(f"progress{SCHEMA_VERSION}", content), to_plain(after))
    for temp in stale:
        temp.unlink(missing_ok=True)


def replace(path: Path, progress: Progress, timeout: float = LOCK_TIMEOUT_SECONDS) -> Progress:
    """Replace the whole record (import), keeping the previous as `.bak`."""
    _, after = update(path, lambda _old: progress, timeout)
    return after
