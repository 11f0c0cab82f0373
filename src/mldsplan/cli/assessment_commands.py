"""`assess`: a module's assessments (add, mark, edit, remove, list).

No `from __future__ import annotations` (see `cli.app`): Typer reads these annotations
when the command is built. Names imported only for type checking are quoted.
"""

from typing import Annotated

import typer

from mldsplan.cli import click_classes
from mldsplan.cli.options import CodeArg, JsonOption, NameArg, complete_codes, session_of
from mldsplan.cli.presenters import present

declared = typer.Typer()  # this module's commands; `cli.app` lists them


assess_app = typer.Typer(
    cls=click_classes.Group, help="A module's assessments: weights, due dates, marks."
)
declared.add_typer(assess_app, name="assess")


@assess_app.command("add")
def assess_add(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Assessment name.")],
    weight: Annotated[float, typer.Option(help="Its share of the module mark, in %.")],
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
) -> None:
    """Add an assessment to a module.

    Example: mldsplan assess add supervised "Coursework 1" --weight 20 --due 2027-02-14
    """
    from mldsplan.commands import assess

    present(assess.add(session_of(ctx), code, name, weight, due))


@assess_app.command("mark", cls=click_classes.Numbers)
def assess_mark(
    ctx: typer.Context,
    code: CodeArg,
    name: NameArg,
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, a percentage.")],
) -> None:
    """Record the mark of an assessment.

    Example: mldsplan assess mark supervised "Coursework 1" 68
    """
    from mldsplan.commands import assess

    click_classes.flags(ctx, mark="MARK")
    present(assess.mark(session_of(ctx), code, name, value))


@assess_app.command("edit")
def assess_edit(
    ctx: typer.Context,
    code: CodeArg,
    name: NameArg,
    new_name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    weight: Annotated[float | None, typer.Option(help="A new weight, %.")] = None,
    due: Annotated[
        str | None, typer.Option(help="A new due date, YYYY-MM-DD ('none' clears it).")
    ] = None,
) -> None:
    """Change an assessment's name, weight or due date.

    Example: mldsplan assess edit supervised "Coursework 1" --due 2027-02-21
    """
    from mldsplan.commands import assess

    present(assess.edit(session_of(ctx), code, name, new_name, weight, due))


@assess_app.command("remove")
def assess_remove(ctx: typer.Context, code: CodeArg, name: NameArg) -> None:
    """Remove an assessment.

    Example: mldsplan assess remove supervised "Coursework 1"
    """
    from mldsplan.commands import assess

    present(assess.remove(session_of(ctx), code, name))


@assess_app.command("list")
def assess_list(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]",
            help="One module (default: every module with assessments).",
            autocompletion=complete_codes,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Each module's assessments, its mark so far, and what is needed on the rest.

    Example: mldsplan assess list supervised
    """
    from mldsplan.commands import reports

    present(reports.assess_list(session_of(ctx), code), as_json)
