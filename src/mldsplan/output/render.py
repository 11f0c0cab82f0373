"""How results look on a terminal: tables, bars and charts on stdout.

Nothing here computes a figure: it formats what the domain returned. Text
from files goes in as `Text` (never markup), and no meaning rides on colour.
JSON is not made here but in `jsonout`; Rich is imported only once something
is drawn, so a `--json` run never loads it.

Layout. On a terminal, output fits its width (Rich reads COLUMNS, then the
terminal) from 60 columns up: a table gives codes, dates and numbers their
whole width and lets titles, notes and statuses wrap at spaces (a word too
long for its column is shortened with "…"); prose wraps at spaces only, never
inside a word, its continuation lines indented under the text they continue.
When stdout is not a terminal nothing is wrapped and no line carries trailing
spaces. `MLDSPLAN_FORCE_TERMINAL=1` lays output out as for a terminal of
COLUMNS columns (80 without it) even when stdout is not one: that is how
tests see a terminal's layout. Colour follows Rich's own rules (`NO_COLOR`).
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from mldsplan.output.text import days_left, hours_text
from mldsplan.output.visible import visible

if TYPE_CHECKING:  # Rich loads only to draw; the results' modules would cost start-up
    from rich.console import Console
    from rich.text import Text

    from mldsplan.domain.assessments import AssessListResult, DueResult, ModuleAssessments
    from mldsplan.domain.calendar import CalendarResult
    from mldsplan.domain.marks import GradesResult, TargetResult
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.weekplan import PlanRow, WeekPlan
    from mldsplan.domain.workload import (
        Balance,
        HoursResult,
        LogListResult,
        PlanResult,
        ProgressResult,
        StatusResult,
        TimerStatus,
        WeekResult,
        WeekSummary,
    )

FORCE_TERMINAL_ENV = "MLDSPLAN_FORCE_TERMINAL"
UNWRAPPED = 100_000  # the width of a console that is not a terminal: nothing wraps
BAR_WIDTH = 30
CHART_WIDTH = 40
LABEL_WIDTH = 9  # "ECTS     ": progress's labels, values aligned after them
COLUMN_GAP = 2  # spaces between table columns
MIN_SHORTENED = 8  # a word in a wrapping column keeps this many cells before "…"
SET_START = "set your start month to see dates: mldsplan init --start YYYY-MM"

# spaces at a line's end, before any colour codes that close it
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


class Col(NamedTuple):
    """A table column: `wrap` columns hold prose and take what width is left."""

    name: str
    right: bool = False
    wrap: bool = False


class Screen:
    """Where a report is drawn: a Rich console and the width lines may take."""

    def __init__(self) -> None:
        from rich.console import Console

        self.wraps = os.environ.get(FORCE_TERMINAL_ENV) == "1" or sys.stdout.isatty()
        # Text from files is never markup; and no markup or emoji parsing is faster.
        self.console: Console = Console(
            width=None if self.wraps else UNWRAPPED, highlight=False, markup=False, emoji=False
        )
        self.width = self.console.width

    def line(self, text: str, *, indent: int = 2, label: str = "", style: str = "") -> None:
        """Print `text` (after `label`), wrapped at spaces with continuation lines indented."""
        from rich.text import Text

        text = visible(text)  # a path in `check`'s lines may hold an ESC
        if self.wraps:
            lines = textwrap.wrap(
                text,
                self.width,
                initial_indent=label,
                subsequent_indent=" " * indent,
                break_long_words=False,
                break_on_hyphens=False,
            ) or [label.rstrip()]
        else:
            lines = [label + text]
        for line in lines:
            self.console.print(Text(line, style=style), soft_wrap=True)

    def field(self, label: str, value: str) -> None:
        """`label` then `value`, continuation lines under the value."""
        self.line(value, label=label.ljust(LABEL_WIDTH), indent=LABEL_WIDTH)

    def warnings(self, warnings: Sequence[str]) -> None:
        for warning in warnings:
            self.line(warning, label="warning: ", indent=len("warning: "))

    def blank(self) -> None:
        self.console.print()

    def table(self, columns: Sequence[Col], rows: Sequence[Sequence[str | Text]]) -> None:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        cells = [[c if isinstance(c, Text) else Text(c) for c in row] for row in rows]
        widths = self._fit(columns, [[c.plain for c in row] for row in cells])
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
        )
        for col, width in zip(columns, widths, strict=True):
            table.add_column(
                col.name,
                justify="right" if col.right else "left",
                no_wrap=not col.wrap,
                overflow="ellipsis",
                width=width,
            )
        for row in cells:
            table.add_row(*row)
        self.console.print(table)

    def _fit(self, columns: Sequence[Col], rows: Sequence[Sequence[str]]) -> list[int | None]:
        """Widths for the wrapping columns, or None where a column takes its natural width.

        Other columns keep their whole width; the wrapping ones share what is left,
        each keeping its numbers whole and at least MIN_SHORTENED cells of a word.
        """
        from rich.cells import cell_len

        texts = [[col.name, *(row[i] for row in rows)] for i, col in enumerate(columns)]
        natural = [max(cell_len(t) for t in column) for column in texts]
        room = self.width - COLUMN_GAP * (len(columns) - 1)
        if not self.wraps or sum(natural) <= room:
            return [None] * len(columns)
        flexible = [i for i, col in enumerate(columns) if col.wrap]
        room -= sum(natural[i] for i in range(len(columns)) if i not in flexible)
        widths: dict[int, int] = {}
        floor: dict[int, int] = {}  # below this a number in the column would be cut
        for i in flexible:
            words = [w for t in texts[i] for w in t.split()] or [""]
            floor[i] = max([1, *(cell_len(w) for w in words if any(c.isdigit() for c in w))])
            longest = max(cell_len(w) for w in words)
            widths[i] = max(floor[i], min(longest, MIN_SHORTENED))
        spare = room - sum(widths.values())
        while spare < 0:  # too narrow for whole words: shorten the roomiest column's words
            i = max(flexible, key=lambda i: widths[i] - floor[i])
            if widths[i] <= floor[i]:
                break
            widths[i] -= 1
            spare += 1
        # room left goes first to the column nearest its whole width: a short status
        # or mark is then shown whole, and a long title takes the rest
        for i in sorted(flexible, key=lambda i: natural[i] - widths[i]):
            grow = max(0, min(spare, natural[i] - widths[i]))
            widths[i] += grow
            spare -= grow
        return [widths.get(i) for i in range(len(columns))]


@contextmanager
def screen() -> Iterator[Screen]:
    """A Screen whose output reaches stdout at the end, each line without trailing spaces."""
    out = Screen()
    with out.console.capture() as captured:
        yield out
    sys.stdout.write(_TRAILING.sub(r"\1", captured.get()))
    sys.stdout.flush()


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _dates(start: date | None, end: date | None) -> str:
    return f"{start} to {end}" if start and end else "-"


def _text(value: str) -> Text:
    from rich.text import Text

    return Text(value)


def plan_codes(modules: Sequence[tuple[str, str]]) -> None:
    """`plan --codes`: one plain line per module, its code and title (no Rich, no table)."""
    width = max((len(code) for code, _ in modules), default=0)
    for code, title in modules:
        print(visible(f"{code:<{width}}  {title}"))


def plan(programme: Programme, result: PlanResult) -> None:
    with screen() as out:
        at = f" — {programme.institution}" if programme.institution else ""
        out.line(f"{programme.name}{at}", style="bold")
        if result.start is None:
            out.line(SET_START)
        terms = sorted({(m.planned_year, m.planned_term) for m in result.modules})
        columns = [
            Col("Code"),
            Col("Title", wrap=True),
            Col("ECTS", right=True),
            Col("Hours", right=True),
            Col("Status", wrap=True),
            Col("Completed"),
            Col("Mark", right=True, wrap=True),
        ]
        for year, term in terms:
            modules = [
                m for m in result.modules if (m.planned_year, m.planned_term) == (year, term)
            ]
            heading = f"Year {year}, term {term}"
            if modules[0].term_start:
                heading += f"  ({_dates(modules[0].term_start, modules[0].term_end)})"
            rows: list[list[str | Text]] = []
            for m in modules:
                status = m.status_text
                mark = "" if m.mark is None else f"{m.mark:g}"
                if m.resit and m.mark is not None:
                    mark += f" (resit {m.counted_mark:g})"
                rows.append(
                    [
                        _text(m.code),
                        _text(m.title),
                        f"{m.ects:g}{'*' if m.assumed else ''}",
                        hours_text(m.hours),
                        status,
                        str(m.completed_on or ""),
                        mark,
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


def progress(programme: Programme, result: ProgressResult) -> None:
    r = result
    with screen() as out:
        out.line(f"{r.programme_name} — progress on {r.on}", style="bold")
        out.field(
            "ECTS",
            f"{bar(r.ects_done / r.ects_total)}  {r.ects_done:g} of {r.ects_total:g}"
            f" ({r.percent:.1f}%)",
        )
        out.field("Modules", f"{r.modules_done} of {r.modules_total} done")
        out.field(
            "Hours",
            f"{hours_text(r.hours_remaining)} h left = {r.weeks_remaining:.1f} weeks at"
            f" {r.weekly_hours:g} h/week; at that pace you finish {r.finish_date}",
        )
        if r.programme_end:
            now = f"now year {r.current_year} term {r.current_term}; " if r.current_year else ""
            out.field(
                "Plan", f"{now}programme ends {r.programme_end}; your plan ends {r.planned_end}"
            )
        else:
            out.line(SET_START)
        if r.average is not None:
            out.field(
                "Marks",
                f"average {r.average:.2f} ({r.band}) over {r.marked_ects:g} ECTS: mldsplan grades",
            )
        for d in r.overdue_assessments:
            out.field(
                "Overdue",
                f"{d.code} {d.name} ({d.weight:g}%) was due {d.due}, {days_left(d.days_left)};"
                " no mark yet",
            )
        if r.next_deadline is not None:
            d = r.next_deadline
            out.field(
                "Next due",
                f"{d.code} {d.name} ({d.weight:g}%) on {d.due}, {days_left(d.days_left)}",
            )
        w = r.this_week
        out.line(f"This week: {hours_text(w.logged_hours)} of {w.target_hours:g} h")
        if r.week_plan.plan:
            top = r.week_plan.plan[0]
            out.line(
                f"Week's plan {plan_total_text(r.week_plan)}; {top.code} first,"
                f" {hours_text(top.left_hours)} h left"
            )
        balances(out, r.balance, r.term_balance)
        if r.timer is not None:
            out.line(timer_text(r.timer))
        out.blank()
        out.table(
            [
                Col("Year"),
                Col("Term"),
                Col("Dates", wrap=True),
                Col("ECTS", right=True),
                Col("Done", right=True),
                Col(""),
            ],
            [
                [
                    str(t.year),
                    str(t.term),
                    _dates(t.start, t.end),
                    f"{t.ects:g}",
                    f"{t.ects_done:g}",
                    "complete" if t.complete else "",
                ]
                for t in r.terms
            ],
        )
        if r.warnings:
            out.blank()
            count = f"{len(r.warnings)} plan warning{'s' * (len(r.warnings) > 1)}"
            out.line(f"{count}: see {' and '.join(r.warnings_shown_by)}")


def hours(programme: Programme, result: HoursResult) -> None:
    from mldsplan.domain.workload import HEAVY_FACTOR

    r = result
    with screen() as out:
        out.line(
            f"Hours left  {hours_text(r.hours_remaining)} h"
            f" ({programme.hours_per_ects:g} h per ECTS)",
            style="bold",
        )
        out.line(
            f"At {r.weekly_hours:g} h/week  {r.weeks_remaining:.1f} weeks;"
            f" finish {r.finish_date} (from {r.on})"
        )
        if r.programme_end is None:
            out.line(SET_START)
        else:
            needed = (
                "the programme's end has passed"
                if r.required_weekly_hours is None
                else f"{r.required_weekly_hours:.1f} h/week needed"
            )
            out.line(f"To finish by the programme's end ({r.programme_end}): {needed}")
            out.line(f"Your plan ends {r.planned_end}")
        if r.terms:
            out.blank()
            out.table(
                [
                    Col("Year"),
                    Col("Term"),
                    Col("Dates", wrap=True),
                    Col("Hours left", right=True),
                    Col("h/week", right=True),
                    Col("", wrap=True),
                ],
                [
                    [
                        str(t.year),
                        str(t.term),
                        _dates(t.start, t.end),
                        hours_text(t.hours_remaining),
                        "-" if t.weekly_load is None else f"{t.weekly_load:.1f}",
                        "overdue"
                        if t.overdue
                        else f"heavy: over {r.weekly_hours:g} h/week +{HEAVY_FACTOR - 1:.0%}"
                        if t.heavy
                        else "",
                    ]
                    for t in r.terms
                ],
            )
        out.blank()
        if r.pace is None:
            out.line("Your pace: nothing logged yet (mldsplan log HOURS)")
        else:
            p = r.pace
            whole = f"{p.overall_weekly_hours:.1f} h/week since {p.first_entry}"
            if p.recent_since == p.first_entry:  # the whole log is recent: one figure
                out.line(f"Your pace: {whole} ({p.span_days} day{'s' * (p.span_days > 1)})")
            else:
                out.line(
                    f"Your pace: {p.recent_weekly_hours:.1f} h/week over the last"
                    f" {p.recent_days} days; {whole}"
                )
        balances(out, r.balance, r.term_balance)
        for monday in r.deadline_weeks:
            out.line(f"Deadline week from {monday}: two or more assessments due (mldsplan due)")
        if r.modules:
            out.blank()
            out.table(
                [Col("Module"), Col("Logged", right=True), Col("Budget", right=True), Col("")],
                [
                    [
                        _text(m.code),
                        hours_text(m.logged_hours),
                        hours_text(m.budget_hours),
                        f"{m.percent_used:.0f}%",
                    ]
                    for m in r.modules
                ],
            )
        if r.hours_without_module > 0:
            out.line(
                f"{hours_text(r.hours_without_module)} h logged without a module,"
                " not counted against any module"
            )
        out.warnings(r.warnings)


def chart(weeks: Sequence[WeekSummary], width: int = CHART_WIDTH) -> list[str]:
    """One line a week: a bar of hours with `|` marking the weekly target."""
    top = max([w.logged_hours for w in weeks] + [w.target_hours for w in weeks]) or 1.0
    lines = []
    for w in weeks:
        cells = list(bar(w.logged_hours / top, width).replace("░", " "))
        target_at = min(width - 1, round(w.target_hours / top * width) - 1)
        cells[target_at] = "┃" if cells[target_at] == "█" else "|"
        lines.append(f"{w.week_start}  {''.join(cells)}  {hours_text(w.logged_hours)} h")
    return lines


def week(result: WeekResult) -> None:
    r = result
    with screen() as out:
        out.line(f"Week of {r.week_start} (Mon) to {r.week_end} (Sun)", style="bold")
        out.blank()
        out.table(
            [Col("Day"), Col("Date"), Col("Hours", right=True)],
            [
                [d.date.strftime("%a"), str(d.date), hours_text(d.hours) if d.hours else "-"]
                for d in r.days
            ],
        )
        out.blank()
        state = (
            f"{hours_text(r.over_hours)} h over the target"
            if r.over_hours
            else f"{hours_text(r.remaining_hours)} h to go"
        )
        out.line(f"Logged {hours_text(r.logged_hours)} of {r.target_hours:g} h; {state}")
        if r.modules:
            parts = [f"{m.code or '(no module)'} {hours_text(m.hours)} h" for m in r.modules]
            out.line("By module: " + ", ".join(parts))
        out.blank()
        week_plan(out, r)
        out.blank()
        out.line(f"Last {len(r.recent_weeks)} weeks (| marks the {r.target_hours:g} h target):")
        # the date, the bar and the widest hours figure share the line
        widest = max((len(hours_text(w.logged_hours)) for w in r.recent_weeks), default=1)
        width = min(CHART_WIDTH, out.width - len("YYYY-MM-DD  ") - len("   h") - widest)
        for line in chart(r.recent_weeks, max(width, 1)):
            out.line(line)
        for d in r.deadlines:
            out.line(f"Due {d.due}: {d.code} {d.name} ({d.weight:g}%)")
        balances(out, r.balance, r.term_balance)
        if r.timer is not None:
            out.line(timer_text(r.timer))


def week_plan(out: Screen, plan: WeekPlan | WeekResult) -> None:
    """The week's plan: each module's need, logged and left, by its driving deadline."""
    if not plan.plan:
        out.line("This week's plan: no module in a term that has started has hours left")
        return
    out.line("This week's plan, soonest deadline first:")
    out.table(
        [
            Col("Module"),
            Col("Need", right=True),
            Col("Logged", right=True),
            Col("Left", right=True),
            Col("Deadline", wrap=True),
        ],
        [
            [
                _text(row.code),
                hours_text(row.need_hours),
                hours_text(row.logged_hours) if row.logged_hours else "-",
                hours_text(row.left_hours),
                _text(deadline_text(row)),
            ]
            for row in plan.plan
        ],
    )
    out.line(f"This week {plan_total_text(plan)}")


def plan_total_text(plan: WeekPlan | WeekResult) -> str:
    """The week's total need against the hours available: over-committed or spare."""
    needs = f"needs {hours_text(plan.plan_total_hours)} of {hours_text(plan.available_hours)} h"
    if plan.over_committed_hours:
        return f"{needs}, over-committed by {hours_text(plan.over_committed_hours)} h"
    if plan.spare_hours:
        return (
            f"{needs}, {hours_text(plan.spare_hours)} h spare:"
            f" get ahead on {plan.plan[0].code}, whose deadline is soonest"
        )
    return f"{needs}, exactly the hours you have"


