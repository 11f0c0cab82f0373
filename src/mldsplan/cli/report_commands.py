"""The reports: plan, progress, hours, week, grades, target and due.

No `from __future__ import annotations` (see `cli.app`): Typer reads these annotations
when the command is built. Names imported only for type checking are quoted.
"""

from typing import Annotated

import typer

from mldsplan.cli import messages
from mldsplan.cli.options import JsonOption, OnOption, WeeklyHoursOption, session_of
from mldsplan.cli.presenters import present

declared = typer.Typer()  # this module's commands; `cli.app` lists them


@declared.command()
def plan(
    ctx: typer.Context,
    as_json: JsonOption = False,
    codes: Annotated[
        bool, typer.Option("--codes", help="Only each module's code and title, one a line.")
    ] = False,
) -> None:
    """The programme by year and term, with each module's status.

    Example: mldsplan plan --codes
    """
    from mldsplan.commands import reports

    if codes:
        if as_json:
            messages.fail(
                "--codes is plain text", "'mldsplan plan --json' has each module's code and title"
            )
        present(reports.plan_codes(session_of(ctx)))
        return
    programme, result = reports.plan(session_of(ctx))
    present(result, as_json, programme=programme)


@declared.command()
def progress(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS done of the total with a bar, per-term table, modules done, hours left.

    Example: mldsplan progress --json
    """
    from mldsplan.commands import reports

    programme, result = reports.progress(session_of(ctx))
    present(result, as_json, programme=programme)


@declared.command()
def hours(
    ctx: typer.Context,
    weekly_hours: WeeklyHoursOption = None,
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remaining workload: hours, weeks and finish date at your pace, load per term.

    Example: mldsplan hours --weekly-hours 25
    """
    from mldsplan.commands import reports

    programme, result = reports.hours(session_of(ctx), weekly_hours, on)
    present(result, as_json, programme=programme)


@declared.command()
def week(
    ctx: typer.Context,
    on: OnOption = None,
    weekly_hours: WeeklyHoursOption = None,
    as_json: JsonOption = False,
) -> None:
    """The study week (Mon-Sun) of a date: hours logged, and what each module needs.

    Example: mldsplan week --on 2026-11-23
    """
    from mldsplan.commands import reports

    present(reports.week(session_of(ctx), on, weekly_hours), as_json)


@declared.command()
def grades(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS-weighted average of your marks, its band, and exit awards reached.

    Example: mldsplan grades --json
    """
    from mldsplan.commands import reports

    programme, result = reports.grades(session_of(ctx))
    present(result, as_json, programme=programme)


@declared.command()
def target(
    ctx: typer.Context,
    assume: Annotated[
        list[str] | None,
        typer.Option(help="CODE=MARK: a planned mark (repeatable).", show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The average you need on the rest for Pass, Merit and Distinction.

    Example: mldsplan target --assume project=75
    """
    from mldsplan.commands import reports

    present(reports.target(session_of(ctx), assume or []), as_json)


@declared.command()
def due(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days ahead (default 14).")] = 14,
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Deadlines in the next days, soonest first, and those past due without a mark.

    Example: mldsplan due --days 30
    """
    from mldsplan.commands import reports

    present(reports.due(session_of(ctx), days, on), as_json)
