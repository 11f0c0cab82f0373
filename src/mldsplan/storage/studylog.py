"""The study log's file format: one entry a line, `DATE HOURS MODULE [NOTE]`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from mldsplan.domain.constraints import CODE_PATTERN, is_line
from mldsplan.domain.dates import FIRST_YEAR, LAST_YEAR, DateError, parse_day
from mldsplan.domain.progress import (
    MAX_DAY_HOURS,
    MAX_NOTE,
    MIN_HOURS,
    LogEntry,
    NoteError,
    check_hours,
    check_note,
)

_CODE = re.compile(CODE_PATTERN)


def plain_hours(text: str) -> bool:
    """Hours written as ASCII digits with at most one '.' (no `1_0`, `inf`, `1e3`, `٢`)."""
    return text.isascii() and text.replace(".", "", 1).isdigit()


def make_entry(on: Any, hours: Any, module: Any = None, note: Any = None) -> LogEntry:
    """A checked log entry from loose values (file text, JSON); ValueError says what is wrong."""
    if not isinstance(on, str):
        raise ValueError(f"date {on!r} is not a date as YYYY-MM-DD")
    day = parse_day(on)
    if isinstance(hours, str):
        if not plain_hours(hours):
            raise ValueError(f"hours '{hours}' is not a number like 1.5")
        amount = float(hours)
    elif isinstance(hours, int | float) and not isinstance(hours, bool):
        amount = float(hours)
    else:
        raise ValueError(f"hours {hours!r} is not a number")
    try:
        check_hours(amount)
    except ValueError as exc:
        raise ValueError(f"hours {exc}") from None
    if module is not None and (not isinstance(module, str) or not _CODE.fullmatch(module)):
        raise ValueError(f"module {module!r} is not a module code")
    if note is not None:
        if not isinstance(note, str):
            raise ValueError(f"note {note!r} is not text")
        try:
            note = check_note(note)
        except NoteError as exc:
            raise ValueError(f"note {exc}") from None
    return LogEntry(day, amount, module, note or None)


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
    """The log from the file's text block (one entry a line) or a list of mappings."""
    if isinstance(value, str):
        entries = []
        codes = {"-"}  # module codes seen well-formed in this log (a log uses a dozen)
        # A log of 20,000 lines is read by every command, but it holds a few hundred
        # dates and a few dozen amounts: each is checked once, the first time it is seen.
        days: dict[str, date] = {}
        amounts: dict[str, float] = {}
        for number, line in enumerate(value.split("\n"), start=1):
            fields = line.split(" ", 3)
            if len(fields) < 3:
                if line.strip():
                    raise ValueError(f"line {number}: expected 'DATE HOURS MODULE [NOTE]'")
                continue
            day, hours, module = fields[0], fields[1], fields[2]
            note = fields[3].strip() or None if len(fields) > 3 else None
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
                entries.append(LogEntry(on, amount, None if module == "-" else module, note))
                continue
            try:
                entries.append(make_entry(day, hours, None if module == "-" else module, note))
            except (ValueError, DateError) as exc:
                raise ValueError(f"line {number}: {exc}") from None
        return tuple(entries)
    if isinstance(value, list | tuple):
        entries = []
        for number, item in enumerate(value):
            if not isinstance(item, dict) or set(item) - {"on", "hours", "module", "note"}:
                raise ValueError(f"entry {number}: expected a table with on, hours, module, note")
            given = item.get("on")
            if isinstance(item.get("hours"), str):  # a table holds numbers; text is for lines
                raise ValueError(f"entry {number}: hours {item['hours']!r} is not a number")
            try:
                entries.append(
                    make_entry(
                        given.isoformat() if isinstance(given, date) else given,
                        item.get("hours"),
                        item.get("module"),
                        item.get("note"),
                    )
                )
            except (ValueError, TypeError) as exc:
                raise ValueError(f"entry {number}: {exc}") from None
        return tuple(entries)
    raise ValueError("expected the study log as text, one entry a line")


def format_log_line(entry: LogEntry) -> str:
    note = f" {entry.note}" if entry.note else ""
    hours = repr(entry.hours)
    if "e" in hours:  # a tiny amount: write it without an exponent, as the reader expects
        hours = f"{entry.hours:.15f}".rstrip("0")
    return f"{entry.on.isoformat()} {hours} {entry.module or '-'}{note}"
