"""The whole file: export (and the exports kept fresh), import, check, undo, redo, history,
merge and merge-driver.

No `from __future__ import annotations` (see `cli.app`): Typer reads these annotations
when the command is built. Names imported only for type checking are quoted.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mldsplan.cli import click_classes, messages
from mldsplan.cli.options import JsonOption, session_of
from mldsplan.cli.presenters import present

declared = typer.Typer()  # this module's commands; `cli.app` lists them


# the choices export and merge take (here: no other command builds them)
class Format(StrEnum):
    markdown = "markdown"
    csv = "csv"
    json = "json"
    toml = "toml"
    ics = "ics"
    html = "html"


class Table(StrEnum):
    modules = "modules"
    assessments = "assessments"
    log = "log"
    attempts = "attempts"


class Only(StrEnum):
    deadlines = "deadlines"
    blocks = "blocks"


class Prefer(StrEnum):
    mine = "mine"
    theirs = "theirs"


PreferOption = Annotated[
    Prefer | None,
    typer.Option(help="On a conflict, keep this side's value.", show_default=False),
]


@declared.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Format | None, typer.Option("--format", "-f", help="Output format.", show_default=False)
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default: stdout).", readable=False
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --output file.")
    ] = False,
    alarm_days: Annotated[
        int, typer.Option(help="ics: remind this many days before a deadline (0: none).")
    ] = 3,
    with_notes: Annotated[
        bool, typer.Option("--with-notes", help="html: include the study log's notes.")
    ] = False,
    table: Annotated[
        Table | None,
        typer.Option(help="csv: the table, one per file (default: modules).", show_default=False),
    ] = None,
    only: Annotated[
        Only | None,
        typer.Option(
            help="ics: only the deadlines (and the programme's end), or only the study blocks.",
            show_default=False,
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="csv: with a byte-order mark, to open in Excel with a double-click."
        ),
    ] = False,
    keep: Annotated[
        bool,
        typer.Option("--keep", help="Rewrite this --output after every change (on this computer)."),
    ] = False,
    list_kept: Annotated[
        bool, typer.Option("--list-kept", help="List the exports kept fresh on this computer.")
    ] = False,
    forget: Annotated[
        Path | None,
        typer.Option(
            "--forget",
            metavar="PATH",
            help="Stop keeping the export at PATH fresh.",
            show_default=False,
            readable=False,
        ),
    ] = None,
) -> None:
    """The study plan as markdown, csv, json, toml, ics or html.

    Example: mldsplan export --format ics --output plan.ics
    """
    from mldsplan.commands import files

    click_classes.flags(
        ctx,
        output="--output",
        days="--alarm-days",
        table="--table",
        only="--only",
        excel="--excel",
        keep="--keep",
        forget="--forget",
    )
    if list_kept or forget is not None:
        _kept_exports(ctx, fmt is not None or keep, list_kept, forget)
        return
    if fmt is None:
        from typer._click.exceptions import UsageError  # as click_classes shows it: exit 2

        choices = ", ".join(f.value for f in Format)
        raise UsageError(f"Missing option '--format' / '-f'. Choose from: {choices}.", ctx=ctx)
    if keep:
        files.keepable(output)  # before anything is written
    content, said = files.export(
        session_of(ctx),
        fmt.value,
        output,
        force,
        alarm_days,
        with_notes,
        table=None if table is None else table.value,
        only=None if only is None else only.value,
        excel=excel,
    )
    if content is not None:
        present(content)
    present(said)
    if keep:
        present(
            files.keep(
                session_of(ctx),
                fmt.value,
                output,
                alarm_days,
                with_notes,
                table=None if table is None else table.value,
                only=None if only is None else only.value,
            )
        )


def _kept_exports(
    ctx: typer.Context, exporting: bool, list_kept: bool, forget: Path | None
) -> None:
    """`export --list-kept` and `export --forget PATH`: each alone."""
    from mldsplan.commands import files
    from mldsplan.domain.errors import InputError

    if exporting or (list_kept and forget is not None):
        raise InputError(
            "--list-kept and --forget PATH each go alone, without an export to write",
            hint="for example: mldsplan export --list-kept",
        )
    session = session_of(ctx)
    if forget is not None:
        present(files.forget(session, forget))
        return
    lines, said = files.list_kept(session)
    messages.lines(lines)
    present(said)


@declared.command(name="import")
def import_(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A json or toml export.", show_default=False, readable=False
        ),
    ],
) -> None:
    """Restore progress from a json or toml export (the old file is kept as .bak).

    Example: mldsplan import backup.json
    """
    from mldsplan.commands import files

    present(files.import_(session_of(ctx), path))


@declared.command()
def check(ctx: typer.Context) -> None:
    """Validate the programme and progress files and report every problem found.

    Example: mldsplan check
    """
    from mldsplan.commands import check as checks

    present(checks.check(session_of(ctx)))


@declared.command()
def undo(
    ctx: typer.Context,
    to: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="REV",
            help="Go to this revision in one step ('mldsplan history' lists them).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Go back one version each time (the last 50 are kept); redo goes forward again.

    Example: mldsplan undo
    """
    from mldsplan.commands import versions

    session = session_of(ctx)
    present(versions.undo(session, to))
    session.refresh_kept()  # undo changes the record too: the kept exports follow


