"""Pure calculations: the plan, progress, and the hours left (heavy terms, the plan's
warnings; each term's needed load is `loadrule.term_loads`). Study time (pace, balance,
the study week) is `studytime`'s.

Nothing here reads a clock, a file or the environment: `today`/`on` is passed in.
Results are `record`s (cheap to create at start-up); the CLI dumps them as JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from mldsplan.domain.assessments import Deadline
from mldsplan.domain.dates import monday, weeks_between
from mldsplan.domain.facts import Facts
from mldsplan.domain.labels import term_needed_a_week
from mldsplan.domain.loadrule import TermNeed, hours_to_do, term_loads
from mldsplan.domain.marks import (
    PASSED,
    EctsPoint,
    FailedModule,
    capped,
    counted_mark,
    ects_done,
    ects_done_by_day,
    grades,
    modules_done,
)
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Progress
from mldsplan.domain.results import Result, record
from mldsplan.domain.studytime import (
    Balance,
    Pace,
    TimerStatus,
    WeekSummary,
    balance,
    pace,
    study_week,
    term_balance,
    timer_status,
    week_plan,
)
from mldsplan.domain.terms import (
    Planned,
    programme_end,
    registration_end,
    term_index,
)
from mldsplan.domain.weekplan import WeekPlan

HEAVY_FACTOR = 1.10  # a term is heavy when its needed load passes the weekly hours by 10 %

# What kind of warning each of the plan's warnings is (`ProgressResult.warnings_shown_by`,
# in this order): a term's load, or the plan itself. Which command shows each is the CLI's.
LOAD_WARNING, PLAN_WARNING = "load", "plan"


@record
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
    attempts_left: int | None = None  # a failed module: the attempts the programme still allows

    @property
    def capped(self) -> bool:
        """A resit's mark above the cap: the mark that counts is lower (`marks.capped`)."""
        return capped(self.mark, self.counted_mark)

    @property
    def status_text(self) -> str:
        """The status as every report words it."""
        left = self.attempts_left
        tries = "" if left is None else f" ({left} attempt{'s' * (left != 1)} left)"
        return (
            self.status + tries + (f" (moved from year {self.year})" if self.deferred_years else "")
        )


@record
class PlanResult(Result):
    programme: str
    programme_name: str
    start: str | None
    modules: list[PlanModule]
    warnings: list[str]


@record
class TermProgress:
    year: int
    term: int
    start: date | None
    end: date | None
    ects: float
    ects_done: float
    complete: bool  # every module planned in the term is done


@record
class NextBlock:
    """The study block running now or the next one this week (`schedule`'s `Block`, less
    its id): what `progress` shows as "Next study block"."""

    start: datetime  # in the student's zone, with its offset
    end: datetime
    code: str
    minutes: int
    assessment: str | None  # None: the block serves the term's end
    due: date  # that assessment's due date (or the term's end)


@record
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
    required_weekly_hours: float | None  # needed a week to finish on time, as `hours` says
    planned_end: date | None
    current_year: int | None
    current_term: int | None
    terms: list[TermProgress]
    this_week: WeekSummary
    balance: Balance | None
    term_balance: Balance | None
    average: float | None
    band: str | None
    marked_ects: float
    failed: list[FailedModule]  # failed (or compensated) modules, with the attempts left
    next_deadline: Deadline | None
    overdue_assessments: list[Deadline]  # past due without a mark (not in next_deadline)
    timer: TimerStatus | None
    warnings: list[str]
    # The kinds of the warnings (LOAD_WARNING, PLAN_WARNING), in that order; the command
    # words them as the commands that show them ("mldsplan hours", "mldsplan plan").
    warnings_shown_by: list[str]
    week_plan: WeekPlan  # this week's plan (SPEC §4), as `week` gives it
    # The next study block (set by the command, which reads the calendars): None without
    # study windows or when none is left this week.
    next_block: NextBlock | None = None


@record
class TermLoad:
    year: int
    term: int
    start: date | None
    end: date | None
    hours_remaining: float
    weeks_left: float | None
    weekly_load: float | None
    heavy: bool
    overdue: bool
    source: str | None


