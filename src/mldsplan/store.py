"""Locked, atomic reading and writing of the progress file; schema versions.

A write takes an exclusive lock on `<file>.lock`, reads and validates the
current file in full, applies the change, checks the result against every
rule, increments the revision, validates the new bytes as a reader would,
writes them to an unpredictably named temporary file in the same folder,
fsyncs it, keeps the previous version as `<file>.bak`, `os.replace`s the new
file into place and fsyncs the folder. A crash at any moment leaves the old
file or the new one, whole; a temporary file it leaves is removed by the next
successful write. A symlinked progress file is written through to its target.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import replace as with_fields
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mldsplan import tomlfile
from mldsplan.document import from_document, from_validated, to_document
from mldsplan.errors import FileFormatError, InputError, SavedButError, StoreError
from mldsplan.programme import Programme
from mldsplan.progress import SCHEMA_VERSION, Progress
from mldsplan.rules import record_problems

if TYPE_CHECKING:
    from mldsplan.cache import Cache

LOCK_TIMEOUT_SECONDS = 10.0
TEMP_SUFFIX = ".tmp"


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 adds the student's term dates, assessments, a timer and a revision."""
    return {**data, "revision": 0}


# One function per schema step: MIGRATIONS[n] turns a version n-1 document into version n.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {2: _v1_to_v2}


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


def broken_hint(path: Path) -> str:
    return f"the version before the last change is {path}.bak; 'mldsplan undo' puts it back"


def parse(path: Path, raw: bytes, cache: Cache | None = None) -> Progress:
    """The record in `raw`: validated in full unless `cache` knows these exact bytes."""
    try:
        document = tomlfile.parse(path, raw)
    except FileFormatError as exc:
        raise FileFormatError(exc.message, hint=broken_hint(path), problems=exc.problems) from None
    current = document.get("schema_version") == SCHEMA_VERSION
    if current and cache is not None and cache.knows("progress", raw):
        return from_validated(path, document)
    progress = from_document(path, migrate(path, document))
    if current and cache is not None:
        cache.remember("progress", raw)
    return progress


def _refuse_broken(path: Path, problems: list[str]) -> None:
    if problems:
        lines = [f"{path}: {line}" for line in problems]
        raise FileFormatError(
            lines[0], hint="fix the file by hand, or run 'mldsplan check'", problems=lines
        )


