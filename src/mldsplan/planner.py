"""Pure calculations: the plan, progress, remaining hours, pace and study weeks.

Nothing here reads a clock, a file or the environment: `today`/`on` is passed in.
Results are plain dataclasses (cheap to build at start-up); the CLI dumps them as JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mldsplan.programme import Programme
from mldsplan.progress import SCHEMA_VERSION, LogEntry, Progress
from mldsplan.terms import (
    Planned,
    planned_terms,
    programme_end,
    registration_end,
    schedule,
    term_end,
    term_index,
    term_of,
    term_start,
)

HEAVY_FACTOR = 1.10  # a term is heavy when its weekly load passes the weekly hours by 10 %
PACE_WEEKS = 4  # actual pace: the last this-many weeks that have any log
CHART_WEEKS = 10


@dataclass(kw_only=True, eq=False)
class Result:
    schema_version: int = SCHEMA_VERSION


@dataclass(kw_only=True, eq=False)
class PlanModule:
    code: str
    title: str
    year: int
    term: int
    ects: float
    hours: float
    part_of: str | None
    status: str
    completed_on: date | None
    mark: float | None
    resit: bool
    counted_mark: float | None
    planned_year: int
    planned_term: int
    deferred_years: int
    term_start: date | None
    term_end: date | None
    assumed: bool


@dataclass(kw_only=True, eq=False)
class PlanResult(Result):
    programme: str
    programme_name: str
    start: str | None
    modules: list[PlanModule]
    warnings: list[str]


@dataclass(kw_only=True, eq=False)
class TermProgress:
    year: int
    term: int
    start: date | None
    end: date | None
    ects: float
    ects_done: float


@dataclass(kw_only=True, eq=False)
class WeekSummary:
    week_start: date
    logged_hours: float
    target_hours: float


@dataclass(kw_only=True, eq=False)
class ProgressResult(Result):
    programme: str
    programme_name: str
    start: str | None
    on: date
    ects_total: float
    ects_done: float
    ects_remaining: float
    percent: float
    modules_total: int
    modules_done: int
    hours_per_ects: float
    weekly_hours: float
    hours_remaining: float
    weeks_remaining: float
    finish_date: date
    programme_end: date | None
    planned_end: date | None
    current_year: int | None
    current_term: int | None
    terms: list[TermProgress]
    this_week: WeekSummary
    warnings: list[str]


@dataclass(kw_only=True, eq=False)
class TermLoad:
    year: int
    term: int
    start: date | None
    end: date | None
    hours_remaining: float
    weekly_load: float | None
    heavy: bool
    overdue: bool


@dataclass(kw_only=True, eq=False)
class ModuleTime:
    code: str
    budget_hours: float
    logged_hours: float


@dataclass(kw_only=True, eq=False)
class Pace:
    logged_hours: float
    entries: int
    first_entry: date
    recent_weeks: int
    recent_weekly_hours: float
    overall_weekly_hours: float
    finish_date_at_recent_pace: date | None


@dataclass(kw_only=True, eq=False)
class HoursResult(Result):
    on: date
    hours_remaining: float
    weekly_hours: float
    weeks_remaining: float
    finish_date: date
    programme_end: date | None
    required_weekly_hours: float | None
    planned_end: date | None
    registration_end: date | None
    terms: list[TermLoad]
    pace: Pace | None
    modules: list[ModuleTime]
    warnings: list[str]


@dataclass(kw_only=True, eq=False)
class DayHours:
    date: date
    hours: float


@dataclass(kw_only=True, eq=False)
class ModuleHours:
    code: str | None
    hours: float


@dataclass(kw_only=True, eq=False)
class WeekResult(Result):
    week_start: date
    week_end: date
    target_hours: float
    logged_hours: float
    remaining_hours: float
    over_hours: float
    days: list[DayHours]
    modules: list[ModuleHours]
    recent_weeks: list[WeekSummary]


# --- plan ------------------------------------------------------------------


def term_dates(
    programme: Programme, start: date | None, year: int, term: int
) -> tuple[date | None, date | None]:
    if start is None:
        return None, None
    return term_start(programme, start, year, term), term_end(programme, start, year, term)


def counted_mark(programme: Programme, planned: Planned) -> float | None:
    done = planned.completion
    if done is None or done.mark is None:
        return None
    return min(done.mark, programme.classification.cap) if done.resit else done.mark


def plan(programme: Programme, progress: Progress) -> PlanResult:
    start = progress.start_date()
    rows = []
    for p in schedule(programme, progress):
        first, last = term_dates(programme, start, p.year, p.term)
        done = p.completion
        rows.append(
            PlanModule(
                code=p.module.code,
                title=p.module.title,
                year=p.module.year,
                term=p.module.term,
                ects=p.module.ects,
                hours=programme.hours(p.module),
                part_of=p.module.part_of,
                status="done" if done else "todo",
                completed_on=done.on if done else None,
                mark=done.mark if done else None,
                resit=done.resit if done else False,
                counted_mark=counted_mark(programme, p),
                planned_year=p.year,
                planned_term=p.term,
                deferred_years=p.year - p.module.year,
                term_start=first,
                term_end=last,
                assumed=p.module.assumed,
            )
        )
    return PlanResult(
        programme=programme.id,
        programme_name=programme.name,
        start=progress.start,
        modules=rows,
        warnings=plan_warnings(programme, progress),
    )


def nominal_term_weeks(programme: Programme) -> float:
    return programme.term_months * 365.25 / 12 / 7


def plan_warnings(programme: Programme, progress: Progress) -> list[str]:
    """What a planner owes the student about their schedule."""
    plan = schedule(programme, progress)
    weekly = progress.weekly(programme)
    start = progress.start_date()
    warnings = []
    for year, term in planned_terms(programme, plan):
        todo = sum(
            programme.hours(p.module)
            for p in plan
            if (p.year, p.term) == (year, term) and not p.done
        )
        first, last = term_dates(programme, start, year, term)
        weeks = ((last - first).days + 1) / 7 if first and last else nominal_term_weeks(programme)
        load = todo / weeks
        if load > weekly * HEAVY_FACTOR:
            warnings.append(
                f"year {year} term {term} is heavy: {todo:g} h in {weeks:.1f} weeks"
                f" is {load:.1f} h/week, more than {weekly:g} h/week"
            )
    todo_terms = [term_index(programme, p.year, p.term) for p in plan if not p.done]
    limit = programme.max_registration_months
    if limit is not None and todo_terms and (max(todo_terms) + 1) * programme.term_months > limit:
        warnings.append(
            f"the plan ends after the maximum registration period of {limit} months"
            + (" (assumed)" if programme.max_registration_assumed else "")
        )
    for group in sorted({m.part_of for m in programme.modules if m.part_of}):
        parts = [p for p in plan if p.module.part_of == group]
        parts_in_order = sorted(parts, key=lambda p: (p.module.year, p.module.term))
        planned_order = [(p.year, p.term) for p in parts_in_order]
        if planned_order != sorted(planned_order):
            where = ", ".join(
                f"{p.module.code} in year {p.year} term {p.term}" for p in parts_in_order
            )
            warnings.append(
                f"{programme.group_title(group)}: parts are planned out of order ({where})"
            )
    for final in (p for p in plan if p.module.must_be_last and not p.done):
        later = [
            p.module.code
            for p in plan
            if p is not final and not p.done and (p.year, p.term) >= (final.year, final.term)
        ]
        if later:
            warnings.append(
                f"{final.module.code} must come after every other module, but"
                f" {', '.join(later)} {'is' if len(later) == 1 else 'are'} planned no earlier"
            )
    return warnings


# --- progress --------------------------------------------------------------


def finish_at(on: date, hours_remaining: float, weekly: float) -> date:
    """The date + ceil(7 x hours_remaining / weekly) days."""
    return on + timedelta(days=math.ceil(7 * hours_remaining / weekly))


def planned_end(programme: Programme, progress: Progress) -> date | None:
    """The end of the last term that still has a module to do (or of the plan)."""
    start = progress.start_date()
    if start is None:
        return None
    plan = schedule(programme, progress)
    todo = [p for p in plan if not p.done] or plan
    year, term = max((p.year, p.term) for p in todo)
    return term_end(programme, start, year, term)


def modules_done(programme: Programme, progress: Progress) -> int:
    """Counted modules done: a group of parts counts once, when every part is done."""
    units: dict[str, bool] = {}
    for m in programme.modules:
        unit = m.part_of or m.code
        units[unit] = units.get(unit, True) and m.code in progress.completions
    return sum(units.values())


def ects_done(programme: Programme, progress: Progress) -> float:
    return sum(m.ects for m in programme.modules if m.code in progress.completions)


def progress_summary(programme: Programme, progress: Progress, on: date) -> ProgressResult:
    weekly = progress.weekly(programme)
    done = ects_done(programme, progress)
    remaining = programme.total_ects - done
    hours_remaining = remaining * programme.hours_per_ects
    start = progress.start_date()
    plan = schedule(programme, progress)
    terms = []
    for year, term in planned_terms(programme, plan):
        here = [p for p in plan if (p.year, p.term) == (year, term)]
        first, last = term_dates(programme, start, year, term)
        terms.append(
            TermProgress(
                year=year,
                term=term,
                start=first,
                end=last,
                ects=sum(p.module.ects for p in here),
                ects_done=sum(p.module.ects for p in here if p.done),
            )
        )
    week = study_week(progress, on, weekly)
    now = term_of(programme, start, on) if start else None
    return ProgressResult(
        programme=programme.id,
        programme_name=programme.name,
        start=progress.start,
        on=on,
        ects_total=programme.total_ects,
        ects_done=done,
        ects_remaining=remaining,
        percent=100 * done / programme.total_ects,
        modules_total=programme.counted_modules,
        modules_done=modules_done(programme, progress),
        hours_per_ects=programme.hours_per_ects,
        weekly_hours=weekly,
        hours_remaining=hours_remaining,
        weeks_remaining=hours_remaining / weekly,
        finish_date=finish_at(on, hours_remaining, weekly),
        programme_end=programme_end(programme, start) if start else None,
        planned_end=planned_end(programme, progress),
        current_year=now[0] if now else None,
        current_term=now[1] if now else None,
        terms=terms,
        this_week=WeekSummary(
            week_start=week.week_start, logged_hours=week.logged_hours, target_hours=weekly
        ),
        warnings=plan_warnings(programme, progress),
    )


# --- hours and pace --------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pace(log: Sequence[LogEntry], on: date, hours_remaining: float) -> Pace | None:
    """The student's actual pace from the log up to `on`; None with nothing logged."""
    entries = [e for e in log if e.on <= on]
    if not entries:
        return None
    by_week: dict[date, float] = {}
    for e in entries:
        by_week[monday(e.on)] = by_week.get(monday(e.on), 0.0) + e.hours
    recent = sorted(by_week)[-PACE_WEEKS:]
    recent_weekly = sum(by_week[w] for w in recent) / len(recent)
    first = min(e.on for e in entries)
    total = sum(e.hours for e in entries)
    span_weeks = (monday(on) - monday(first)).days // 7 + 1  # ISO weeks, first to current
    return Pace(
        logged_hours=total,
        entries=len(entries),
        first_entry=first,
        recent_weeks=len(recent),
        recent_weekly_hours=recent_weekly,
        overall_weekly_hours=total / span_weeks,
        finish_date_at_recent_pace=finish_at(on, hours_remaining, recent_weekly)
        if recent_weekly > 0
        else None,
    )


