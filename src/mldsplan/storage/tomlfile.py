"""Reading TOML files strictly, with errors that name the file, line and field."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mldsplan.domain.errors import FileFormatError

MAX_FILE_BYTES = 32 * 1024 * 1024  # a 20,000-entry study log is ~1.5 MB


def decode(path: Path, raw: bytes) -> str:
    """The text of `raw`, or a one-line error saying where it is not UTF-8 text."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise FileFormatError(
            f"{path}: line 1, column 1: the file starts with a byte-order mark",
            hint="save it as UTF-8 without BOM",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileFormatError(
            f"{path}: line {line}, column {column}: not UTF-8 text", hint="save it as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileFormatError(f"{path}: line {line}: the file contains a NUL byte")
    return text


def parse(path: Path, raw: bytes) -> dict[str, Any]:
    """The TOML document in `raw`; syntax errors carry line and column."""
    if len(raw) > MAX_FILE_BYTES:
        raise FileFormatError(
            f"{path}: the file is {len(raw)} bytes, more than the {MAX_FILE_BYTES} allowed"
        )
    if not raw.strip():
        raise FileFormatError(f"{path}: the file is empty")
    text = decode(path, raw)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        # tomllib says "Invalid value (at line 3, column 7)"; lead with the place.
        if message.endswith(")") and "(at " in message:
            what, _, where = message.rpartition(" (at ")
            message = f"{where[:-1]}: {what[:1].lower()}{what[1:]}"
        raise FileFormatError(f"{path}: {message}", hint="fix the TOML syntax there") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise FileFormatError(f"{path}: a number has too many digits") from None
    except RecursionError:
        raise FileFormatError(f"{path}: arrays or tables are nested too deeply") from None


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, reading no more than the size limit allows.

    A FIFO, device or folder is refused without blocking on it.
    """
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise FileFormatError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):
            raise FileFormatError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(kind):
            raise FileFormatError(f"{path}: is not a regular file (a device, FIFO or socket)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise FileFormatError(f"{path}: the file is more than the {MAX_FILE_BYTES} bytes allowed")
    return raw


def read(path: Path) -> dict[str, Any]:
    return parse(path, read_bytes(path))


def field_path(loc: Sequence[int | str]) -> str:
    """`("modules", 3, "ects")` as `modules[3].ects`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_MESSAGES = {
    "extra_forbidden": "unknown field",
    "unexpected_keyword_argument": "unknown field",
    "missing": "required field is missing",
    "missing_keyword_argument": "required field is missing",
}


def validation_problems(path: Path, errors: Iterable[Mapping[str, Any]]) -> list[str]:
    """One line per pydantic error: `<file>: <field path>: <message>`."""
    problems = []
    for error in errors:
        loc = [part for part in error["loc"] if not str(part).startswith("function-")]
        message = _MESSAGES.get(error["type"], str(error["msg"]))
        if error["type"] == "string_pattern_mismatch":
            from mldsplan.domain.constraints import LINE_PATTERN, LINE_RULES

            rule = error.get("ctx", {}).get("pattern")
            reason = f"must be {LINE_RULES}" if rule == LINE_PATTERN else "is not valid here"
            message = f"{error['input']!r} {reason}"  # repr escapes controls and bidi
        problems.append(f"{path}: {field_path(loc)}: {message}")
    return problems
