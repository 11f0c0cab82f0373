"""The student's record and the changes a command makes to it.

The records are plain frozen dataclasses (pydantic validates them when a file
is new, see `mldsplan.validation`). Every change is a pure function from one
`Progress` to the next; it raises `InputError` and changes nothing when the
change is wrong for the record.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mldsplan import validation
from mldsplan.errors import FileFormatError, InputError
from mldsplan.programme import FORBID_EXTRA, Programme

if TYPE_CHECKING:  # at run time these names are bound by validation.bind_constraints
    from mldsplan.validation import Hours, Mark, MonthText, Years

SCHEMA_VERSION = 1
MAX_NOTE = 200
MAX_DEFER_YEARS = 10
MAX_WEEKLY_HOURS = 168.0
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    __pydantic_config__ = FORBID_EXTRA
    on: date
    mark: Mark | None = None
    resit: bool = False


class LogEntry(NamedTuple):
    """One study session. A named tuple: a log of 20,000 entries must load fast."""

    on: date
    hours: float
    module: str | None = None
    note: str | None = None


def check_note(note: str, argument: str = "--note") -> None:
    if len(note) > MAX_NOTE:
        raise InputError(f"{argument}: {len(note)} characters, more than {MAX_NOTE}")
    if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in note) or "'''" in note:
        raise InputError(
            f"{argument}: must be one line of plain text (no control characters or ''')"
        )


def make_entry(on: Any, hours: Any, module: Any = None, note: Any = None) -> LogEntry:
    """A checked log entry from loose values (file text, JSON); ValueError says what is wrong."""
    day = on if isinstance(on, date) else date.fromisoformat(str(on))
    if isinstance(hours, bool) or not isinstance(hours, int | float | str):
        raise ValueError(f"hours {hours!r} is not a number")
    amount = float(hours)
    if not 0 < amount <= 24:
        raise ValueError(f"hours {amount:g} must be more than 0 and at most 24")
    if module is not None and (not isinstance(module, str) or not module or " " in module):
        raise ValueError(f"module {module!r} is not a module code")
    if note is not None:
        if not isinstance(note, str):
            raise ValueError(f"note {note!r} is not text")
        note = note.strip()
        try:
            check_note(note, "note")
        except InputError as exc:
            raise ValueError(exc.message) from None
    return LogEntry(day, amount, module, note or None)


def _fast_entry(day: str, hours: str, module: str | None, note: str | None) -> LogEntry:
    """The common case of a file line, checked cheaply; ValueError sends it the thorough way."""
    amount = float(hours)
    if 0 < amount <= 24 and (
        note is None or (len(note) <= MAX_NOTE and note.isprintable() and "'''" not in note)
    ):
        return LogEntry(date.fromisoformat(day), amount, module, note)
    raise ValueError(day)


def parse_log(value: Any) -> tuple[LogEntry, ...]:
    """The log from the file's text block (one entry a line) or a list of mappings."""
    if isinstance(value, str):
        entries = []
        for number, line in enumerate(value.split("\n"), start=1):
            fields = line.split(" ", 3)
            if len(fields) < 3:
                if line.strip():
                    raise ValueError(f"line {number}: expected 'DATE HOURS MODULE [NOTE]'")
                continue
            module = None if fields[2] == "-" else fields[2]
            note = fields[3].strip() or None if len(fields) > 3 else None
            try:
                entries.append(_fast_entry(fields[0], fields[1], module, note))
            except ValueError:
                try:  # the thorough path says what exactly is wrong
                    entries.append(make_entry(fields[0], fields[1], module, note))
                except ValueError as exc:
                    raise ValueError(f"line {number}: {exc}") from None
        return tuple(entries)
    if isinstance(value, list | tuple):
        entries = []
        for number, item in enumerate(value):
            if isinstance(item, LogEntry):
                entries.append(item)
                continue
            if not isinstance(item, dict) or set(item) - {"on", "hours", "module", "note"}:
                raise ValueError(f"entry {number}: expected a table with on, hours, module, note")
            try:
                entries.append(
                    make_entry(
                        item.get("on"), item.get("hours"), item.get("module"), item.get("note")
                    )
                )
            except (ValueError, TypeError) as exc:
                raise ValueError(f"entry {number}: {exc}") from None
        return tuple(entries)
    raise ValueError("expected the study log as text, one entry a line")


def format_log_line(entry: LogEntry) -> str:
    note = f" {entry.note}" if entry.note else ""
    return f"{entry.on.isoformat()} {entry.hours!r} {entry.module or '-'}{note}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Progress:
    __pydantic_config__ = FORBID_EXTRA
    schema_version: int = SCHEMA_VERSION
    start: MonthText | None = None
    weekly_hours: Hours | None = None
    completions: dict[str, Completion] = field(default_factory=dict)
    deferrals: dict[str, Years] = field(default_factory=dict)
    log: tuple[LogEntry, ...] = ()

    def weekly(self, programme: Programme) -> float:
        return programme.weekly_hours if self.weekly_hours is None else self.weekly_hours

    def start_date(self) -> date | None:
        return None if self.start is None else parse_month(self.start)


