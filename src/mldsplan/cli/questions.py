"""`init` in a terminal: whether a person answers, the questions asked, and the plan shown
after them."""

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from mldsplan.domain.errors import InputError

if TYPE_CHECKING:
    from mldsplan.commands.session import Session


def interactive() -> bool:
    """Whether a person answers: stdin and stdout both terminals (never in a script)."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stdin, or a closed one
        return False


def ask_init(session: "Session") -> tuple[str, float | None, list[str]]:
    """`init`'s questions; a wrong answer says why and asks again."""
    from mldsplan.commands import records, reports

    def asking(read: Callable[[str], Any]) -> Callable[[str], Any]:
        def proc(text: str) -> Any:
            try:
                return read(text)
            except InputError as exc:
                said = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
                raise typer.BadParameter(said) from None

        return proc

    from mldsplan.cli.messages import fitted  # each question wrapped at spaces to the terminal

    suggested, weekly = records.init_defaults(session)
    print(fitted("Setting up your study record (Ctrl-C stops; nothing is written until the end)."))
    start = typer.prompt(
        fitted("Start month (YYYY-MM)"),
        default=suggested,
        value_proc=asking(lambda text: records.answer_start(session, text)),
    )
    hours = typer.prompt(
        fitted("Study hours a week"),
        default=f"{weekly:g}",
        value_proc=asking(records.answer_weekly_hours),
    )
    weekly_hours = None if hours == weekly else hours
    print("The modules:")
    from mldsplan.output import plan_view as render

    render.plan_codes(reports.plan_codes(session))
    done = typer.prompt(
        fitted("Modules already done (codes or titles, comma-separated; empty for none)"),
        default="",
        show_default=False,
        value_proc=asking(lambda text: records.answer_done(session, text, start, weekly_hours)),
    )
    return start, weekly_hours, done


def show_plan(session: "Session") -> None:
    from mldsplan.commands import reports
    from mldsplan.output import plan_view as render

    render.plan(*reports.plan(session))
