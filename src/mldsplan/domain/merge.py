"""Merging two copies of the record (`merge`), or two against their common base (git's driver).

Two copies (a sync tool's conflict copy): each key (a completion, a deferral, a
term's dates, an assessment by module and id, a module's failed attempts) is
united; a key with two different values is a `Conflict`. The study log is a
multiset: an entry n times in one copy and k in the other is kept max(n, k)
times. Three copies (git's BASE, OURS, THEIRS): a key changed on one side since
the base takes that side's value, and the log keeps ours + theirs - base of each
entry. Conflicts are data: with `prefer` each takes that side's value, without
it the caller writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar

from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import (
    Assessment,
    Attempt,
    Completion,
    LogEntry,
    Progress,
    TermDates,
    Timer,
)

Prefer = Literal["mine", "theirs"]
K = TypeVar("K")
V = TypeVar("V")


class _Absent:
    """A key one copy does not hold (in three-way merges, one that side removed)."""

    def __repr__(self) -> str:
        return "absent"


ABSENT: Any = _Absent()


@dataclass(frozen=True, slots=True)
class Conflict:
    """One key the two copies hold different values for: where, and both values in words."""

    field: str  # where in the file: "completions.eda", "start", "assessments.eda.<id>"
    what: str  # as the student says it: "eda's completion"
    mine: str
    theirs: str

    def __str__(self) -> str:
        return f"{self.what} ({self.field}): mine {self.mine}; theirs {self.theirs}"


@dataclass(frozen=True, slots=True)
class Merged:
    """The merged record (each conflict settled by `prefer`, or for now by mine), its
    conflicts, and what the student should know (a timer that may have been stopped)."""

    record: Progress
    conflicts: tuple[Conflict, ...]
    notes: tuple[str, ...] = ()


# --- values in words --------------------------------------------------------


def _number(value: float) -> str:
    return hours_text(value)  # the one number format: two decimals at most, half up


def _completion(c: Completion) -> str:
    mark = "" if c.mark is None else f", mark {_number(c.mark)}"
    return f"completed {c.on}{mark}{', a resit' if c.resit else ''}"


def _assessment(a: Assessment) -> str:
    due = f", due {a.due}" if a.due else ""
    mark = "" if a.mark is None else f", mark {_number(a.mark)}"
    return f"'{a.name}' {_number(a.weight)}%{due}{mark}"


def _attempts(tries: tuple[Attempt, ...]) -> str:
    return "; ".join(f"mark {_number(a.mark)} on {a.on}" for a in tries) or "none"


def _timer(t: Timer | None) -> str:
    if t is None:
        return "no timer running"
    module = f" for {t.module}" if t.module else " without a module"
    note = f" ('{t.note}')" if t.note else ""
    return f"running since {t.started_at:%Y-%m-%d %H:%M}{module}{note}"


def _years(n: int) -> str:
    return f"deferred {n} year{'s' * (n != 1)}"


def _dates(d: TermDates) -> str:
    return f"{d.start} to {d.end}"


def _hours(h: float | None) -> str:
    return "not set (the programme's)" if h is None else f"{_number(h)} h"


def _month(m: str | None) -> str:
    return "not set" if m is None else m


def _said(words: Callable[[Any], str], value: object) -> str:
    return "removed" if value is ABSENT else words(value)


# --- one value, two or three ways ---------------------------------------------


class _Merging:
    """What a merge collects as it goes: the conflicts, and which side wins them."""

    def __init__(self, prefer: Prefer | None) -> None:
        self.prefer = prefer
        self.conflicts: list[Conflict] = []

    def conflict(self, field: str, what: str, words: Callable[[Any], str], mine: V, theirs: V) -> V:
        self.conflicts.append(Conflict(field, what, _said(words, mine), _said(words, theirs)))
        return theirs if self.prefer == "theirs" else mine

    def three(
        self, field: str, what: str, words: Callable[[Any], str], base: V, ours: V, theirs: V
    ) -> V:
        """The value of a key changed on one side since `base` is that side's."""
        if ours == theirs or theirs == base:
            return ours
        if ours == base:
            return theirs
        return self.conflict(field, what, words, ours, theirs)

    def two(
        self,
        field: str,
        what: str,
        words: Callable[[Any], str],
        mine: V,
        theirs: V,
        join: Callable[[V, V], V | None] | None = None,
    ) -> V:
        """The value both hold, or the one a key only one copy holds; `join` may settle two."""
        if mine == theirs or theirs is ABSENT:
            return mine
        if mine is ABSENT:
            return theirs
        joined = None if join is None else join(mine, theirs)
        if joined is not None:
            return joined
        return self.conflict(field, what, words, mine, theirs)

    def mapping(
        self,
        field: str,
        what: Callable[[K], str],
        words: Callable[[Any], str],
        base: Mapping[K, V] | None,
        mine: Mapping[K, V],
        theirs: Mapping[K, V],
        join: Callable[[V, V], V | None] | None = None,
    ) -> dict[K, V]:
        """Key by key, mine's keys first, then theirs' new ones (each in its order)."""
        merged: dict[K, V] = {}
        for key in [*mine, *(k for k in theirs if k not in mine)]:
            m, t = mine.get(key, ABSENT), theirs.get(key, ABSENT)
            where = f"{field}.{key}"
            if base is None:
                value = self.two(where, what(key), words, m, t, join)
            else:
                value = self.three(where, what(key), words, base.get(key, ABSENT), m, t)
            if value is not ABSENT:
                merged[key] = value
        return merged