def parse_month(text: str) -> date:
    """`YYYY-MM` as the first day of that month."""
    match = _MONTH.match(text.strip())
    if not match or not validation.is_a_month(text.strip()):
        raise ValueError(f"'{text}' is not a month as YYYY-MM")
    return date(int(match[1]), int(match[2]), 1)


def parse_date(text: str, argument: str = "--on") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{argument}: '{text}' is not a date as YYYY-MM-DD") from None


def from_document(path: Path, data: dict[str, Any]) -> Progress:
    """Validate a parsed progress document (already at the current schema).

    Pydantic checks everything but the study log, which has its own fast parser.
    """
    settings = {k: v for k, v in data.items() if k != "log"}
    progress, problems = validation.validate(path, Progress, settings)
    if progress is None:
        raise FileFormatError(problems[0], problems=problems)
    try:
        return replace(progress, log=parse_log(data.get("log", ())))
    except ValueError as exc:
        raise FileFormatError(f"{path}: log: {exc}") from None


def to_document(progress: Progress) -> dict[str, Any]:
    """The record as a plain mapping (dates stay dates, no nulls), the log as a list."""
    document: dict[str, Any] = {"schema_version": progress.schema_version}
    if progress.start is not None:
        document["start"] = progress.start
    if progress.weekly_hours is not None:
        document["weekly_hours"] = progress.weekly_hours
    document["completions"] = {
        code: {"on": c.on, "resit": c.resit} | ({} if c.mark is None else {"mark": c.mark})
        for code, c in progress.completions.items()
    }
    document["deferrals"] = dict(progress.deferrals)
    document["log"] = [
        {
            k: v
            for k, v in (("on", e.on), ("hours", e.hours), ("module", e.module), ("note", e.note))
            if v is not None
        }
        for e in progress.log
    ]
    return document


def to_plain(progress: Progress) -> dict[str, Any]:
    """Everything but the log, with dates as text (for the validated-content cache)."""
    document = to_document(progress)
    del document["log"]
    for completion in document["completions"].values():
        completion["on"] = completion["on"].isoformat()
    return document


def from_plain(plain: dict[str, Any], log: Any) -> Progress:
    completions = {
        code: Completion(on=date.fromisoformat(c["on"]), mark=c.get("mark"), resit=c["resit"])
        for code, c in plain["completions"].items()
    }
    return Progress(
        schema_version=plain["schema_version"],
        start=plain.get("start"),
        weekly_hours=plain.get("weekly_hours"),
        completions=completions,
        deferrals=plain["deferrals"],
        log=parse_log(log),
    )


def record_problems(progress: Progress, programme: Programme, today: date) -> list[str]:
    """What in a valid-looking record does not fit the programme, as `field: message`."""
    problems = []
    codes = set(programme.codes)
    pass_mark = programme.classification.pass_mark
    for code, done in progress.completions.items():
        if code not in codes:
            problems.append(f"completions.{code}: unknown module '{code}'")
        if done.mark is not None and done.mark < pass_mark:
            problems.append(
                f"completions.{code}.mark: {done.mark:g} is below the pass mark {pass_mark:g}"
            )
        if done.on > today:
            problems.append(f"completions.{code}.on: {done.on} is in the future")
    for code, years in progress.deferrals.items():
        if code not in codes:
            problems.append(f"deferrals.{code}: unknown module '{code}'")
        elif years % programme.module(code).runs_every_years:
            problems.append(f"deferrals.{code}: the module does not run {years} years later")
    if {e.module for e in progress.log} - codes - {None}:
        problems += [
            f"log[{i}].module: unknown module '{e.module}'"
            for i, e in enumerate(progress.log)
            if e.module is not None and e.module not in codes
        ]
    totals: dict[date, float] = {}
    for entry in progress.log:
        totals[entry.on] = totals.get(entry.on, 0.0) + entry.hours
    problems += [
        f"log: {day} adds up to {total:g} hours, more than 24"
        for day, total in totals.items()
        if total > 24 + 1e-9
    ]
    return problems


# --- changes ---------------------------------------------------------------


def set_settings(progress: Progress, start: str | None, weekly_hours: float | None) -> Progress:
    changes: dict[str, Any] = {}
    if start is not None:
        try:
            parse_month(start)
        except ValueError as exc:
            raise InputError(f"--start: {exc}", hint="for example --start 2025-10") from None
        changes["start"] = start.strip()
    if weekly_hours is not None:
        check_weekly_hours(weekly_hours)
        changes["weekly_hours"] = weekly_hours
    return replace(progress, **changes)


def check_weekly_hours(hours: float, argument: str = "--weekly-hours") -> None:
    if not 0 < hours <= MAX_WEEKLY_HOURS:
        raise InputError(
            f"{argument}: {hours:g} must be more than 0 and at most {MAX_WEEKLY_HOURS:g}"
        )


