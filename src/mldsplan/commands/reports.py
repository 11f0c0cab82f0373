"""Commands that only read: each loads the record, builds one `Facts` (the snapshot every
figure of the command is derived from, once) and asks the domain for a finished result.

The CLI then prints the result as JSON or hands it to its presenter
(`cli/presenters.py`), which only draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain.errors import InputError

if TYPE_CHECKING:  # each command imports only the domain it uses (start-up, ARCHITECTURE.md)
    from mldsplan.domain import assessments, calendar, marks, studytime, workload
    from mldsplan.domain.facts import Facts
    from mldsplan.domain.programme import Programme

MAX_DAYS_AHEAD = 3660

# Which command shows each kind of the plan's warnings (`workload.warning_kinds`).
SHOWN_BY = {"load": "mldsplan hours", "plan": "mldsplan plan"}


def facts(session: Session, on: str | None = None, *, timer: bool = True) -> Facts:
    """The record loaded and checked, as one snapshot for the day typed as `on` (today
    without one); with `timer`, the run's `now` for the timer's status."""
    from mldsplan.domain.facts import Facts

    programme, record = session.load()
    day = arguments.day_or(on, session.today)
    return Facts(programme, record, day, session.now if timer else None)


def plan(session: Session) -> tuple[Programme, workload.PlanResult]:
    from mldsplan.domain import workload

    found = facts(session)
    return found.programme, workload.plan(found)


class ModuleCodes(list[tuple[str, str]]):
    """`plan --codes`: each module's code and title, in the programme's order (plain text)."""


def plan_codes(session: Session) -> ModuleCodes:
    """Each module's code and title in the programme's order (`plan --codes`): no record read."""
    return ModuleCodes((m.code, str(m.title)) for m in session.programme().modules)


def progress(session: Session) -> tuple[Programme, workload.ProgressResult]:
    from mldsplan.domain import workload

    found = facts(session)
    result = workload.progress_summary(found)
    result.warnings_shown_by = [SHOWN_BY[kind] for kind in result.warnings_shown_by]
    if not found.record.windows:  # no blocks without windows: the scheduler is not loaded
        return found.programme, result
    from mldsplan.commands.schedule import next_block

    block = next_block(session, (found.programme, found.record))
    if block is not None:
        result.next_block = workload.NextBlock(
            start=block.start,
            end=block.end,
            code=block.code,
            minutes=block.minutes,
            assessment=block.assessment,
            due=block.due,
        )
    return found.programme, result


def hours(
    session: Session, weekly_hours: float | None, on: str | None
) -> tuple[Programme, workload.HoursResult]:
    from mldsplan.domain import workload
    from mldsplan.domain.changes import check_weekly_hours

    if weekly_hours is not None:
        check_weekly_hours(weekly_hours)
    found = facts(session, on)
    return found.programme, workload.hours_summary(found, weekly_hours)


def week(
    session: Session, on: str | None, weekly_hours: float | None = None
) -> studytime.WeekResult:
    """`weekly_hours`: a what-if for the week's target and its plan."""
    from mldsplan.domain import studytime
    from mldsplan.domain.changes import check_weekly_hours

    if weekly_hours is not None:
        check_weekly_hours(weekly_hours)
    found = facts(session, on)
    return studytime.study_week(found, found.weekly if weekly_hours is None else weekly_hours)


def grades(session: Session) -> tuple[Programme, marks.GradesResult]:
    from mldsplan.domain import marks

    found = facts(session)
    return found.programme, marks.grades(found)


def target(session: Session, assume: list[str]) -> marks.TargetResult:
    from mldsplan.domain import marks

    found = facts(session)
    return marks.targets(found, arguments.assumptions(found.programme, assume))


def calendar_view(session: Session) -> calendar.CalendarResult:
    from mldsplan.domain import calendar

    return calendar.calendar_view(facts(session))


def status(session: Session) -> studytime.StatusResult:
    from mldsplan.domain import studytime

    _, record = session.load()
    return studytime.status(record, session.now)


def due(session: Session, days: int, on: str | None) -> assessments.DueResult:
    from mldsplan.domain import assessments

    if not 0 <= days <= MAX_DAYS_AHEAD:
        raise InputError(f"{days} must be 0 to {MAX_DAYS_AHEAD}", argument="days")
    return assessments.due(facts(session, on), days)


def assess_list(session: Session, module: str | None) -> assessments.AssessListResult:
    from mldsplan.domain import assessments

    programme, record = session.load()
    code = None if module is None else arguments.code(programme, module)
    return assessments.assess_list(programme, record, code)


def log_list(session: Session) -> studytime.LogListResult:
    from mldsplan.domain import studytime

    _, record = session.load()
    return studytime.log_list(record)