def hours_summary(
    programme: Programme, progress: Progress, on: date, weekly: float | None = None
) -> HoursResult:
    weekly = progress.weekly(programme) if weekly is None else weekly
    hours_remaining = (
        programme.total_ects - ects_done(programme, progress)
    ) * programme.hours_per_ects
    start = progress.start_date()
    end = programme_end(programme, start) if start else None
    required = None
    if end is not None and on <= end:
        required = hours_remaining / (((end - on).days + 1) / 7)
    plan = schedule(programme, progress)
    terms = []
    for year, term in planned_terms(programme, plan):
        todo = sum(
            programme.hours(p.module)
            for p in plan
            if (p.year, p.term) == (year, term) and not p.done
        )
        first, last = term_dates(programme, start, year, term)
        if first is None or last is None:
            if todo > 0:
                terms.append(
                    TermLoad(
                        year=year,
                        term=term,
                        start=None,
                        end=None,
                        hours_remaining=todo,
                        weekly_load=None,
                        heavy=False,
                        overdue=False,
                    )
                )
            continue
        if last < on and todo == 0:
            continue
        overdue = last < on
        load = None if overdue else todo / (((last - max(first, on)).days + 1) / 7)
        terms.append(
            TermLoad(
                year=year,
                term=term,
                start=first,
                end=last,
                hours_remaining=todo,
                weekly_load=load,
                heavy=load is not None and load > weekly * HEAVY_FACTOR,
                overdue=overdue,
            )
        )
    logged: dict[str, float] = {}
    for e in progress.log:
        if e.module is not None:
            logged[e.module] = logged.get(e.module, 0.0) + e.hours
    modules = [
        ModuleTime(
            code=m.code, budget_hours=programme.hours(m), logged_hours=logged.get(m.code, 0.0)
        )
        for m in programme.modules
        if m.code in logged
    ]
    return HoursResult(
        on=on,
        hours_remaining=hours_remaining,
        weekly_hours=weekly,
        weeks_remaining=hours_remaining / weekly,
        finish_date=finish_at(on, hours_remaining, weekly),
        programme_end=end,
        required_weekly_hours=required,
        planned_end=planned_end(programme, progress),
        registration_end=registration_end(programme, start) if start else None,
        terms=terms,
        pace=pace(progress.log, on, hours_remaining),
        modules=modules,
        warnings=plan_warnings(programme, progress),
    )


