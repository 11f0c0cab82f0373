"""The versions of the progress file kept for `undo`, `redo` and `history`, each whole.

Every change keeps the version it writes beside the file as `<file>.history-<N>`,
byte for byte the file it wrote; N counts up and is never reused, and the newest
`KEEP` versions are kept. The file says which version it holds: after a change it is
byte for byte the newest; `undo` and `redo` put a version back at a new revision (the
revision never goes back) under a first line naming the version's file
(`header`), so they change nothing but the progress file (and its `.bak`, as any
write does: `store._commit`). A file no version holds (a hand edit, a copy a sync tool
brought, a file from 0.3) is kept as the newest version before an undo or a change
replaces it, so no version is lost.

A change in flight is `<file>.history-<N>.after-<P>`: the version it writes, whole
before the file is replaced, to follow version P. Once the file holds those bytes,
the versions after P (undone ones, which a new change drops, as an editor does) are
removed and it becomes `history-<N>`. A command that finds one a kill left finishes
it (the file holds its bytes: the change landed) or removes it (it did not), and
says which (`settle`).

This module works below `store`: the store hands it its atomic write, its folder
fsync and its parser (`Disk`), so that every file is written one way.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mldsplan.domain.errors import FileFormatError, InputError, StoreError
from mldsplan.storage.own_files import (
    BACKUP,
    HISTORY,
    history_name,
    in_flight_path,
    sibling,
    version_path,
)

if TYPE_CHECKING:
    from mldsplan.domain.progress import Progress

KEEP = 51  # the version the file holds and the 50 before it: `undo` works 50 times
# Patterns compiled on first use (`re` keeps them): a read command never needs them.
# The first line `undo` and `redo` write: which version's file the record came from.
_PUT_BACK = rb"\A# mldsplan progress file: put back by [^\n]*?\(version ([0-9]{1,12}),"
# 0.3's first line after an undo (the next undo redid): its file is older than its .bak.
UNDONE_HEADER_03 = b"# mldsplan progress file: written by mldsplan undo (the next undo redoes);"
_REVISION = rb"(?m)^[ \t]*revision[ \t]*=[ \t]*([0-9]{1,18})[ \t]*(#.*)?$"


class Disk(NamedTuple):
    """The store's ways to write a file whole, to fsync a folder and to read a record."""

    write: Callable[[Path, bytes], None]
    sync: Callable[[Path], None]
    parse: Callable[[Path, bytes], Progress]


class Version(NamedTuple):
    number: int
    path: Path


def _names(path: Path) -> list[tuple[int, int | None, Path]]:
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    found = []
    for name in names:
        if not name.startswith(path.name):
            continue
        named = history_name(name[len(path.name) :])
        if named is not None:
            found.append((*named, path.parent / name))
    return sorted(found)


def versions(path: Path) -> list[Version]:
    """The versions kept of `path`, oldest first."""
    return [Version(n, p) for n, after, p in _names(path) if after is None]


def read(version: Path) -> bytes | None:
    """A version's bytes; None when it is not a regular file (then it is not ours)."""
    from mldsplan.storage import tomlfile

    try:
        if not stat.S_ISREG(os.lstat(version).st_mode):
            return None
        return tomlfile.read_bytes(version)
    except (OSError, FileFormatError):
        return None


def revision_in(raw: bytes) -> int:
    """The revision a version's bytes state (0 when none), read without parsing."""
    found = re.search(_REVISION, raw)
    return int(found[1]) if found else 0


def header(number: int) -> str:
    """The first line of a file `undo` or `redo` wrote from version `number` (its name is
    left out: a file's name may hold what a comment line cannot)."""
    return (
        f"# mldsplan progress file: put back by mldsplan undo or redo (version {number},"
        f" kept beside it as {HISTORY}{number}); safe to read, edit with care.\n"
    )


def position(path: Path, raw: bytes | None, kept: list[Version], disk: Disk) -> int | None:
    """The number of the version the file's bytes `raw` hold; None when none does."""
    if raw is None or not kept:
        return None
    if read(kept[-1].path) == raw:  # after a change: the newest, byte for byte
        return kept[-1].number
    named = re.match(_PUT_BACK, raw)
    if named:  # written by undo or redo: that version at a later revision
        number = int(named[1])
        for version in kept:
            if version.number == number and _same_record(path, raw, version.path, disk):
                return number
    for version in reversed(kept[:-1]):  # a version of 0.3's, kept as it was
        if read(version.path) == raw:
            return version.number
    return None


