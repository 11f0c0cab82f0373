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

from mldsplan.domain.constraints import mark_shown
from mldsplan.domain.labels import needed_a_week, needed_this_week
from mldsplan.domain.numbers import (
    count_text,
    days_left,
    hours_parts,
    hours_text,
    hundredths,
    hundredths_parts,
    hundredths_text,
)
from mldsplan.output.visible import units_held, visible

if TYPE_CHECKING:  # Rich loads only to draw; the results' modules would cost start-up
    from rich.console import Console
    from rich.text import Text

    from mldsplan.domain.assessments import AssessListResult, DueResult, ModuleAssessments
    from mldsplan.domain.calendar import CalendarResult
    from mldsplan.domain.difference import HistoryResult
    from mldsplan.domain.marks import GradesResult, TargetResult
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.studytime import (
        Balance,
        LogListResult,
        StatusResult,
        TimerStatus,
        WeekResult,
        WeekSummary,
    )
    from mldsplan.domain.weekplan import PlanRow, WeekPlan
    from mldsplan.domain.workload import HoursResult, PlanResult, ProgressResult

FORCE_TERMINAL_ENV = "MLDSPLAN_FORCE_TERMINAL"
UNWRAPPED = 100_000  # the width of a console that is not a terminal: nothing wraps
BAR_WIDTH = 30
CHART_WIDTH = 40
LABEL_WIDTH = 9  # "ECTS     ": progress's labels, values aligned after them
COLUMN_GAP = 2  # spaces between table columns
MIN_SHORTENED = 8  # a word in a wrapping column keeps this many cells before "…"
SET_START = "set your start month to see dates: mldsplan init --start YYYY-MM"
NBSP = "\N{NO-BREAK SPACE}"  # holds `in 9 days` or a date range together; printed as a space
INDENT_BELOW = 2  # a `below` column's line, under its row

# the space before a number that ends a phrase (`year 2`, `(Part 1)`, `resit 50`): a cell
# keeps the number with its word
_NUMBER_AFTER_WORD = re.compile(r"(?<=[^\W\d]) (?=\d[\d.,]*\)?(?:[ ,;:]|$))")
# spaces at a line's end, before any colour codes that close it
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


