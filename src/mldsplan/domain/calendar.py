"""`calendar`: the terms' dates, their length and where each comes from."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mldsplan.domain.results import Result, record

if TYPE_CHECKING:
    from mldsplan.domain.facts import Facts


@record
class CalendarTerm:
    year: int
    term: int
    start: date
    end: date
    weeks: float
    source: str  # "programme" or "student"
    current: bool


@record
class CalendarResult(Result):
    start: str | None
    assumed: bool
    terms: list[CalendarTerm]


def calendar_view(facts: Facts) -> CalendarResult:
    now = facts.current_term
    return CalendarResult(
        start=facts.record.start,
        assumed=facts.programme.term_starts_assumed,
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
            for w in facts.calendar
        ],
    )
