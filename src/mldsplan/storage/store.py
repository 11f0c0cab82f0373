"""Locked, atomic reading and writing of the progress file, its backup and undo.

A write takes an exclusive lock on `<file>.lock`, reads and validates the
current file in full (finishing or reversing first a change a kill left
half-done), applies the change, checks the result against every rule,
increments the revision, and validates the new bytes as a reader would. Then,
each step fsynced: the version it replaces goes whole to `<file>.redo`; the
new file goes to an unpredictably named temporary file in the same folder and
is `os.replace`d into place; `.redo` becomes `<file>.bak` (`_commit`). Every
version is whole on disk at every instant, a write that fails leaves the
previous `.bak` as it was, and a temporary file a crash leaves is removed by
the next successful write. Around these steps `storage.history` keeps each
version for undo and redo (`<file>.history-N`). `undo` and `redo` (`step`)
write the same way. A symlinked progress file is written through to its target.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace as with_fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mldsplan.domain.errors import (
    FileFormatError,
    MldsplanError,
    RuleBroken,
    SavedButError,
    StoreError,
)
from mldsplan.domain.progress import SCHEMA_VERSION, Progress
from mldsplan.domain.rules import Problem
from mldsplan.storage import history, interrupts, tomlfile
from mldsplan.storage.document import from_document, from_validated, migrate
from mldsplan.storage.own_files import (
    BACKUP,
    LOCK,
    REDO,
    TEMP_SUFFIX,
    broken_name,
    migrated_backup,
    sibling,
    temp_files,
)
from mldsplan.storage.own_files import is_own_name as is_own_name  # the store's own names,
from mldsplan.storage.own_files import own_files as own_files  # re-exported for commands
from mldsplan.storage.own_files import temp_prefix as own_temp_prefix
from mldsplan.storage.progress_text import HEADER, serialise

if TYPE_CHECKING:
    from mldsplan.storage.cache import Cache

LOCK_TIMEOUT_SECONDS = 10.0

# What a record breaks; the second argument is the record a command changed (its new
# values are judged against the clock), None for a record read as it is.
Rules = Callable[[Progress, Progress | None], list[Problem]]


def parse(path: Path, raw: bytes, cache: Cache | None = None) -> Progress:
    """The record in `raw`: validated in full unless `cache` knows these exact bytes."""
    try:
        document = tomlfile.parse(path, raw)
    except FileFormatError as exc:
        real = path.resolve() if path.is_symlink() else path  # where its .bak is
        # The hint names undo only when there is a version to put back.
        kept = sibling(real, BACKUP).is_file() or bool(history.versions(real))
        raise FileFormatError(
            exc.message,
            problems=exc.problems,
            reason="broken_file" if kept else "record_rules",
            details={"path": real},
        ) from None
    # A file of an older schema is marked too (the marker's rules include the
    # migrations): a student who only reads after an upgrade keeps fast reads.
    migrated = migrate(path, document)  # the same document when it is current
    if cache is not None and cache.knows("progress", raw):
        return from_validated(path, migrated)
    progress = from_document(path, migrated)
    if cache is not None:
        cache.remember("progress", raw)
    return progress


def _refuse_broken(path: Path, problems: list[Problem]) -> None:
    if problems:
        lines = [f"{path}: {line}" for line in problems]
        raise FileFormatError(lines[0], problems=lines, reason="record_rules")


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


def load_for(path: Path, rules: Rules, cache: Cache | None = None) -> Progress:
    """The record in `path`, refused when it breaks a rule (as `check` would say).

    `rules` lists what is wrong with a record, as `update` takes them (see `domain.rules`).
    """
    progress = load(path, cache)
    _refuse_broken(path, rules(progress, None))
    return progress


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error) or type(error).__name__


class Landed(Exception):
    """Raised through `write_atomic` when a failure came after the rename."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def write_atomic(
    path: Path,
    content: bytes,
    mode: int = 0o600,
    *,
    commit: bool = False,
    temp_prefix: str | None = None,
) -> None:
    """Replace `path` with `content`, whole or not at all.

    A failure after the new file is in place (the folder fsync, an interrupt)
    raises `Landed`, so no caller reports a saved change as lost. `commit`: this
    rename commits a change, so from here on Ctrl-C waits (`storage.interrupts`).
    `temp_prefix`: the temporary file's name, when not ours beside a progress file
    (git's driver names its own so that `.gitignore` can hold them).
    """
    import tempfile  # only writes need it

    prefix = own_temp_prefix(path) if temp_prefix is None else temp_prefix
    fd, temp_name = tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if commit:
            interrupts.hold()
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
    lock = str(sibling(path, LOCK))
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


