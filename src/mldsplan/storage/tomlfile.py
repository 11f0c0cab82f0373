"""Reading TOML files strictly, with errors that name the file, line and field."""

from __future__ import annotations

import re
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
        return _with_log_aside(text) or tomllib.loads(text)
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


_LOG_OPENS = "\nlog = " + "'" * 3 + "\n"  # the study log's block, as the store writes it
_LOG_CLOSES = "'" * 3
_TAKEN = bytes([9, 10, *range(32, 127)])  # what tomllib takes in a literal block, of ASCII


def _with_log_aside(text: str) -> dict[str, Any] | None:
    """`tomllib.loads(text)`, quicker for a long study log written as the store writes it;
    None when the text is not so written (then it is parsed whole).

    Speed: tomllib checks a literal string's every character against a set, about 8 ms
    of reading 20,000 log lines. Here the block's lines are put aside (their newlines left
    in place, so every line and column tomllib names is the same), checked at once
    (ASCII, and no control but tab and newline: nothing tomllib refuses), and put back as
    its value."""
    start = text.find(_LOG_OPENS)
    if start < 0:
        return None
    first = start + len(_LOG_OPENS)
    end = text.find(_LOG_CLOSES, first)
    if end < 0 or text.startswith("'", end + len(_LOG_CLOSES)):
        return None
    log = text[first:end]
    if not log.isascii() or log.encode().translate(None, _TAKEN):
        return None  # a character beyond ASCII, or a control tomllib refuses: parse it whole
    blank = "\n" * log.count("\n")
    try:
        document = tomllib.loads(text[:first] + blank + text[end:])
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None  # a broken file: its error is the one tomllib finds reading it whole
    if document.get("log") != blank:  # the block was not the top-level `log` after all
        return None
    document["log"] = log
    return document


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
    """One line per pydantic error: `<file>: line N: <place> (<field path>): <message>`.

    The line and the place in the student's words come from the file's own text
    when it still holds the value the error is about (a write's bytes not yet on
    disk, or a JSON file, get the field path and message alone).
    """
    text, document = _source(path)
    problems = []
    for error in errors:
        loc = [part for part in error["loc"] if not str(part).startswith("function-")]
        message = _message(error)
        field = field_path(loc)
        shown = _found(document, loc, error)
        line = line_of(text, loc) if shown and text is not None else None
        place = place_of(loc, document) if shown else None
        at = "" if line is None else f"line {line}: "
        where = field if place is None else f"{place} ({field})"
        problems.append(f"{path}: {at}{where}: {message}")
    return problems


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        text = str(value) if abs(value) < 10**30 else "a number that large"
        return text
    return repr(value) if isinstance(value, str) else str(value)


_TYPES = {
    "float_type": "is not a number",
    "float_parsing": "is not a number",
    "int_type": "is not a whole number",
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "bool_type": "is not true or false",
    "bool_parsing": "is not true or false",
    "string_type": "is not text",
    "date_type": "is not a date (YYYY-MM-DD, without quotes)",
    "date_parsing": "is not a date (YYYY-MM-DD, without quotes)",
    "date_from_datetime_inexact": "is not a date (YYYY-MM-DD, without a time)",
    "datetime_type": "is not a date and time",
    "datetime_parsing": "is not a date and time",
    "timezone_aware": "has no UTC offset (add one, as +00:00)",
    "dict_type": "is not a table",
    "list_type": "is not a list",
    "tuple_type": "is not a list",
}


def _message(error: Mapping[str, Any]) -> str:
    """Pydantic's error in the student's words ("173 is more than 100, the most allowed")."""
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "string_pattern_mismatch":
        from mldsplan.domain.constraints import LINE_PATTERN, LINE_RULES

        rule = ctx.get("pattern")
        reason = f"must be {LINE_RULES}" if rule == LINE_PATTERN else "is not valid here"
        return f"{given!r} {reason}"  # repr escapes controls and bidi
    limits = {
        "less_than_equal": ("le", "is more than {}, the most allowed"),
        "greater_than_equal": ("ge", "is less than {}, the least allowed"),
        "less_than": ("lt", "must be less than {}"),
        "greater_than": ("gt", "must be more than {}"),
        "string_too_long": ("max_length", "is longer than {} characters"),
        "string_too_short": ("min_length", "is shorter than {} characters"),
    }
    if isinstance(given, float) and given != given:  # NaN passes no limit
        return "nan is not a number"
    if kind in limits and limits[kind][0] in ctx:
        key, words = limits[kind]
        if kind == "string_too_short" and ctx[key] == 1:
            return f"{_value(given)} is empty"
        return f"{_value(given)} {words.format(_value(ctx[key]))}"
    if kind in _TYPES:
        return f"{_value(given)} {_TYPES[kind]}"
    return str(error["msg"])


def _source(path: Path) -> tuple[str | None, Any]:
    """The file's text (TOML only) and its parsed content, when it can be read again."""
    try:
        text = decode(path, read_bytes(path))
    except Exception:  # no file (yet), or one we cannot read: no line, no names
        return None, None
    try:
        if path.suffix.lower() == ".json":
            import json

            return None, json.loads(text)
        return text, tomllib.loads(text)
    except Exception:  # not what was validated: no line, no names
        return None, None


_MISSING = object()