def check_mark(programme: Programme, mark: float, argument: str = "--mark") -> None:
    pass_mark = programme.classification.pass_mark
    if not 0 <= mark <= 100:
        raise InputError(f"{argument}: {mark:g} is outside 0-100")
    if mark < pass_mark:
        raise InputError(
            f"{argument}: {mark:g} is below the pass mark {pass_mark:g}; a completion is a pass",
            hint="record the module when you have passed it (with --resit for a resit)",
        )


def check_not_future(day: date, today: date, argument: str = "--on") -> None:
    if day > today:
        raise InputError(f"{argument}: {day} is in the future (today is {today})")


def complete(
    progress: Progress,
    programme: Programme,
    codes: list[str],
    today: date,
    on: date | None = None,
    mark: float | None = None,
    resit: bool = False,
) -> Progress:
    """Record `codes` as passed. Re-completing updates only what was given."""
    if mark is not None:
        check_mark(programme, mark)
    if on is not None:
        check_not_future(on, today)
    if mark is not None and len(codes) > 1:
        raise InputError("--mark: give one module at a time when recording a mark")
    completions = dict(progress.completions)
    for code in codes:
        old = completions.get(code)
        if old is None:
            completions[code] = Completion(on=on or today, mark=mark, resit=resit)
        else:
            completions[code] = Completion(
                on=on or old.on,
                mark=old.mark if mark is None else mark,
                resit=old.resit or resit,
            )
    return replace(progress, completions=completions)


def uncomplete(progress: Progress, codes: list[str]) -> Progress:
    missing = [c for c in codes if c not in progress.completions]
    if missing:
        raise InputError(
            f"CODE: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not completed",
            hint="'mldsplan plan' shows what is recorded",
        )
    completions = {c: v for c, v in progress.completions.items() if c not in codes}
    return replace(progress, completions=completions)


def set_mark(
    progress: Progress, programme: Programme, code: str, mark: float, resit: bool | None
) -> Progress:
    """Set or correct the mark of a completed module."""
    check_mark(programme, mark, argument="MARK")
    old = progress.completions.get(code)
    if old is None:
        raise InputError(
            f"CODE: {code} is not completed yet",
            hint=f"record it with: mldsplan complete {code} --mark {mark:g}",
        )
    new = replace(old, mark=mark, resit=old.resit if resit is None else resit)
    return replace(progress, completions={**progress.completions, code: new})


def add_log(
    progress: Progress,
    hours: float,
    on: date,
    today: date,
    module: str | None = None,
    note: str | None = None,
) -> Progress:
    if not 0 < hours <= 24:
        raise InputError(f"HOURS: {hours:g} must be more than 0 and at most 24")
    check_not_future(on, today)
    if note is not None:
        note = note.strip()
        check_note(note)
        note = note or None
    day_total = sum(e.hours for e in progress.log if e.on == on)
    if day_total + hours > 24 + 1e-9:
        raise InputError(
            f"HOURS: {on} already has {day_total:g} h logged; {hours:g} more would pass 24",
            hint="'mldsplan log --list' shows the entries",
        )
    entry = LogEntry(on=on, hours=hours, module=module, note=note)
    return replace(progress, log=(*progress.log, entry))


def remove_log(progress: Progress, number: int | None) -> Progress:
    """Remove entry `number` (1-based, as `log --list` shows it), or the last one."""
    if not progress.log:
        raise InputError("the study log is empty: there is nothing to remove")
    index = len(progress.log) if number is None else number
    if not 1 <= index <= len(progress.log):
        raise InputError(f"--remove: no entry {number}; the log has 1 to {len(progress.log)}")
    log = tuple(e for i, e in enumerate(progress.log, start=1) if i != index)
    return replace(progress, log=log)


def defer(progress: Progress, programme: Programme, codes: list[str], years: int) -> Progress:
    """Take `codes` `years` later than they are now planned."""
    if years < 1:
        raise InputError(f"--years: {years} must be 1 or more")
    deferrals = dict(progress.deferrals)
    for code in codes:
        if code in progress.completions:
            raise InputError(f"CODE: {code} is completed; a completed module cannot be deferred")
        total = deferrals.get(code, 0) + years
        if total > MAX_DEFER_YEARS:
            raise InputError(
                f"--years: {code} would move {total} years, more than {MAX_DEFER_YEARS}"
            )
        every = programme.module(code).runs_every_years
        if total % every:
            raise InputError(f"--years: {code} runs every {every} years; defer it by a multiple")
        deferrals[code] = total
    return replace(progress, deferrals=deferrals)


def undefer(progress: Progress, codes: list[str]) -> Progress:
    missing = [c for c in codes if c not in progress.deferrals]
    if missing:
        raise InputError(f"CODE: {', '.join(missing)} is not deferred")
    deferrals = {c: y for c, y in progress.deferrals.items() if c not in codes}
    return replace(progress, deferrals=deferrals)