def _longer(mine: tuple[Attempt, ...], theirs: tuple[Attempt, ...]) -> tuple[Attempt, ...] | None:
    """One list of failed attempts that goes on from the other: the attempts since."""
    short, long = sorted((mine, theirs), key=len)
    return long if long[: len(short)] == short else None


def _log(
    base: tuple[LogEntry, ...] | None, mine: tuple[LogEntry, ...], theirs: tuple[LogEntry, ...]
) -> tuple[LogEntry, ...]:
    """Each entry max(n, k) times, or against a base ours + theirs - base (never below 0);
    mine's entries in their order, then theirs' extra ones in theirs."""
    m, t = Counter(mine), Counter(theirs)
    if base is None:
        wanted = m | t
    else:
        b = Counter(base)
        wanted = Counter({e: m[e] + t[e] - b[e] for e in m | t})
    kept: list[LogEntry] = []
    taken: Counter[LogEntry] = Counter()
    for entry in (*mine, *theirs):
        if taken[entry] < wanted[entry]:
            kept.append(entry)
            taken[entry] += 1
    return tuple(kept)


def _stopped_elsewhere(timer: Timer, extra: Iterable[LogEntry]) -> bool:
    """Whether entries only the other copy holds look like this timer's stop (its module
    and note, on the day it started): then it ran on here after it was stopped there."""
    day = timer.started_at.date()
    return any(e.on == day and (e.module, e.note) == (timer.module, timer.note) for e in extra)


def _timer_notes(mine: Progress, theirs: Progress, merged: Progress) -> tuple[str, ...]:
    """A timer only one copy runs, that the other's log says may have been stopped there."""
    timer = merged.timer
    if timer is None or mine.timer == theirs.timer:
        return ()
    holder, other = (mine, theirs) if mine.timer == timer else (theirs, mine)
    if other.timer is not None:  # a conflict, settled by `prefer`
        return ()
    if _stopped_elsewhere(timer, (Counter(other.log) - Counter(holder.log)).elements()):
        return (
            f"the timer {_timer(timer)} runs in the merged record, but the copy without it"
            " logs its module on that day: if it was stopped there, cancel it",
        )
    return ()


def _assessment_named(code: str, named: Mapping[str, Assessment]) -> Callable[[str], str]:
    return lambda i: f"{code}'s assessment '{named[i].name}'"


# --- whole records -----------------------------------------------------------


def merge(
    mine: Progress, theirs: Progress, prefer: Prefer | None = None, base: Progress | None = None
) -> Merged:
    """`theirs` merged into `mine` (two copies), or against `base` (three-way: mine is ours).

    The record's revision is the higher of the two; the store writes one above it.
    """
    m = _Merging(prefer)
    three = base is not None

    def field(name: str, what: str, words: Callable[[Any], str]) -> Any:
        ours, other = getattr(mine, name), getattr(theirs, name)
        if base is not None:
            return m.three(name, what, words, getattr(base, name), ours, other)
        # A value one copy does not hold (None: not set, no timer) yields to the other's.
        value = m.two(
            name, what, words, ABSENT if ours is None else ours, ABSENT if other is None else other
        )
        return None if value is ABSENT else value

    start = field("start", "the cohort start", _month)
    weekly = field("weekly_hours", "your weekly hours", _hours)
    timer = field("timer", "the running timer", _timer)
    keyed: dict[str, Any] = {}
    for name, what, words, join in (
        ("completions", "{}'s completion", _completion, None),
        ("deferrals", "{}'s deferral", _years, None),
        ("term_dates", "term {}'s own dates", _dates, None),
        ("failed_attempts", "{}'s failed attempts", _attempts, _longer),
    ):
        keyed[name] = m.mapping(
            name,
            what.format,
            words,
            None if base is None else getattr(base, name),
            getattr(mine, name),
            getattr(theirs, name),
            join,
        )
    assessments: dict[str, tuple[Assessment, ...]] = {}
    codes = [*mine.assessments, *(c for c in theirs.assessments if c not in mine.assessments)]
    for code in codes:
        by_id = {
            name: {a.id: a for a in side.assessments.get(code, ())}
            for name, side in (("mine", mine), ("theirs", theirs))
        }
        named = {**by_id["theirs"], **by_id["mine"]}
        if base is not None:
            named |= {a.id: a for a in base.assessments.get(code, ()) if a.id not in named}
        items = m.mapping(
            f"assessments.{code}",
            _assessment_named(code, named),
            _assessment,
            None if base is None else {a.id: a for a in base.assessments.get(code, ())},
            by_id["mine"],
            by_id["theirs"],
        )
        if items:
            assessments[code] = tuple(items.values())
    record = replace(
        mine,
        revision=max(mine.revision, theirs.revision),
        start=start,
        weekly_hours=weekly,
        **keyed,
        assessments=assessments,
        timer=timer,
        log=_log(None if base is None else base.log, mine.log, theirs.log),
    )
    notes = () if three else _timer_notes(mine, theirs, record)
    return Merged(record, tuple(m.conflicts), notes)
