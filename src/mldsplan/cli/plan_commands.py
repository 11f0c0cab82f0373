"""Planning in time: the term calendar (calendar, set, reset), study windows (available),
busy calendars (busy), the week's blocks (schedule) and reminders (remind).

No `from __future__ import annotations` (see `cli.app`): Typer reads these annotations
when the command is built. Names imported only for type checking are quoted.
"""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from mldsplan.cli import click_classes, messages
from mldsplan.cli.options import JsonOption, session_of
from mldsplan.cli.presenters import present

declared = typer.Typer()  # this module's commands; `cli.app` lists them


calendar_app = typer.Typer(
    cls=click_classes.Group,
    help="The six terms' dates (shipped or your own), and setting your own.",
    invoke_without_command=True,
)
declared.add_typer(calendar_app, name="calendar")


@calendar_app.callback()
def calendar(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The terms' dates, their length in weeks and where they come from.

    Example: mldsplan calendar set 1.2 --from 2026-01-19 --to 2026-04-24
    """
    if ctx.invoked_subcommand is not None:
        if as_json:  # `calendar set`/`reset` print no JSON object: say so, don't drop it
            messages.fail(
                f"--json goes with 'calendar' alone, not 'calendar {ctx.invoked_subcommand}'",
                "'mldsplan calendar --json' shows the terms' dates after the change",
            )
        return
    from mldsplan.commands import reports

    present(reports.calendar_view(session_of(ctx)), as_json)


@calendar_app.command("set")
def calendar_set(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(metavar="Y.T", help="Year and term, e.g. 1.2.")],
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
) -> None:
    """Record your own dates for one term (from your handbook).

    Example: mldsplan calendar set 1.2 --from 2026-01-19 --to 2026-04-24
    """
    from mldsplan.commands import assess

    present(assess.set_term(session_of(ctx), term, start, end))


@calendar_app.command("reset")
def calendar_reset(
    ctx: typer.Context,
    term: Annotated[
        str | None, typer.Argument(metavar="[Y.T]", help="One term (default: all).")
    ] = None,
) -> None:
    """Clear your own dates for one term, or for all, going back to the shipped ones.

    Example: mldsplan calendar reset 1.2
    """
    from mldsplan.commands import assess

    present(assess.reset_term(session_of(ctx), term))


@declared.command()
def remind(
    ctx: typer.Context,
    notify: Annotated[
        bool, typer.Option("--notify", help="Show them as desktop notifications.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what is due; send and record nothing.")
    ] = False,
    as_json: JsonOption = False,
    install: Annotated[
        bool, typer.Option("--install", help="Run 'remind --notify' every 15 minutes here.")
    ] = False,
    uninstall: Annotated[
        bool, typer.Option("--uninstall", help="Remove what --install put in place.")
    ] = False,
) -> None:
    """Send each reminder that is due, once: deadlines, the next block, a timer, a week behind.

    Example: mldsplan remind --install
    """
    from mldsplan.commands import remind as reminding
    from mldsplan.domain.errors import ExitCode

    session = session_of(ctx)
    if install or uninstall:
        alone = "--install" if install else "--uninstall"
        given = [
            name
            for name, on in (
                ("--uninstall", install and uninstall),
                ("--notify", notify),
                ("--dry-run", dry_run),
                ("--json", as_json),
            )
            if on
        ]
        if given:
            messages.fail(
                f"{alone} goes alone, not with {given[0]}",
                "'mldsplan remind --install' installs; 'mldsplan remind --uninstall' removes",
                code=ExitCode.USAGE,
            )
        if install:
            said, line = reminding.install(
                session, _program(), os.environ, sys.platform, Path.home()
            )
        else:
            said, line = reminding.uninstall(session, os.environ)
        present(said)
        if line is not None:
            print(line)
        return
    present(
        reminding.remind(
            session,
            notify=notify,
            dry_run=dry_run,
            as_json=as_json,
            environ=os.environ,
            platform=sys.platform,
        ),
        as_json,
    )


def _program() -> list[str]:
    """The installed mldsplan, by absolute path: this very script when it is one (a
    pipx or venv install), else the one on PATH, else this Python with `-m mldsplan`."""
    import shutil

    script = Path(sys.argv[0])
    if script.name.startswith("mldsplan") and script.is_file():
        return [str(script.absolute())]
    found = shutil.which("mldsplan")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "mldsplan"]


available_app = typer.Typer(
    cls=click_classes.Group, help="Your study windows (in your record, on every computer)."
)
declared.add_typer(available_app, name="available")


@available_app.command("set")
def available_set(
    ctx: typer.Context,
    windows: Annotated[
        list[str] | None,
        typer.Argument(metavar="WINDOW...", help="DAYS HH:MM-HH:MM, e.g. 'mon-fri 19:00-22:00'."),
    ] = None,
    blocks: Annotated[
        str | None, typer.Option(help="Block length in minutes, MIN-MAX (default 45-120).")
    ] = None,
) -> None:
    """Set your study windows (replacing the ones set before), and the block length.

    Example: mldsplan available set "mon-fri 19:00-22:00" "sat 09:30-13:00" --blocks 45-120
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, windows="WINDOW", blocks="--blocks")
    present(schedule.available_set(session_of(ctx), windows or [], blocks))


@available_app.command("list")
def available_list(ctx: typer.Context) -> None:
    """Your study windows, their hours a week and the block length.

    Example: mldsplan available list
    """
    from mldsplan.commands import schedule

    messages.lines(schedule.available_list(session_of(ctx)))


@available_app.command("clear")
def available_clear(ctx: typer.Context) -> None:
    """Remove your study windows and block length.

    Example: mldsplan available clear
    """
    from mldsplan.commands import schedule

    present(schedule.available_clear(session_of(ctx)))


busy_app = typer.Typer(cls=click_classes.Group, help="This computer's busy calendars (.ics files).")
declared.add_typer(busy_app, name="busy")


BusyPath = Annotated[
    Path, typer.Argument(metavar="PATH", help="An .ics calendar file.", readable=False)
]


@busy_app.command("add")
def busy_add(ctx: typer.Context, path: BusyPath) -> None:
    """Read an .ics calendar's events as busy time (on this computer only).

    Example: mldsplan busy add ~/calendars/work.ics
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, path="PATH")
    present(schedule.busy_add(session_of(ctx), path))


@busy_app.command("list")
def busy_list(ctx: typer.Context) -> None:
    """The busy calendars this computer reads.

    Example: mldsplan busy list
    """
    from mldsplan.commands import schedule

    messages.lines(schedule.busy_list(session_of(ctx)))


@busy_app.command("remove")
def busy_remove(ctx: typer.Context, path: BusyPath) -> None:
    """Stop reading a busy calendar (the file itself is untouched).

    Example: mldsplan busy remove ~/calendars/work.ics
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, path="PATH")
    present(schedule.busy_remove(session_of(ctx), path))


@declared.command("schedule")
def schedule_(
    ctx: typer.Context,
    week: Annotated[
        str | None, typer.Option(help="A date in the week to plan (default: this week).")
    ] = None,
    busy: Annotated[
        list[Path] | None,
        typer.Option("--busy", help="Another .ics calendar, for this run.", readable=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The week's plan placed as study blocks in the free part of your windows.

    Example: mldsplan schedule --busy ~/calendars/work.ics
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, week="--week", busy="--busy")
    present(schedule.schedule(session_of(ctx), week, busy or []), as_json)