def _at(document: Any, loc: Sequence[int | str]) -> Any:
    for part in loc:
        listed = isinstance(document, list) and isinstance(part, int) and 0 <= part < len(document)
        if not (listed or (isinstance(document, dict) and part in document)):
            return _MISSING
        document = document[part]
    return document


def _found(document: Any, loc: Sequence[int | str], error: Mapping[str, Any]) -> bool:
    """Whether the file on disk holds what the error is about (it was read from there)."""
    if document is None:
        return False
    value = _at(document, loc)
    if value is _MISSING:  # a missing field: its table must be there
        return error["type"] in _MESSAGES and _at(document, loc[:-1]) is not _MISSING
    given = error.get("input", _MISSING)
    return bool(value == given and type(value) is type(given))


_FIELD_WORDS = {
    "completions": {"on": "completion date", "mark": "mark", "resit": "resit flag"},
    "assessments": {"weight": "weight", "due": "due date", "mark": "mark", "name": "name"},
    "failed_attempts": {"on": "date", "mark": "mark"},
    "term_dates": {"start": "first day", "end": "last day"},
    "timer": {"started_at": "start", "module": "module", "note": "note"},
}
_TOP_WORDS = {
    "start": "the start month",
    "weekly_hours": "your weekly hours",
    "revision": "the file's revision",
    "schema_version": "the schema version",
}


def place_of(loc: Sequence[int | str], document: Any) -> str | None:
    """A progress file's field as the student names it ("eda's mark"); None for others."""
    if not isinstance(document, dict) or "schema_version" not in document or not loc:
        return None
    section, rest = loc[0], list(loc[1:])
    words = _FIELD_WORDS.get(str(section), {})
    if not rest:
        return _TOP_WORDS.get(str(section))
    if section == "timer":
        return f"the running timer's {words.get(str(rest[0]), rest[0])}"
    if section == "deferrals":
        return f"the deferral of '{rest[0]}'"
    if section == "term_dates":
        what = words.get(str(rest[1]), f"'{rest[1]}'") if len(rest) > 1 else "dates"
        return f"your {what} of term {rest[0]}"
    code = rest[0]
    if section == "completions":
        if len(rest) == 1:
            return f"the completion of '{code}'"
        return f"{code}'s {words.get(str(rest[1]), repr(rest[1]))}"
    if section in ("assessments", "failed_attempts") and len(rest) >= 2:
        item = _at(document, loc[:3])
        if section == "assessments":
            name = item.get("name") if isinstance(item, dict) else None
            thing = f"{code}'s assessment " + (
                repr(name) if isinstance(name, str) else f"#{int(rest[1]) + 1}"
            )
        else:
            thing = f"{code}'s failed attempt #{int(rest[1]) + 1}"
        if len(rest) == 2:
            return thing
        return f"the {words.get(str(rest[2]), repr(rest[2]))} of {thing}"
    return None


_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
# Read only to name a broken file's line: compiled then (`re` caches them), not at import.
_DOTTED = rf"\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*="
_HEADER = rf"\s*(\[\[?)\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*\]\]?\s*(?:#.*)?$"


def _keys(dotted: str) -> list[str]:
    return [k.strip().strip("\"'") for k in re.findall(_KEY, dotted)]


def line_of(text: str, loc: Sequence[int | str]) -> int | None:
    """The line (from 1) that writes the deepest part of `loc` in TOML `text`: its key, its
    item of an array, else its table; None when no line names even its first part.

    A reader for the files mldsplan writes and their hand edits (tables, arrays of
    tables, keys, arrays of inline tables an item a line), not a TOML parser.
    """
    want = list(loc)
    best, best_depth = None, 0
    table: list[int | str] = []
    counts: dict[tuple[int | str, ...], int] = {}
    array: list[int | str] | None = None  # inside a multi-line array: its path
    items = 0
    quote = None  # inside a multi-line string: its delimiter
    for number, line in enumerate(text.splitlines(), 1):
        paths: list[list[int | str]] = []
        if quote is not None:
            if quote in line:
                quote = None
            continue
        if array is not None:
            for segment in line.split("{")[1:]:
                paths.append([*array, items])
                paths += [[*array, items, *_keys(k)] for k in re.findall(_DOTTED, segment)]
                items += 1
            if line.strip().startswith("]"):
                array = None
        elif header := re.match(_HEADER, line):
            table = list(_keys(header.group(2)))
            if header.group(1) == "[[":
                index = counts.get(tuple(table), 0)
                counts[tuple(table)] = index + 1
                table.append(index)
            paths.append(table)
        elif key := re.match(_DOTTED, line):
            path = [*table, *_keys(key.group(1))]
            paths.append(path)
            value = line[key.end() :].strip()
            for delimiter in ("'''", '"""'):
                if value.startswith(delimiter) and value.count(delimiter) == 1:
                    quote = delimiter
            if value.startswith("[") and "]" not in value:
                array, items = path, 0
            elif value.startswith("["):
                for i, segment in enumerate(value.split("{")[1:]):
                    paths.append([*path, i])
                    paths += [[*path, i, *_keys(k)] for k in re.findall(_DOTTED, segment)]
            elif value.startswith("{"):
                paths += [[*path, *_keys(k)] for k in re.findall(_DOTTED, value[1:])]
        for path in paths:
            depth = len(path) if want[: len(path)] == path else 0
            if depth > best_depth:
                best, best_depth = number, depth
    return best
