"""Pure calculations of study time: pace and balance over the log, the study week and the
recent weeks, the timer's status, and the log's listing and changes.

Pace, balance, day and week totals and charts read the dated log (`progress.log`) alone:
the hours studied before tracking (`progress.opening`) have no date and never count
there; they count only in the week's plan, through the load rule (`loadrule`).

Nothing here reads a clock, a file or the environment: `on`/`now` is passed in.
Results are `record`s (cheap to create at start-up); the CLI dumps them as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from mldsplan.domain.assessments import Deadline
from mldsplan.domain.constraints import EPSILON
from mldsplan.domain.dates import week_bounds
from mldsplan.domain.facts import RECENT_DAYS, Facts
from mldsplan.domain.loadrule import hours_to_do
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import LogEntry, Opening, Progress
from mldsplan.domain.results import Result, frozen_record, record
from mldsplan.domain.weekplan import PlanRow, WeekPlan, plan_week

if TYPE_CHECKING:
    from mldsplan.domain.programme import Programme

CHART_WEEKS = 10


@record
class WeekSummary:
    week_start: date
    logged_hours: float
    target_hours: float


@record
class Balance:
    """Logged hours against the weekly target over a span (klog's should/diff)."""

    since: date
    target_hours: float
    logged_hours: float
    difference: float


@record
class TimerStatus:
    running: bool
    module: str | None
    note: str | None
    started_at: datetime | None
    elapsed_hours: float | None
    started_today: bool | None  # on today's date in the student's zone; None unknown or idle


@record
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


@record
class DayHours:
    date: date
    hours: float


@record
class ModuleHours:
    code: str | None
    hours: float


@record
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


class Span:
    """The days pace and balance count over, and the hours logged in them (a plain class:
    internal, never in a result, and cheap to create)."""

    __slots__ = ("days", "logged_hours", "since")

    def __init__(self, *, since: date, days: int, logged_hours: float) -> None:
        self.since = since
        self.days = days  # from `since` to the date, both included; days without study count
        self.logged_hours = logged_hours

    @property
    def weeks(self) -> float:
        return self.days / 7  # `dates.weeks_between(since, the date)`, from the days kept


def span(first: date | None, on: date, not_before: date | None, hours: list[float]) -> Span | None:
    """The one span rule of pace and balance (SPEC §4): from the first log entry (`first`,
    on or before `on`) up to `on`, or from `not_before` (on or before `on`) when that is
    later, both included; `hours`: each entry's logged in it. None before the first entry:
    the weeks before it are never missed."""
    if first is None:
        return None
    since = first if not_before is None else max(first, not_before)
    return Span(since=since, days=(on - since).days + 1, logged_hours=sum(hours))


def pace(facts: Facts) -> Pace | None:
    """The student's pace up to `on`: since the first entry, and over the last RECENT_DAYS."""
    on, log = facts.on, facts.log
    whole = span(log.first, on, None, log.up_to)
    recent = span(log.first, on, on - timedelta(days=RECENT_DAYS - 1), log.recent)
    if whole is None or recent is None:
        return None
    return Pace(
        logged_hours=whole.logged_hours,
        entries=len(log.up_to),
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


def balance(facts: Facts, weekly: float) -> Balance | None:
    """Logged hours against the weekly hours from the first log entry to `on`."""
    log = facts.log
    return _balance(span(log.first, facts.on, None, log.up_to), weekly)


def term_balance(facts: Facts, weekly: float) -> Balance | None:
    """The same balance over the current term: from its start, or from the first log entry
    when that is later, to `on`."""
    current = facts.current_term
    if current is None:
        return None
    dated = facts.window(*current)
    assert dated is not None
    log = facts.log
    return _balance(span(log.first, facts.on, dated.start, log.in_term), weekly)


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


@record
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


def study_week(facts: Facts, target: float) -> WeekResult:
    """The ISO week (Monday to Sunday) containing the facts' day. `target`: the weekly hours
    the week and its plan are measured against (a what-if with `week --weekly-hours`);
    balances stay measured against the student's own weekly hours: they are history."""
    log = facts.log
    own_weekly = facts.weekly
    first, last = facts.week
    by_day = {first + timedelta(days=i): log.day_hours(first + timedelta(days=i)) for i in range(7)}
    chart_from = first - timedelta(weeks=CHART_WEEKS - 1)
    logged = sum(by_day.values())
    planned = week_plan(facts, target)
    return WeekResult(
        week_start=first,
        week_end=last,
        target_hours=target,
        logged_hours=logged,
        remaining_hours=max(0.0, target - logged),
        over_hours=max(0.0, logged - target),
        target_reached=reached(logged, target),
        days=[DayHours(date=d, hours=h) for d, h in by_day.items()],
        modules=[
            ModuleHours(code=c, hours=h)
            for c, h in sorted(
                log.in_week.items(), key=lambda item: (item[0] is None, item[0] or "")
            )
        ],
        recent_weeks=[
            WeekSummary(
                week_start=chart_from + timedelta(weeks=i),
                logged_hours=log.by_week.get(chart_from + timedelta(weeks=i), 0.0),
                target_hours=target,
            )
            for i in range(CHART_WEEKS)
        ],
        deadlines=facts.deadlines(first, last, overdue=False),
        balance=balance(facts, own_weekly),
        term_balance=term_balance(facts, own_weekly),
        timer=timer_status(facts.record, facts.now),
        plan=planned.plan,
        plan_total_hours=planned.plan_total_hours,
        available_hours=planned.available_hours,
        over_committed_hours=planned.over_committed_hours,
        spare_hours=planned.spare_hours,
    )


def reached(logged: float, target: float) -> bool:
    """A week's target is reached by the hours logged (through float noise)."""
    return logged >= target - EPSILON


def week_plan(facts: Facts, available: float) -> WeekPlan:
    """The week's plan (`weekplan`) for the week of the facts' day: each module's hours
    still to do as of the week's Monday, by the one load rule, and what was logged to it
    during the week."""
    return facts.once(("week_plan", available), lambda: _week_plan(facts, available))


def _week_plan(facts: Facts, available: float) -> WeekPlan:
    before = facts.log.before_week
    during = {code: hours for code, hours in facts.log.in_week.items() if code is not None}
    to_do = {
        p.module.code: hours_to_do(facts.programme, p, before) for p in facts.credited_schedule
    }
    return plan_week(facts, available, to_do, during)


@record
class StudiedWeek:
    """A week of `study_weeks`: what was logged in it against the weekly hours."""

    week_start: date
    week_end: date
    logged_hours: float
    target_hours: float
    target_reached: bool


@record
class StudyWeeks:
    """The last weeks up to `on`, this one included, and what was logged in them."""

    weeks: list[StudiedWeek]  # oldest first; the last is the week of `on`, so far
    total_hours: float
    average_hours: float  # a week, over all of them
    weeks_reached: int  # full weeks (not this one) whose target was reached
    weeks_counted: int  # full weeks (not this one) from the first log entry's week on
    entries: list[LogEntry]  # logged from the first week's Monday to `on`, newest first
    entries_before: int  # entries logged before the first week


def study_weeks(facts: Facts, count: int) -> StudyWeeks:
    """The `count` ISO weeks up to the week of the facts' day, each against the weekly
    hours."""
    on, log, weekly = facts.on, facts.log, facts.weekly
    weeks = []
    for back in range(count - 1, -1, -1):
        first, last = week_bounds(facts.week[0] - timedelta(weeks=back))
        logged = sum(log.day_hours(first + timedelta(days=i)) for i in range(7))
        weeks.append(
            StudiedWeek(
                week_start=first,
                week_end=last,
                logged_hours=logged,
                target_hours=weekly,
                target_reached=reached(logged, weekly),
            )
        )
    first = weeks[0].week_start
    total = sum(w.logged_hours for w in weeks)
    began = log.first
    return StudyWeeks(
        weeks=weeks,
        total_hours=total,
        average_hours=total / count,
        weeks_reached=sum(w.target_reached for w in weeks[:-1]),
        weeks_counted=sum(began is not None and w.week_end >= began for w in weeks[:-1]),
        entries=log.entries(first, on),
        entries_before=log.count_before(first),
    )


# --- the log ---------------------------------------------------------------


@frozen_record(kw_only=False)
class LogRow:
    on: date | None  # None: hours studied before tracking (`opening`)
    hours: float
    module: str | None
    note: str | None
    opening: bool = False  # hours studied before tracking: no date, never in pace or totals


def log_row(entry: LogEntry | Opening) -> LogRow:
    if isinstance(entry, Opening):
        return LogRow(None, entry.hours, entry.module, entry.note, opening=True)
    return LogRow(*entry[:4])


@record
class LogListResult(Result):
    """`log --list`: the dated entries by date, then the opening ones (studied before
    tracking), numbered from 1 as `log --remove N` and `log --edit N` take them."""

    entries: list[LogRow]


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
    rows = [log_row(progress.log[i]) for i in log_order(progress.log)]
    return LogListResult(entries=rows + [log_row(o) for o in progress.opening])


@record
class LogChangeResult(Result):
    """`log HOURS`, `log --remove N`, `log --undo`, `log --edit N`: the entry and its day
    and week after (None for an opening entry: it has no day or week)."""

    action: str  # "logged", "removed" or "edited"
    number: int  # the entry's number as `log --list` gives it (a removed one: it had)
    entry: LogRow
    day_hours: float | None  # logged on the entry's date, after the change
    week_start: date | None  # the Monday of the entry's study week
    week_hours: float | None  # logged in that week, Monday to Sunday, after the change
    week_target_hours: float  # the student's weekly hours


def log_change(
    programme: Programme,
    progress: Progress,
    action: str,
    number: int,
    entry: LogEntry | Opening,
) -> LogChangeResult:
    """What a change to the log did; `progress` is the record after it."""
    if isinstance(entry, Opening):
        return LogChangeResult(
            action=action,
            number=number,
            entry=log_row(entry),
            day_hours=None,
            week_start=None,
            week_hours=None,
            week_target_hours=progress.weekly(programme),
        )
    first, last = week_bounds(entry.on)
    return LogChangeResult(
        action=action,
        number=number,
        entry=log_row(entry),
        day_hours=sum(e.hours for e in progress.log if e.on == entry.on),
        week_start=first,
        week_hours=sum(e.hours for e in progress.log if first <= e.on <= last),
        week_target_hours=progress.weekly(programme),
    )