@contextmanager
def _locked(path: Path, timeout: float) -> Iterator[Path]:
    """Hold `<file>.lock`; yields the file writes go to (a symlink's target).

    What is not a regular file is refused before anything is created beside it.
    """
    from filelock import FileLock, Timeout

    path = target(path)
    if _special(path):
        raise FileFormatError(f"{path}: is not a regular file", reason="not_a_file")
    _make_folder(path.parent)
    lock = FileLock(_lock_file(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise _busy(path, timeout) from None
    try:
        yield path
    finally:
        lock.release()


def _check_backup_slot(path: Path) -> None:
    """A `.bak` that is a folder: no change could keep a backup, so none may start."""
    backup = sibling(path, BACKUP)
    if backup.is_dir() and not backup.is_symlink():
        raise StoreError(
            f"{backup}: is a folder, where mldsplan keeps the version before the last change",
            hint="move the folder away; the file is unchanged",
        )


def _finish_interrupted(path: Path) -> str | None:
    """Complete or reverse a change (or an undo) that was killed; says which, or None.

    First the file and its `.bak` (`_finish_redo`), then the versions kept for undo
    (`history.settle`).
    """
    said = [_finish_redo(path), history.settle(path, disk())]
    return "; ".join(dict.fromkeys(s for s in said if s)) or None


def disk() -> history.Disk:
    return history.Disk(_write_backup, _fsync_folder, parse)


def _finish_redo(path: Path) -> str | None:
    """Complete or reverse a change (or an undo) that was killed; says which, or None.

    `.redo` holds the version a change replaces until the new one has landed. If
    the file still holds that version the change never landed, and `.redo` goes;
    otherwise it landed, and `.redo` becomes the `.bak` it was meant to be. A
    `.redo` that is not a whole progress file of ours (a link, a folder, other
    content) is never renamed, removed or written over: the change is refused.
    """
    _check_backup_slot(path)
    redo = sibling(path, REDO)
    try:
        info = os.lstat(redo)
    except FileNotFoundError:
        return None
    kept = read_bytes(redo) if stat.S_ISREG(info.st_mode) else None
    if kept is not None and read_bytes(path) == kept:
        redo.unlink()
        _fsync_folder(path.parent)
        return f"an interrupted change to {path} had not landed; nothing was lost"
    try:
        if kept is None:
            raise FileFormatError(f"{redo}: is not a regular file")
        parse(redo, kept)
    except FileFormatError:
        raise StoreError(
            f"{redo}: is not a copy mldsplan left (not a whole progress file);"
            " it may hold a version of your record, so nothing was changed",
            hint=f"look at it, then move it away or rename it; {path} is unchanged",
        ) from None
    os.replace(redo, sibling(path, BACKUP))
    _fsync_folder(path.parent)
    return (
        f"finished an interrupted change to {path}: the version it replaced"
        f" is {sibling(path, BACKUP)} again"
    )


def _holds(path: Path, content: bytes) -> bool:
    """Whether the file on disk now holds exactly `content` (read back, not assumed)."""
    try:
        return read_bytes(path) == content
    except (MldsplanError, OSError):
        return False


def _failure(path: Path, content: bytes, error: BaseException, saved: str) -> BaseException:
    """What to raise for `error` during a write of `content`: the disk says whether it landed."""
    cause = error.cause if isinstance(error, Landed) else error
    landed = isinstance(error, Landed) or _holds(path, content)
    with suppress(BaseException):  # tidy up now if we can; otherwise the next write does
        _finish_interrupted(path)
    if landed:
        return SavedButError(
            f"{saved}, but then: {describe(cause)}",
            reason="saved_but",
        )
    if isinstance(cause, OSError):
        return StoreError(
            f"{cause.filename or path}: cannot write: {cause.strerror or cause}",
            hint="the file is unchanged",
        )
    return cause


def _commit(path: Path, content: bytes, old: bytes | None) -> None:
    """Put `content` in place and keep `old` as the `.bak`, losing no version at any instant.

    1. `.redo` := the old version, whole; 2. the file := the new one; 3. `.redo`
    becomes `.bak`. Until step 3 the previous `.bak` is untouched, so a write that
    fails leaves `undo` reverting the last good change; a kill between steps is
    finished or reversed by the next locked command (`_finish_interrupted`).
    """
    if old is None:
        write_atomic(path, content, commit=True)
        return
    redo, backup = sibling(path, REDO), sibling(path, BACKUP)
    _check_backup_slot(path)  # step 3 could not happen: change nothing
    _write_backup(redo, old)
    write_atomic(path, content, commit=True)
    try:
        os.replace(redo, backup)
        _fsync_folder(path.parent)
    except BaseException as exc:
        raise Landed(exc) from exc


Notify = Callable[[str], None]
Stamp = Callable[[Progress, Progress], Progress]


def update(
    path: Path,
    change: Callable[[Progress], Progress],
    rules: Rules | None = None,
    timeout: float = LOCK_TIMEOUT_SECONDS,
    notify: Notify | None = None,
    stamp: Stamp | None = None,
) -> tuple[Progress, Progress]:
    """Apply `change` to the record under the lock; returns (before, after).

    `rules` lists what is wrong with a record (see `domain.rules`): the record
    read must have nothing wrong, and a change whose result has is refused.
    Nothing is written when `change` raises or changes nothing. The new revision
    is one above both the file's and the one the changed record states, so a
    record from elsewhere (an import) never takes it back. `notify` hears of an
    interrupted earlier change that this one finished first. `stamp` turns the
    changed record into the one this computer writes (ids, change stamps: see
    `domain.stamps`); a merge, which carries stamps of its own, passes none.
    """
    with _locked(path, timeout) as path:
        done = _finish_interrupted(path)
        if done and notify:
            notify(done)
        old_raw = read_bytes(path)
        before = Progress() if old_raw is None else parse(path, old_raw)
        if rules is not None:
            _refuse_broken(path, rules(before, None))
        after = change(before)
        newer = after.revision > before.revision  # an import of a later copy
        if after.content() == before.content() and not newer and old_raw is not None:
            return before, before
        after = with_fields(after, revision=max(before.revision, after.revision) + 1)
        problems = [] if rules is None else rules(after, before)
        if problems:  # the record read broke none: the change broke these
            first = problems[0]
            raise RuleBroken(
                first.message,
                first.hint,
                argument=first.argument,
                reason=first.reason,
                details={"problem": str(first), "problems": problems},
            )
        # Stamped once the rules passed: a refused change leaves nothing behind.
        if stamp is not None:
            after = stamp(before, after)
        else:  # a merge's entries all have ids; any other new one gets its own
            from mldsplan.domain.stamps import with_ids
            from mldsplan.storage.ids import fresh_entry_id

            after = with_ids(after, fresh_entry_id)
        content = checked_content(path, after)
        try:
            _write_versions(path, old_raw, content)
        except BaseException as exc:
            raise _failure(path, content, exc, f"the change was saved to {path}") from None
    return before, after


def checked_content(path: Path, after: Progress, header: str = HEADER) -> bytes:
    """The file's new bytes, refused unless they read back as exactly `after`."""
    content = serialise(after, header)
    if len(content) > tomlfile.MAX_FILE_BYTES:
        raise StoreError(
            f"{path}: the record would be {len(content)} bytes, more than the"
            f" {tomlfile.MAX_FILE_BYTES} allowed; nothing was changed"
        )
    # What is written must read back as exactly this record, validated in full.
    if parse(path, content) != after:
        raise StoreError(f"{path}: internal check failed: the record would not read back whole")
    return content


def _write_versions(path: Path, old_raw: bytes | None, content: bytes) -> None:
    if old_raw is not None:
        on_disk = tomlfile.parse(path, old_raw).get("schema_version")
        if on_disk != SCHEMA_VERSION:
            # Keep the pre-migration file as it was, once, beside the usual backup.
            backup = migrated_backup(path, on_disk)
            if not backup.exists():
                _write_backup(backup, old_raw)
    # We hold the lock, so any temporary file of ours here was left by a crashed write.
    for temp in temp_files(path):
        temp.unlink(missing_ok=True)
    in_flight = history.begin(path, old_raw, content, disk())
    _commit(path, content, old_raw)
    try:
        history.land(path, in_flight, disk())
    except BaseException as exc:
        raise Landed(exc) from exc


def _write_backup(backup: Path, content: bytes) -> None:
    """A backup that failed after its rename is a failed write: the record is not changed yet."""
    try:
        write_atomic(backup, content)
    except Landed as landed:
        raise landed.cause from None


def _revision_in(raw: bytes) -> int:
    """The revision a file that does not validate still states (so undo never reuses it)."""
    try:
        value = tomlfile.parse(Path("-"), raw).get("revision")
    except FileFormatError:
        value = history.revision_in(raw)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class Stepped(NamedTuple):
    """What `undo` or `redo` did: the record it put back (at a new revision), the version's
    own revision, the record it replaced (None when there was none, or it did not parse
    and was kept as `kept`), how many versions it went (forward above zero), and how
    many are kept before and after the one put back."""

    restored: Progress
    revision: int
    replaced: Progress | None
    kept: Path | None
    steps: int
    older: int
    newer: int


def step(
    path: Path,
    now: datetime,
    how: history.Step,
    timeout: float = LOCK_TIMEOUT_SECONDS,
    notify: Notify | None = None,
    stamp: Stamp | None = None,
) -> Stepped:
    """Put back a version kept (`history`): one back, one forward, or a revision.

    Written as any change is (`_commit`), so each version is whole on disk at every
    instant; no version file is written over. A file no version holds is kept first. The
    restored record gets a revision above every one the file had, so calendar SEQUENCE
    numbers never go back. On a file that does not parse, this is the one command that
    replaces it: the broken file is kept as `<file>.broken-<timestamp>`, and the version
    it was written from (or the newest) is put back. `stamp` stamps the put-back values
    as a change of the file's (`domain.stamps`), so that a merge carries an undo to the
    other computer as it carries any change.
    """
    with _locked(path, timeout) as path:
        done = _finish_interrupted(path)
        if done and notify:
            notify(done)
        files, current_raw = disk(), read_bytes(path)
        latest, replaced = 0, None
        if current_raw is not None:
            try:
                replaced = parse(path, current_raw)
                latest = replaced.revision
            except FileFormatError:
                latest = _revision_in(current_raw)
        broken = current_raw is not None and replaced is None
        kept = history.versions(path)
        at = None if broken else history.position(path, current_raw, kept, files)
        chosen = history.choose(path, kept, at, how)
        if broken and how.back and how.to is None:  # the version it was written from
            chosen = history.written_from(current_raw or b"", kept) or chosen
        numbers = [v.number for v in kept]
        there = numbers.index(chosen.number)
        steps = there - (len(kept) if at is None else numbers.index(at))
        kept_first = at is None and current_raw is not None and not broken
        newer = len(kept) - there - 1 + kept_first
        old_raw = history.read(chosen.path)
        try:
            if old_raw is None:
                raise FileFormatError(f"{chosen.path}: is not a regular file")
            restored = parse(chosen.path, old_raw)
        except FileFormatError as exc:
            raise StoreError(
                f"{chosen.path}: that version is damaged ({exc.message}); nothing was changed",
                hint="'mldsplan history' lists the others",
            ) from None
        revision = restored.revision
        if stamp is not None and replaced is not None:
            restored = stamp(replaced, restored)
        restored = with_fields(restored, revision=max(restored.revision, latest) + 1)
        content = checked_content(path, restored, history.header(chosen.number))
        kept_as = broken_name(path, now) if broken else None
        try:
            if kept_as is not None and current_raw is not None:
                _write_backup(kept_as, current_raw)
                write_atomic(path, content, commit=True)
            else:
                if kept_first and current_raw is not None:  # keep it first: nothing lost
                    history.keep(path, current_raw, kept, files)
                _commit(path, content, current_raw)
        except BaseException as exc:
            raise _failure(path, content, exc, f"{path} was put back") from None
    return Stepped(restored, revision, replaced, kept_as, steps, there, newer)


@contextmanager
def settled(
    path: Path, timeout: float = LOCK_TIMEOUT_SECONDS, notify: Notify | None = None
) -> Iterator[Path]:
    """Hold the lock, an interrupted change finished or reversed first (saying so):
    yields the file writes go to, for reading what is kept beside it."""
    with _locked(path, timeout) as path:
        done = _finish_interrupted(path)
        if done and notify:
            notify(done)
        yield path
