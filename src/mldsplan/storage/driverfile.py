"""git's merge driver writes OURS whole, through a temporary file of its own name.

git runs the driver in the work tree's top folder on temporary files of its own
(`.merge_file_XXXXXX`), so the driver's temporary file lands in the work tree:
it is named `.mldsplan-merge-driver-XXXXXXXX.tmp` (one `.gitignore` line holds
every one, `IGNORE_LINE`), there is at most one at a time, and one a kill left is
removed by the driver's next run (git runs one merge at a time in a work tree),
or by any mldsplan command on a progress file in that folder once it is older
than `STALE_SECONDS` (a driver may be writing one right now).
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from pathlib import Path

PREFIX = ".mldsplan-merge-driver-"
SUFFIX = ".tmp"
IGNORE_LINE = f"{PREFIX}*{SUFFIX}"
STALE_SECONDS = 60.0


# What 0.3's driver left: its temporary file was named after git's (`.merge_file_XXXXXX`).
_OLD = re.compile(r"\.\.merge_file_[A-Za-z0-9]{6}\.mldsplan-[A-Za-z0-9_]+\.tmp")


def is_leftover(name: str) -> bool:
    """A temporary file of the driver's (or of 0.3's driver, named after git's)."""
    return (name.startswith(PREFIX) and name.endswith(SUFFIX)) or _OLD.fullmatch(name) is not None


def clean(folder: Path, names: list[str] | None = None, older_than: float | None = None) -> None:
    """Remove the driver's temporary files in `folder` (`names`: its listing, if made),
    or only those not changed for `older_than` seconds; what cannot go stays."""
    import time

    if names is None:
        try:
            names = os.listdir(folder)
        except OSError:
            return
    for name in names:
        if not is_leftover(name):
            continue
        path = folder / name
        with suppress(OSError):
            if older_than is not None and time.time() - path.lstat().st_mtime < older_than:
                continue
            path.unlink()


def write(path: Path, content: bytes, mode: int) -> None:
    """Replace `path` (git's OURS) with `content`, whole or not at all, through a
    temporary file named `PREFIX...SUFFIX`. A failure after the new content is in place
    raises `store.Landed`."""
    from mldsplan.storage.own_files import TEMP_SUFFIX
    from mldsplan.storage.store import write_atomic  # only a write needs it

    assert TEMP_SUFFIX == SUFFIX  # the names `.gitignore` holds
    write_atomic(path, content, mode, temp_prefix=PREFIX)