# --- the study week --------------------------------------------------------


def study_week(progress: Progress, on: date, target: float) -> WeekResult:
    """The ISO week (Monday to Sunday) containing `on`."""
    first = monday(on)
    last = first + timedelta(days=6)
    by_day = {first + timedelta(days=i): 0.0 for i in range(7)}
    by_module: dict[str | None, float] = {}
    by_week: dict[date, float] = {}
    chart_from = first - timedelta(weeks=CHART_WEEKS - 1)
    for e in progress.log:
        if first <= e.on <= last:
            by_day[e.on] += e.hours
            by_module[e.module] = by_module.get(e.module, 0.0) + e.hours
        if chart_from <= e.on <= last:
            by_week[monday(e.on)] = by_week.get(monday(e.on), 0.0) + e.hours
    logged = sum(by_day.values())
    return WeekResult(
        week_start=first,
        week_end=last,
        target_hours=target,
        logged_hours=logged,
        remaining_hours=max(0.0, target - logged),
        over_hours=max(0.0, logged - target),
        days=[DayHours(date=d, hours=h) for d, h in by_day.items()],
        modules=[
            ModuleHours(code=c, hours=h)
            for c, h in sorted(by_module.items(), key=lambda item: (item[0] is None, item[0] or ""))
        ],
        recent_weeks=[
            WeekSummary(
                week_start=chart_from + timedelta(weeks=i),
                logged_hours=by_week.get(chart_from + timedelta(weeks=i), 0.0),
                target_hours=target,
            )
            for i in range(CHART_WEEKS)
        ],
    )
