"""What a record must satisfy against its programme and the calendar.

One definition for every command: a change builds the new record and is
refused when it breaks a rule here (the store runs them; `changes` does not
check them first), `check` reports what a hand edit broke, and a write never
lands a record that breaks one. Each rule returns `Problem`s naming the field.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from mldsplan.domain.constraints import EPSILON, MAX_MARK, MAX_REVISION, name_key, shown
from mldsplan.domain.dates import FIRST_YEAR, LAST_YEAR, DateError, add_months, whole_minute_offset
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import MAX_DAY_HOURS, LogEntry, Progress, Timer
from mldsplan.domain.results import frozen_record
from mldsplan.domain.terms import (
    Planned,
    TermWindow,
    assumed_window,
    neighbour,
    parse_term_key,
    schedule,
    term_key,
    window,
)

LOG_BEFORE_START_MONTHS = 6  # study may begin before the cohort starts, not earlier than this


@frozen_record(kw_only=False)
class Problem:
    """One thing in a record that breaks a rule.

    `field` is where it is in the file (`completions.eda.mark`); `where` names
    that place as the student does ("eda's mark", "the log entry of
    2026-11-24"); `message` says what is wrong in the student's words;
    `argument` names the value of a command that sets that field (`"mark"`,
    `"on"`), for the CLI to name its flag; `reason` lets the CLI add a hint that
    names a command.
    """

    field: str
    message: str
    argument: str | None = None
    hint: str | None = None
    reason: str | None = None
    where: str | None = None

    def __str__(self) -> str:
        """As `check` and a refused file show it: the place, then the field to find it by."""
        if self.where is None:
            return f"{self.field}: {self.message}"
        return f"{self.where} ({self.field}): {self.message}"


def _in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def record_problems(
    progress: Progress,
    programme: Programme,
    today: date,
    *,
    now: datetime | None = None,
    entered: Progress | None = None,
) -> list[Problem]:
    """Everything in a well-formed record that does not fit.

    Whether a record is valid never depends on the reader's clock: the rules about
    the future (a completion, a failed attempt, a log entry, a timer start after
    now) judge only what a command enters, the values that differ from `entered`,
    the record it changed; without `entered` (a file read, a merge, an import) they
    judge nothing, since another computer's clock may be ahead (`future_values`
    lists them for `check`). `now` (on `today`) places a running timer exactly;
    without it, a timer is in the future only once it is past the end of `today`
    in every time zone.
    """
    try:
        start = progress.start_date()
    except DateError as exc:
        return [Problem("start", str(exc), argument="start", where="the start month")]
    problems: list[Problem] = []
    if progress.revision >= MAX_REVISION:  # every write adds 1
        last = f"{progress.revision} is the last a file can hold"
        problems.append(Problem("revision", last, where="the file's revision"))
    codes = set(programme.codes)
    new = _Entered(entered)
    problems += _completion_problems(progress, programme, codes, today, new)
    problems += _deferral_problems(progress, programme, codes)
    problems += _term_date_problems(progress, programme)
    problems += _assessment_problems(progress, codes)
    problems += _failure_problems(progress, programme, codes, today, new)
    problems += _log_problems(progress, codes, start, today, new)
    problems += _opening_problems(progress, codes)
    if progress.timer is not None:
        problems += _timer_problems(progress.timer, codes, today, now, new)
    problems += window_problems(progress)
    return problems


def window_problems(progress: Progress) -> list[Problem]:
    """Each study window and the block bounds must parse (`domain.windows`)."""
    from mldsplan.domain.windows import WindowError, parse_blocks, parse_window

    found = []
    for i, text in enumerate(progress.windows):
        try:
            parse_window(text)
        except WindowError as exc:
            found.append(
                Problem(
                    f"windows[{i}]",
                    str(exc),
                    argument="windows",
                    where=f"study window {i + 1}",
                    hint='a window is DAYS HH:MM-HH:MM, e.g. "mon-fri 19:00-22:00"',
                )
            )
    if progress.blocks is not None:
        try:
            parse_blocks(progress.blocks)
        except WindowError as exc:
            found.append(Problem("blocks", str(exc), argument="blocks", where="the block length"))
    return found


class _Entered:
    """Which values a command entered: those that differ from the record it changed
    (nothing, without one)."""

    def __init__(self, before: Progress | None) -> None:
        self.before = before
        self._log: set[tuple[date, float, str | None, str | None]] | None = None

    def completion(self, code: str, value: object) -> bool:
        return self.before is not None and self.before.completions.get(code) != value

    def attempt(self, code: str, value: object) -> bool:
        return self.before is not None and value not in self.before.failed_attempts.get(code, ())

    def timer(self, value: object) -> bool:
        return self.before is not None and self.before.timer != value

    def log_entry(self, e: LogEntry) -> bool:
        if self.before is None:
            return False
        if self._log is None:  # by value: a new entry has no id until it is written
            self._log = {(x.on, x.hours, x.module, x.note) for x in self.before.log}
        return (e.on, e.hours, e.module, e.note) not in self._log


def future_values(progress: Progress, today: date, now: datetime | None = None) -> list[str]:
    """What the record holds dated after `today`, entered on a computer whose clock was
    ahead: fine to read and to change, said by `check` as notes."""
    after = f"after today ({today}): entered on a computer whose clock is ahead?"
    notes = [
        f"{code}'s completion date {c.on} is {after}"
        for code, c in progress.completions.items()
        if c.on > today
    ]
    notes += [
        f"{code}'s failed attempt of {a.on} is {after}"
        for code, tries in progress.failed_attempts.items()
        for a in tries
        if a.on > today
    ]
    later = sorted({e.on for e in progress.log if e.on > today})
    if later:
        days = ", ".join(str(d) for d in later[:3]) + (", ..." if len(later) > 3 else "")
        notes.append(f"the study log holds entries of {days}, {after}")
    t = progress.timer
    latest = now or datetime.combine(today + timedelta(days=2), time(), UTC)
    if t is not None and t.started_at > latest:
        notes.append(f"the running timer started at {t.started_at.isoformat()}, {after}")
    return notes


def _completion_problems(
    progress: Progress, programme: Programme, codes: set[str], today: date, new: _Entered
) -> list[Problem]:
    problems = []
    pass_mark = programme.classification.pass_mark
    planned = {p.module.code: p for p in schedule(programme, progress)}
    for code, done in progress.completions.items():
        where = f"completions.{code}"
        if code not in codes:
            problems.append(
                Problem(
                    where,
                    f"unknown module '{code}'",
                    argument="codes",
                    where=f"the completion of '{code}'",
                )
            )
            continue
        dated = f"{code}'s completion date"
        if done.mark is not None and done.mark < pass_mark:
            problems.append(
                Problem(
                    f"{where}.mark",
                    f"{shown(done.mark, pass_mark)} is below the pass mark {pass_mark:g};"
                    " a completion is a pass",
                    argument="mark",
                    hint="a resit counts once it is passed; its counted mark is then capped",
                    reason="below_pass",
                    where=f"{code}'s mark",
                )
            )
        if not _in_years(done.on):
            problems.append(
                Problem(
                    f"{where}.on",
                    f"{done.on} is outside the years {FIRST_YEAR}-{LAST_YEAR}",
                    "on",
                    where=dated,
                )
            )
        elif done.on > today and new.completion(code, done):
            problems.append(
                Problem(
                    f"{where}.on",
                    f"{done.on} is in the future (today is {today})",
                    "on",
                    where=dated,
                )
            )
        if early := _before_its_term(programme, progress, planned[code], done.on):
            problems.append(
                Problem(
                    f"{where}.on",
                    early,
                    "on",
                    where=dated,
                )
            )
    return problems


def _deferral_problems(progress: Progress, programme: Programme, codes: set[str]) -> list[Problem]:
    problems = []
    for code, years in progress.deferrals.items():
        where, place = f"deferrals.{code}", f"the deferral of '{code}'"
        if code not in codes:
            problems.append(Problem(where, f"unknown module '{code}'", "codes", where=place))
        elif code in progress.completions:
            completed = f"{code} is completed; a completed module cannot be deferred"
            problems.append(Problem(where, completed, "codes", where=place))
        elif years % (every := programme.module(code).runs_every_years):
            problems.append(
                Problem(
                    where,
                    f"{code} runs every {every} years; defer it by a multiple",
                    "years",
                    where=place,
                )
            )
    return problems


def _timer_problems(
    t: Timer, codes: set[str], today: date, now: datetime | None, new: _Entered
) -> list[Problem]:
    problems = []
    if t.module is not None and t.module not in codes:
        unknown = f"unknown module '{t.module}'"
        problems.append(Problem("timer.module", unknown, "module", where="the timer's module"))
    # UTC offsets are less than a day, so `today` has ended everywhere 2 days after its UTC start.
    latest = now if now is not None else datetime.combine(today + timedelta(days=2), time(), UTC)
    started = t.started_at.isoformat()
    field, where = "timer.started_at", "the running timer's start"
    if not whole_minute_offset(t.started_at):
        seconds = f"{started} has a UTC offset with seconds"
        problems.append(Problem(field, seconds, "at", where=where))
    elif not _in_years(t.started_at.date()):
        problems.append(Problem(field, f"{started} is out of range", "at", where=where))
    elif t.started_at > latest and new.timer(t):
        it_is = f" (it is {now.isoformat(timespec='minutes')})" if now is not None else ""
        future = f"{started} is in the future{it_is}"
        problems.append(Problem(field, future, "at", where=where))
    return problems


def _term_date_problems(progress: Progress, programme: Programme) -> list[Problem]:
    problems = []
    keys = set()
    for key, d in sorted(progress.term_dates.items()):
        field = f"term_dates.{key}"
        year, term = parse_term_key(key)
        where = f"your dates for year {year} term {term}"
        if term > programme.terms_per_year:
            no_term = f"no year {year} term {term} in this programme"
            problems.append(Problem(field, no_term, "term", where=where))
            continue
        keys.add((year, term))
        if not (_in_years(d.start) and _in_years(d.end)):
            outside = f"dates outside the years {FIRST_YEAR}-{LAST_YEAR}"
            problems.append(Problem(field, outside, "from", where=where))
        elif d.end < d.start:
            backwards = f"ends ({d.end}) before it starts ({d.start})"
            problems.append(Problem(field, backwards, "to", where=where))
    # Set dates must keep the terms in order: each ends before the next one starts. An
    # assumed neighbour gives way to the student's own dates (`terms.window`), but it
    # cannot give way to nothing, and the student's own dates never give way.
    if not problems and keys:
        years = max(y for y, _ in keys)
        ordered = [
            w
            for y in range(1, years + 2)
            for t in range(1, programme.terms_per_year + 1)
            if (w := window(programme, progress, y, t)) is not None
        ]
        for w in ordered:
            if w.end < w.start and (was := assumed_window(programme, progress, w.year, w.term)):
                own = [
                    _term_text(n)
                    for step in (-1, 1)
                    if (place := neighbour(programme, w.year, w.term, step))
                    and (n := window(programme, progress, *place)) is not None
                    and n.source == "student"
                ]
                problems.append(
                    Problem(
                        "term_dates",
                        f"{' and '.join(own)} leave{'s' * (len(own) == 1)} no room for"
                        f" year {w.year} term {w.term}"
                        f" (assumed {was.start} to {was.end}); set its dates too, or move yours",
                        where=f"the dates of year {w.year} term {w.term}",
                        reason="term_squeezed",
                    )
                )
        kept = [w for w in ordered if w.start <= w.end]
        for before, after in itertools.pairwise(kept):
            if "student" in (before.source, after.source) and before.end >= after.start:
                problems.append(
                    Problem(
                        "term_dates",
                        f"{_term_text(before)} overlaps or is not before {_term_text(after)}",
                        where=f"the dates of year {before.year} term {before.term}",
                    )
                )
    return problems


def _term_text(w: TermWindow) -> str:
    """`year 1 term 2 (your dates 2027-01-10 to 2027-04-30)`, or `(assumed ...)`."""
    whose = "your dates" if w.source == "student" else "assumed"
    return f"year {w.year} term {w.term} ({whose} {w.start} to {w.end})"


def _assessment_problems(progress: Progress, codes: set[str]) -> list[Problem]:
    problems = []
    for code, items in progress.assessments.items():
        if code not in codes:
            unknown = f"unknown module '{code}'"
            where = f"the assessments of '{code}'"
            problems.append(Problem(f"assessments.{code}", unknown, "code", where=where))
        names = [name_key(a.name) for a in items]
        ids = [a.id for a in items]
        for i, a in enumerate(items):
            place = f"{code}'s assessment '{a.name}'"
            if ids.index(a.id) < i:
                problems.append(
                    Problem(
                        f"assessments.{code}[{i}].id",
                        f"'{a.id}' is used twice in {code}",
                        where=f"the id of {place}",
                    )
                )
            if names.index(names[i]) < i:
                first = items[names.index(names[i])].name
                problems.append(
                    Problem(
                        f"assessments.{code}[{i}].name",
                        f"{code} already has an assessment '{first}'",
                        "name",
                        where=place,
                    )
                )
            if a.due is not None and not _in_years(a.due):
                problems.append(
                    Problem(
                        f"assessments.{code}[{i}].due",
                        f"{a.due} is out of range",
                        "due",
                        where=f"the due date of {place}",
                    )
                )
        total = sum(a.weight for a in items)
        if total > MAX_MARK + EPSILON:
            problems.append(
                Problem(
                    f"assessments.{code}",
                    f"{code}'s weights add up to {shown(total, MAX_MARK)}%, more than"
                    f" {MAX_MARK:g}% ({', '.join(f'{a.name} {a.weight:g}' for a in items)})",
                    "weight",
                    where=f"the weights of {code}'s assessments",
                )
            )
    return problems


def _before_its_term(programme: Programme, progress: Progress, p: Planned, day: date) -> str | None:
    """Why `day` is too early for a module's result: before its planned term starts."""
    term = window(programme, progress, p.year, p.term)
    if term is not None and day < term.start:
        return f"{day} is before its term (year {p.year} term {p.term}) starts on {term.start}"
    return None