def deadline_text(row: PlanRow) -> str:
    """`Group project, 2026-12-04 (in 9 days)`, or the term's end when no assessment drives;
    an overdue module (its term has ended) is planned to this term's end."""
    when = f"{row.due} ({days_left(row.days_left)})"
    what = row.deadline.name if row.deadline else f"{'this term' if row.overdue else 'term'} ends"
    return f"{'overdue: ' if row.overdue else ''}{what}{',' if row.deadline else ''} {when}"


def grades(programme: Programme, result: GradesResult) -> None:
    r = result
    with screen() as out:
        if r.modules:
            out.table(
                [
                    Col("Code"),
                    Col("Title", wrap=True),
                    Col("ECTS", right=True),
                    Col("Mark", right=True),
                    Col("Counted", right=True, wrap=True),
                    Col("Weight", right=True),
                ],
                [
                    [
                        _text(m.code),
                        _text(m.title),
                        f"{m.ects:g}",
                        f"{m.mark:g}",
                        f"{m.counted_mark:g}" + (" (resit cap)" if m.capped else ""),
                        f"{100 * m.weight:.1f}%",
                    ]
                    for m in r.modules
                ],
            )
            out.blank()
        if r.average is None:
            out.line("No marks yet: record one with mldsplan complete CODE --mark M")
        else:
            out.line(
                f"Average  {r.average:.2f} ({r.band}) over {r.marked_ects:g} of"
                f" {r.total_ects:g} ECTS ({r.marked_percent:.1f}% marked)",
                style="bold",
            )
            if r.borderline_band and r.borderline_threshold is not None:
                out.line(
                    f"Borderline: within {programme.classification.borderline_margin:g}"
                    f" of {r.borderline_band} ({r.borderline_threshold:g})"
                )
        if r.unmarked:
            out.line(f"Completed without a mark (not in the average): {', '.join(r.unmarked)}")
        for p in r.provisional:
            out.line(
                f"Provisional (in progress, not in the average): {p.code}"
                f" {p.current_mark:.2f} over {p.weight_marked:g}% marked"
            )
        for award in r.exit_awards:
            state = (
                "reached" if award.reached else f"not yet ({r.ects_done:g} of {award.ects:g} ECTS)"
            )
            out.line(f"Exit award {award.name} ({award.ects:g} ECTS): {state}")
        if programme.classification.assumed:
            out.line("Bands are assumed (see the programme file's sources; check your handbook)")


