"""The study log's file format: one entry a line, `DATE HOURS MODULE ID [NOTE]`.

DATE is `opening` for hours studied before tracking (`Opening`). A line without an
ID (schema 3's `DATE HOURS MODULE [NOTE]`, or one added by hand) gets the id made
from its content and its occurrence (`entry_id`), so two copies of one file read
apart give the same ids.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from mldsplan.domain.constraints import CODE_PATTERN, ENTRY_ID_PATTERN, is_line
from mldsplan.domain.dates import FIRST_YEAR, LAST_YEAR, DateError, parse_day
from mldsplan.domain.progress import (
    MAX_DAY_HOURS,
    MAX_NOTE,
    MAX_OPENING_HOURS,
    MIN_HOURS,
    LogEntry,
    NoteError,
    Opening,
    check_hours,
    check_note,
)

_CODE = re.compile(CODE_PATTERN)
_ID = re.compile(ENTRY_ID_PATTERN)
OPENING = "opening"  # the DATE of an opening entry


def entry_id(day: str, hours: str, module: str, note: str | None, occurrence: int) -> str:
    """The id of a line written without one: its fields and how many identical lines
    came before it, hashed (deterministic: two computers give one file the same ids)."""
    import hashlib

    text = f"{day} {hours} {module} {note or ''}\n{occurrence}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


_HEX = "0123456789abcdef"


def _split(line: str) -> tuple[str, str, str, str | None, str | None] | None:
    """A line's DATE, HOURS, MODULE, ID (None when the line has none) and NOTE."""
    fields = line.split(" ", 4)
    if len(fields) < 3:
        return None
    if len(fields) > 3 and len(fields[3]) == 12 and not fields[3].strip(_HEX):
        note = fields[4].strip() or None if len(fields) > 4 else None
        return fields[0], fields[1], fields[2], fields[3], note
    return fields[0], fields[1], fields[2], None, " ".join(fields[3:]).strip() or None


def plain_hours(text: str) -> bool:
    """Hours written as ASCII digits with at most one '.' (no `1_0`, `inf`, `1e3`, `٢`)."""
    return text.isascii() and text.replace(".", "", 1).isdigit()


def make_entry(
    on: Any, hours: Any, module: Any = None, note: Any = None, entry: str = ""
) -> LogEntry:
    """A checked log entry from loose values (file text, JSON); ValueError says what is wrong."""
    if not isinstance(on, str):
        raise ValueError(f"date {on!r} is not a date as YYYY-MM-DD")
    day = parse_day(on)
    amount = _amount(hours, MAX_DAY_HOURS)
    module, note = _module_and_note(module, note)
    return LogEntry(day, amount, module, note, _checked_id(entry))


def make_opening(hours: Any, module: Any, note: Any = None, entry: str = "") -> Opening:
    """A checked opening entry (hours studied before tracking: no date, no 24 h limit)."""
    amount = _amount(hours, MAX_OPENING_HOURS)
    module, note = _module_and_note(module, note)
    if module is None:
        raise ValueError("an opening entry names its module")
    return Opening(module, amount, note, _checked_id(entry))


def _checked_id(entry: Any) -> str:
    if not isinstance(entry, str) or (entry and not _ID.fullmatch(entry)):
        raise ValueError(f"id {entry!r} is not an entry id (12 hex digits)")
    return entry


def _amount(hours: Any, most: float) -> float:
    if isinstance(hours, str):
        if not plain_hours(hours):
            raise ValueError(f"hours '{hours}' is not a number like 1.5")
        amount = float(hours)
    elif isinstance(hours, int | float) and not isinstance(hours, bool):
        amount = float(hours)
    else:
        raise ValueError(f"hours {hours!r} is not a number")
    if most == MAX_DAY_HOURS:
        try:
            check_hours(amount)
        except ValueError as exc:
            raise ValueError(f"hours {exc}") from None
    elif not MIN_HOURS <= amount <= most:
        raise ValueError(f"hours {amount:g} must be at least {MIN_HOURS:g} and at most {most:g}")
    return amount


def _module_and_note(module: Any, note: Any) -> tuple[str | None, str | None]:
    if module is not None and (not isinstance(module, str) or not _CODE.fullmatch(module)):
        raise ValueError(f"module {module!r} is not a module code")
    if note is not None:
        if not isinstance(note, str):
            raise ValueError(f"note {note!r} is not text")
        try:
            note = check_note(note)
        except NoteError as exc:
            raise ValueError(f"note {exc}") from None
    return module, note or None


