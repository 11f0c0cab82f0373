"""What a record must satisfy against its programme and the calendar.

One definition for every command: a change is refused when its result breaks
a rule here, `check` reports what a hand edit broke, and a write never lands
a record that breaks one.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from mldsplan.domain.constraints import EPSILON, MAX_MARK, MAX_REVISION, name_key, shown
from mldsplan.domain.dates import FIRST_YEAR, LAST_YEAR, DateError, add_months, whole_minute_offset
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import MAX_DAY_HOURS, Progress, Timer
from mldsplan.domain.terms import parse_term_key, schedule, term_key, window

LOG_BEFORE_START_MONTHS = 6  # study may begin before the cohort starts, not earlier than this


def _in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def record_problems(
    progress: Progress, programme: Programme, today: date, *, now: datetime | None = None
) -> list[str]:
    """Everything in a well-formed record that does not fit, as `field: message` lines.

    `now` (on `today`) places a running timer exactly; without it, a timer is in
    the future only once it is past the end of `today` in every time zone.
    """
    problems: list[str] = []
    codes = set(programme.codes)
    pass_mark = programme.classification.pass_mark
    try:
        start = progress.start_date()
    except DateError as exc:
        return [f"start: {exc}"]
    if progress.revision >= MAX_REVISION:  # every write adds 1
        problems.append(f"revision: {progress.revision} is the last a file can hold")
    planned = {p.module.code: p for p in schedule(programme, progress)}
    for code, done in progress.completions.items():
        where = f"completions.{code}"
        if code not in codes:
            problems.append(f"{where}: unknown module '{code}'")
            continue
        if done.mark is not None and done.mark < pass_mark:
            problems.append(
                f"{where}.mark: {shown(done.mark, pass_mark)} is below the pass mark {pass_mark:g}"
            )
        if done.on > today:
            problems.append(f"{where}.on: {done.on} is in the future")
        elif not _in_years(done.on):
            problems.append(f"{where}.on: {done.on} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
        p = planned[code]
        term = window(programme, progress, p.year, p.term)
        if term is not None and done.on < term.start:
            problems.append(
                f"{where}.on: {done.on} is before its term (year {p.year} term {p.term})"
                f" starts on {term.start}"
            )
    for code, years in progress.deferrals.items():
        if code not in codes:
            problems.append(f"deferrals.{code}: unknown module '{code}'")
        elif code in progress.completions:
            problems.append(f"deferrals.{code}: the module is completed; it cannot be deferred")
        elif years % programme.module(code).runs_every_years:
            problems.append(f"deferrals.{code}: the module does not run {years} years later")
    problems += _term_date_problems(progress, programme)
    problems += _assessment_problems(progress, codes)
    problems += _log_problems(progress, codes, start, today)
    if progress.timer is not None:
        problems += _timer_problems(progress.timer, codes, today, now)
    return problems


def _timer_problems(t: Timer, codes: set[str], today: date, now: datetime | None) -> list[str]:
    problems = []
    if t.module is not None and t.module not in codes:
        problems.append(f"timer.module: unknown module '{t.module}'")
    # UTC offsets are less than a day, so `today` has ended everywhere 2 days after its UTC start.
    latest = now if now is not None else datetime.combine(today + timedelta(days=2), time(), UTC)
    started = t.started_at.isoformat()
    if not whole_minute_offset(t.started_at):
        problems.append(f"timer.started_at: {started} has a UTC offset with seconds")
    elif not _in_years(t.started_at.date()):
        problems.append(f"timer.started_at: {started} is out of range")
    elif t.started_at > latest:
        problems.append(
            f"timer.started_at: {started} is in the future"
            + (f" (it is {now.isoformat(timespec='minutes')})" if now is not None else "")
        )
    return problems


def _term_date_problems(progress: Progress, programme: Programme) -> list[str]:
    problems = []
    keys = set()
    for key, d in sorted(progress.term_dates.items()):
        year, term = parse_term_key(key)
        if term > programme.terms_per_year:
            problems.append(f"term_dates.{key}: no year {year} term {term} in this programme")
            continue
        keys.add((year, term))
        if not (_in_years(d.start) and _in_years(d.end)):
            problems.append(f"term_dates.{key}: dates outside the years {FIRST_YEAR}-{LAST_YEAR}")
        elif d.end < d.start:
            problems.append(f"term_dates.{key}: ends ({d.end}) before it starts ({d.start})")
    # Set dates must keep the terms in order: each ends before the next one starts.
    if not problems and keys:
        years = max(y for y, _ in keys)
        ordered = [
            w
            for y in range(1, years + 2)
            for t in range(1, programme.terms_per_year + 1)
            if (w := window(programme, progress, y, t)) is not None
        ]
        for before, after in itertools.pairwise(ordered):
            if "student" in (before.source, after.source) and before.end >= after.start:
                problems.append(
                    f"term_dates: year {before.year} term {before.term} ({before.start} to"
                    f" {before.end}) overlaps or is not before year {after.year} term"
                    f" {after.term} ({after.start} to {after.end})"
                )
    return problems


def _assessment_problems(progress: Progress, codes: set[str]) -> list[str]:
    problems = []
    for code, items in progress.assessments.items():
        if code not in codes:
            problems.append(f"assessments.{code}: unknown module '{code}'")
        names = [name_key(a.name) for a in items]
        for i, a in enumerate(items):
            if names.index(names[i]) < i:
                first = items[names.index(names[i])].name
                problems.append(
                    f"assessments.{code}[{i}].name: '{a.name}' is used twice"
                    + ("" if first == a.name else f" (as '{first}')")
                )
            if a.due is not None and not _in_years(a.due):
                problems.append(f"assessments.{code}[{i}].due: {a.due} is out of range")
        total = sum(a.weight for a in items)
        if total > MAX_MARK + EPSILON:
            problems.append(
                f"assessments.{code}: weights add up to {shown(total, MAX_MARK)},"
                f" more than {MAX_MARK:g}"
            )
    return problems


def _log_problems(
    progress: Progress, codes: set[str], start: date | None, today: date
) -> list[str]:
    log = progress.log
    if not log:
        return []
    problems = []
    earliest = add_months(start, -LOG_BEFORE_START_MONTHS) if start else date.min
    days = [e.on for e in log]
    # A log may hold tens of thousands of entries: look at each only when a cheap test fails.
    if {e.module for e in log} - codes - {None}:
        problems += [
            f"log[{i}].module: unknown module '{e.module}'"
            for i, e in enumerate(log)
            if e.module is not None and e.module not in codes
        ]
    if max(days) > today:
        problems += [f"log[{i}].on: {d} is in the future" for i, d in enumerate(days) if d > today]
    if min(days) < earliest:
        problems += [
            f"log[{i}].on: {d} is more than {LOG_BEFORE_START_MONTHS} months"
            f" before the cohort start {progress.start}"
            for i, d in enumerate(days)
            if d < earliest
        ]
    totals: dict[date, float] = {}
    for entry in log:
        totals[entry.on] = totals.get(entry.on, 0.0) + entry.hours
    problems += [
        f"log: {day} adds up to {shown(total, MAX_DAY_HOURS)} hours, more than {MAX_DAY_HOURS:g}"
        for day, total in totals.items()
        if total > MAX_DAY_HOURS + EPSILON
    ]
    return problems


def term_from_key(text: str, programme: Programme) -> tuple[int, int]:
    """`Y.T` as (year, term); ValueError when it names no term of this programme."""
    parts = text.strip().split(".")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"'{text}' is not a term as YEAR.TERM, for example 1.2")
    year, term = int(parts[0]), int(parts[1])
    if not (1 <= term <= programme.terms_per_year and 1 <= year <= 9):
        raise ValueError(f"'{text}': no year {year} term {term} in this programme")
    return year, term


__all__ = ["record_problems", "term_from_key", "term_key"]
