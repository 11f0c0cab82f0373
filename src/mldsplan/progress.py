"""The student's record: what the progress file holds (schema 2).

Plain frozen dataclasses; pydantic validates them when a file's content is
new (see `mldsplan.validation`). Changes live in `mldsplan.changes`, the file
format in `mldsplan.document` and `mldsplan.studylog`. Annotations are
evaluated as the classes are made, as in `mldsplan.programme`.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from mldsplan.constraints import (
    Code,
    Day,
    Flag,
    Hours,
    Mark,
    Moment,
    MonthText,
    Name,
    Note,
    Revision,
    TermKey,
    Weight,
    Years,
)
from mldsplan.dates import parse_month
from mldsplan.programme import FORBID_EXTRA, Programme

SCHEMA_VERSION = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    __pydantic_config__ = FORBID_EXTRA
    on: Day
    mark: Mark | None = None
    resit: Flag = False


class LogEntry(NamedTuple):
    """One study session. A named tuple: a log of 20,000 entries must load fast."""

    on: date
    hours: float
    module: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TermDates:
    """The student's own dates for one term (from the handbook), both inclusive."""

    __pydantic_config__ = FORBID_EXTRA
    start: Day
    end: Day


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """One summative piece of a module: its weight in % of the module mark."""

    __pydantic_config__ = FORBID_EXTRA
    name: Name
    weight: Weight
    due: Day | None = None
    mark: Mark | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Timer:
    """A running study timer; the start keeps its UTC offset (DST and zone changes)."""

    __pydantic_config__ = FORBID_EXTRA
    started_at: Moment
    module: Code | None = None
    note: Note | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
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
    timer: Timer | None = None
    log: tuple[LogEntry, ...] = ()

    def __post_init__(self) -> None:
        # A module listed with no assessments (`bayesian = []`, by hand or in an
        # export) has none: the record drops it, as the file it writes does, so
        # what is read equals what is written.
        if not all(self.assessments.values()):
            kept = {code: items for code, items in self.assessments.items() if items}
            object.__setattr__(self, "assessments", kept)

    def weekly(self, programme: Programme) -> float:
        return programme.weekly_hours if self.weekly_hours is None else self.weekly_hours

    def start_date(self) -> date | None:
        return None if self.start is None else parse_month(self.start)

    def content(self) -> "Progress":
        """The record without its revision, to compare what a change did."""
        from dataclasses import replace

        return replace(self, revision=0)