class Col(NamedTuple):
    """A table column: `wrap` columns hold prose and take what width is left; a `below`
    column (a title) takes its own line under its row when inline it would cut a word; an
    `optional` column is left out when it is empty."""

    name: str
    right: bool = False
    wrap: bool = False
    below: bool = False
    optional: bool = False


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

        text = units_held(_visible(text))  # a path in `check`'s lines may hold an ESC
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
            self.console.print(Text(line.replace(NBSP, " "), style=style), soft_wrap=True)

    def field(self, label: str, value: str) -> None:
        """`label` then `value`, continuation lines under the value."""
        self.line(value, label=label.ljust(LABEL_WIDTH), indent=LABEL_WIDTH)

    def warnings(self, warnings: Sequence[str]) -> None:
        for warning in warnings:
            self.line(warning, label="warning: ", indent=len("warning: "))

    def blank(self) -> None:
        self.console.print()

    def table(self, columns: Sequence[Col], rows: Sequence[Sequence[str | Text]]) -> None:
        """Columns two spaces apart under a header and a rule, laid out here (not by Rich):
        a wrapping cell breaks at spaces only (never inside `in 9 days` or a date range,
        whose spaces are non-breaking), and a `below` column may take its own line."""
        texts = [
            [
                _visible(c if isinstance(c, str) else c.plain)
                if not col.wrap
                else units_held(
                    _NUMBER_AFTER_WORD.sub(NBSP, _visible(c if isinstance(c, str) else c.plain))
                )
                for c, col in zip(row, columns, strict=True)
            ]
            for row in rows
        ]
        keep = [
            i
            for i, col in enumerate(columns)
            if not (col.optional and not any(row[i].strip() for row in texts))
        ]
        inline = keep
        widths = self._fit([columns[i] for i in keep], [[row[i] for i in keep] for row in texts])
        if self.wraps and any(columns[i].below for i in keep):
            whole = [_longest_word([columns[i].name, *(row[i] for row in texts)]) for i in keep]
            if any(w is not None and w < n for w, n in zip(widths, whole, strict=True)):
                inline = [i for i in keep if not columns[i].below]
                widths = self._fit(
                    [columns[i] for i in inline], [[row[i] for i in inline] for row in texts]
                )
        below = [i for i in keep if i not in inline]
        shown = [columns[i] for i in inline]
        sized = [
            w if w is not None else max(_cells(t) for t in [col.name, *(row[i] for row in texts)])
            for w, col, i in zip(widths, shown, inline, strict=True)
        ]
        total = sum(sized) + COLUMN_GAP * (len(sized) - 1)
        self._row([col.name for col in shown], shown, sized, style="bold")
        for i in below:  # said apart, not read as the last header's second line
            self._under(f"{columns[i].name}: under each row", style="bold")
        self._print("─" * total)
        for row in texts:
            self._row([row[i] for i in inline], shown, sized)
            for i in below:
                self._under(row[i])

    def _row(
        self, cells: Sequence[str], columns: Sequence[Col], widths: Sequence[int], style: str = ""
    ) -> None:
        """One row: each cell wrapped to its column's width, the cells side by side."""
        lines = [
            _wrap_cell(cell, width) if col.wrap else [cell.replace(NBSP, " ")]
            for cell, col, width in zip(cells, columns, widths, strict=True)
        ]
        for n in range(max(len(cell) for cell in lines)):
            parts = []
            for cell, col, width in zip(lines, columns, widths, strict=True):
                text = cell[n] if n < len(cell) else ""
                pad = " " * max(0, width - _cells(text))
                parts.append(pad + text if col.right else text + pad)
            self._print((" " * COLUMN_GAP).join(parts), style=style)

    def _under(self, text: str, style: str = "") -> None:
        """A `below` column's text on its own line(s), indented under its row."""
        if text.strip():
            text = _NUMBER_AFTER_WORD.sub(NBSP, text)
            self.line(text, indent=2 * INDENT_BELOW, label=" " * INDENT_BELOW, style=style)

    def _print(self, line: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(line, style=style), soft_wrap=True)

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
            words = [w for t in texts[i] for w in _words(t)] or [""]
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


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _words(text: str) -> list[str]:
    """The words a line may break between: NBSP joins, unlike `str.split()`."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


def _longest_word(texts: Sequence[str]) -> int:
    return max([0, *(_cells(w) for t in texts for w in _words(t))])


def _wrap_cell(text: str, width: int) -> list[str]:
    """`text` wrapped at spaces (not at NBSP) to `width`; a word too long is shortened."""
    from rich.cells import set_cell_size

    lines = textwrap.wrap(
        units_held(_NUMBER_AFTER_WORD.sub(NBSP, text)),
        width,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]
    return [
        (line if _cells(line) <= width else set_cell_size(line, width - 1) + "…").replace(NBSP, " ")
        for line in lines
    ]


def _visible(text: str) -> str:
    """`visible(text)`, its non-breaking spaces kept (they are ours, printed as spaces)."""
    return NBSP.join(visible(part) for part in text.split(NBSP))


def _together(text: str) -> str:
    """`text` with its spaces made non-breaking: a phrase a line must not split."""
    return text.replace(" ", NBSP)


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _dates(start: date | None, end: date | None) -> str:
    return _together(f"{start} to {end}") if start and end else "-"


def _text(value: str) -> Text:
    from rich.text import Text

    return Text(value)


def plan_codes(modules: Sequence[tuple[str, str]]) -> None:
    """`plan --codes`: one plain line per module, its code and title (no Rich, no table); in
    a terminal a long title wraps at spaces under itself."""
    width = max((len(code) for code, _ in modules), default=0)
    wraps = os.environ.get(FORCE_TERMINAL_ENV) == "1" or sys.stdout.isatty()
    columns = _terminal_width() if wraps else UNWRAPPED
    for code, title in modules:
        lines = textwrap.wrap(
            visible(f"{code:<{width}}  {title}"),
            max(columns, width + 12),
            subsequent_indent=" " * (width + 2),
            break_long_words=False,
            break_on_hyphens=False,
        )
        print("\n".join(lines))


def _terminal_width() -> int:
    """COLUMNS, else the terminal's width (as Rich reads it), without loading Rich."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 80


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


