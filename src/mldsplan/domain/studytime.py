"""Pure calculations of study time: pace and balance over the log, the study week and the
recent weeks, the timer's status, and the log's listing and changes.

Nothing here reads a clock, a file or the environment: `on`/`now` is passed in.
Results are plain dataclasses (cheap to build at start-up); the CLI dumps them as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mldsplan.domain.assessments import Deadline, deadlines
from mldsplan.domain.constraints import EPSILON
from mldsplan.domain.dates import monday
from mldsplan.domain.loadrule import credited_schedule, hours_to_do, logged_by_module
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import LogEntry, Progress
from mldsplan.domain.results import Result
from mldsplan.domain.terms import term_of, window
from mldsplan.domain.weekplan import PlanRow, WeekPlan, plan_week

RECENT_DAYS = 28  # the recent pace: the last this-many days, the date's own included
CHART_WEEKS = 10


@dataclass(kw_only=True, eq=False, repr=False)
class WeekSummary:
    week_start: date
    logged_hours: float
    target_hours: float


@dataclass(kw_only=True, eq=False, repr=False)
class Balance:
    """Logged hours against the weekly target over a span (klog's should/diff)."""

    since: date
    target_hours: float
    logged_hours: float
    difference: float


@dataclass(kw_only=True, eq=False, repr=False)
class TimerStatus:
    running: bool
    module: str | None
    note: str | None
    started_at: datetime | None
    elapsed_hours: float | None
    started_today: bool | None  # on today's date in the student's zone; None unknown or idle


@dataclass(kw_only=True, eq=False, repr=False)
class Pace:
    """Hours logged a week over the spans of `study_span`, idle days included."""

    logged_hours: float
    entries: int
    first_entry: date
    span_days: int  # from the first entry to the date, both included
    recent_since: date  # RECENT_DAYS back, or the first entry when later
    recent_days: int
    recent_weeks: float  # recent_days / 7
    recent_weekly_hours: float
    overall_weekly_hours: float


@dataclass(kw_only=True, eq=False, repr=False)
class DayHours:
    date: date
    hours: float


@dataclass(kw_only=True, eq=False, repr=False)
class ModuleHours:
    code: str | None
    hours: float


@dataclass(kw_only=True, eq=False, repr=False)
class WeekResult(Result):
    week_start: date
    week_end: date
    target_hours: float
    logged_hours: float
    remaining_hours: float
    over_hours: float
    target_reached: bool  # the hours logged reach the target
    days: list[DayHours]
    modules: list[ModuleHours]
    recent_weeks: list[WeekSummary]
    deadlines: list[Deadline]
    balance: Balance | None
    term_balance: Balance | None
    timer: TimerStatus | None
    plan: list[PlanRow]  # the week's plan (SPEC §4, `weekplan`): soonest deadline first
    plan_total_hours: float
    available_hours: float
    over_committed_hours: float
    spare_hours: float


# --- pace and balance ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """The days pace and balance count over, and the hours logged in them."""

    since: date
    days: int  # from `since` to the date, both included; days without study count
    logged_hours: float

    @property
    def weeks(self) -> float:
        return self.days / 7


def study_span(log: Sequence[LogEntry], on: date, not_before: date | None = None) -> Span | None:
    """The one span rule of pace and balance (SPEC §4): from the first log entry up to `on`,
    or from `not_before` (on or before `on`) when that is later, to `on`, both included.
    None before the first entry: the weeks before it are never missed."""
    days = [e.on for e in log if e.on <= on]
    if not days:
        return None
    since = min(days) if not_before is None else max(min(days), not_before)
    logged = sum(e.hours for e in log if since <= e.on <= on)
    return Span(since=since, days=(on - since).days + 1, logged_hours=logged)


def pace(log: Sequence[LogEntry], on: date) -> Pace | None:
    """The student's pace up to `on`: since the first entry, and over the last RECENT_DAYS."""
    whole = study_span(log, on)
    recent = study_span(log, on, on - timedelta(days=RECENT_DAYS - 1))
    if whole is None or recent is None:
        return None
    return Pace(
        logged_hours=whole.logged_hours,
        entries=sum(1 for e in log if e.on <= on),
        first_entry=whole.since,
        span_days=whole.days,
        recent_since=recent.since,
        recent_days=recent.days,
        recent_weeks=recent.weeks,
        recent_weekly_hours=recent.logged_hours / recent.weeks,
        overall_weekly_hours=whole.logged_hours / whole.weeks,
    )


def _balance(span: Span | None, weekly: float) -> Balance | None:
    """Hours logged in the span against the weekly hours over its days (klog's should/diff)."""
    if span is None:
        return None
    target = weekly * span.weeks
    return Balance(
        since=span.since,
        target_hours=target,
        logged_hours=span.logged_hours,
        difference=span.logged_hours - target,
    )


def balance(log: Sequence[LogEntry], on: date, weekly: float) -> Balance | None:
    """Logged hours against the weekly hours from the first log entry to `on`."""
    return _balance(study_span(log, on), weekly)


def term_balance(
    programme: Programme, progress: Progress, on: date, weekly: float
) -> Balance | None:
    """The same balance over the current term: from its start, or from the first log entry
    when that is later, to `on`."""
    current = term_of(programme, progress, on)
    if current is None:
        return None
    dated = window(programme, progress, *current)
    assert dated is not None
    return _balance(study_span(progress.log, on, dated.start), weekly)


# --- the timer -------------------------------------------------------------


def timer_status(progress: Progress, now: datetime | None) -> TimerStatus | None:
    """The running timer with its elapsed hours at `now`; None when none runs."""
    t = progress.timer
    if t is None:
        return None
    elapsed = None if now is None else max(0.0, (now - t.started_at).total_seconds() / 3600)
    today = None if now is None else t.started_at.astimezone(now.tzinfo).date() == now.date()
    return TimerStatus(
        running=True,
        module=t.module,
        note=t.note,
        started_at=t.started_at,
        elapsed_hours=elapsed,
        started_today=today,
    )


@dataclass(kw_only=True, eq=False, repr=False)
class StatusResult(TimerStatus, Result):
    """`status`: the timer's state, as `progress` shows it, with the JSON's version."""


def status(progress: Progress, now: datetime) -> StatusResult:
    found = timer_status(progress, now) or TimerStatus(
        running=False,
        module=None,
        note=None,
        started_at=None,
        elapsed_hours=None,
        started_today=None,
    )
    return StatusResult(**vars(found))


# --- the study week --------------------------------------------------------


def study_week(
    programme: Programme,
    progress: Progress,
    on: date,
    target: float,
    now: datetime | None = None,
) -> WeekResult:
    """The ISO week (Monday to Sunday) containing `on`. `target`: the weekly hours the week
    and its plan are measured against (a what-if with `week --weekly-hours`); balances stay
    measured against the student's own weekly hours: they are history."""
    own_weekly = progress.weekly(programme)
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
    planned = week_plan(programme, progress, on, target)
    return WeekResult(
        week_start=first,
        week_end=last,
        target_hours=target,
        logged_hours=logged,
        remaining_hours=max(0.0, target - logged),
        over_hours=max(0.0, logged - target),
        target_reached=logged >= target - EPSILON,
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
        deadlines=deadlines(progress, first, last, on, overdue=False),
        balance=balance(progress.log, on, own_weekly),
        term_balance=term_balance(programme, progress, on, own_weekly),
        timer=timer_status(progress, now),
        plan=planned.plan,
        plan_total_hours=planned.plan_total_hours,
        available_hours=planned.available_hours,
        over_committed_hours=planned.over_committed_hours,
        spare_hours=planned.spare_hours,
    )


def week_plan(programme: Programme, progress: Progress, on: date, available: float) -> WeekPlan:
    """The week's plan (`weekplan`) for the week of `on`: each module's hours still to do as
    of the week's Monday, by the one load rule, and what was logged to it during the week."""
    first = monday(on)
    last = first + timedelta(days=6)
    before = logged_by_module([e for e in progress.log if e.on < first])
    during = logged_by_module([e for e in progress.log if first <= e.on <= last])
    to_do = {
        p.module.code: hours_to_do(programme, p, before)
        for p in credited_schedule(programme, progress)
    }
    return plan_week(programme, progress, on, available, to_do, during)


@dataclass(kw_only=True, eq=False, repr=False)
class StudyWeeks:
    """The last weeks up to `on`, this one included, and what was logged in them."""

    weeks: list[WeekResult]  # oldest first; the last is the week of `on`, so far
    total_hours: float
    average_hours: float  # a week, over all of them
    weeks_reached: int  # full weeks (not this one) whose target was reached
    weeks_counted: int  # full weeks (not this one) from the first log entry's week on
    entries: list[LogEntry]  # logged from the first week's Monday to `on`, newest first
    entries_before: int  # entries logged before the first week


def study_weeks(programme: Programme, progress: Progress, on: date, count: int) -> StudyWeeks:
    """The `count` ISO weeks up to the week of `on`, each against the weekly hours."""
    weekly = progress.weekly(programme)
    weeks = [
        study_week(programme, progress, monday(on) - timedelta(weeks=back), weekly)
        for back in range(count - 1, -1, -1)
    ]
    first = weeks[0].week_start
    total = sum(w.logged_hours for w in weeks)
    began = min((e.on for e in progress.log if e.on <= on), default=None)
    return StudyWeeks(
        weeks=weeks,
        total_hours=total,
        average_hours=total / count,
        weeks_reached=sum(w.target_reached for w in weeks[:-1]),
        weeks_counted=sum(began is not None and w.week_end >= began for w in weeks[:-1]),
        entries=sorted(
            (e for e in progress.log if first <= e.on <= on), key=lambda e: e.on, reverse=True
        ),
        entries_before=sum(1 for e in progress.log if e.on < first),
    )


# --- the log ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogRow:
    on: date
    hours: float
    module: str | None
    note: str | None


@dataclass(kw_only=True, eq=False, repr=False)
class LogListResult(Result):
    """`log --list`: the entries by date, numbered from 1 as `log --remove N` and
    `log --edit N` take them."""

    entries: list[LogRow]


def _row(entry: LogEntry) -> LogRow:
    return LogRow(on=entry.on, hours=entry.hours, module=entry.module, note=entry.note)


def log_order(log: Sequence[LogEntry]) -> list[int]:
    """The listing's order: where each entry is in the file, by date, and in the order
    they were logged on one date. Entry N of the listing is `log[log_order(log)[N - 1]]`."""
    return sorted(range(len(log)), key=lambda i: log[i].on)


def log_position(log: Sequence[LogEntry], number: int | None) -> int | None:
    """Where entry `number` of the listing is in the file (1-based, as `changes` takes it);
    a number outside the listing stays as it is, for the change to refuse."""
    if number is None or not 1 <= number <= len(log):
        return number
    return log_order(log)[number - 1] + 1


def log_number(log: Sequence[LogEntry], index: int) -> int:
    """The listing's number of the entry at `index` in the file."""
    return log_order(log).index(index) + 1


def log_list(progress: Progress) -> LogListResult:
    return LogListResult(entries=[_row(progress.log[i]) for i in log_order(progress.log)])


@dataclass(kw_only=True, eq=False, repr=False)
class LogChangeResult(Result):
    """`log HOURS`, `log --remove N`, `log --undo`, `log --edit N`: the entry and its day
    and week after."""

    action: str  # "logged", "removed" or "edited"
    number: int  # the entry's number as `log --list` gives it (a removed one: it had)
    entry: LogRow
    day_hours: float  # logged on the entry's date, after the change
    week_start: date  # the Monday of the entry's study week
    week_hours: float  # logged in that week, Monday to Sunday, after the change
    week_target_hours: float  # the student's weekly hours


def log_change(
    programme: Programme, progress: Progress, action: str, number: int, entry: LogEntry
) -> LogChangeResult:
    """What a change to the log did; `progress` is the record after it."""
    first = monday(entry.on)
    last = first + timedelta(days=6)
    return LogChangeResult(
        action=action,
        number=number,
        entry=_row(entry),
        day_hours=sum(e.hours for e in progress.log if e.on == entry.on),
        week_start=first,
        week_hours=sum(e.hours for e in progress.log if first <= e.on <= last),
        week_target_hours=progress.weekly(programme),
    )