def _failure_problems(
    progress: Progress, programme: Programme, codes: set[str], today: date, new: _Entered
) -> list[Problem]:
    problems = []
    pass_mark = programme.classification.pass_mark
    allowed = programme.classification.attempts
    planned = {p.module.code: p for p in schedule(programme, progress)}
    for code, tries in progress.failed_attempts.items():
        if code not in codes:
            unknown = f"unknown module '{code}'"
            where = f"the failed attempts of '{code}'"
            problems.append(Problem(f"failed_attempts.{code}", unknown, "code", where=where))
            continue
        passed = progress.completions.get(code)
        if len(tries) + (passed is not None) > allowed:
            said = [f"failed {t.mark:g} on {t.on}" for t in tries]
            said += [f"passed on {passed.on}"] if passed else []
            problems.append(
                Problem(
                    f"failed_attempts.{code}",
                    f"{code} allows {allowed} attempt{'s' * (allowed != 1)}, and"
                    f" {len(said)} are recorded ({', '.join(said)})",
                    reason="no_attempts_left",
                    where=f"the attempts at {code}",
                )
            )
        if passed is not None and (late := [t for t in tries if t.on > passed.on]):
            problems.append(
                Problem(
                    f"failed_attempts.{code}",
                    f"{code} was passed on {passed.on}, before its failed attempt of"
                    f" {late[0].on}; a failed attempt comes before the pass",
                    "on",
                    where=f"the attempts at {code}",
                )
            )
        for i, attempt in enumerate(tries):
            field, where = (
                f"failed_attempts.{code}[{i}]",
                f"{code}'s failed attempt of {attempt.on}",
            )
            if attempt.mark >= pass_mark:
                problems.append(
                    Problem(
                        f"{field}.mark",
                        f"{shown(attempt.mark, pass_mark)} is not below the pass mark"
                        f" {pass_mark:g}; a failed attempt's mark is below it",
                        "mark",
                        where=f"the mark of {where}",
                    )
                )
            if attempt.on > today:
                if new.attempt(code, attempt):
                    future = f"{attempt.on} is in the future (today is {today})"
                    problems.append(Problem(f"{field}.on", future, "on", where=where))
            elif not _in_years(attempt.on):
                out = f"{attempt.on} is out of range"
                problems.append(Problem(f"{field}.on", out, "on", where=where))
            elif early := _before_its_term(programme, progress, planned[code], attempt.on):
                problems.append(Problem(f"{field}.on", early, "on", where=where))
    return problems