def targets(result: TargetResult) -> None:
    r = result
    assumed = (
        " including assumed " + ", ".join(f"{c}={m:g}" for c, m in r.assumed.items())
        if r.assumed
        else ""
    )
    with screen() as out:
        if r.average is None:
            out.line(f"No marks yet; {r.remaining_ects:g} ECTS still to mark", style="bold")
        else:
            out.line(
                f"Average {r.average:.2f} over {r.marked_ects:g} ECTS{assumed};"
                f" {r.remaining_ects:g} ECTS still to mark",
                style="bold",
            )
        out.blank()
        out.table(
            [
                Col("Band"),
                Col("Threshold", right=True),
                Col("Needed", right=True),
                Col("State", wrap=True),
            ],
            [
                [
                    t.band,
                    f"{t.threshold:g}",
                    "-" if t.needed_average is None else f"{t.needed_average:.2f}",
                    t.state.replace("_", " "),
                ]
                for t in r.targets
            ],
        )
        out.line("secured: reached if you pass every remaining module")


def log_entries(result: LogListResult) -> None:
    entries = result.entries
    with screen() as out:
        if not entries:
            out.line("The study log is empty: mldsplan log HOURS [--module CODE]")
            return
        out.table(
            [
                Col("N", right=True),
                Col("Date"),
                Col("Hours", right=True),
                Col("Module"),
                Col("Note", wrap=True),
            ],
            [
                [
                    str(n),
                    str(e.on),
                    hours_text(e.hours),
                    _text(e.module or "-"),
                    _text(e.note or ""),
                ]
                for n, e in enumerate(entries, start=1)
            ],
        )


