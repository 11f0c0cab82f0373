"""The arguments and options several commands share, and the shell completion of module codes
and assessment names (read without pydantic or Rich)."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mldsplan import paths

if TYPE_CHECKING:
    from mldsplan.commands.session import Session


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


def hours(text: str) -> float:
    """Hours as people type them (`domain.durations`): 1.5, 1.5h, 90m, 1h30, 1:30."""
    from mldsplan.domain.durations import FORMS, DurationError, parse_hours

    try:
        return parse_hours(text)
    except DurationError as exc:
        refused = typer.BadParameter(str(exc))
        refused.hint = f"type hours as {FORMS}"  # type: ignore[attr-defined]  # click_classes shows it
        raise refused from None


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object to stdout.")]
AtOption = Annotated[
    str | None,
    typer.Option(help="Earlier: HH:MM (its latest time, maybe yesterday) or YYYY-MM-DDTHH:MM."),
]
Codes = Annotated[
    list[str],
    typer.Argument(
        metavar="CODE...",
        help="Module codes (any case, or a unique prefix).",
        autocompletion=complete_codes,
    ),
]
CodeArg = Annotated[
    str,
    typer.Argument(
        metavar="CODE",
        help="Module code (any case, or a unique prefix).",
        autocompletion=complete_codes,
    ),
]
WeeklyHoursOption = Annotated[
    float | None,
    typer.Option(
        "--weekly-hours",
        parser=hours,
        metavar="HOURS",
        help="What-if at another pace (default: your weekly hours).",
    ),
]
ModuleOption = Annotated[
    str | None,
    typer.Option(
        "--module", "-m", help="Module studied.", autocompletion=complete_codes, show_default=False
    ),
]
NoteOption = Annotated[
    str | None, typer.Option("--note", "-n", help="A short note (one line).", show_default=False)
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="Date as YYYY-MM-DD (default: today).", show_default=False),
]


NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="Assessment name.", autocompletion=complete_names)
]


def session_of(ctx: typer.Context) -> "Session":
    """The run's `Session`, which the root callback (`cli.app.main`) made."""
    session = ctx.find_root().obj
    assert session is not None and hasattr(session, "progress_file")
    return session  # type: ignore[no-any-return]  # a Session, set by `main`