def _log_problems(
    progress: Progress, codes: set[str], start: date | None, today: date, new: _Entered
) -> list[Problem]:
    log = progress.log
    if not log:
        return []
    problems = []
    earliest = add_months(start, -LOG_BEFORE_START_MONTHS) if start else date.min
    days = [e.on for e in log]
    # A log may hold tens of thousands of entries: look at each only when a cheap test fails.
    if {e.module for e in log} - codes - {None}:
        problems += [
            Problem(
                f"log[{i}].module",
                f"unknown module '{e.module}'",
                "module",
                where=f"the module of the log entry of {e.on}",
            )
            for i, e in enumerate(log)
            if e.module is not None and e.module not in codes
        ]
    if max(days) > today:
        problems += [
            Problem(
                f"log[{i}].on",
                f"{d} is in the future (today is {today})",
                "on",
                where=f"the log entry of {d}",
            )
            for i, (d, e) in enumerate(zip(days, log, strict=True))
            if d > today and new.log_entry(e)
        ]
    if min(days) < earliest:
        problems += [
            Problem(
                f"log[{i}].on",
                f"{d} is more than {LOG_BEFORE_START_MONTHS} months"
                f" before the cohort start {progress.start}",
                "on",
                where=f"the log entry of {d}",
            )
            for i, d in enumerate(days)
            if d < earliest
        ]
    totals: dict[date, float] = {}
    for entry in log:
        totals[entry.on] = totals.get(entry.on, 0.0) + entry.hours
    problems += [
        Problem(
            "log",
            f"{day} adds up to {shown(total, MAX_DAY_HOURS)} h logged, more than {MAX_DAY_HOURS:g}",
            reason="day_full",
            where=f"the log of {day}",
        )
        for day, total in totals.items()
        if total > MAX_DAY_HOURS + EPSILON
    ]
    return problems


def _opening_problems(progress: Progress, codes: set[str]) -> list[Problem]:
    """Hours studied before tracking count in a module's hours still to do: the module
    must be one of the programme's."""
    return [
        Problem(
            f"opening[{i}].module",
            f"unknown module '{o.module}'",
            "module",
            where=f"the module of the {o.hours:g} h studied before tracking",
        )
        for i, o in enumerate(progress.opening)
        if o.module not in codes
    ]


def term_from_key(text: str, programme: Programme) -> tuple[int, int]:
    """`Y.T` as (year, term); ValueError when it names no term of this programme."""
    parts = text.strip().split(".")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"'{text}' is not a term as YEAR.TERM, for example 1.2")
    year, term = int(parts[0]), int(parts[1])
    if not (1 <= term <= programme.terms_per_year and 1 <= year <= 9):
        raise ValueError(f"'{text}': no year {year} term {term} in this programme")
    return year, term


__all__ = ["Problem", "record_problems", "term_from_key", "term_key"]