def check_against(path: Path, progress: Progress, programme: Programme, today: date) -> Progress:
    _refuse_broken(path, record_problems(progress, programme, today))
    return progress


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes; None when there is none. Refuses what is not a regular file."""
    if path.is_symlink() and not path.exists():
        raise FileFormatError(f"{path}: is a symlink to {os.readlink(path)}, which does not exist")
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileFormatError(f"{path}: is a folder, not a file")
    return tomlfile.read_bytes(path)


def load(path: Path, cache: Cache | None = None) -> Progress:
    """The record in `path`; a missing file is a new student with nothing recorded."""
    raw = read_bytes(path)
    return Progress() if raw is None else parse(path, raw, cache)


def load_for(path: Path, programme: Programme, today: date, cache: Cache | None = None) -> Progress:
    return check_against(path, load(path, cache), programme, today)


def serialise(progress: Progress) -> bytes:
    """The file's text: settings, the study log as a text block, then the tables.

    The log is one literal multi-line string, an entry a line, because TOML
    arrays of tables parse about 40 times slower and a log grows long.
    """
    import tomli_w

    from mldsplan.studylog import format_log_line

    document = to_document(progress)
    settings: dict[str, Any] = {
        k: document[k]
        for k in ("schema_version", "revision", "start", "weekly_hours")
        if k in document
    }
    tables = {
        k: document[k]
        for k in ("completions", "deferrals", "term_dates", "assessments", "timer")
        if document.get(k)
    }
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


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.mldsplan-"


def _temp_files(path: Path) -> list[Path]:
    """Temporary files a crashed write to `path` (not to `path.x`) may have left."""
    return list(path.parent.glob(f"{_temp_prefix(path)}*{TEMP_SUFFIX}"))


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error) or type(error).__name__


class Landed(Exception):
    """Raised through `write_atomic` when a failure came after the rename."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def write_atomic(path: Path, content: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `content`, whole or not at all.

    A failure after the new file is in place (the folder fsync, an interrupt)
    raises `Landed`, so no caller reports a saved change as lost.
    """
    import tempfile  # only writes need it

    fd, temp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
        _fsync_folder(path.parent)
    except BaseException as exc:
        # An interrupt can land between the rename and the next line: the temporary
        # file's absence, not a flag, says whether the new content is in place.
        if not temp.exists():
            raise Landed(exc) from exc
        temp.unlink(missing_ok=True)
        raise


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot create the folder: {exc.strerror}") from None


def target(path: Path) -> Path:
    """Where writes go: a symlinked progress file is written through to its target."""
    if path.is_symlink():
        if not path.exists():
            raise FileFormatError(
                f"{path}: is a symlink to {os.readlink(path)}, which does not exist"
            )
        return path.resolve()
    return path


def _lock_file(path: Path) -> str:
    """`<file>.lock`, made sure to be creatable: filelock would take a failure for a busy lock."""
    lock = f"{path}.lock"
    try:
        os.close(os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))
    except OSError as exc:
        raise StoreError(f"{lock}: cannot create the lock file: {exc.strerror}") from None
    return lock


def _busy(path: Path, timeout: float) -> StoreError:
    return StoreError(
        f"another mldsplan is writing to {path} (gave up after {timeout:g} s)",
        hint="try again when it has finished",
    )


def _special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:  # missing, or not reachable: the read that follows says which
        return False


Rules = Callable[[Progress], list[str]]


def update(
    path: Path,
    change: Callable[[Progress], Progress],
    rules: Rules | None = None,
    timeout: float = LOCK_TIMEOUT_SECONDS,
) -> tuple[Progress, Progress]:
    """Apply `change` to the record under the lock; returns (before, after).

    `rules` lists what is wrong with a record (see `mldsplan.rules`): the record
    read must have nothing wrong, and a change whose result has is refused.
    Nothing is written when `change` raises or changes nothing.
    """
    from filelock import FileLock, Timeout

    path = target(path)
    if _special(path):
        raise FileFormatError(f"{path}: is not a regular file", hint="use --file with a file path")
    _make_folder(path.parent)
    lock = FileLock(_lock_file(path), timeout=timeout)
    written = False
    try:
        with lock:
            old_raw = read_bytes(path)
            before = Progress() if old_raw is None else parse(path, old_raw)
            if rules is not None:
                _refuse_broken(path, rules(before))
            after = change(before)
            if after.content() == before.content() and old_raw is not None:
                return before, before
            after = with_fields(after, revision=before.revision + 1)
            problems = [] if rules is None else rules(after)
            if problems:
                raise InputError(problems[0])
            _write_versions(path, old_raw, after)
            written = True
        return before, after
    except KeyboardInterrupt:
        if written:
            raise SavedButError(
                f"interrupted, but the change was saved to {path}",
                hint="do not repeat the command",
            ) from None
        raise
    except Timeout:
        raise _busy(path, timeout) from None
    except Landed as landed:
        raise SavedButError(
            f"the change was saved to {path}, but then: {_describe(landed.cause)}",
            hint="do not repeat the command; 'mldsplan check' shows the file",
        ) from None
    except OSError as exc:
        raise StoreError(
            f"{exc.filename or path}: cannot write: {exc.strerror or exc}",
            hint="the file is unchanged",
        ) from None


def _write_versions(path: Path, old_raw: bytes | None, after: Progress) -> None:
    content = serialise(after)
    if len(content) > tomlfile.MAX_FILE_BYTES:
        raise StoreError(
            f"{path}: the record would be {len(content)} bytes, more than the"
            f" {tomlfile.MAX_FILE_BYTES} allowed; nothing was changed"
        )
    # What is written must read back as exactly this record, validated in full.
    if parse(path, content) != after:
        raise StoreError(f"{path}: internal check failed: the record would not read back whole")
    if old_raw is not None:
        on_disk = tomlfile.parse(path, old_raw).get("schema_version")
        if on_disk != SCHEMA_VERSION:
            # Keep the pre-migration file as it was, once, beside the usual backup.
            backup = path.with_name(f"{path.name}.v{on_disk}.bak")
            if not backup.exists():
                _write_backup(backup, old_raw)
        _write_backup(path.with_name(f"{path.name}.bak"), old_raw)
    # We hold the lock, so any temporary file of ours here was left by a crashed write.
    backups = [path.with_name(f"{path.name}.bak"), *path.parent.glob(f"{path.name}.v*.bak")]
    for temp in [t for p in (path, *backups) for t in _temp_files(p)]:
        temp.unlink(missing_ok=True)
    write_atomic(path, content)


def _write_backup(backup: Path, content: bytes) -> None:
    """A backup that failed after its rename is a failed write: the record is not changed yet."""
    try:
        write_atomic(backup, content)
    except Landed as landed:
        raise landed.cause from None


def replace(
    path: Path,
    progress: Progress,
    rules: Rules | None = None,
    timeout: float = LOCK_TIMEOUT_SECONDS,
) -> Progress:
    """Replace the whole record (import), keeping the previous as `.bak`."""
    _, after = update(path, lambda _old: progress, rules, timeout)
    return after


def undo(path: Path, now: datetime, timeout: float = LOCK_TIMEOUT_SECONDS) -> Progress:
    """Put `<file>.bak` back; the replaced version becomes the new `.bak` (so undo redoes).

    Both versions are on disk at every moment: the current one is first copied
    to `<file>.redo`, then the backup's record goes into place, then `.redo`
    becomes the `.bak`. The restored record gets a revision above the current
    one, so calendar SEQUENCE numbers never go back. On a file that does not
    parse, this is the one command that replaces it; the broken file is kept
    as `<file>.broken-<timestamp>`.
    """
    from filelock import FileLock, Timeout

    path = target(path)
    backup = path.with_name(f"{path.name}.bak")
    redo = path.with_name(f"{path.name}.redo")
    lock = FileLock(_lock_file(path), timeout=timeout)
    placed = False
    try:
        with lock:
            old_raw = read_bytes(backup)
            if old_raw is None:
                raise StoreError(f"{backup}: there is no earlier version to put back")
            try:
                restored = parse(backup, old_raw)
            except FileFormatError as exc:
                raise StoreError(
                    f"{backup}: the backup is damaged too ({exc.message}); nothing was changed"
                ) from None
            current_raw = read_bytes(path)
            current: Progress | None = None
            if current_raw is not None:
                try:
                    current = parse(path, current_raw)
                except FileFormatError:
                    kept = path.with_name(f"{path.name}.broken-{now:%Y%m%dT%H%M%S}")
                    write_atomic(kept, current_raw)
            revision = max(restored.revision, current.revision if current else 0) + 1
            restored = with_fields(restored, revision=revision)
            if current is not None and current_raw is not None:
                write_atomic(redo, current_raw)
            write_atomic(path, serialise(restored))
            placed = True
            if current is not None:
                os.replace(redo, backup)
                _fsync_folder(path.parent)
        return restored
    except Timeout:
        raise _busy(path, timeout) from None
    except (Landed, OSError, KeyboardInterrupt) as exc:
        if placed or isinstance(exc, Landed):
            raise SavedButError(
                f"{path} was put back, but then: {_describe(exc)}",
                hint=f"the version you undid is in {redo}; do not repeat the command",
            ) from None
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise StoreError(
            f"{exc.filename or path}: cannot write: {exc.strerror or exc}",
            hint="the file is unchanged",
        ) from None


EXPORT_KIND = "mldsplan-export"


def _not_an_export(path: Path) -> FileFormatError:
    return FileFormatError(
        f"{path}: is not an mldsplan export (json or toml)",
        hint="make one with: mldsplan export --format json --output FILE",
    )


def read_export(path: Path, programme_id: str) -> Progress:
    """A json or toml export, migrated and validated in full; nothing is written here."""
    import json

    raw = tomlfile.read_bytes(path)
    from_json = raw.lstrip().startswith((b"{", b"["))
    try:
        data = json.loads(tomlfile.decode(path, raw)) if from_json else tomlfile.parse(path, raw)
    except (FileFormatError, ValueError, RecursionError):
        raise _not_an_export(path) from None
    if not isinstance(data, dict) or data.get("kind") != EXPORT_KIND:
        raise _not_an_export(path)
    identity = data.get("programme")
    given = identity.get("id") if isinstance(identity, dict) else identity
    if given is None:
        raise FileFormatError(f"{path}: programme: the export names no programme")
    if given != programme_id:
        raise FileFormatError(
            f"{path}: programme: the export is for {given!r}, not {programme_id!r}",
            hint="pass the matching programme with --programme PATH",
        )
    document = {k: v for k, v in data.items() if k not in {"kind", "programme"}}
    return from_document(path, migrate(path, document), from_json=from_json)
