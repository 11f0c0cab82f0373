"""One snapshot per command: every fact the reports derive from the record, worked out once.

A `Facts` is built by a command from the programme, the record and the day the reports
are for (today, or `--on`), and handed to every report it asks for (`workload.plan`,
`progress_summary`, `hours_summary`, `studytime.study_week`, `marks.grades`,
`assessments.due`, ...). Each fact is computed on first use and kept: the standings, the
schedule and its term windows, the log indexed in one walk (by module, day and week), the
deadlines. Nothing here reads a clock, a file or the environment.

The sums keep the order the one-off calculations had (the log's order, `sum` where they
used `sum`), so every figure is the same to the last bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from mldsplan.domain.dates import monday, week_bounds

if TYPE_CHECKING:
    from mldsplan.domain.deadlines import Deadline
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.progress import Completion, LogEntry, Opening, Progress
    from mldsplan.domain.standings import Standing
    from mldsplan.domain.terms import Planned, TermWindow

T = TypeVar("T")
RECENT_DAYS = 28  # the recent pace: the last this-many days, the date's own included


class LogIndex:
    """The log, walked once for the day `on`: hours by module (the whole log, before the
    week of `on`, and in it), by ISO week, the entries by day, and the hours of the spans
    that pace and balance count over. A plain class: cheap to create."""

    __slots__ = (
        "before_week",
        "by_day",
        "by_module",
        "by_week",
        "first",
        "in_term",
        "in_week",
        "opening",
        "recent",
        "studied",
        "up_to",
        "without_module",
    )

    def __init__(
        self,
        log: Sequence[LogEntry],
        on: date,
        recent_from: date,
        term_from: date | None,
        opening: Sequence[Opening] = (),
    ) -> None:
        first, last = week_bounds(on)
        by_module: dict[str, float] = {}
        before_week: dict[str, float] = {}
        in_week: dict[str | None, float] = {}
        by_week: dict[date, float] = {}
        by_day: dict[date, list[LogEntry]] = {}
        mondays: dict[date, date] = {}
        up_to: list[float] = []
        recent: list[float] = []
        in_term: list[float] = []
        without_module: list[float] = []
        earliest: date | None = None
        for e in log:
            day, module, hours = e.on, e.module, e.hours
            entries = by_day.get(day)
            if entries is None:
                entries = by_day[day] = []
                mondays[day] = monday(day)
            entries.append(e)
            week = mondays[day]
            by_week[week] = by_week.get(week, 0.0) + hours
            if module is None:
                without_module.append(hours)
            else:
                by_module[module] = by_module.get(module, 0.0) + hours
            if day <= on:
                if earliest is None or day < earliest:
                    earliest = day
                up_to.append(hours)
                if day >= recent_from:
                    recent.append(hours)
                if term_from is not None and day >= term_from:
                    in_term.append(hours)
                if day < first and module is not None:
                    before_week[module] = before_week.get(module, 0.0) + hours
            if first <= day <= last:
                in_week[module] = in_week.get(module, 0.0) + hours
        # Hours studied before tracking (`log --opening`) count in a module's budget only:
        # in `studied` and before the week, never in the dated sums (pace, balance, weeks).
        studied_before: dict[str, float] = {}
        for o in opening:
            studied_before[o.module] = studied_before.get(o.module, 0.0) + o.hours
        studied = dict(by_module)
        for module, hours in studied_before.items():
            studied[module] = studied.get(module, 0.0) + hours
            before_week[module] = before_week.get(module, 0.0) + hours
        self.by_module = by_module  # the whole dated log, each module's hours
        self.opening = studied_before  # each module's hours studied before tracking
        self.studied = studied  # both: what a module's hours still to do subtract
        self.before_week = before_week  # before the Monday of `on`'s week (opening too)
        self.in_week = in_week  # in `on`'s week, Monday to Sunday (None: without a module)
        self.by_week = by_week  # each ISO week's hours, by its Monday
        self.by_day = by_day  # each day's entries, in the log's order
        self.first = earliest  # the first entry's date on or before `on`
        self.up_to = up_to  # the hours of each entry on or before `on`
        self.recent = recent  # ... from `recent_from`
        self.in_term = in_term  # ... from `term_from` (the current term's start)
        self.without_module = without_module  # the hours of each entry without a module

    def day_hours(self, day: date) -> float:
        hours = 0.0
        for e in self.by_day.get(day, ()):
            hours += e.hours
        return hours

    def entries(self, first: date, last: date) -> list[LogEntry]:
        """The entries from `first` to `last`, newest day first (a day's in the log's order)."""
        return [
            e
            for day in sorted(self.by_day, reverse=True)
            if first <= day <= last
            for e in self.by_day[day]
        ]

    def count_before(self, day: date) -> int:
        return sum(len(entries) for d, entries in self.by_day.items() if d < day)


def index_log(
    log: Sequence[LogEntry],
    on: date,
    recent_from: date,
    term_from: date | None,
    opening: Sequence[Opening] = (),
) -> LogIndex:
    """The one walk of the log (counted by tests/test_once.py)."""
    return LogIndex(log, on, recent_from, term_from, opening)


class Facts:
    """What one command knows: the programme, the record, the day its reports are for
    (`on`) and, for the timer, the moment (`now`); every fact derived from them, once."""

    def __init__(
        self,
        programme: Programme,
        record: Progress,
        on: date,
        now: datetime | None = None,
    ) -> None:
        self.programme = programme
        self.record = record
        self.on = on
        self.now = now
        self._windows: dict[tuple[int, int], TermWindow | None] = {}
        self._deadlines: dict[tuple[date, date, bool], list[Deadline]] = {}
        self._once: dict[object, object] = {}

    def once(self, key: object, make: Callable[[], T]) -> T:
        """A report's own derived fact (a term's load, the week's plan), made on first use
        and kept under `key` for every other report of the same command."""
        if key not in self._once:
            self._once[key] = make()
        return self._once[key]  # type: ignore[return-value]

    # --- the record's plain facts -------------------------------------------

    @cached_property
    def weekly(self) -> float:
        """The student's weekly hours (the programme's when the record has none)."""
        return self.record.weekly(self.programme)

    @cached_property
    def start(self) -> date | None:
        return self.record.start_date()

    @cached_property
    def week(self) -> tuple[date, date]:
        """The Monday and the Sunday of `on`'s ISO week."""
        return week_bounds(self.on)

    # --- credits ------------------------------------------------------------

    @cached_property
    def standings(self) -> dict[str, Standing]:
        from mldsplan.domain.standings import standings

        return standings(self.programme, self.record)

    @cached_property
    def credited(self) -> dict[str, Completion]:
        """What counts as passed: each completion, and each compensated failed attempt."""
        return {code: s.credit for code, s in self.standings.items() if s.credit is not None}

    # --- the schedule and its terms ------------------------------------------

    @cached_property
    def schedule(self) -> list[Planned]:
        from mldsplan.domain.terms import schedule

        return schedule(self.programme, self.record)

    @cached_property
    def credited_schedule(self) -> list[Planned]:
        """The schedule, with a module passed by compensation done too (no hours left)."""
        from dataclasses import replace

        credit = self.credited
        return [
            replace(p, completion=credit[p.module.code])
            if not p.done and p.module.code in credit
            else p
            for p in self.schedule
        ]

    @cached_property
    def planned_terms(self) -> list[tuple[int, int]]:
        from mldsplan.domain.terms import planned_terms

        return planned_terms(self.programme, self.schedule)

    def window(self, year: int, term: int) -> TermWindow | None:
        """A term's dates (`terms.window`), worked out once per term."""
        key = (year, term)
        if key not in self._windows:
            from mldsplan.domain.terms import window

            self._windows[key] = window(self.programme, self.record, year, term)
        return self._windows[key]

    @cached_property
    def calendar(self) -> list[TermWindow]:
        """The windows of the programme's terms and of any term a deferral opens, in order."""
        from mldsplan.domain.terms import calendar

        return calendar(self.programme, self.record, tuple(self.planned_terms), self.window)

    def term_of(self, day: date) -> tuple[int, int] | None:
        from mldsplan.domain.terms import term_of

        return term_of(self.programme, self.record, day, self.window)

    @cached_property
    def current_term(self) -> tuple[int, int] | None:
        """(year, term) that `on` falls in; None before the start or between set terms."""
        return self.term_of(self.on)

    @cached_property
    def planned_end(self) -> date | None:
        """The end of the last term that still has a module to do (or of the plan)."""
        todo = [p for p in self.schedule if not p.done] or self.schedule
        year, term = max((p.year, p.term) for p in todo)
        dated = self.window(year, term)
        return dated.end if dated else None

    # --- the log ------------------------------------------------------------

    @cached_property
    def log(self) -> LogIndex:
        term = self.current_term
        dated = None if term is None else self.window(*term)
        return index_log(
            self.record.log,
            self.on,
            self.on - timedelta(days=RECENT_DAYS - 1),
            None if dated is None else dated.start,
            self.record.opening,
        )

    # --- deadlines ----------------------------------------------------------

    @cached_property
    def deadline_weeks(self) -> set[date]:
        """Mondays of ISO weeks with two or more assessments due."""
        from mldsplan.domain.deadlines import deadline_weeks

        return deadline_weeks(self.record)

    def deadlines(self, first: date, last: date, overdue: bool = True) -> list[Deadline]:
        """Assessments due from `first` to `last` (and with `overdue`, past due without a
        mark), as `assessments.deadlines` gives them on `on`."""
        key = (first, last, overdue)
        if key not in self._deadlines:
            from mldsplan.domain.deadlines import deadlines

            self._deadlines[key] = deadlines(
                self.record, first, last, self.on, overdue, self.deadline_weeks
            )
        return self._deadlines[key]


# --- facts a command says in words (`init`, `fail`) ---------------------------


def latest_entry_month(programme: Programme, today: date) -> str:
    """The most recent entry month at or before `today`, as `YYYY-MM` (today's month when
    the programme names none): the start `init` suggests."""
    month = programme.entry_month or today.month
    return f"{today.year - (today.month < month)}-{month:02d}"


def compensated_text(programme: Programme, code: str) -> str:
    """What it means that `code` is compensated, in the programme's rule's words."""
    floor = programme.classification.compensation.floor
    return (
        f"{code} is compensated (a mark of {floor:g} or more, within the programme's"
        " compensation limit): it counts as passed, its mark as it is"
    )
