"""The commands that change what is recorded of modules: init, complete, uncomplete, mark, fail,
unfail and defer.

No `from __future__ import annotations` (see `cli.app`): Typer reads these annotations
when the command is built. Names imported only for type checking are quoted.
"""

from typing import Annotated

import typer

from mldsplan.cli import click_classes, messages, options
from mldsplan.cli.options import CodeArg, Codes, OnOption, session_of
from mldsplan.cli.presenters import present

declared = typer.Typer()  # this module's commands; `cli.app` lists them


@declared.command()
def init(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option(help="Cohort start month, YYYY-MM.")] = None,
    weekly_hours: Annotated[
        float | None,
        typer.Option(
            "--weekly-hours",
            parser=options.hours,
            metavar="HOURS",
            help="Your study hours a week (18, or 17h30).",
        ),
    ] = None,
) -> None:
    """Create the progress file, or update just these settings in it.

    In a terminal, with no options, it asks for them and for the modules already done.

    Example: mldsplan init --start 2025-10 --weekly-hours 18
    """
    from mldsplan.cli import questions
    from mldsplan.commands import records

    session = session_of(ctx)
    if start is None and weekly_hours is None and questions.interactive():
        start, weekly_hours, done = questions.ask_init(session)
        present(records.init(session, start, weekly_hours, done))
        if done:
            messages.say(
                "set a module's real date and mark with: mldsplan complete CODE --on DATE --mark M"
            )
        questions.show_plan(session)
        return
    present(records.init(session, start, weekly_hours))


@declared.command()
def complete(
    ctx: typer.Context,
    codes: Codes,
    mark: Annotated[
        float | None, typer.Option(help="Your mark, a percentage (at least the pass mark).")
    ] = None,
    on: OnOption = None,
    resit: Annotated[
        bool, typer.Option("--resit", help="Passed at a resit (mark counts capped).")
    ] = False,
) -> None:
    """Record modules as completed (passed); a fully assessed module gets its module mark.

    Example: mldsplan complete programming maths --on 2026-01-20
    """
    from mldsplan.commands import records

    present(records.complete(session_of(ctx), codes, mark, on, resit))


@declared.command()
def uncomplete(ctx: typer.Context, codes: Codes) -> None:
    """Remove completion records.

    Example: mldsplan uncomplete maths
    """
    from mldsplan.commands import records

    present(records.uncomplete(session_of(ctx), codes))


@declared.command(cls=click_classes.Numbers)
def mark(
    ctx: typer.Context,
    code: CodeArg,
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, a percentage.")],
    resit: Annotated[
        bool | None, typer.Option("--resit/--no-resit", help="Set or clear the resit flag.")
    ] = None,
) -> None:
    """Set or correct the mark of a completed module.

    Example: mldsplan mark programming 70
    """
    from mldsplan.commands import records

    click_classes.flags(ctx, mark="MARK")
    present(records.mark(session_of(ctx), code, value, resit))


@declared.command()
def fail(
    ctx: typer.Context,
    code: CodeArg,
    mark: Annotated[
        float | None,
        typer.Option(help="The failing mark (default: the module mark)."),
    ] = None,
    on: OnOption = None,
) -> None:
    """Record a failed attempt at a module; pass it later with complete --resit.

    Example: mldsplan fail big-data --mark 44 --on 2026-06-20
    """
    from mldsplan.commands import records

    present(records.fail(session_of(ctx), code, mark, on))


@declared.command()
def unfail(ctx: typer.Context, code: CodeArg) -> None:
    """Remove a module's latest failed attempt (one recorded by mistake).

    Example: mldsplan unfail big-data
    """
    from mldsplan.commands import records

    present(records.unfail(session_of(ctx), code))


@declared.command()
def defer(
    ctx: typer.Context,
    codes: Codes,
    years: Annotated[int, typer.Option(help="How many years later (1 or more).")] = 1,
    undo: Annotated[
        bool, typer.Option("--undo", help="Put the modules back in their own term.")
    ] = False,
) -> None:
    """Take modules not yet completed a year (or more) later, in the same term.

    Example: mldsplan defer bayesian
    """
    from mldsplan.commands import records

    present(records.defer(session_of(ctx), codes, years, undo))
