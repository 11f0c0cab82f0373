"""The names of the files mldsplan keeps beside a progress file, in one place.

Beside `<file>` the store keeps `<file>.bak` (the version before the last change),
`<file>.lock`, `<file>.redo` (the version a change replaces, until the new one has
landed), `<file>.v<N>.bak` (the file as it was before a migration from schema N),
`<file>.broken-<timestamp>` (a file that did not parse, kept by `undo`), the versions
kept for undo and redo, `<file>.history-<N>`, and a change in flight,
`<file>.history-<N>.after-<P>`. A temporary file is `.<name>.mldsplan-XXXXXXXX.tmp`,
`<name>` being the file it is written for. These are the files an export never writes
over (`is_own_name`), and the temporary ones are what a crashed write leaves.

Names are compared literally, never as glob patterns: `p[1].toml` says nothing
about `p1.toml`. Nothing here reads or writes a file; `own_files` and `temp_files`
list a folder.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

BACKUP = ".bak"  # the version before the last change (`undo` puts it back)
LOCK = ".lock"
# The version a change replaces, kept whole until the new one has landed; it then
# becomes the `.bak`. One left behind means a write or an undo was killed.
REDO = ".redo"
BROKEN = ".broken-"  # a file that did not parse, kept by `undo`
TEMP_MARK = ".mldsplan-"  # temporary files are `.<name>.mldsplan-XXXXXXXX.tmp`
TEMP_SUFFIX = ".tmp"
HISTORY = ".history-"  # a version kept for undo and redo, `.history-N`
# Patterns compiled on first use (`re` keeps them): a read command never needs them.
_MIGRATED = r"\.v[0-9]+\.bak"  # the pre-migration copy, `.v1.bak`
_HISTORY = r"\.history-([0-9]{1,12})(?:\.after-([0-9]{1,12}))?"


def sibling(path: Path, suffix: str) -> Path:
    """`path`'s name with `suffix` after it, in the same folder."""
    return path.with_name(path.name + suffix)


def migrated_backup(path: Path, schema: object) -> Path:
    """`<file>.v<N>.bak`: the file as it was before its migration from schema `schema`."""
    return sibling(path, f".v{schema}.bak")


def version_path(path: Path, number: int) -> Path:
    """`<file>.history-<N>`: version `number`, kept for undo and redo."""
    return sibling(path, f"{HISTORY}{number}")


def in_flight_path(path: Path, number: int, after: int) -> Path:
    """`<file>.history-<N>.after-<P>`: version `number` of a change in flight after `after`."""
    return sibling(path, f"{HISTORY}{number}.after-{after}")


def history_name(rest: str) -> tuple[int, int | None] | None:
    """What follows the progress file's name read as a version (`.history-N`: N, None) or
    a change in flight (`.history-N.after-P`: N, P); None when it is neither."""
    matched = re.fullmatch(_HISTORY, rest)
    if matched is None:
        return None
    return int(matched[1]), None if matched[2] is None else int(matched[2])


def broken_name(path: Path, now: datetime) -> Path:
    """`<file>.broken-<timestamp>`, never one that exists already."""
    stamp = f"{BROKEN}{now:%Y%m%dT%H%M%S}"
    kept, n = sibling(path, stamp), 1
    while kept.exists() or kept.is_symlink():
        n += 1
        kept = sibling(path, f"{stamp}-{n}")
    return kept


def temp_prefix(path: Path) -> str:
    """The start of the name of a temporary file written for `path`."""
    return f".{path.name}{TEMP_MARK}"


def _kept_name(progress_name: str, name: str) -> bool:
    """`name` is the progress file or a file mldsplan keeps beside it (not a temporary one)."""
    if not name.startswith(progress_name):
        return False
    rest = name[len(progress_name) :]
    return (
        rest in ("", BACKUP, LOCK, REDO)
        or rest.startswith(BROKEN)
        or re.fullmatch(_MIGRATED, rest) is not None
        or history_name(rest) is not None
    )


def _temp_owner(name: str) -> str | None:
    """The name a temporary file `.<name>.mldsplan-XXXXXXXX.tmp` was written for, or None."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    owner, mark, _ = name[1:].rpartition(TEMP_MARK)
    return owner if mark else None


def is_own_name(progress_name: str, name: str) -> bool:
    """`name` is one of mldsplan's files for a progress file named `progress_name`.

    Names are compared literally, never as glob patterns: `p[1].toml` says
    nothing about `p1.toml`.
    """
    owner = _temp_owner(name)
    return _kept_name(progress_name, name if owner is None else owner)


def _folder_names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def own_files(path: Path) -> list[Path]:
    """The files of mldsplan's for `path` that exist now, temporary ones included."""
    return [path.parent / n for n in _folder_names(path.parent) if is_own_name(path.name, n)]


def temp_files(path: Path) -> list[Path]:
    """Temporary files that crashed writes of `path` or of the files kept beside it left."""
    return [
        path.parent / n
        for n in _folder_names(path.parent)
        if (owner := _temp_owner(n)) is not None and _kept_name(path.name, owner)
    ]