@declared.command()
def redo(ctx: typer.Context) -> None:
    """Put back the version the last undo took back.

    Example: mldsplan redo
    """
    from mldsplan.commands import versions

    session = session_of(ctx)
    present(versions.redo(session))
    session.refresh_kept()


@declared.command()
def history(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The versions kept for undo and redo: revision, when, and what each change did.

    Example: mldsplan history
    """
    from mldsplan.commands import versions

    present(versions.versions(session_of(ctx)), as_json)


@declared.command()
def merge(
    ctx: typer.Context,
    other: Annotated[
        Path,
        typer.Argument(
            metavar="OTHER",
            help="Another copy of the progress file (a sync tool's conflict copy).",
            show_default=False,
            readable=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would come in; write nothing.")
    ] = False,
    prefer: PreferOption = None,
    delete_copy: Annotated[
        bool,
        typer.Option("--delete-copy", help="Delete OTHER once the merge has taken all it holds."),
    ] = False,
) -> None:
    """Merge another copy of the progress file into this one, losing no change of either.

    Example: mldsplan merge "progress (Ann's conflicted copy 2026-11-25).toml"
    """
    from mldsplan.commands import merge as merging

    click_classes.flags(ctx, other="OTHER")
    choice = None if prefer is None else prefer.value
    outcome = merging.merge_copy(session_of(ctx), other, dry_run, choice, delete_copy)
    present(outcome, nothing="nothing was written")


@declared.command("merge-driver")
def merge_driver(
    ctx: typer.Context,
    base: Annotated[
        Path, typer.Argument(metavar="BASE", help="git's %O: the common ancestor.", readable=False)
    ],
    ours: Annotated[
        Path,
        typer.Argument(
            metavar="OURS", help="git's %A: ours, where the merge is written.", readable=False
        ),
    ],
    theirs: Annotated[
        Path, typer.Argument(metavar="THEIRS", help="git's %B: theirs.", readable=False)
    ],
    prefer: PreferOption = None,
) -> None:
    """git's merge driver for the progress file: a three-way merge written to OURS.

    Example: git config merge.mldsplan.driver "mldsplan merge-driver %O %A %B"
    """
    from mldsplan.commands import merge as merging

    click_classes.flags(ctx, base="BASE", ours="OURS", theirs="THEIRS")
    choice = None if prefer is None else prefer.value
    present(
        merging.merge_driver(session_of(ctx), base, ours, theirs, choice),
        nothing="OURS holds every other change of both sides and ours' value for each conflict,"
        " and git reports the file as conflicted",
        said_first=True,  # OURS holds the merge even with conflicts: say what came in
    )
