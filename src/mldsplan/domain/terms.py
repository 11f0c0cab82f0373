"""The term calendar and the student's schedule: pure date arithmetic.

A term's dates come from the student's own (`calendar set`) when recorded,
else from the programme's term windows shifted to the cohort's start month.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

from mldsplan.domain.dates import add_months, weeks_between
from mldsplan.domain.programme import Module, Programme
from mldsplan.domain.progress import Completion, Progress
from mldsplan.domain.results import frozen_record


def term_key(year: int, term: int) -> str:
    return f"{year}.{term}"


def parse_term_key(key: str) -> tuple[int, int]:
    """`Y.T` (as `term_key` writes it, and the file's pattern admits) as (year, term)."""
    year, _, term = key.partition(".")
    return int(year), int(term)


def shipped_term_start(programme: Programme, start: date, year: int, term: int) -> date:
    window = programme.windows[term - 1]
    first = add_months(start, 12 * (year - 1) + window.months)
    return first.replace(day=window.day)


def shipped_term_end(programme: Programme, start: date, year: int, term: int) -> date:
    if term < programme.terms_per_year:
        return shipped_term_start(programme, start, year, term + 1) - timedelta(days=1)
    return add_months(start, 12 * year) - timedelta(days=1)


class TermWindow(NamedTuple):
    """A term's dates (a named tuple: about a fifth of a frozen dataclass's cost to create)."""

    year: int
    term: int
    start: date
    end: date
    source: str  # "programme" or "student"

    @property
    def weeks(self) -> float:
        return weeks_between(self.start, self.end)


def window(programme: Programme, progress: Progress, year: int, term: int) -> TermWindow | None:
    """A term's dates: the student's own, else the programme's; None without a start month.

    The student's own dates win over assumed ones: an assumed term gives way to
    its neighbours' own dates, starting the day after the term before it ends and
    ending the day before the term after it starts, where those overlap it. It
    never moves the other way (a gap stays a gap), and it may shrink to nothing,
    which `rules` refuses: the student then sets that term's dates too.
    """
    own = progress.term_dates.get(term_key(year, term))
    if own is not None:
        return TermWindow(year, term, own.start, own.end, "student")
    assumed = assumed_window(programme, progress, year, term)
    if assumed is None:
        return None
    first, last = assumed.start, assumed.end
    before = neighbour(programme, year, term, -1)
    if before is not None and (mine := progress.term_dates.get(term_key(*before))):
        first = max(first, mine.end + timedelta(days=1))
    after = neighbour(programme, year, term, +1)
    if after is not None and (mine := progress.term_dates.get(term_key(*after))):
        last = min(last, mine.start - timedelta(days=1))
    if (first, last) == (assumed.start, assumed.end):
        return assumed
    return TermWindow(year, term, first, last, "programme")


def assumed_window(
    programme: Programme, progress: Progress, year: int, term: int
) -> TermWindow | None:
    """A term's dates as the programme has them, before giving way to the student's own."""
    start = progress.start_date()
    return None if start is None else shipped_window(programme, start, year, term)


def neighbour(programme: Programme, year: int, term: int, step: int) -> tuple[int, int] | None:
    """The term `step` terms after (year, term), across years; None before year 1 term 1."""
    index = term_index(programme, year, term) + step
    if index < 0:
        return None
    return index // programme.terms_per_year + 1, index % programme.terms_per_year + 1


def gave_way(
    programme: Programme, before: Progress, after: Progress, terms: list[tuple[int, int]]
) -> list[tuple[TermWindow, TermWindow]]:
    """The assumed neighbours of `terms` whose dates moved from `before` to `after`:
    (old window, new window) for each, in term order."""
    near = {n for y, t in terms for step in (-1, 1) if (n := neighbour(programme, y, t, step))}
    moved = []
    for year, term in sorted(near):
        old = window(programme, before, year, term)
        new = window(programme, after, year, term)
        if old is None or new is None or new.source != "programme":
            continue
        if (old.start, old.end) != (new.start, new.end):
            moved.append((old, new))
    return moved


def known_terms(programme: Programme, progress: Progress) -> set[tuple[int, int]]:
    """The terms a calendar has: the programme's, any a deferral opens, any with own dates."""
    own = {parse_term_key(key) for key in progress.term_dates}
    plan = schedule(programme, progress)
    return set(programme_terms(programme)) | set(planned_terms(programme, plan)) | own


def shipped_window(programme: Programme, start: date, year: int, term: int) -> TermWindow:
    """A term's window from the programme's term starts, for a cohort starting on `start`."""
    return TermWindow(
        year,
        term,
        shipped_term_start(programme, start, year, term),
        shipped_term_end(programme, start, year, term),
        "programme",
    )


def programme_end(programme: Programme, start: date) -> date:
    return add_months(start, programme.duration_months) - timedelta(days=1)


def registration_end(programme: Programme, start: date) -> date | None:
    if programme.max_registration_months is None:
        return None
    return add_months(start, programme.max_registration_months) - timedelta(days=1)


def term_index(programme: Programme, year: int, term: int) -> int:
    """0 for year 1 term 1, counting on through later years."""
    return (year - 1) * programme.terms_per_year + term - 1


def programme_terms(programme: Programme) -> list[tuple[int, int]]:
    """Every (year, term) within the programme's duration."""
    count = programme.duration_months * programme.terms_per_year // 12
    return [
        (i // programme.terms_per_year + 1, i % programme.terms_per_year + 1) for i in range(count)
    ]


Windows = Callable[[int, int], "TermWindow | None"]  # (year, term) -> its window (`Facts`)


def calendar(
    programme: Programme,
    progress: Progress,
    extra: tuple[tuple[int, int], ...] = (),
    windows: Windows | None = None,
) -> list[TermWindow]:
    """The windows of the programme's terms (and any `extra` terms), in order.
    `windows`: where a term's window is found (a `Facts` keeps each), else `window`."""
    find = windows or (lambda y, t: window(programme, progress, y, t))
    keys = sorted(set(programme_terms(programme)) | set(extra))
    found = [find(y, t) for y, t in keys]
    return [w for w in found if w is not None]


def term_of(
    programme: Programme, progress: Progress, day: date, windows: Windows | None = None
) -> tuple[int, int] | None:
    """(year, term) that `day` falls in, or None before the start or between set terms."""
    start = progress.start_date()
    if start is None or day < start:
        return None
    find = windows or (lambda y, t: window(programme, progress, y, t))
    year = (day.year - start.year) + (1 if (day.month, day.day) >= (start.month, start.day) else 0)
    for y in (year - 1, year, year + 1):
        for t in range(1, programme.terms_per_year + 1):
            w = find(y, t) if y >= 1 else None
            if w is not None and w.start <= day <= w.end:
                return y, t
    return None


@frozen_record(kw_only=False)
class Planned:
    """A module where the student's schedule puts it, with its record."""

    module: Module
    year: int
    term: int
    completion: Completion | None

    @property
    def done(self) -> bool:
        return self.completion is not None


def planned_year(module: Module, progress: Progress) -> int:
    """The year a module is planned in: the programme's, plus any years it is deferred."""
    return module.year + progress.deferrals.get(module.code, 0)


def schedule(programme: Programme, progress: Progress) -> list[Planned]:
    """Every module in its planned term (the programme's plus any deferral), in term order."""
    planned = [
        Planned(
            module=m,
            year=planned_year(m, progress),
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