def _thresholds(programme: Programme) -> list[float]:
    return [threshold for _, threshold in programme.classification.bands]


def progress(programme: Programme, result: ProgressResult) -> None:
    r = result
    with screen() as out:
        out.line(f"{r.programme_name} — progress on {r.on}", style="bold")
        out.field(
            "ECTS",
            f"{bar(r.ects_done / r.ects_total)}  {r.ects_done:g} of {r.ects_total:g}"
            f" ({r.percent:.1f}%)",
        )
        out.field("Modules", f"{r.modules_done} of {r.modules_total} done{_parts_text(programme)}")
        out.field(
            "Hours",
            f"{hours_text(r.hours_remaining)} h left = {hours_text(r.weeks_remaining)} weeks at"
            f" {hours_text(r.weekly_hours)} h/week; at that pace you finish {r.finish_date}",
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
                f"average {mark_shown(r.average, *_thresholds(programme))} ({r.band})"
                f" over {r.marked_ects:g} ECTS: mldsplan grades",
            )
        for f in r.failed:
            n = f.attempts_left
            left = (
                f"{n} attempt{'s' * (n != 1)} left" if f.state == "failed" else "counts as passed"
            )
            out.field(
                f.state.capitalize(), f"{f.code} at {', '.join(f'{m:g}' for m in f.marks)}; {left}"
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
        out.line(
            f"Logged this week: {hours_text(w.logged_hours)} of {hours_text(w.target_hours)} h"
        )
        if r.week_plan.plan:
            top = r.week_plan.plan[0]
            out.line(
                f"{plan_total_text(r.week_plan)}; {top.code} first,"
                f" {hours_text(top.left_hours)} h left"
            )
        if r.programme_end is not None:
            out.line(needed_a_week(r.required_weekly_hours, r.programme_end))
        balances(out, r.balance, r.term_balance)
        if r.timer is not None:
            timer_lines(out, r.timer)
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
            f"At {hours_text(r.weekly_hours)} h/week  {hours_text(r.weeks_remaining)} weeks;"
            f" finish {r.finish_date} (from {r.on})"
        )
        if r.programme_end is None:
            out.line(SET_START)
        else:
            out.line(needed_a_week(r.required_weekly_hours, r.programme_end))
            out.line(f"Your plan ends {r.planned_end}")
        if r.terms:
            out.blank()
            out.table(
                [
                    Col("Y.T"),  # the term as `calendar set Y.T` names it: the table fits 60
                    Col("Dates", wrap=True),
                    Col("Hours left", right=True),
                    Col("h/week", right=True),
                    Col("", wrap=True, below=True, optional=True),
                ],
                [
                    [
                        f"{t.year}.{t.term}",
                        _dates(t.start, t.end),
                        hours_text(t.hours_remaining),
                        "-" if t.weekly_load is None else hours_text(t.weekly_load),
                        _term_flag(t.overdue, t.heavy),
                    ]
                    for t in r.terms
                ],
            )
            # each flag said once, in plain words, under the table
            flags = {_term_flag(t.overdue, t.heavy) for t in r.terms}
            if "overdue" in flags:
                out.line("overdue: the term has ended with hours left", indent=len("overdue: "))
            if "heavy" in flags:
                out.line(
                    f"heavy: needs more than your {hours_text(r.weekly_hours)} h/week"
                    f" + {HEAVY_FACTOR - 1:.0%}",
                    indent=len("heavy: "),
                )
        out.blank()
        if r.pace is None:
            out.line("Your pace: nothing logged yet (mldsplan log HOURS)")
        else:
            p = r.pace
            whole = f"{hours_text(p.overall_weekly_hours)} h/week since {p.first_entry}"
            if p.recent_since == p.first_entry:  # the whole log is recent: one figure
                out.line(f"Your pace: {whole} ({p.span_days} day{'s' * (p.span_days > 1)})")
            else:
                out.line(
                    f"Your pace: {hours_text(p.recent_weekly_hours)} h/week over the last"
                    f" {p.recent_days} days; {whole}"
                )
        balances(out, r.balance, r.term_balance)
        for monday in r.deadline_weeks:
            out.line(f"Deadline week from {monday}: two or more assessments due (mldsplan due)")
        if r.modules:
            out.blank()
            opening = any(m.opening_hours for m in r.modules)  # studied before tracking
            out.table(
                [
                    Col("Module"),
                    Col("Logged", right=True),
                    *([Col("Opening", right=True)] if opening else []),
                    Col("Budget", right=True),
                    Col("Used", right=True),
                ],
                [
                    [
                        _text(m.code),
                        hours_text(m.logged_hours),
                        *([hours_text(m.opening_hours)] if opening else []),
                        hours_text(m.budget_hours),
                        f"{m.percent_used:.0f}%",
                    ]
                    for m in r.modules
                ],
            )
            if opening:
                out.line("Opening: hours studied before tracking (log --opening)")
        if r.hours_without_module > 0:
            out.line(
                f"{hours_text(r.hours_without_module)} h logged without a module,"
                " not counted against any module"
            )
        out.warnings(r.warnings)