def _same_record(path: Path, raw: bytes, version: Path, disk: Disk) -> bool:
    kept = read(version)
    if kept is None:
        return False
    try:
        return disk.parse(path, raw).content() == disk.parse(version, kept).content()
    except FileFormatError:
        return False


def written_from(raw: bytes, kept: list[Version]) -> Version | None:
    """The version a file `undo` or `redo` wrote names in its first line, if kept."""
    named = re.match(_PUT_BACK, raw)
    found = [v for v in kept if named and v.number == int(named[1])]
    return found[0] if found else None


def keep(path: Path, raw: bytes, kept: list[Version], disk: Disk) -> list[Version]:
    """Keep the file's bytes `raw`, which no version holds, as the newest version.

    It drops nothing: a version after it undone earlier stays before it.
    """
    number = (kept[-1].number if kept else 0) + 1
    disk.write(version_path(path, number), raw)
    return [*kept, Version(number, version_path(path, number))]


def begin(path: Path, old: bytes | None, new: bytes, disk: Disk) -> Path:
    """Before a change replaces `old` with `new`: keep `old` if no version holds it, and
    write `new` whole as the change in flight, to follow the version `old` is."""
    kept = versions(path)
    at = position(path, old, kept, disk) if old is not None else None
    if old is not None and at is None:
        kept = keep(path, old, kept, disk)
        at = kept[-1].number
    if at is None:  # no file: the new one follows every version kept
        at = kept[-1].number if kept else 0
    number = (kept[-1].number if kept else 0) + 1
    pending = in_flight_path(path, number, at)
    disk.write(pending, new)
    return pending


def land(path: Path, pending: Path, disk: Disk) -> None:
    """The change in flight `pending` has landed: drop the undone versions after the one it
    follows, make it a version, and keep the newest `KEEP`."""
    named = history_name(pending.name[len(path.name) :])
    assert named is not None, pending
    number, after = named
    assert after is not None, pending
    dropped = [v for v in versions(path) if after < v.number < number]
    for version in dropped:
        version.path.unlink(missing_ok=True)
    os.replace(pending, version_path(path, number))
    disk.sync(path.parent)
    _prune(path, disk)


def _prune(path: Path, disk: Disk) -> None:
    """Keep the newest `KEEP` versions (there are more only just after a change landed)."""
    kept = versions(path)
    for version in kept[: max(0, len(kept) - KEEP)]:
        version.path.unlink(missing_ok=True)
    if len(kept) > KEEP:
        disk.sync(path.parent)


def settle(path: Path, disk: Disk) -> str | None:
    """Finish or remove a change in flight a kill left (saying which), then keep 0.3's
    `.bak` as the first version. What is not a regular file is never touched."""
    said = []
    for _, after, pending in _names(path):
        if after is None:
            continue
        content = read(pending)
        if content is None:
            raise StoreError(
                f"{pending}: is not a file mldsplan left (not a regular file);"
                " it may be yours, so nothing was changed",
                hint=f"move it away or rename it; {path} is unchanged",
            )
        if _file_bytes(path) == content:
            land(path, pending, disk)
            said.append(f"finished an interrupted change to {path}: its version is kept for undo")
        else:
            pending.unlink()
            disk.sync(path.parent)
            said.append(f"an interrupted change to {path} had not landed; nothing was lost")
    _prune(path, disk)  # a kill may have come between a change's landing and its pruning
    _migrate(path, disk)
    return "; ".join(dict.fromkeys(said)) or None


def _file_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _whole(path: Path, raw: bytes | None, disk: Disk) -> bool:
    if raw is None:
        return False
    try:
        disk.parse(path, raw)
    except FileFormatError:
        return False
    return True


