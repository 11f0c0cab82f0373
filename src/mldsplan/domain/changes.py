"""The changes a command makes to the student's record.

Every change is a pure function from one `Progress` to the next. It checks
only what the record cannot hold at all (a value outside its field's limits,
a module or an assessment that is not there) and raises `InputError` (naming
the value, never a flag). Every rule about the record as a whole (the pass
mark, dates in the future, 24 h a day, weights up to 100, ...) is in
`domain.rules`, once: the store runs it on the record a change builds.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from mldsplan.domain.constraints import (
    MAX_NAME,
    Hours,
    Mark,
    Weight,
    Years,
    limit_problem,
    name_key,
    settled,
    text_problem,
)
from mldsplan.domain.dates import DateError, parse_month
from mldsplan.domain.errors import InputError
from mldsplan.domain.progress import (
    MAX_DAY_HOURS,
    MAX_OPENING_HOURS,
    MIN_HOURS,
    Assessment,
    Attempt,
    Completion,
    LogEntry,
    NoteError,
    Opening,
    Progress,
    TermDates,
    Timer,
    check_hours,
    check_note,
)
from mldsplan.domain.standings import is_resit
from mldsplan.domain.terms import term_key


def note_or_none(note: str | None, argument: str = "note") -> str | None:
    if note is None:
        return None
    try:
        return check_note(note) or None
    except NoteError as exc:
        raise InputError(str(exc), argument=argument) from None


def within(value: float, field: Any, argument: str) -> float:
    """`value`, refused unless it is inside the limits of the file's `field` (-0 is 0)."""
    problem = limit_problem(value, field)
    if problem is not None:
        raise InputError(problem, argument=argument)
    return abs(value) if value == 0 else value


def check_weekly_hours(hours: float) -> float:
    return within(hours, Hours, "weekly_hours")


def set_settings(progress: Progress, start: str | None, weekly_hours: float | None) -> Progress:
    changes: dict[str, Any] = {}
    if start is not None:
        try:
            parse_month(start)
        except DateError as exc:
            raise InputError(str(exc), hint="for example 2025-10", argument="start") from None
        changes["start"] = start.strip()
    if weekly_hours is not None:
        changes["weekly_hours"] = check_weekly_hours(weekly_hours)
    return replace(progress, **changes)


def check_percent(mark: float, argument: str = "mark") -> float:
    """A mark is 0-100, exactly as the file's limit has it."""
    return within(mark, Mark, argument)


def complete(
    progress: Progress,
    codes: list[str],
    today: date,
    on: date | None = None,
    mark: float | None = None,
    resit: bool = False,
) -> Progress:
    """Record `codes` as passed. Re-completing updates only what was given.

    Without `mark`, a module whose assessments are all marked gets its module mark.
    """
    from mldsplan.domain.assessments import module_mark

    if mark is not None:
        mark = check_percent(mark)
        if len(codes) > 1:
            raise InputError("give one module at a time when recording a mark", argument="mark")
    completions = dict(progress.completions)
    for code in codes:
        given = mark
        old = completions.get(code)
        if given is None and (old is None or old.mark is None):
            given = module_mark(progress.assessments.get(code, ()))
            if given is not None:
                given = settled(given)
        if old is None:
            failed_before = code in progress.failed_attempts
            completions[code] = Completion(
                on=on or today, mark=given, resit=is_resit(resit, failed_before)
            )
        else:
            completions[code] = Completion(
                on=on or old.on,
                mark=old.mark if given is None else given,
                resit=old.resit or resit,
            )
    return replace(progress, completions=completions)


def uncomplete(progress: Progress, codes: list[str]) -> Progress:
    missing = [c for c in codes if c not in progress.completions]
    if missing:
        raise InputError(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not completed",
            argument="codes",
            reason="not_completed",
        )
    completions = {c: v for c, v in progress.completions.items() if c not in codes}
    return replace(progress, completions=completions)


def fail(progress: Progress, code: str, on: date, mark: float | None) -> Progress:
    """Record a failed attempt at `code` on `on`. Without `mark`, the module mark of its
    assessments (all marked, weights totalling 100)."""
    from mldsplan.domain.assessments import module_mark

    if mark is None:
        from_assessments = module_mark(progress.assessments.get(code, ()))
        if from_assessments is None:
            raise InputError(
                f"{code} has no module mark yet: its assessments are not all marked"
                " or do not weigh 100% in all",
                argument="mark",
                reason="no_module_mark",
                details={"code": code},
            )
        mark = settled(from_assessments)
    mark = check_percent(mark)
    tries = sorted(
        (*progress.failed_attempts.get(code, ()), Attempt(on=on, mark=mark)), key=lambda t: t.on
    )
    return replace(progress, failed_attempts={**progress.failed_attempts, code: tuple(tries)})


def unfail(progress: Progress, code: str) -> Progress:
    """Remove the latest failed attempt at `code` (one recorded by mistake)."""
    tries = progress.failed_attempts.get(code, ())
    if not tries:
        raise InputError(f"{code} has no failed attempt", argument="code", reason="not_failed")
    failed = {**progress.failed_attempts, code: tries[:-1]}
    return replace(progress, failed_attempts={c: t for c, t in failed.items() if t})


