"""The study log and the timer: log (and its --list, --edit, --remove, --undo), start, stop,
cancel, switch and status.

No `from __future__ import annotations` (see `cli.app`): Typer reads these annotations
when the command is built. Names imported only for type checking are quoted.
"""

from typing import Annotated

import typer

from mldsplan.cli import click_classes, options
from mldsplan.cli.options import (
    AtOption,
    JsonOption,
    ModuleOption,
    NoteOption,
    OnOption,
    complete_codes,
    session_of,
)
from mldsplan.cli.presenters import present

declared = typer.Typer()  # this module's commands; `cli.app` lists them


@declared.command(cls=click_classes.Numbers)
def log(
    ctx: typer.Context,
    amount: Annotated[
        float | None,
        typer.Argument(
            metavar="HOURS",
            parser=options.hours,
            help="Hours studied: 1.5, 1.5h, 90m, 1h30 or 1:30 (at most a day's).",
            show_default=False,
        ),
    ] = None,
    studied: Annotated[
        str | None,
        typer.Argument(
            metavar="[MODULE]",
            help="Module studied (or --module).",
            autocompletion=complete_codes,
            show_default=False,
        ),
    ] = None,
    module: ModuleOption = None,
    on: OnOption = None,
    note: NoteOption = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the log entries by date, numbered.")
    ] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the last entry logged.")] = False,
    remove: Annotated[
        int | None,
        typer.Option(
            metavar="N", help="Remove entry N (as --list numbers them).", show_default=False
        ),
    ] = None,
    edit: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="Change entry N (as --list numbers them): give --hours, --on, --module"
            " or --note ('none' clears the module).",
            show_default=False,
        ),
    ] = None,
    new_hours: Annotated[
        float | None,
        typer.Option(
            "--hours",
            parser=options.hours,
            metavar="HOURS",
            help="The hours (instead of HOURS, or the new hours with --edit).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    opening: Annotated[
        bool,
        typer.Option(
            "--opening",
            help="HOURS studied on --module before you began logging (no date, no 24 h limit).",
        ),
    ] = False,
) -> None:
    """Record study time, or list, change and remove entries.

    Example: mldsplan log 2.5 bayesian --note "lecture 4"
    """
    from mldsplan.commands import log_and_timer, reports

    click_classes.flags(ctx, opening="--opening")
    session = session_of(ctx)
    if studied and module and not log_and_timer.same_module(session, studied, module):
        raise typer.BadParameter(
            f"'{studied}' and --module '{module}' name two modules; give one",
            ctx=ctx,
            param_hint="'MODULE'",
        )
    if amount is not None and new_hours is not None and amount != new_hours:
        raise typer.BadParameter(
            f"HOURS and --hours give two amounts ({amount:g} and {new_hours:g}); give one",
            ctx=ctx,
            param_hint="'--hours'",
        )
    module = module or studied
    if edit is not None and amount is not None and not (list_ or undo or remove):
        raise typer.BadParameter(
            "--edit takes the new hours as --hours",
            ctx=ctx,
            param_hint="'HOURS'",
        )
    if edit is None:
        amount = amount if amount is not None else new_hours
    log_and_timer.one_action(amount, list_, undo, remove, edit)
    log_and_timer.opening_alone(amount, opening)
    if list_:
        present(reports.log_list(session), as_json)
    elif edit is not None:
        click_classes.flags(ctx, hours="--hours")
        edited, words = log_and_timer.edit(session, edit, new_hours, on, module, note)
        present(edited, as_json, said=words)
    elif amount is None:
        present(log_and_timer.remove(session, remove), as_json)
    elif opening:
        present(log_and_timer.opening(session, amount, module, on, note), as_json)
    else:
        present(log_and_timer.log(session, amount, module, on, note), as_json)


@declared.command()
def start(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]", help="Module studied (optional).", autocompletion=complete_codes
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="A short note for the log.")
    ] = None,
    at: AtOption = None,
) -> None:
    """Start the study timer, for a module or none.

    Example: mldsplan start bayesian --note "lecture 5"
    """
    from mldsplan.commands import log_and_timer

    present(log_and_timer.start(session_of(ctx), code, note, at))


@declared.command()
def stop(
    ctx: typer.Context,
    at: AtOption = None,
) -> None:
    """Stop the timer and log its time (one entry per date, to the minute).

    Example: mldsplan stop
    """
    from mldsplan.commands import log_and_timer

    if at is None:
        click_classes.flags(ctx, at="stop")  # the time is now, not an --at the student gave
    present(log_and_timer.stop(session_of(ctx), at))


@declared.command()
def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging anything.

    Example: mldsplan cancel
    """
    from mldsplan.commands import log_and_timer

    present(log_and_timer.cancel(session_of(ctx)))


@declared.command()
def switch(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]", help="Module studied next (optional).", autocompletion=complete_codes
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="A short note for the next one.")
    ] = None,
    at: AtOption = None,
) -> None:
    """Stop the timer (logging its time) and start the next at the same instant.

    Example: mldsplan switch deep-learning --note "lab 3"
    """
    from mldsplan.commands import log_and_timer

    if at is None:
        click_classes.flags(ctx, at="switch")  # the time is now, not an --at the student gave
    present(log_and_timer.switch(session_of(ctx), code, note, at))


@declared.command()
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """What the timer is running, since when and for how long.

    Example: mldsplan status --json
    """
    from mldsplan.commands import reports

    present(reports.status(session_of(ctx)), as_json)
