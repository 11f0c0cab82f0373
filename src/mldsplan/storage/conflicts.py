"""Conflict copies that sync tools leave beside the progress file, found by name.

Syncthing, Dropbox and Nextcloud (or ownCloud) each keep both versions when two
computers changed a file while apart: the other version goes beside it under a
name of their own. One directory listing finds them; names are compared against
the progress file's own name, never read, so this costs no more than `os.listdir`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple


class Copy(NamedTuple):
    path: Path
    tool: str  # the sync tool that names copies this way


def _patterns(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """Each tool's name for a conflict copy of a file called `name` (`stem` + `.ext`)."""
    dot = name.rfind(".")
    stem, ext = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    s, x = re.escape(stem), re.escape(ext)
    date, day = r"[0-9]{4}-[0-9]{2}-[0-9]{2}", r"[0-9]{8}"
    return [
        # progress.sync-conflict-20261125-093012-ABCDEF7.toml (7 characters of a device id)
        ("Syncthing", re.compile(rf"{s}\.sync-conflict-{day}-[0-9]{{6}}-[A-Z0-9]{{7}}{x}")),
        # progress (Ann's conflicted copy 2026-11-25).toml, maybe "(1)" after the date
        ("Dropbox", re.compile(rf"{s} \(.+ conflicted copy {date}(?: \([0-9]+\))?\){x}")),
        # progress (conflicted copy 2026-11-25 093012).toml, maybe a user before the date
        ("Nextcloud", re.compile(rf"{s} \(conflicted copy (?:[^()]+ )?{date} [0-9]{{6}}\){x}")),
        # progress_conflict-20261125-093012.toml (older ownCloud and Nextcloud clients)
        ("ownCloud", re.compile(rf"{s}_conflict-{day}-[0-9]{{6}}{x}")),
    ]


class Beside(NamedTuple):
    """What one listing of the progress file's folder found beside it."""

    copies: list[Copy]  # sync tools' conflict copies, sorted
    leftovers: list[str]  # names of temporary files a killed git merge driver left


def look_beside(path: Path) -> Beside:
    """The conflict copies of `path` in its folder (by name, sorted), and the git driver's
    leftovers there; none when the folder cannot be listed (the command that reads the
    file says why)."""
    from mldsplan.storage.driverfile import is_leftover

    try:
        names = os.listdir(path.parent)
    except OSError:
        return Beside([], [])
    stem = path.name.rpartition(".")[0] or path.name
    # Our own files (`progress.toml.bak`, `.lock`, `.history-N`) start with the whole name,
    # which no tool's copy of a named-with-extension file does: they are passed over, and
    # the patterns are compiled only when a candidate is there (about 1 ms of every run).
    own = path.name + "." if stem != path.name else None
    patterns: list[tuple[str, re.Pattern[str]]] | None = None
    found = []
    for name in names:
        if not name.startswith(stem) or name == path.name or (own and name.startswith(own)):
            continue
        patterns = patterns or _patterns(path.name)
        for tool, pattern in patterns:
            if pattern.fullmatch(name):
                found.append(Copy(path.parent / name, tool))
                break
    return Beside(sorted(found), [n for n in names if is_leftover(n)])


def conflict_copies(path: Path) -> list[Copy]:
    """The conflict copies of `path` in its folder, by name, sorted."""
    return look_beside(path).copies