def set_mark(progress: Progress, code: str, mark: float, resit: bool | None) -> Progress:
    """Set or correct the mark of a completed module."""
    mark = check_percent(mark)
    old = progress.completions.get(code)
    if old is None:
        raise InputError(
            f"{code} is not completed yet",
            argument="code",
            reason="mark_not_completed",
            details={"code": code, "mark": mark},
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
    try:
        check_hours(hours)
    except ValueError as exc:
        # More than a day may be the hours studied before tracking began (`add_opening`).
        over = "over_a_day" if hours > MAX_DAY_HOURS else None
        raise InputError(
            str(exc), argument="hours", reason=over, details={"hours": hours}
        ) from None
    entry = LogEntry(on=on, hours=hours, module=module, note=note_or_none(note))
    return add_entries(progress, [entry])


def add_entries(progress: Progress, entries: list[LogEntry]) -> Progress:
    """Append study-log entries (`rules` keeps each day's total at most 24 h)."""
    return replace(progress, log=(*progress.log, *entries))


def _file_index(progress: Progress, position: int | None, argument: str) -> int:
    """Where entry `position` (1-based, in the file) is; the last one appended without one.
    The commands number entries as the listing does (`studytime.log_position`)."""
    if not progress.log:
        raise InputError(f"the study log is empty: there is nothing to {_VERB[argument]}")
    if position is None:
        return len(progress.log) - 1
    if not 1 <= position <= len(progress.log):
        raise InputError(
            f"no entry {position}; the log has 1 to {len(progress.log)}", argument=argument
        )
    return position - 1


_VERB = {"remove": "remove", "edit": "change"}


def add_opening(progress: Progress, hours: float, module: str, note: str | None = None) -> Progress:
    """Record hours studied on `module` before tracking began (`log --opening`): no date,
    so no day's limit; they count in the module's hours still to do, never in pace."""
    if not MIN_HOURS <= hours <= MAX_OPENING_HOURS:
        raise InputError(
            f"{hours:g} must be at least {MIN_HOURS:g} and at most {MAX_OPENING_HOURS:,.0f}",
            argument="hours",
        )
    entry = Opening(module=module, hours=hours, note=note_or_none(note))
    return replace(progress, opening=(*progress.opening, entry))


def log_size(progress: Progress) -> int:
    """How many entries the log listing numbers: the dated ones, then the opening ones."""
    return len(progress.log) + len(progress.opening)


def last_logged(progress: Progress) -> int:
    """The number `log --undo` removes: the last dated entry, or with none the last
    opening entry (an opening entry is otherwise removed by its number)."""
    return len(progress.log) or len(progress.opening)


def numbered(progress: Progress, number: int) -> LogEntry | Opening:
    """Entry `number` of the log listing (1-based): the dated entries in the file's order,
    then the opening ones (hours studied before tracking)."""
    if number <= len(progress.log):
        return progress.log[number - 1]
    return progress.opening[number - len(progress.log) - 1]


def remove_log(progress: Progress, position: int | None) -> Progress:
    """Remove the entry at `position` (1-based: the dated entries in the file's order,
    then the opening ones), or the last one logged."""
    size = log_size(progress)
    if not size:
        raise InputError("the study log is empty: there is nothing to remove")
    index = last_logged(progress) if position is None else position
    if not 1 <= index <= size:
        raise InputError(f"no entry {position}; the log has 1 to {size}", argument="remove")
    if index > len(progress.log):
        gone = index - len(progress.log)
        opening = tuple(o for i, o in enumerate(progress.opening, start=1) if i != gone)
        return replace(progress, opening=opening)
    log = tuple(e for i, e in enumerate(progress.log, start=1) if i != index)
    return replace(progress, log=log)


KEEP: Any = object()  # `edit_log`: this part of the entry stays as it is


def edit_log(
    progress: Progress,
    position: int,
    *,
    hours: float | None = None,
    on: date | None = None,
    module: str | None = KEEP,
    note: str | None = KEEP,
) -> Progress:
    """Change the entry at `position` (1-based, in the file) in place: the same entry (its
    place and its identity kept), with the parts given; None clears the module or the
    note. The rules judge the record it makes (24 h a day, no future date)."""
    index = _file_index(progress, position, "edit")
    if hours is not None:
        try:
            check_hours(hours)
        except ValueError as exc:
            raise InputError(str(exc), argument="hours") from None
    old = progress.log[index]
    parts: dict[str, Any] = {}
    if hours is not None:
        parts["hours"] = hours
    if on is not None:
        parts["on"] = on
    if module is not KEEP:
        parts["module"] = module
    if note is not KEEP:
        parts["note"] = note_or_none(note)
    if not parts:
        raise InputError(
            "nothing to change: give the entry's new hours, date, module or note",
            argument="edit",
        )
    log = list(progress.log)
    log[index] = old._replace(**parts)
    return replace(progress, log=tuple(log))


def defer(progress: Progress, codes: list[str], years: int) -> Progress:
    """Take `codes` `years` later than they are now planned."""
    within(years, Years, "years")
    deferrals = dict(progress.deferrals)
    for code in codes:
        total = deferrals.get(code, 0) + years
        if (problem := limit_problem(total, Years)) is not None:
            raise InputError(f"{code} would move {total} years in all: {problem}", argument="years")
        deferrals[code] = total
    return replace(progress, deferrals=deferrals)


def undefer(progress: Progress, codes: list[str]) -> Progress:
    missing = [c for c in codes if c not in progress.deferrals]
    if missing:
        raise InputError(f"{', '.join(missing)} is not deferred", argument="codes")
    deferrals = {c: y for c, y in progress.deferrals.items() if c not in codes}
    return replace(progress, deferrals=deferrals)


# --- the student's term dates ----------------------------------------------


def set_term_dates(progress: Progress, year: int, term: int, start: date, end: date) -> Progress:
    dates = {**progress.term_dates, term_key(year, term): TermDates(start=start, end=end)}
    return replace(progress, term_dates=dates)


def reset_term_dates(progress: Progress, key: str | None) -> Progress:
    if key is None:
        return replace(progress, term_dates={})
    if key not in progress.term_dates:
        raise InputError(f"{key} has no dates of your own", argument="term")
    return replace(progress, term_dates={k: v for k, v in progress.term_dates.items() if k != key})


# --- assessments -----------------------------------------------------------


def find_assessment(items: tuple[Assessment, ...], code: str, name: str) -> int:
    """Where the assessment `name` is: its name in any case and normal form, or, as module
    codes are typed, a unique beginning of it ("cw" for "CW1" alone)."""
    wanted = name_key(name)
    keys = [name_key(a.name) for a in items]
    if wanted in keys:
        return keys.index(wanted)
    starting = [i for i, key in enumerate(keys) if wanted and key.startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise InputError(
            f"'{name}' begins several assessments of {code}:"
            f" {', '.join(items[i].name for i in starting)}",
            hint="type more of the name",
            argument="name",
        )
    known = ", ".join(a.name for a in items) or "none yet"
    raise InputError(
        f"{code} has no assessment '{name}' (it has: {known})",
        argument="name",
        reason="no_assessment",
        details={"code": code},
    )


def _check_name(name: str, argument: str = "name") -> str:
    name = name.strip()
    problem = text_problem(name, MAX_NAME)
    if problem is not None:
        raise InputError(f"'{name}' {problem}", argument=argument)
    return name


def add_assessment(
    progress: Progress, code: str, name: str, weight: float, due: date | None
) -> Progress:
    name = _check_name(name)
    items = list(progress.assessments.get(code, ()))
    items.append(Assessment(name=name, weight=within(weight, Weight, "weight"), due=due))
    return replace(progress, assessments={**progress.assessments, code: tuple(items)})


def mark_assessment(progress: Progress, code: str, name: str, mark: float | None) -> Progress:
    if mark is not None:
        mark = check_percent(mark)
    items = list(progress.assessments.get(code, ()))
    i = find_assessment(tuple(items), code, name)
    items[i] = replace(items[i], mark=mark)
    return replace(progress, assessments={**progress.assessments, code: tuple(items)})


def edit_assessment(
    progress: Progress,
    code: str,
    name: str,
    new_name: str | None = None,
    weight: float | None = None,
    due: date | None = None,
    clear_due: bool = False,
) -> Progress:
    items = list(progress.assessments.get(code, ()))
    i = find_assessment(tuple(items), code, name)
    changed = items[i]
    if new_name is not None:
        changed = replace(changed, name=_check_name(new_name, argument="new_name"))
    if weight is not None:
        changed = replace(changed, weight=within(weight, Weight, "weight"))
    if due is not None or clear_due:
        changed = replace(changed, due=due)
    items[i] = changed
    return replace(progress, assessments={**progress.assessments, code: tuple(items)})


def remove_assessment(progress: Progress, code: str, name: str) -> Progress:
    items = list(progress.assessments.get(code, ()))
    del items[find_assessment(tuple(items), code, name)]
    assessments = {**progress.assessments, code: tuple(items)}
    if not items:
        del assessments[code]
    return replace(progress, assessments=assessments)


# --- the study timer -------------------------------------------------------


def start_timer(progress: Progress, at: datetime, module: str | None, note: str | None) -> Progress:
    if progress.timer is not None:
        running = progress.timer
        raise InputError(
            f"a timer is already running{f' for {running.module}' if running.module else ''}"
            f" since {running.started_at:%Y-%m-%d %H:%M}",
            reason="timer_running",
        )
    return replace(progress, timer=Timer(started_at=at, module=module, note=note_or_none(note)))


def cancel_timer(progress: Progress) -> Progress:
    if progress.timer is None:
        raise InputError("no timer is running", reason="no_timer")
    return replace(progress, timer=None)