def _parts_text(programme: Programme) -> str:
    """Why completions outnumber modules done: the domain's units (`marks.units`) of more
    than one module, each counted once, when all its parts are done."""
    from mldsplan.domain.marks import units

    counted = units(programme)
    said = []
    for group in programme.groups:
        parts = counted.get(group.code, [])
        if len(parts) > 1:
            codes = ", ".join(parts[:-1]) + f" and {parts[-1]}"
            said.append(f"{codes} count as one module, done when all {len(parts)} are")
    return "".join(f"; {s}" for s in said)


def _term_flag(overdue: bool, heavy: bool) -> str:
    """The hours table's flag for a term, explained by a legend under the table."""
    return "overdue" if overdue else "heavy" if heavy else ""


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
                # the days' hours as they add up to the week's total below
                [d.date.strftime("%a"), str(d.date), shown if d.hours else "-"]
                for d, shown in zip(r.days, hours_parts([d.hours for d in r.days]), strict=True)
            ],
        )
        out.blank()
        # logged and to go (or over) add up to the target as shown
        apart = hundredths(r.target_hours) - hundredths(r.logged_hours)
        state = (
            f"{hundredths_text(-apart)} h over the target"
            if r.over_hours
            else f"{hundredths_text(max(0, apart))} h to go"
        )
        out.line(f"Logged {hours_text(r.logged_hours)} of {hours_text(r.target_hours)} h; {state}")
        if r.modules:
            shown = hours_parts([m.hours for m in r.modules])
            parts = [
                f"{m.code or '(no module)'} {h} h" for m, h in zip(r.modules, shown, strict=True)
            ]
            out.line("By module: " + ", ".join(parts))
        out.blank()
        week_plan(out, r)
        out.blank()
        out.line(
            f"Last {len(r.recent_weeks)} weeks (| marks the {hours_text(r.target_hours)} h target):"
        )
        # the date, the bar and the widest hours figure share the line
        widest = max((len(hours_text(w.logged_hours)) for w in r.recent_weeks), default=1)
        width = min(CHART_WIDTH, out.width - len("YYYY-MM-DD  ") - len("   h") - widest)
        for line in chart(r.recent_weeks, max(width, 1)):
            out.line(line)
        for d in r.deadlines:
            out.line(f"Due {d.due}: {d.code} {d.name} ({d.weight:g}%)")
        balances(out, r.balance, r.term_balance)
        if r.timer is not None:
            timer_lines(out, r.timer)


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
                hundredths_text(need),  # the needs as they add up to the total below
                hours_text(row.logged_hours) if row.logged_hours else "-",
                hundredths_text(max(0, need - hundredths(row.logged_hours))),  # need - logged
                _text(deadline_text(row)),
            ]
            for row, need in zip(
                plan.plan, hundredths_parts([row.need_hours for row in plan.plan]), strict=True
            )
        ],
    )
    out.line(plan_total_text(plan))