def _fast_day(text: str, seen: dict[str, date]) -> date | None:
    """`text` as a date when it is exactly YYYY-MM-DD in range (remembered); else None."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.isascii():
        return None
    try:
        on = date.fromisoformat(text)
    except ValueError:  # "2026-02-30": the thorough path says so
        return None
    if not FIRST_YEAR <= on.year <= LAST_YEAR:
        return None
    seen[text] = on
    return on


def _fast_amount(text: str, seen: dict[str, float]) -> float | None:
    """`text` as hours when plainly written and in range (remembered); else None."""
    if not plain_hours(text):
        return None
    amount = float(text)
    if not MIN_HOURS <= amount <= MAX_DAY_HOURS:
        return None
    seen[text] = amount
    return amount


def parse_log(value: Any) -> tuple[LogEntry, ...]:
    """The dated entries of a log (see `read_log`)."""
    return read_log(value)[0]


def read_log(value: Any) -> tuple[tuple[LogEntry, ...], tuple[Opening, ...]]:
    """The log from the file's text block (one entry a line) or a list of mappings:
    its dated entries and its opening ones. Every id appears once."""
    log, opening = _lines(value) if isinstance(value, str) else _tables(value)
    ids = [e.id for e in log] + [o.id for o in opening]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for entry in ids:
            if entry in seen:
                raise ValueError(f"entry id {entry} appears twice; each entry has its own")
            seen.add(entry)
    return log, opening


def _lines(value: str) -> tuple[tuple[LogEntry, ...], tuple[Opening, ...]]:
    entries: list[LogEntry] = []
    opening: list[Opening] = []
    codes = {"-"}  # module codes seen well-formed in this log (a log uses a dozen)
    # A log of 20,000 lines is read by every command, but it holds a few hundred
    # dates and a few dozen amounts: each is checked once, the first time it is seen.
    days: dict[str, date] = {}
    amounts: dict[str, float] = {}
    occurrences: dict[tuple[str, str, str, str | None], int] = {}
    for number, line in enumerate(value.split("\n"), start=1):
        fields = _split(line)
        if fields is None:
            if line.strip():
                raise ValueError(f"line {number}: expected 'DATE HOURS MODULE ID [NOTE]'")
            continue
        day, hours, module, entry, note = fields
        if entry is None:  # a line without an id: the one its content and occurrence give
            key = (day, hours, module, note)
            occurrences[key] = n = occurrences.get(key, 0) + 1
            entry = entry_id(day, hours, module, note, n)
        if day == OPENING:
            try:
                opening.append(make_opening(hours, None if module == "-" else module, note, entry))
            except ValueError as exc:
                raise ValueError(f"line {number}: {exc}") from None
            continue
        # The common case, checked exactly as make_entry checks it but inline:
        # exactly YYYY-MM-DD, plain ASCII digits for hours, a well-formed code
        # (whether the programme has it is `rules`'), a note as `check_note` takes
        # it. Anything else takes the thorough path, which says what is wrong.
        on = days.get(day) or _fast_day(day, days)
        amount = amounts.get(hours) or _fast_amount(hours, amounts)
        if module not in codes and _CODE.fullmatch(module):
            codes.add(module)
        if (
            on is not None
            and amount is not None
            and module in codes
            and (note is None or (len(note) <= MAX_NOTE and is_line(note)))
        ):
            entries.append(LogEntry(on, amount, None if module == "-" else module, note, entry))
            continue
        try:
            entries.append(make_entry(day, hours, None if module == "-" else module, note, entry))
        except (ValueError, DateError) as exc:
            raise ValueError(f"line {number}: {exc}") from None
    return tuple(entries), tuple(opening)


def _tables(value: Any) -> tuple[tuple[LogEntry, ...], tuple[Opening, ...]]:
    if not isinstance(value, list | tuple):
        raise ValueError("expected the study log as text, one entry a line")
    entries: list[LogEntry] = []
    opening: list[Opening] = []
    occurrences: dict[str, int] = {}
    for number, item in enumerate(value):
        if not isinstance(item, dict) or set(item) - {"on", "hours", "module", "note", "id"}:
            raise ValueError(f"entry {number}: expected a table with on, hours, module, note, id")
        given = item.get("on")
        if isinstance(item.get("hours"), str):  # a table holds numbers; text is for lines
            raise ValueError(f"entry {number}: hours {item['hours']!r} is not a number")
        entry = item.get("id")
        if entry is None:  # a table without an id: the one its content and occurrence give
            day = given.isoformat() if isinstance(given, date) else str(given)
            fields = (day, repr(item.get("hours")), str(item.get("module")), str(item.get("note")))
            key = " ".join(fields)
            occurrences[key] = n = occurrences.get(key, 0) + 1
            entry = entry_id(*fields, n)
        try:
            if given == OPENING:
                opening.append(
                    make_opening(item.get("hours"), item.get("module"), item.get("note"), entry)
                )
            else:
                entries.append(
                    make_entry(
                        given.isoformat() if isinstance(given, date) else given,
                        item.get("hours"),
                        item.get("module"),
                        item.get("note"),
                        entry,
                    )
                )
        except (ValueError, TypeError, DateError) as exc:
            raise ValueError(f"entry {number}: {exc}") from None
    return tuple(entries), tuple(opening)


def _hours_text(hours: float) -> str:
    text = repr(hours)
    if "e" in text:  # a tiny amount: write it without an exponent, as the reader expects
        text = f"{hours:.15f}".rstrip("0")
    return text


def format_log_line(entry: LogEntry) -> str:
    note = f" {entry.note}" if entry.note else ""
    return (
        f"{entry.on.isoformat()} {_hours_text(entry.hours)} {entry.module or '-'} {entry.id}{note}"
    )


def format_opening_line(entry: Opening) -> str:
    note = f" {entry.note}" if entry.note else ""
    return f"{OPENING} {_hours_text(entry.hours)} {entry.module} {entry.id}{note}"
