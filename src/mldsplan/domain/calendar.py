"""`calendar`: the terms' dates, their length and where each comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Progress
from mldsplan.domain.results import Result
from mldsplan.domain.terms import calendar, planned_terms, schedule, term_of


@dataclass(kw_only=True, eq=False, repr=False)
class CalendarTerm:
    year: int
    term: int
    start: date
    end: date
    weeks: float
    source: str  # "programme" or "student"
    current: bool


@dataclass(kw_only=True, eq=False, repr=False)
class CalendarResult(Result):
    start: str | None
    assumed: bool
    terms: list[CalendarTerm]


def calendar_view(programme: Programme, progress: Progress, on: date) -> CalendarResult:
    extra = tuple(planned_terms(programme, schedule(programme, progress)))
    now = term_of(programme, progress, on)
    return CalendarResult(
        start=progress.start,
        assumed=programme.term_starts_assumed,
        terms=[
            CalendarTerm(
                year=w.year,
                term=w.term,
                start=w.start,
                end=w.end,
                weeks=w.weeks,
                source=w.source,
                current=(w.year, w.term) == now,
            )
            for w in calendar(programme, progress, extra)
        ],
    )
