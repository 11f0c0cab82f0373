"""Commands that only read: each loads the record and asks the domain for a result.

The CLI then prints the result as JSON or hands it to `output.render`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain.errors import InputError

if TYPE_CHECKING:  # each command imports only the domain it uses (start-up, ARCHITECTURE.md)
    from mldsplan.domain import assessments, calendar, marks, studytime, workload
    from mldsplan.domain.programme import Programme

MAX_DAYS_AHEAD = 3660


def plan(session: Session) -> tuple[Programme, workload.PlanResult]:
    from mldsplan.domain import workload

    programme, record = session.load()
    return programme, workload.plan(programme, record, session.today)


def plan_codes(session: Session) -> list[tuple[str, str]]:
    """Each module's code and title in the programme's order (`plan --codes`): no record read."""
    return [(m.code, str(m.title)) for m in session.programme().modules]


def progress(session: Session) -> tuple[Programme, workload.ProgressResult]:
    from mldsplan.domain import workload

    programme, record = session.load()
    return programme, workload.progress_summary(programme, record, session.today, session.now)


def hours(
    session: Session, weekly_hours: float | None, on: str | None
) -> tuple[Programme, workload.HoursResult]:
    from mldsplan.domain import workload
    from mldsplan.domain.changes import check_weekly_hours

    if weekly_hours is not None:
        check_weekly_hours(weekly_hours)
    programme, record = session.load()
    day = arguments.day_or(on, session.today)
    return programme, workload.hours_summary(programme, record, day, weekly_hours)


def week(
    session: Session, on: str | None, weekly_hours: float | None = None
) -> studytime.WeekResult:
    """`weekly_hours`: a what-if for the week's target and its plan."""
    from mldsplan.domain import studytime
    from mldsplan.domain.changes import check_weekly_hours

    if weekly_hours is not None:
        check_weekly_hours(weekly_hours)
    programme, record = session.load()
    day = arguments.day_or(on, session.today)
    weekly = record.weekly(programme) if weekly_hours is None else weekly_hours
    return studytime.study_week(programme, record, day, weekly, session.now)


def grades(session: Session) -> tuple[Programme, marks.GradesResult]:
    from mldsplan.domain import marks

    programme, record = session.load()
    return programme, marks.grades(programme, record)


def target(session: Session, assume: list[str]) -> marks.TargetResult:
    from mldsplan.domain import marks

    programme, record = session.load()
    return marks.targets(programme, record, arguments.assumptions(programme, assume))


def calendar_view(session: Session) -> calendar.CalendarResult:
    from mldsplan.domain import calendar

    programme, record = session.load()
    return calendar.calendar_view(programme, record, session.today)


def status(session: Session) -> studytime.StatusResult:
    from mldsplan.domain import studytime

    _, record = session.load()
    return studytime.status(record, session.now)


def due(session: Session, days: int, on: str | None) -> assessments.DueResult:
    from mldsplan.domain import assessments

    if not 0 <= days <= MAX_DAYS_AHEAD:
        raise InputError(f"{days} must be 0 to {MAX_DAYS_AHEAD}", argument="days")
    _, record = session.load()
    return assessments.due(record, arguments.day_or(on, session.today), days)


def assess_list(session: Session, module: str | None) -> assessments.AssessListResult:
    from mldsplan.domain import assessments

    programme, record = session.load()
    code = None if module is None else arguments.code(programme, module)
    return assessments.assess_list(programme, record, code)


def log_list(session: Session) -> studytime.LogListResult:
    from mldsplan.domain import studytime

    _, record = session.load()
    return studytime.log_list(record)