def plan_total_text(plan: WeekPlan | WeekResult) -> str:
    """The week's total need against the hours available, labelled (`labels`): "Needed this
    week: 131.71 of 21 h", over-committed or spare."""
    needs = needed_this_week(plan.plan_total_hours, plan.available_hours)
    if plan.over_committed_hours:
        return f"{needs}, over-committed by {hours_text(plan.over_committed_hours)} h"
    if plan.spare_hours:
        return (
            f"{needs}, {hours_text(plan.spare_hours)} h spare:"
            f" get ahead on {plan.plan[0].code}, whose deadline is soonest"
        )
    return f"{needs}, exactly the hours you have"


def deadline_text(row: PlanRow) -> str:
    """`Group project, 2026-12-04 (in 9 days)`, or the term's end when no assessment drives.
    A module whose term has ended is what is late, not its next assessment: `its term ended;
    cw1, 2026-12-04 (in 9 days)`, or, with no assessment, planned to this term's end."""
    when = f"{row.due} ({_together(days_left(row.days_left))})"
    if row.deadline:
        what = f"{row.deadline.name}, {when}"
    else:
        what = f"{'this term' if row.overdue else 'term'} ends {when}"
    return f"its term ended; {what}" if row.overdue else what


def grades(programme: Programme, result: GradesResult) -> None:
    r = result
    with screen() as out:
        if r.modules:
            out.table(
                [
                    Col("Code"),
                    Col("Title", wrap=True, below=True),
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
                        f"{m.counted_mark:g}"
                        + (" (resit cap)" if m.capped else "")
                        + (" (compensated)" if m.compensated else ""),
                        "project" if m.project else f"{100 * m.weight:.1f}%",
                    ]
                    for m in r.modules
                ],
            )
            out.blank()
        taught = "taught " if r.project else ""
        if r.average is None:
            out.line("No marks yet: record one with mldsplan complete CODE --mark M")
        else:
            out.line(
                f"{'Taught average ' if taught else 'Average  '}"
                f"{mark_shown(r.average, *_thresholds(programme))} ({r.band}) over"
                f" {r.marked_ects:g} of"
                f" {r.total_ects:g} {taught}ECTS ({r.marked_percent:.1f}% marked)",
                style="bold",
            )
        if r.project:
            mark = "not marked yet" if r.project_mark is None else f"{r.project_mark:g}"
            out.line(f"Project ({r.project}): {mark}; a band needs both at its threshold")
        for h in r.hurdles:
            if not h.reached and r.average is not None:
                out.line(f"Not {h.band} ({h.threshold:g}): {h.hurdle}")
        for f in r.failed:
            marks = ", ".join(f"{m:g}" for m in f.marks)
            n = f.attempts_left
            left = "" if f.state != "failed" else f"; {n} attempt{'s' * (n != 1)} left"
            out.line(f"{f.state.capitalize()}: {f.code} ({f.ects:g} ECTS), failed at {marks}{left}")
        for note in r.notes:
            out.line(note[0].upper() + note[1:])
        if r.unmarked:
            out.line(f"Completed without a mark (not in the average): {', '.join(r.unmarked)}")
        for p in r.provisional:
            out.line(
                f"Provisional (in progress, not in the average): {p.code}"
                f" {p.current_mark:.2f} over {p.weight_marked:g}% marked"
            )
        if r.assumed_rules:
            out.line(r.assumed_rules)


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
                f"{'Taught average' if r.project else 'Average'} {mark_shown(r.average)} over"
                f" {r.marked_ects:g} ECTS{assumed}; {r.remaining_ects:g} ECTS still to mark",
                style="bold",
            )
        out.blank()
        project = [Col("Project", right=True)] if r.project else []
        out.table(
            [
                Col("Band"),
                Col("Threshold", right=True),
                Col("Needed" + (" (taught)" if r.project else ""), right=True),
                *project,
                Col("State", wrap=True),
            ],
            [
                [
                    t.band,
                    f"{t.threshold:g}",
                    "-" if t.needed_average is None else mark_shown(t.needed_average),
                    *(
                        ["-" if t.project_needed is None else f"{t.project_needed:g}"]
                        * len(project)
                    ),
                    t.state.replace("_", " "),
                ]
                for t in r.targets
            ],
        )
        if r.project:
            mark = "not marked yet" if r.project_mark is None else f"{r.project_mark:g}"
            out.line(f"Project ({r.project}): {mark}; a band needs both at its threshold")
        out.line(r.needed_over)
        out.line("secured: reached if you pass every remaining module")
        if r.assumed_rules:
            out.line(r.assumed_rules)


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
                Col("Note", wrap=True, below=True),
            ],
            [
                [
                    str(n),
                    "opening" if e.on is None else str(e.on),  # studied before tracking
                    hours_text(e.hours),
                    _text(e.module or "-"),
                    _text(e.note or ""),
                ]
                for n, e in enumerate(entries, start=1)
            ],
        )
        if any(e.opening for e in entries):
            out.line(
                "opening: hours studied before tracking; they count in the module's hours"
                " still to do, never in pace, balance or weekly totals"
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
    difference = hundredths(b.logged_hours) - hundredths(b.target_hours)  # as shown
    sign = "+" if difference >= 0 else "\N{MINUS SIGN}"
    return (
        f"{hours_text(b.logged_hours)} of {hours_text(b.target_hours)} h"
        f" ({sign}{hundredths_text(abs(difference))} h)"
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


def forgotten_text(found: TimerStatus) -> str | None:
    """What to do about a timer that has run longer than `stop` takes (`timer.forgotten`)."""
    from mldsplan.domain.timer import MAX_SESSION_HOURS, forgotten

    if found.elapsed_hours is None or found.started_at is None:
        return None
    if not forgotten(found.elapsed_hours):
        return None
    return (
        f"probably forgotten (more than {MAX_SESSION_HOURS} h): stop it when you ended with"
        " mldsplan stop --at YYYY-MM-DDTHH:MM, or drop it: mldsplan cancel"
    )


def timer_lines(out: Screen, found: TimerStatus) -> None:
    out.line(timer_text(found))
    fix = forgotten_text(found)
    if fix:
        out.line(fix, indent=2)


def status(result: StatusResult) -> None:
    with screen() as out:
        timer_lines(out, result)


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
            so_far = (
                "No marks yet"
                if m.current_mark is None
                else f"Mark so far {m.current_mark:.2f} from the {m.weight_marked:g}% of the"
                " module marked"
            )
            entered = (
                "every assessment entered (100% of the module)"
                if m.weights_complete
                else f"assessments entered so far: {m.weight_total:g}% of the module"
            )
            module = "" if m.module_mark is None else f"; module mark {m.module_mark:.2f}"
            out.line(f"{so_far}; {entered}{module}")
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
            days = result.days
            within = {0: "today", 1: "by tomorrow"}.get(days, f"in the next {days} days")
            out.line(f"Nothing due {within}")
            return
        out.table(
            [
                Col("Due"),
                Col("Left"),
                Col("Code"),
                Col("Assessment", wrap=True, below=True),
                Col("Weight", right=True),
                Col("", wrap=True, optional=True),
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
                    _text("; ".join(row.what) if row.what is not None else "(oldest kept)"),
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