def _migrate(path: Path, disk: Disk) -> None:
    """0.3 kept one version, `.bak`: it becomes the first version (and after 0.3's undo,
    which left the older record in the file, the file the first and `.bak` the second)."""
    kept = versions(path)
    if len(kept) > 1:
        return
    backup = sibling(path, BACKUP)
    raw, old = _file_bytes(path), read(backup)
    if old is None or not _whole(backup, old, disk):
        return
    held = [read(v.path) for v in kept]
    if old in held:
        return
    undone = raw is not None and raw.startswith(UNDONE_HEADER_03) and _whole(path, raw, disk)
    if undone and raw is not None:
        if not kept:
            _copy(path, backup=path, number=1, raw=raw, disk=disk)
        elif held != [raw]:
            return
        _copy(path, backup, (kept[-1].number if kept else 1) + 1, old, disk)
    elif not kept:
        _copy(path, backup, 1, old, disk)


def _copy(path: Path, backup: Path, number: int, raw: bytes, disk: Disk) -> None:
    """Keep `raw`, read from `backup`, as version `number`, with `backup`'s time."""
    target = version_path(path, number)
    disk.write(target, raw)
    try:
        info = backup.stat()
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    except OSError:
        pass  # the time is only shown by `history`


# --- what undo, redo and undo --to put back --------------------------------


class Step(NamedTuple):
    """What to put back: one version back (`back`), one forward, or revision `to`."""

    back: bool
    to: int | None = None


def choose(path: Path, kept: list[Version], at: int | None, step: Step) -> Version:
    """The version `step` puts back, the file holding version `at` (None: a version not
    kept yet, which will be the newest)."""
    if not kept:
        raise StoreError(
            f"{path}: there is no earlier version to put back",
            hint="every change from now on is kept: 'mldsplan undo' then takes it back",
        )
    numbers = [v.number for v in kept]
    here = len(kept) if at is None else numbers.index(at)
    if step.to is not None:
        return _with_revision(kept, here, step.to)
    there = here - 1 if step.back else here + 1
    if there < 0:
        raise StoreError(
            f"{path}: there is no earlier version kept"
            f" (the oldest of the {len(kept)} kept is this one)",
            hint="'mldsplan history' lists the versions kept",
        )
    if there >= len(kept):
        raise StoreError(
            f"{path}: there is nothing to redo (this is the newest version)",
            hint="'mldsplan redo' puts back what 'mldsplan undo' took back",
        )
    return kept[there]


def _with_revision(kept: list[Version], here: int, revision: int) -> Version:
    found = [(i, v) for i, v in enumerate(kept) if revision_in(read(v.path) or b"") == revision]
    if not found:
        revisions = [revision_in(read(v.path) or b"") for v in kept]
        raise InputError(
            f"no version at revision {revision} is kept"
            f" (the {len(kept)} kept are revisions {min(revisions)} to {max(revisions)})",
            hint="'mldsplan history' lists them",
            argument="to",
        )
    i, version = max(found, key=lambda f: (f[0] <= here, f[0]))  # the nearest before, else
    if i == here:
        raise InputError(
            f"the file holds revision {revision} already; nothing was changed",
            hint="'mldsplan history' lists the versions kept",
            argument="to",
        )
    return version


# --- what `history` lists ----------------------------------------------------


class Kept(NamedTuple):
    """A version as `history` lists it; `number` None for the file's own, not yet kept."""

    number: int | None
    record: Progress | None  # None when it does not read as a whole record
    when: float  # the file's modification time (seconds since the epoch)


def listing(path: Path, disk: Disk) -> tuple[list[Kept], int]:
    """Every version kept, oldest first, with the file's own last when no version holds
    it; and the index of the one the file holds (-1 when there is no file)."""
    kept = versions(path)
    raw = _file_bytes(path)
    at = position(path, raw, kept, disk)
    rows = []
    for version in kept:
        content = read(version.path)
        rows.append(
            Kept(version.number, _record(version.path, content, disk), _mtime(version.path))
        )
    if raw is None:
        return rows, -1
    if at is None:
        rows.append(Kept(None, _record(path, raw, disk), _mtime(path)))
        return rows, len(rows) - 1
    return rows, [v.number for v in kept].index(at)


def _record(path: Path, raw: bytes | None, disk: Disk) -> Progress | None:
    if raw is None:
        return None
    try:
        return disk.parse(path, raw)
    except FileFormatError:
        return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