@record
class ModuleTime:
    code: str
    budget_hours: float
    logged_hours: float  # dated: logged since tracking began
    opening_hours: float  # studied before tracking (`log --opening`)
    percent_used: float  # logged and opening hours as a percentage of the budget


@record
class HoursResult(Result):
    on: date
    hours_remaining: float
    weekly_hours: float
    weeks_remaining: float
    finish_date: date
    pace_finish_date: date | None  # at pace.recent_weekly_hours; None without recent study
    programme_end: date | None
    required_weekly_hours: float | None
    planned_end: date | None
    registration_end: date | None
    terms: list[TermLoad]
    pace: Pace | None
    balance: Balance | None
    term_balance: Balance | None
    modules: list[ModuleTime]
    hours_without_module: float  # logged without a module: it reduces no module's hours
    deadline_weeks: list[date]
    warnings: list[str]


# --- hours left and term loads ---------------------------------------------


def hours_remaining(facts: Facts) -> float:
    logged = facts.log.studied
    return sum(hours_to_do(facts.programme, p, logged) for p in facts.credited_schedule)


def required_weekly_hours(remaining: float, on: date, end: date | None) -> float | None:
    """The hours needed a week to finish on time (SPEC §4): the hours left over the weeks
    from `on` to the programme's `end`, both included; None without an end or after it."""
    if end is None or on > end:
        return None
    return remaining / weeks_between(on, end)


def is_heavy(load: TermNeed, weekly: float) -> bool:
    """The table's mark: the needed load passes the weekly hours times HEAVY_FACTOR."""
    return load.needed is not None and load.needed > weekly * HEAVY_FACTOR


def needs_warning(load: TermNeed, weekly: float) -> bool:
    """A warning: heavy, and also over the programme's own load for the term by as much."""
    return (
        is_heavy(load, weekly) and load.needed is not None and load.needed > load.own * HEAVY_FACTOR
    )


# --- plan ------------------------------------------------------------------


def plan(facts: Facts) -> PlanResult:
    programme, on = facts.programme, facts.on
    rows = []
    found = facts.standings
    for p in facts.schedule:
        dated = facts.window(p.year, p.term)
        standing = found.get(p.module.code)
        done = standing.credit if standing else None
        failed = standing is not None and standing.state != PASSED
        rows.append(
            PlanModule(
                code=p.module.code,
                title=p.module.title,
                year=p.module.year,
                term=p.module.term,
                ects=p.module.ects,
                hours=programme.hours(p.module),
                part_of=p.module.part_of,
                status=(
                    standing.state
                    if standing and failed
                    else "done"
                    if done
                    else "overdue"
                    if dated and dated.end < on
                    else "todo"
                ),
                completed_on=done.on if done else None,
                mark=done.mark if done else None,
                resit=standing is not None and standing.is_resit,
                counted_mark=counted_mark(programme, standing),
                planned_year=p.year,
                planned_term=p.term,
                deferred_years=p.year - p.module.year,
                term_start=dated.start if dated else None,
                term_end=dated.end if dated else None,
                assumed=p.module.assumed,
                attempts_left=standing.attempts_left if standing and not done else None,
            )
        )
    return PlanResult(
        programme=programme.id,
        programme_name=programme.name,
        start=facts.record.start,
        modules=rows,
        warnings=warnings(facts),
    )


def plan_warnings(
    programme: Programme, progress: Progress, on: date, weekly: float | None = None
) -> list[str]:
    """`warnings` for a record on its own (`check`, and after a change)."""
    return warnings(Facts(programme, progress, on), weekly)


def warnings(facts: Facts, weekly: float | None = None) -> list[str]:
    """What a planner owes the student about their schedule; `weekly`: a what-if pace that
    the needed loads are measured against instead of the student's weekly hours."""
    return _warnings(facts, weekly)[0]


