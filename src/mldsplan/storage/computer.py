"""This computer's own settings, never in the synced record: `computer.toml` in the
user config folder (platformdirs; `MLDSPLAN_CONFIG_DIR` overrides it).

It holds this computer's id (8 hex digits, made on the first write: the change
stamps of the record name computers by it), and lists other commands keep here
because they differ between computers: busy calendars (`busy add`), exports kept
fresh (`export --keep`), what `remind --install` wrote.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mldsplan.domain.constraints import NODE_PATTERN
from mldsplan.domain.errors import FileFormatError

CONFIG_ENV = "MLDSPLAN_CONFIG_DIR"
NAME = "computer.toml"


def config_path(environ: Mapping[str, str]) -> Path:
    given = environ.get(CONFIG_ENV)
    if given:
        return Path(given) / NAME
    from platformdirs import user_config_path

    return user_config_path("mldsplan") / NAME


def read(path: Path) -> dict[str, Any]:
    """The config's content ({} when there is none yet); a broken one is an error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FileFormatError(
            f"{path}: is not a TOML file ({exc})",
            hint=f"fix it by hand, or delete {path} (this computer then gets a new id)",
        ) from None
    return data


def update(path: Path, change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    """Apply `change` to the config under a lock and write it atomically; the new content."""
    import tomli_w
    from filelock import FileLock

    from mldsplan.storage.store import Landed, write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=10):
        before = read(path)
        after = change(dict(before))
        if after != before:
            with contextlib.suppress(Landed):  # in place; only the folder's fsync failed
                write_atomic(path, tomli_w.dumps(after).encode("utf-8"))
    return after


def computer_id(path: Path) -> str:
    """This computer's id, made (random) and kept on first use."""
    found = read(path).get("id")
    if isinstance(found, str) and re.fullmatch(NODE_PATTERN, found):
        return found

    def give(data: dict[str, Any]) -> dict[str, Any]:
        given = data.get("id")
        if not (isinstance(given, str) and re.fullmatch(NODE_PATTERN, given)):
            data["id"] = secrets.token_hex(4)
        return data

    try:
        made = update(path, give)["id"]
    except OSError:
        # A config folder that cannot be written: an id for this run alone. Its stamps
        # stay correct (an id is only ever new), they just name one more computer.
        return secrets.token_hex(4)
    assert isinstance(made, str)
    return made
