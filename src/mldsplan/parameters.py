"""The arguments and options several commands share, the choices some take, and the shell
completion of module codes and assessment names (read without pydantic or Rich)."""

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mldsplan import paths


def complete_codes(ctx: typer.Context, incomplete: str) -> list[str]:
    root = ctx.find_root().params.get("programme") or os.environ.get(paths.PROGRAMME_ENV)
    codes = paths.module_codes(Path(root) if root else None)
    return [c for c in codes if c.startswith(incomplete.lower())]


def complete_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Assessment names of the module typed before, read without validating the file."""
    root = ctx.find_root().params
    file = root.get("file") or os.environ.get(paths.FILE_ENV)
    code = str(ctx.params.get("code") or "").lower()
    names = paths.assessment_names(Path(file) if file else paths.default_progress(), code)
    return [n for n in names if n.casefold().startswith(incomplete.casefold())]


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object to stdout.")]
AtOption = Annotated[
    str | None,
    typer.Option(help="Earlier: HH:MM (its latest time, maybe yesterday) or YYYY-MM-DDTHH:MM."),
]
Codes = Annotated[
    list[str],
    typer.Argument(
        help="Module codes (any case, or a unique prefix).", autocompletion=complete_codes
    ),
]
CodeArg = Annotated[
    str,
    typer.Argument(
        help="Module code (any case, or a unique prefix).", autocompletion=complete_codes
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="Date as YYYY-MM-DD (default: today).", show_default=False),
]


NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="Assessment name.", autocompletion=complete_names)
]


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
