"""How the plan and the term calendar look on a terminal: `plan`, `plan --codes`, `calendar`.

Drawn through `layout`; every figure comes finished in the command's result.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mldsplan.domain.numbers import hours_text
from mldsplan.output.layout import (
    UNWRAPPED,
    Col,
    as_text,
    date_range,
    screen,
    terminal_width,
    wraps,
)
from mldsplan.output.visible import visible
from mldsplan.output.wording import SET_START, resit_mark

if TYPE_CHECKING:
    from rich.text import Text

    from mldsplan.domain.calendar import CalendarResult
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.workload import PlanResult


def plan_codes(modules: Sequence[tuple[str, str]]) -> None:
    """`plan --codes`: one plain line per module, its code and title (no Rich, no table); in
    a terminal a long title wraps at spaces under itself."""
    width = max((len(code) for code, _ in modules), default=0)
    columns = terminal_width() if wraps() else UNWRAPPED
    for code, title in modules:
        lines = textwrap.wrap(
            visible(f"{code:<{width}}  {title}"),
            max(columns, width + 12),
            subsequent_indent=" " * (width + 2),
            break_long_words=False,
            break_on_hyphens=False,
        )
        print("\n".join(lines))


def plan(programme: Programme, result: PlanResult) -> None:
    with screen() as out:
        at = f" — {programme.institution}" if programme.institution else ""
        out.line(f"{programme.name}{at}", style="bold")
        if result.start is None:
            out.line(SET_START)
        terms = sorted({(m.planned_year, m.planned_term) for m in result.modules})
        columns = [
            Col("Code"),
            Col("Title", wrap=True, below=True),
            Col("ECTS", right=True),
            Col("Hours", right=True),
            Col("Status", wrap=True),
            Col("Completed", optional=True),
            Col("Mark", right=True, wrap=True, optional=True),
        ]
        for year, term in terms:
            modules = [
                m for m in result.modules if (m.planned_year, m.planned_term) == (year, term)
            ]
            heading = f"Year {year}, term {term}"
            if modules[0].term_start:
                heading += f"  ({date_range(modules[0].term_start, modules[0].term_end)})"
            rows: list[list[str | Text]] = []
            for m in modules:
                status = m.status_text
                rows.append(
                    [
                        as_text(m.code),
                        as_text(m.title),
                        f"{m.ects:g}{'*' if m.assumed else ''}",
                        hours_text(m.hours),
                        status,
                        str(m.completed_on or ""),
                        resit_mark(m, "table"),
                    ]
                )
            out.blank()
            out.line(heading)
            out.table(columns, rows)
        if any(m.assumed for m in result.modules):
            out.blank()
            out.line(
                "* ECTS assumed (not published per module): correct them in the programme file"
            )
        out.warnings(result.warnings)


def calendar(result: CalendarResult) -> None:
    with screen() as out:
        if not result.terms:
            out.line(SET_START)
            return
        out.table(
            [
                Col("Year"),
                Col("Term"),
                Col("From"),
                Col("To"),
                Col("Weeks", right=True),
                Col("Dates", wrap=True),
            ],
            [
                [
                    str(t.year),
                    str(t.term),
                    str(t.start),
                    str(t.end),
                    hours_text(t.weeks),
                    (
                        "yours"
                        if t.source == "student"
                        else "assumed"
                        if result.assumed
                        else "programme"
                    )
                    + (", now" if t.current else ""),
                ]
                for t in result.terms
            ],
        )
        out.blank()
        out.line("Set your own: mldsplan calendar set Y.T --from YYYY-MM-DD --to YYYY-MM-DD")
