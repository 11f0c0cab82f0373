"""What changed between two versions of the record, in words (what `undo` says it undoes).

`difference(before, after)` says what a change from `before` to `after` did, as a
student would say it: "completed eda (mark 64)", "logged 2 h on 2026-11-24". Every
field of the record is compared but its revision, which every write changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import (
    Assessment,
    Attempt,
    Completion,
    LogEntry,
    Opening,
    Progress,
    Timer,
)
from mldsplan.domain.results import Result

MAX_PHRASES = 6  # more than this and the last ones are counted: "and 5 more changes"
MAX_LISTED = 3  # more completions or log entries than this are counted, not listed

K = TypeVar("K")
V = TypeVar("V")


def difference(before: Progress, after: Progress, limit: int = MAX_PHRASES) -> list[str]:
    """What the change from `before` to `after` did, in at most `limit` short phrases
    (the last then counting the rest); empty when only the revision differs."""
    phrases = [
        *_settings(before, after),
        *_completions(before.completions, after.completions),
        *_deferrals(before.deferrals, after.deferrals),
        *_term_dates(before, after),
        *_assessments(before.assessments, after.assessments),
        *_failed_attempts(before.failed_attempts, after.failed_attempts),
        *_timer(before.timer, after.timer, logged=len(after.log) > len(before.log)),
        *_log(before.log, after.log),
        *_opening(before.opening, after.opening),
    ]
    if len(phrases) > limit:
        rest = len(phrases) - (limit - 1)
        phrases = [*phrases[: limit - 1], f"and {rest} more changes"]
    return phrases


def _number(value: float) -> str:
    return hours_text(value)  # the one number format: two decimals at most, half up


def _hours(value: float) -> str:
    return f"{_number(value)} h"


def _changed(what: str, old: object, new: object) -> str:
    if old is None:
        return f"set {what} to {new}"
    if new is None:
        return f"cleared {what} (was {old})"
    return f"{what} {old} -> {new}"


def _keys(before: Mapping[K, V], after: Mapping[K, V]) -> tuple[list[K], list[K], list[K]]:
    """The keys only in `after`, only in `before`, and in both with another value."""
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    changed = [k for k in after if k in before and before[k] != after[k]]
    return added, removed, changed


def _settings(before: Progress, after: Progress) -> list[str]:
    said = []
    if before.start != after.start:
        said.append(_changed("the start", before.start, after.start))
    if before.weekly_hours != after.weekly_hours:
        old, new = before.weekly_hours, after.weekly_hours
        said.append(
            _changed(
                "weekly hours",
                None if old is None else _number(old),
                None if new is None else _number(new),
            )
        )
    if before.windows != after.windows:
        old_w, new_w = ", ".join(before.windows) or None, ", ".join(after.windows) or None
        said.append(_changed("the study windows", old_w, new_w))
    if before.blocks != after.blocks:
        said.append(_changed("the block length (minutes)", before.blocks, after.blocks))
    if before.remind_days != after.remind_days:
        old_d, new_d = (
            None if d is None else ", ".join(map(str, d))
            for d in (before.remind_days, after.remind_days)
        )
        said.append(_changed("the reminder days", old_d, new_d))
    if before.remind_timer_hours != after.remind_timer_hours:
        old_h, new_h = (
            None if h is None else _hours(h)
            for h in (before.remind_timer_hours, after.remind_timer_hours)
        )
        said.append(_changed("the timer reminder", old_h, new_h))
    return said


def _completion(completion: Completion) -> str:
    if completion.mark is None:
        return " (resit)" if completion.resit else ""
    return f" (mark {_number(completion.mark)}{', resit' if completion.resit else ''})"


def _completions(before: dict[str, Completion], after: dict[str, Completion]) -> list[str]:
    added, removed, changed = _keys(before, after)
    said = []
    if len(added) > MAX_LISTED:
        said.append(f"completed {len(added)} modules ({', '.join(added)})")
    else:
        said += [f"completed {code}{_completion(after[code])}" for code in added]
    if len(removed) > MAX_LISTED:
        said.append(f"removed {len(removed)} completions ({', '.join(removed)})")
    else:
        said += [f"removed the completion of {code}" for code in removed]
    for code in changed:
        old, new = before[code], after[code]
        parts = []
        if old.mark != new.mark:
            parts.append(
                _changed(
                    "mark",
                    None if old.mark is None else _number(old.mark),
                    None if new.mark is None else _number(new.mark),
                )
            )
        if old.on != new.on:
            parts.append(f"completed on {old.on} -> {new.on}")
        if old.resit != new.resit:
            parts.append("a resit" if new.resit else "no longer a resit")
        said.append(f"{code}: {', '.join(parts)}")
    return said


def _years(n: int) -> str:
    return f"{n} year{'s' * (n != 1)}"


def _deferrals(before: dict[str, int], after: dict[str, int]) -> list[str]:
    added, removed, changed = _keys(before, after)
    return [
        *(f"deferred {code} by {_years(after[code])}" for code in added),
        *(f"took back the deferral of {code}" for code in removed),
        *(f"deferred {code} by {_years(after[code])} (was {before[code]})" for code in changed),
    ]


def _term_dates(before: Progress, after: Progress) -> list[str]:
    old, new = before.term_dates, after.term_dates
    added, removed, changed = _keys(old, new)
    return [
        *(f"term {key}: {new[key].start} to {new[key].end} (your own dates)" for key in added),
        *(f"term {key}: back to the programme's dates" for key in removed),
        *(
            f"term {key}: {new[key].start} to {new[key].end}"
            f" (was {old[key].start} to {old[key].end})"
            for key in changed
        ),
    ]


def _assessment(item: Assessment) -> str:
    due = f", due {item.due}" if item.due else ""
    mark = f", mark {_number(item.mark)}" if item.mark is not None else ""
    return f"'{item.name}' ({_number(item.weight)}%{due}{mark})"


def assessment_change(old: Assessment, new: Assessment) -> list[str]:
    """What changed in one assessment (the same by its id), in words."""
    parts = []
    if old.name != new.name:
        parts.append(f"renamed to '{new.name}'")
    if old.weight != new.weight:
        parts.append(f"weight {_number(old.weight)}% -> {_number(new.weight)}%")
    if old.due != new.due:
        parts.append(_changed("due", old.due, new.due))
    if old.mark != new.mark:
        if old.mark is None and new.mark is not None:
            parts.append(f"marked {_number(new.mark)}")
        else:
            parts.append(
                _changed(
                    "mark",
                    None if old.mark is None else _number(old.mark),
                    None if new.mark is None else _number(new.mark),
                )
            )
    return parts


def _assessments(
    before: dict[str, tuple[Assessment, ...]], after: dict[str, tuple[Assessment, ...]]
) -> list[str]:
    said = []
    for code in [*after, *(c for c in before if c not in after)]:
        old = {a.id: a for a in before.get(code, ())}
        new = {a.id: a for a in after.get(code, ())}
        added, removed, changed = _keys(old, new)
        said += [f"{code}: added {_assessment(new[i])}" for i in added]
        said += [f"{code}: removed '{old[i].name}'" for i in removed]
        for i in changed:
            parts = assessment_change(old[i], new[i])
            if parts:  # not only moved within the module's list
                said.append(f"{code}: '{old[i].name}' {', '.join(parts)}")
    return said


def _attempt(code: str, attempt: Attempt) -> str:
    return f"a failed attempt at {code} (mark {_number(attempt.mark)} on {attempt.on})"


def _failed_attempts(
    before: dict[str, tuple[Attempt, ...]], after: dict[str, tuple[Attempt, ...]]
) -> list[str]:
    said = []
    for code in [*after, *(c for c in before if c not in after)]:
        added, removed = _multiset_difference(before.get(code, ()), after.get(code, ()))
        said += [f"recorded {_attempt(code, a)}" for a in added]
        said += [f"removed {_attempt(code, a)}" for a in removed]
    return said


def _timer_text(timer: Timer, when: str) -> str:
    module = f"for {timer.module}" if timer.module else "without a module"
    return f"the timer {module} {when} {timer.started_at:%Y-%m-%d %H:%M}"


def _timer(before: Timer | None, after: Timer | None, logged: bool) -> list[str]:
    if before == after:
        return []
    if (
        before is not None
        and after is not None
        and (before.started_at, before.module) == (after.started_at, after.module)
    ):  # only its note differs
        return [f"changed the note of {_timer_text(after, 'started')}"]
    said = []
    if before is not None:
        # A timer that went with log entries added was stopped; without, cancelled.
        said.append(f"{'stopped' if logged else 'cancelled'} {_timer_text(before, 'started')}")
    if after is not None:
        said.append(f"started {_timer_text(after, 'at')}")
    return said


def _multiset_difference(before: Iterable[V], after: Iterable[V]) -> tuple[list[V], list[V]]:
    """What `after` holds more of than `before`, and what less, each in its order."""
    old, new = Counter(before), Counter(after)
    added, removed = new - old, old - new
    return list(added.elements()), list(removed.elements())


def _entry(entry: LogEntry) -> str:
    module = f" for {entry.module}" if entry.module else ""
    return f"{_hours(entry.hours)} on {entry.on}{module}"


def _span(entries: list[LogEntry]) -> str:
    days: list[date] = sorted({e.on for e in entries})
    when = f"on {days[0]}" if len(days) == 1 else f"from {days[0]} to {days[-1]}"
    return f"{len(entries)} entries ({_hours(sum(e.hours for e in entries))} {when})"


def _log(before: tuple[LogEntry, ...], after: tuple[LogEntry, ...]) -> list[str]:
    if before == after:
        return []
    added, removed = _multiset_difference(before, after)
    said = []
    if len(added) > MAX_LISTED:
        said.append(f"logged {_span(added)}")
    else:
        said += [f"logged {_entry(e)}" for e in added]
    if len(removed) > MAX_LISTED:
        said.append(f"removed {_span(removed)} from the log")
    else:
        said += [f"removed {_entry(e)} from the log" for e in removed]
    return said


def _opening(before: tuple[Opening, ...], after: tuple[Opening, ...]) -> list[str]:
    """Hours studied before tracking (`log --opening`), recorded or removed."""
    if before == after:
        return []
    added, removed = _multiset_difference(before, after)
    studied = "{} studied for {} before tracking"
    return [
        *(f"recorded {studied.format(_hours(o.hours), o.module)}" for o in added),
        *(f"removed {studied.format(_hours(o.hours), o.module)}" for o in removed),
    ]


# --- `history`: the versions kept, each with what its change did -----------------


@dataclass(kw_only=True, eq=False, repr=False)
class HistoryRow:
    revision: int
    when: datetime | None  # when the version was written (None: not known)
    what: list[str] | None  # what the change to it did; None for the oldest kept
    current: bool  # the file holds this version (at `file_revision`)


@dataclass(kw_only=True, eq=False, repr=False)
class HistoryResult(Result):
    """`history`: the versions kept, oldest first; `undo` and `redo` step along them."""

    versions: list[HistoryRow]
    file_revision: int | None  # the file's own revision (above the version's after an undo)
    undo_steps: int  # how many times `undo` can go back
    redo_steps: int  # how many times `redo` can go forward


def history(
    kept: Sequence[tuple[Progress | None, datetime | None]],
    current: int,
    file_revision: int | None,
) -> HistoryResult:
    """The versions `kept` (record, when), oldest first, the file (at `file_revision`)
    holding `kept[current]` (-1: there is no file); a version that does not read says so
    in its `what`."""
    rows = []
    for i, (record, when) in enumerate(kept):
        before = kept[i - 1][0] if i else None
        if record is None:
            what: list[str] | None = ["(this version does not read as a whole record)"]
        elif i == 0:
            what = None
        elif before is None:
            what = ["(the version before it does not read)"]
        else:
            what = difference(before, record) or ["nothing but the revision"]
        revision = record.revision if record is not None else 0
        rows.append(HistoryRow(revision=revision, when=when, what=what, current=i == current))
    return HistoryResult(
        versions=rows,
        file_revision=file_revision,
        undo_steps=max(current, 0),
        redo_steps=len(kept) - 1 - current if current >= 0 else 0,
    )
