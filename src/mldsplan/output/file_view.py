"""How the progress file itself looks on a terminal: its versions (`history`) and its
problems (`check`'s lines). Drawn through `layout`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mldsplan.domain.numbers import count_text
from mldsplan.output.layout import Col, as_text, screen

if TYPE_CHECKING:
    from mldsplan.domain.difference import HistoryResult


def report(lines: Sequence[str]) -> None:
    """`check`'s lines; each continues under the text after its `kind: `."""
    with screen() as out:
        for line in lines:
            kind, sep, _ = line.partition(": ")
            out.line(line, indent=len(kind) + 2 if sep and " " not in kind else 2)


def history(result: HistoryResult) -> None:
    rows = result.versions
    with screen() as out:
        if not rows:
            out.line("No versions kept yet: every change from now on is kept for undo.")
            return
        out.table(
            [Col(""), Col("Rev", right=True), Col("When"), Col("What it did", wrap=True)],
            [
                [
                    "*" if row.current else "",
                    str(row.revision),
                    f"{row.when:%Y-%m-%d %H:%M}" if row.when else "?",
                    as_text("; ".join(row.what) if row.what is not None else "(oldest kept)"),
                ]
                for row in rows
            ],
        )
        current = next((row for row in rows if row.current), None)
        if current is None:
            out.line("* none: there is no progress file; 'mldsplan undo' puts the newest back")
            return
        written = (
            f" (written as revision {result.file_revision})"
            if result.file_revision not in (None, current.revision)
            else ""
        )
        out.line(
            f"* the file holds this version{written};"
            f" {count_text(result.undo_steps, 'undo', 'undos')} and"
            f" {count_text(result.redo_steps, 'redo', 'redos')} possible"
        )
