"""The term calendar and the student's schedule: pure date arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mldsplan.programme import Module, Programme
from mldsplan.progress import Completion, Progress


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def term_index(programme: Programme, year: int, term: int) -> int:
    """0 for year 1 term 1, counting on through later years."""
    return (year - 1) * programme.terms_per_year + term - 1


def term_start(programme: Programme, start: date, year: int, term: int) -> date:
    return add_months(start, programme.term_months * term_index(programme, year, term))


def term_end(programme: Programme, start: date, year: int, term: int) -> date:
    next_start = add_months(start, programme.term_months * (term_index(programme, year, term) + 1))
    return next_start - timedelta(days=1)


def programme_end(programme: Programme, start: date) -> date:
    return add_months(start, programme.duration_months) - timedelta(days=1)


def registration_end(programme: Programme, start: date) -> date | None:
    if programme.max_registration_months is None:
        return None
    return add_months(start, programme.max_registration_months) - timedelta(days=1)


def term_of(programme: Programme, start: date, day: date) -> tuple[int, int] | None:
    """(year, term) that `day` falls in, or None before the start."""
    if day < start:
        return None
    months = (day.year - start.year) * 12 + day.month - start.month
    index = months // programme.term_months
    return index // programme.terms_per_year + 1, index % programme.terms_per_year + 1


@dataclass(frozen=True)
class Planned:
    """A module where the student's schedule puts it, with its record."""

    module: Module
    year: int
    term: int
    completion: Completion | None

    @property
    def done(self) -> bool:
        return self.completion is not None

    @property
    def deferred(self) -> bool:
        return (self.year, self.term) != (self.module.year, self.module.term)


def schedule(programme: Programme, progress: Progress) -> list[Planned]:
    """Every module in its planned term (the programme's plus any deferral), in term order."""
    planned = [
        Planned(
            module=m,
            year=m.year + progress.deferrals.get(m.code, 0),
            term=m.term,
            completion=progress.completions.get(m.code),
        )
        for m in programme.modules
    ]
    return sorted(planned, key=lambda p: (p.year, p.term))


def planned_terms(programme: Programme, plan: list[Planned]) -> list[tuple[int, int]]:
    """The programme's terms and any later term a deferral opens, in order."""
    keys = {(t.year, t.term) for t in programme.terms} | {(p.year, p.term) for p in plan}
    return sorted(keys)