def _warnings(facts: Facts, weekly: float | None = None) -> tuple[list[str], int]:
    """The warnings, and how many of them (the first) are about a term's load."""
    programme = facts.programme
    plan = facts.schedule
    weekly = facts.weekly if weekly is None else weekly
    warnings = []
    for load in term_loads(facts):
        if needs_warning(load, weekly):
            assert load.needed is not None
            warnings.append(
                f"{term_needed_a_week(load.year, load.term, load.needed)},"
                f" more than your {hours_text(weekly)} h/week"
            )
    loads = len(warnings)
    todo_terms = [term_index(programme, p.year, p.term) for p in plan if not p.done]
    limit = programme.max_registration_months
    per_term = 12 / programme.terms_per_year
    if limit is not None and todo_terms and (max(todo_terms) + 1) * per_term > limit:
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
    for final, later, _ in last_module_conflicts(plan):
        warnings.append(
            f"{final} must come after every other module, but"
            f" {', '.join(later)} {'is' if len(later) == 1 else 'are'} planned no earlier"
        )
    return warnings, loads


def last_module_conflicts(plan: Sequence[Planned]) -> list[tuple[str, list[str], int]]:
    """Each module that must come last (the project) and is not, in the student's schedule
    `plan`, with the modules planned no earlier than it, and how many years later it must
    be taken to come after them."""
    found = []
    for final in (p for p in plan if p.module.must_be_last and not p.done):
        later = [
            p
            for p in plan
            if p is not final and not p.done and (p.year, p.term) >= (final.year, final.term)
        ]
        if later:
            years = max(p.year - final.year + (p.term >= final.term) for p in later)
            found.append((final.module.code, [p.module.code for p in later], years))
    return found


def warning_kinds(warnings: list[str], loads: int) -> list[str]:
    """The kinds among `warnings`, of which the first `loads` are about a term's load:
    LOAD_WARNING (`hours`' table shows the loads), then PLAN_WARNING (the rest)."""
    return ([LOAD_WARNING] if loads else []) + ([PLAN_WARNING] if len(warnings) > loads else [])


# --- progress --------------------------------------------------------------


def finish_at(on: date, hours_left: float, weekly: float) -> date:
    """The date + ceil(7 x hours_remaining / weekly) days."""
    return on + timedelta(days=math.ceil(7 * hours_left / weekly))


def pace_finish(on: date, hours_left: float, studied: Pace | None) -> date | None:
    """The finish date at the recent pace; None without one, or past the calendar's end."""
    if studied is None or studied.recent_weekly_hours <= 0:
        return None
    try:
        return finish_at(on, hours_left, studied.recent_weekly_hours)
    except OverflowError:  # a few minutes in four weeks: no date the calendar holds
        return None


def progress_summary(facts: Facts) -> ProgressResult:
    """Progress on the facts' day; the timer's status at their `now` (none without one)."""
    programme, progress, on = facts.programme, facts.record, facts.on
    weekly = facts.weekly
    done = ects_done(facts)
    remaining_hours = hours_remaining(facts)
    start = facts.start
    end = programme_end(programme, start) if start else None
    plan = facts.schedule
    passed = facts.credited  # a compensated module counts as done
    terms = []
    for year, term in facts.planned_terms:
        here = [p for p in plan if (p.year, p.term) == (year, term)]
        dated = facts.window(year, term)
        terms.append(
            TermProgress(
                year=year,
                term=term,
                start=dated.start if dated else None,
                end=dated.end if dated else None,
                ects=sum(p.module.ects for p in here),
                ects_done=sum(p.module.ects for p in here if p.module.code in passed),
                complete=all(p.module.code in passed for p in here),
            )
        )
    week = study_week(facts, weekly)
    current = facts.current_term
    marks = grades(facts)
    upcoming = facts.deadlines(on, date.max, overdue=False)
    late = [d for d in facts.deadlines(on, on) if d.overdue]
    warnings, loads = _warnings(facts)
    return ProgressResult(
        programme=programme.id,
        programme_name=programme.name,
        start=progress.start,
        on=on,
        ects_total=programme.total_ects,
        ects_done=done,
        ects_remaining=programme.total_ects - done,
        percent=100 * done / programme.total_ects,
        modules_total=programme.counted_modules,
        modules_done=modules_done(facts),
        hours_per_ects=programme.hours_per_ects,
        weekly_hours=weekly,
        hours_remaining=remaining_hours,
        weeks_remaining=remaining_hours / weekly,
        finish_date=finish_at(on, remaining_hours, weekly),
        programme_end=end,
        required_weekly_hours=required_weekly_hours(remaining_hours, on, end),
        planned_end=facts.planned_end,
        current_year=current[0] if current else None,
        current_term=current[1] if current else None,
        terms=terms,
        this_week=WeekSummary(
            week_start=week.week_start, logged_hours=week.logged_hours, target_hours=weekly
        ),
        balance=balance(facts, weekly),
        term_balance=term_balance(facts, weekly),
        average=marks.average,
        band=marks.band,
        marked_ects=marks.marked_ects,
        failed=marks.failed,
        next_deadline=upcoming[0] if upcoming else None,
        overdue_assessments=late,
        timer=timer_status(progress, facts.now),
        warnings=warnings,
        warnings_shown_by=warning_kinds(warnings, loads),
        week_plan=week_plan(facts, weekly),
    )