def report(lines: Sequence[str]) -> None:
    """`check`'s lines; each continues under the text after its `kind: `."""
    with screen() as out:
        for line in lines:
            kind, sep, _ = line.partition(": ")
            out.line(line, indent=len(kind) + 2 if sep and " " not in kind else 2)


def balances(out: Screen, since_first: Balance | None, this_term: Balance | None) -> None:
    """The balance lines that progress, hours and week share. The term's is left out when it
    spans the same days (the first entry is in this term): it would say the same."""
    if since_first is not None:
        out.line(f"Balance since {since_first.since}: {balance_text(since_first)}")
    if this_term is not None and (since_first is None or this_term.since != since_first.since):
        out.line(f"Balance this term: {balance_text(this_term)}")


def balance_text(b: Balance) -> str:
    sign = "+" if b.difference >= 0 else "\N{MINUS SIGN}"
    return (
        f"{hours_text(b.logged_hours)} of {hours_text(b.target_hours)} h"
        f" ({sign}{hours_text(abs(b.difference))} h)"
    )


def duration_text(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def timer_text(found: TimerStatus) -> str:
    if not found.running or found.started_at is None:
        return "No timer running: mldsplan start [CODE]"
    what = found.module or "no module"
    elapsed = "" if found.elapsed_hours is None else f", {duration_text(found.elapsed_hours)}"
    shape = "%H:%M" if found.started_today is not False else "%Y-%m-%d %H:%M"  # date unless today
    since = found.started_at.strftime(shape)
    return f"Timer: {what}{elapsed} (since {since})"


def status(result: StatusResult) -> None:
    with screen() as out:
        out.line(timer_text(result))


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
                    f"{t.weeks:.1f}",
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


_STATES = {
    "secured": "secured (reached whatever the rest scores)",
    "reachable": "reachable",
    "out_of_reach": "out of reach",
}


def assessments(result: AssessListResult) -> None:
    with screen() as out:
        if not result.modules:
            out.line("No assessments yet: mldsplan assess add CODE NAME --weight W [--due DATE]")
            return
        for m in result.modules:
            out.line(f"{m.code}: {m.title}", style="bold")
            if not m.assessments:
                add = f"mldsplan assess add {m.code} NAME --weight W"
                out.line(f"No assessments entered yet: {add}")
                if m.completed_on is not None:
                    out.line(_completed_text(m))
                out.blank()
                continue
            out.table(
                [
                    Col("Assessment", wrap=True),
                    Col("Weight", right=True),
                    Col("Due"),
                    Col("Mark", right=True),
                ],
                [
                    [
                        _text(a.name),
                        f"{a.weight:g}%",
                        str(a.due or ""),
                        "" if a.mark is None else f"{a.mark:g}",
                    ]
                    for a in m.assessments
                ],
            )
            if m.completed_on is not None:  # its recorded mark stands: nothing is needed
                out.line(_completed_text(m))
                out.blank()
                continue
            so_far = "no marks yet" if m.current_mark is None else f"{m.current_mark:.2f}"
            module = "" if m.module_mark is None else f"; module mark {m.module_mark:.2f}"
            out.line(
                f"Mark so far {so_far} over {m.weight_marked:g}% marked"
                f" ({m.weight_total:g}% of 100% entered){module}"
            )
            for t in m.targets:
                needed = (
                    ""
                    if t.needed_average is None
                    else f"{t.needed_average:.2f} needed on the rest; "
                )
                out.line(f"{t.band} ({t.threshold:g}): {needed}{_STATES[t.state]}", indent=4)
            out.blank()


def _completed_text(m: ModuleAssessments) -> str:
    mark = "no mark recorded" if m.recorded_mark is None else f"mark {m.recorded_mark:g}"
    return f"Completed on {m.completed_on}; {mark}"


def due(result: DueResult) -> None:
    with screen() as out:
        if not result.deadlines:
            out.line(f"Nothing due in the next {result.days} days")
            return
        out.table(
            [
                Col("Due"),
                Col("Left", wrap=True),
                Col("Code"),
                Col("Assessment", wrap=True),
                Col("Weight", right=True),
                Col("", wrap=True),
            ],
            [
                [
                    str(d.due),
                    days_left(d.days_left),
                    _text(d.code),
                    _text(d.name),
                    f"{d.weight:g}%",
                    "past due, no mark"
                    if d.overdue
                    else "deadline week"
                    if d.deadline_week
                    else "",
                ]
                for d in result.deadlines
            ],
        )
