"""The student's record: what the progress file holds (schema 4).

Plain frozen dataclasses; pydantic validates them when a file's content is
new (see `storage.validation`). Changes live in `domain.changes`, the file
format in `storage.document` and `storage.logformat`. Annotations are
evaluated as the classes are made, as in `domain.programme`.
"""

import itertools
from dataclasses import field, replace
from datetime import date
from typing import NamedTuple

from mldsplan.domain.constraints import (
    MAX_TEXT,
    AssessmentId,
    BlocksText,
    Code,
    Day,
    Flag,
    Hours,
    Mark,
    Moment,
    MonthText,
    Name,
    Note,
    NoticeKey,
    RemindDay,
    Revision,
    Stamp,
    StampKey,
    TermKey,
    Weight,
    WindowText,
    Years,
    shown,
    text_problem,
)
from mldsplan.domain.dates import parse_month
from mldsplan.domain.programme import FORBID_EXTRA, Programme
from mldsplan.domain.results import frozen_record

SCHEMA_VERSION = 4


# --- a study-log entry's limits (its line format: storage.logformat) ---

MAX_NOTE = MAX_TEXT
MAX_DAY_HOURS = 24.0
MIN_HOURS = 0.01  # 36 seconds: less is a slip of the keyboard (and would print as 0)
MAX_OPENING_HOURS = 100_000.0  # an opening entry (`log --opening`): no day, so no 24 h limit


class NoteError(ValueError):
    pass


def check_note(note: str) -> str:
    """The note stripped ("" for none); NoteError when it is not one line of plain text.

    What it returns, when not empty, is exactly what the record's `Note` holds.
    """
    note = note.strip()
    problem = text_problem(note, MAX_NOTE) if note else None
    if problem is not None:
        raise NoteError(problem)
    return note


def check_hours(hours: float) -> float:
    if not MIN_HOURS <= hours <= MAX_DAY_HOURS:
        raise ValueError(
            f"{shown(hours, MIN_HOURS, MAX_DAY_HOURS)} must be at least {MIN_HOURS:g}"
            f" and at most {MAX_DAY_HOURS:g}"
        )
    return hours


@frozen_record
class Completion:
    __pydantic_config__ = FORBID_EXTRA
    on: Day
    mark: Mark | None = None
    resit: Flag = False


class LogEntry(NamedTuple):
    """One study session. A named tuple: a log of 20,000 entries must load fast.

    `id` is the entry's identity (12 hex digits), kept by an edit; "" until the write
    that adds it gives it one (`domain.stamps.restamp`), so two sessions logged apart
    on two computers are two entries whatever their values.
    """

    on: date
    hours: float
    module: str | None = None
    note: str | None = None
    id: str = ""


class Opening(NamedTuple):
    """Hours studied on a module before the student began logging (`log --opening`):
    no date; they count in the module's hours still to do, never in pace or totals."""

    module: str
    hours: float
    note: str | None = None
    id: str = ""


@frozen_record
class TermDates:
    """The student's own dates for one term (from the handbook), both inclusive."""

    __pydantic_config__ = FORBID_EXTRA
    start: Day
    end: Day


@frozen_record
class Assessment:
    """One summative piece of a module: its weight in % of the module mark.

    `id` stays the same when it is renamed (its calendar event's UID comes from
    it); "" until the record it joins gives it one (`assessment_id`).
    """

    __pydantic_config__ = FORBID_EXTRA
    name: Name
    weight: Weight
    due: Day | None = None
    mark: Mark | None = None
    id: AssessmentId = ""


def assessment_id(name: str, taken: set[str]) -> str:
    """A new assessment's id: a hash of its name, as its calendar UID was before ids
    existed (so migrated ids keep every UID), made unique among `taken`."""
    import hashlib

    key = name.casefold()
    for n in itertools.count(1):
        text = key if n == 1 else f"{key}\n{n}"
        made = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
        if made not in taken:
            return made
    raise AssertionError("unreachable")


def with_ids(items: tuple[Assessment, ...]) -> tuple[Assessment, ...]:
    """`items`, each without an id given one that no other has."""
    if all(a.id for a in items):
        return items
    taken = {a.id for a in items if a.id}
    given = []
    for a in items:
        if not a.id:
            a = replace(a, id=assessment_id(a.name, taken))
            taken.add(a.id)
        given.append(a)
    return tuple(given)


@frozen_record
class Attempt:
    """A failed attempt at a module: when it was marked, and its mark (below the pass)."""

    __pydantic_config__ = FORBID_EXTRA
    on: Day
    mark: Mark


@frozen_record
class Timer:
    """A running study timer; the start keeps its UTC offset (DST and zone changes)."""

    __pydantic_config__ = FORBID_EXTRA
    started_at: Moment
    module: Code | None = None
    note: Note | None = None


@frozen_record
class Progress:
    __pydantic_config__ = FORBID_EXTRA
    schema_version: int = SCHEMA_VERSION
    revision: Revision = 0
    start: MonthText | None = None
    weekly_hours: Hours | None = None
    completions: dict[Code, Completion] = field(default_factory=dict)
    deferrals: dict[Code, Years] = field(default_factory=dict)
    term_dates: dict[TermKey, TermDates] = field(default_factory=dict)
    assessments: dict[Code, tuple[Assessment, ...]] = field(default_factory=dict)
    failed_attempts: dict[Code, tuple[Attempt, ...]] = field(default_factory=dict)
    timer: Timer | None = None
    # schema 4: the study windows ("mon-fri 19:00-22:00") and block length ("45-120"
    # minutes; None: the default), when reminders are due, what was sent, the change
    # stamps of every keyed value and the tombstones of what was removed (`domain.stamps`)
    windows: tuple[WindowText, ...] = ()
    blocks: BlocksText | None = None
    remind_days: tuple[RemindDay, ...] | None = None
    remind_timer_hours: Hours | None = None
    reminders_sent: dict[NoticeKey, Day] = field(default_factory=dict)
    stamps: dict[StampKey, Stamp] = field(default_factory=dict)
    log: tuple[LogEntry, ...] = ()
    opening: tuple[Opening, ...] = ()

    def __post_init__(self) -> None:
        # A module listed with no assessments (`bayesian = []`, by hand or in an
        # export) has none: the record drops it, as the file it writes does, so
        # what is read equals what is written.
        # Likewise a module with no failed attempts. An assessment added by hand
        # without an id gets one here, so every record's assessments have ids.
        if not all(self.assessments.values()) or not all(
            a.id for items in self.assessments.values() for a in items
        ):
            kept = {code: with_ids(items) for code, items in self.assessments.items() if items}
            object.__setattr__(self, "assessments", kept)
        if not all(self.failed_attempts.values()):
            failed = {code: tries for code, tries in self.failed_attempts.items() if tries}
            object.__setattr__(self, "failed_attempts", failed)

    def weekly(self, programme: Programme) -> float:
        return programme.weekly_hours if self.weekly_hours is None else self.weekly_hours

    def start_date(self) -> date | None:
        return None if self.start is None else parse_month(self.start)

    def content(self) -> "Progress":
        """What the record says, without its bookkeeping (the revision, the change
        stamps and tombstones), to compare what a change did."""
        return replace(self, revision=0, stamps={})