@record
class EctsTimeline:
    """Cumulative ECTS over time: done, and as planned."""

    done: list[EctsPoint]  # by each day a module was completed
    planned: list[EctsPoint]  # by each planned term's end (none without a start month)
    planned_by_today: float | None  # by the last planned term's end up to `on`; None undated


def ects_timeline(facts: Facts, terms: Sequence[TermProgress]) -> EctsTimeline:
    """`terms`: the planned terms, as `progress_summary` gives them."""
    on = facts.on
    planned: list[EctsPoint] = []
    total = 0.0
    for t in terms:
        if t.end is not None:
            total += t.ects
            planned.append(EctsPoint(on=t.end, ects=total))
    reached = [p.ects for p in planned if p.on <= on]
    return EctsTimeline(
        done=ects_done_by_day(facts),
        planned=planned,
        planned_by_today=(reached[-1] if reached else 0.0) if planned else None,
    )


# --- hours -----------------------------------------------------------------


def hours_summary(facts: Facts, weekly: float | None = None) -> HoursResult:
    """`weekly`: a what-if pace: the weeks, the finish date, heavy terms and load warnings
    are measured against it. Balances stay measured against the student's own weekly hours:
    they are history."""
    programme, on = facts.programme, facts.on
    own_weekly = facts.weekly
    weekly = own_weekly if weekly is None else weekly
    remaining_hours = hours_remaining(facts)
    start = facts.start
    end = programme_end(programme, start) if start else None
    required = required_weekly_hours(remaining_hours, on, end)
    terms = []
    for load in term_loads(facts):
        if load.window is not None and load.window.end < on and load.todo == 0:
            continue  # an ended term with nothing left
        if load.window is None and load.todo == 0:
            continue
        terms.append(
            TermLoad(
                year=load.year,
                term=load.term,
                start=load.window.start if load.window else None,
                end=load.window.end if load.window else None,
                hours_remaining=load.todo,
                weeks_left=load.weeks_left,
                weekly_load=load.needed,
                heavy=is_heavy(load, weekly),
                overdue=load.overdue,
                source=load.window.source if load.window else None,
            )
        )
    logged = facts.log.by_module
    before = facts.log.opening
    modules = [
        ModuleTime(
            code=m.code,
            budget_hours=programme.hours(m),
            logged_hours=logged.get(m.code, 0.0),
            opening_hours=before.get(m.code, 0.0),
            percent_used=100
            * (logged.get(m.code, 0.0) + before.get(m.code, 0.0))
            / programme.hours(m),
        )
        for m in programme.modules
        if m.code in logged or m.code in before
    ]
    studied = pace(facts)
    return HoursResult(
        on=on,
        hours_remaining=remaining_hours,
        weekly_hours=weekly,
        weeks_remaining=remaining_hours / weekly,
        finish_date=finish_at(on, remaining_hours, weekly),
        pace_finish_date=pace_finish(on, remaining_hours, studied),
        programme_end=end,
        required_weekly_hours=required,
        planned_end=facts.planned_end,
        registration_end=registration_end(programme, start) if start else None,
        terms=terms,
        pace=studied,
        balance=balance(facts, own_weekly),
        term_balance=term_balance(facts, own_weekly),
        modules=modules,
        hours_without_module=sum(facts.log.without_module),
        deadline_weeks=sorted(w for w in facts.deadline_weeks if w >= monday(on)),
        warnings=warnings(facts, weekly),
    )
