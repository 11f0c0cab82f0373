"""How each result is shown: one presenter per result type, all registered in `PRESENTERS`.

A command's declaration runs its `commands` function and hands what it returns to
`present`: with `--json` every result is the same one JSON object on stdout
(`output.jsonout`); otherwise the presenter registered for the result's type draws it.
Presenters only draw: they import their `output` module when they run (Rich with it),
never at start-up, and compute nothing a command should have.

The registry is keyed by the type's name, so that finding a presenter imports no result
class (the command that made the result has imported it already).
"""

import sys
from collections.abc import Callable
from typing import Any

import typer

from mldsplan.cli import messages


def present(result: Any, as_json: bool = False, **context: Any) -> None:
    """Show `result`: as JSON, or by its type's presenter (given `context`, what the command
    passes beside the result for drawing only: the programme, a merge's words)."""
    if as_json:
        from mldsplan.output.jsonout import print_json

        print_json(result)
        return
    kind = type(result).__name__
    try:
        drawn = PRESENTERS[kind]
    except KeyError:
        raise TypeError(f"no presenter for {kind} (cli/presenters.py)") from None
    drawn(result, **context)


# --- the presenters, one per result type -----------------------------------


def _plan(result: Any, *, programme: Any) -> None:
    from mldsplan.output import plan_view

    plan_view.plan(programme, result)


def _codes(result: Any) -> None:
    from mldsplan.output import plan_view

    plan_view.plan_codes(result)


def _progress(result: Any, *, programme: Any) -> None:
    from mldsplan.output import progress_view

    progress_view.progress(programme, result)
    if result.next_block is not None:  # the scheduler's words only when there is a block
        from mldsplan.commands import schedule
        from mldsplan.output.visible import visible

        print(visible(f"Next study block: {schedule.block_line(result.next_block)}"))


def _hours(result: Any, *, programme: Any) -> None:
    from mldsplan.output import progress_view

    progress_view.hours(programme, result)


def _grades(result: Any, *, programme: Any) -> None:
    from mldsplan.output import marks_view

    marks_view.grades(programme, result)


def _week(result: Any) -> None:
    from mldsplan.output import progress_view

    progress_view.week(result)


def _targets(result: Any) -> None:
    from mldsplan.output import marks_view

    marks_view.targets(result)


def _due(result: Any) -> None:
    from mldsplan.output import marks_view

    marks_view.due(result)


def _calendar(result: Any) -> None:
    from mldsplan.output import plan_view

    plan_view.calendar(result)


def _status(result: Any) -> None:
    from mldsplan.output import progress_view

    progress_view.status(result)


def _assessments(result: Any) -> None:
    from mldsplan.output import marks_view

    marks_view.assessments(result)


def _log_entries(result: Any) -> None:
    from mldsplan.output import progress_view

    progress_view.log_entries(result)


def _history(result: Any) -> None:
    from mldsplan.output import file_view

    file_view.history(result)


def _schedule(result: Any) -> None:
    from mldsplan.output import schedule_view

    schedule_view.schedule(result)


def _log_change(result: Any, *, said: list[str] | None = None) -> None:
    """A change to the log, in words (`log --edit` gives its own: what the entry was)."""
    from mldsplan.commands import log_and_timer

    messages.said(said if said is not None else log_and_timer.said(result))


def _reminders(result: Any) -> None:
    """`remind`: its notices went out as the command ran; `--dry-run` lists them instead."""
    if result.dry_run:
        for notice in result.notices:
            print(notice.text)


def _check(report: Any) -> None:
    """`check`'s report, then the count of its problems as the error, exit 1."""
    from mldsplan.domain.errors import ExitCode
    from mldsplan.domain.numbers import count_text
    from mldsplan.output import file_view

    file_view.report(report.lines)
    if report.problems:
        messages.say(f"Error: {count_text(report.problems, 'problem', 'problems')} found")
        raise typer.Exit(ExitCode.FAILURE)


def _merge(outcome: Any, *, nothing: str, said_first: bool = False) -> None:
    """A merge's words; or its conflicts and the error (`nothing`: what was left unwritten).
    `said_first`: the words also before the conflicts (git's driver wrote OURS all the same)."""
    if said_first and outcome.conflicts:
        messages.said(outcome.said)
    messages.merged(outcome, nothing)


def _exported(content: bytes) -> None:
    """An export for stdout, written as it is (bytes: a csv's byte-order mark, UTF-8)."""
    sys.stdout.buffer.write(content)
    sys.stdout.flush()


PRESENTERS: dict[str, Callable[..., None]] = {
    # reports (commands/reports.py, versions.py, schedule.py)
    "PlanResult": _plan,
    "ModuleCodes": _codes,
    "ProgressResult": _progress,
    "HoursResult": _hours,
    "GradesResult": _grades,
    "WeekResult": _week,
    "TargetResult": _targets,
    "DueResult": _due,
    "CalendarResult": _calendar,
    "StatusResult": _status,
    "AssessListResult": _assessments,
    "LogListResult": _log_entries,
    "HistoryResult": _history,
    "Schedule": _schedule,
    # changes and runs
    "LogChangeResult": _log_change,
    "RemindResult": _reminders,
    "Report": _check,
    "Outcome": _merge,
    "bytes": _exported,
    "list": messages.said,  # a change's confirmations, on stderr
}
