"""The terminal's layout engine: a `Screen` that draws lines and tables on stdout.

Every terminal report (`plan_view`, `progress_view`, `marks_view`, `file_view`,
`schedule_view`) draws through it; nothing here knows a report. Text from files goes in
as plain text (never markup), and no meaning rides on colour. Rich is imported only to
style a terminal's lines: a `--json` run never loads it, nor a report into a pipe or a
file, whose lines are written here exactly as Rich's console would write them.

On a terminal, output fits its width (Rich reads COLUMNS, then the terminal) from 60
columns up: a table gives codes, dates and numbers their whole width and lets titles,
notes and statuses wrap at spaces (a word too long for its column is shortened with
"…"); prose wraps at spaces only, never inside a word, its continuation lines indented
under the text they continue. When stdout is not a terminal nothing is wrapped and no
line carries trailing spaces. `MLDSPLAN_FORCE_TERMINAL=1` lays output out as for a
terminal of COLUMNS columns (80 without it) even when stdout is not one: that is how
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

from mldsplan.output.visible import units_held, visible

if TYPE_CHECKING:  # Rich loads only to draw
    from rich.console import Console
    from rich.text import Text

FORCE_TERMINAL_ENV = "MLDSPLAN_FORCE_TERMINAL"
UNWRAPPED = 100_000  # the width of a console that is not a terminal: nothing wraps
BAR_WIDTH = 30
LABEL_WIDTH = 9  # "ECTS     ": progress's labels, values aligned after them
COLUMN_GAP = 2  # spaces between table columns
MIN_SHORTENED = 8  # a word in a wrapping column keeps this many cells before "…"
NBSP = "\N{NO-BREAK SPACE}"  # holds `in 9 days` or a date range together; printed as a space
INDENT_BELOW = 2  # a `below` column's line, under its row

# the space before a number that ends a phrase (`year 2`, `(Part 1)`, `resit 50`): a cell
# keeps the number with its word
_NUMBER_AFTER_WORD = re.compile(r"(?<=[^\W\d]) (?=\d[\d.,]*\)?(?:[ ,;:]|$))")
# the control codes Rich's `Text` removes from what it is given (rich.control)
_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))
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
    """Where a report is drawn: the width lines may take, and where they go. Where Rich
    would style nothing (`styled` is False: a pipe, a file) the lines are written as Rich
    would write them, without loading Rich; else through a Rich console, for its styles."""

    def __init__(self) -> None:
        self.wraps = wraps()
        self.console: Console | None = None
        self._captured: list[str] | None = None  # inside `screen()`, without Rich
        if styled():
            from rich.console import Console

            # Text from files is never markup; and no markup or emoji parsing is faster.
            self.console = Console(
                width=None if self.wraps else UNWRAPPED, highlight=False, markup=False, emoji=False
            )
            self.width = self.console.width
        else:
            self.width = unstyled_width() if self.wraps else UNWRAPPED

    def line(self, text: str, *, indent: int = 2, label: str = "", style: str = "") -> None:
        """Print `text` (after `label`), wrapped at spaces with continuation lines indented."""
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
            self._print(line.replace(NBSP, " "), style=style)

    def field(self, label: str, value: str) -> None:
        """`label` then `value`, continuation lines under the value."""
        self.line(value, label=label.ljust(LABEL_WIDTH), indent=LABEL_WIDTH)

    def warnings(self, warnings: Sequence[str]) -> None:
        for warning in warnings:
            self.line(warning, label="warning: ", indent=len("warning: "))

    def blank(self) -> None:
        self._print("")

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
        """One line, as Rich's `print(Text(line, style=style), soft_wrap=True)` writes it."""
        if self.console is not None:
            from rich.text import Text

            self.console.print(Text(line, style=style), soft_wrap=True)
            return
        line = line.translate(_STRIPPED) + "\n"  # what `Text` strips, then its line's end
        if self._captured is not None:
            self._captured.append(line)
        else:
            sys.stdout.write(line)

    def _fit(self, columns: Sequence[Col], rows: Sequence[Sequence[str]]) -> list[int | None]:
        """Widths for the wrapping columns, or None where a column takes its natural width.

        Other columns keep their whole width; the wrapping ones share what is left,
        each keeping its numbers whole and at least MIN_SHORTENED cells of a word.
        """
        texts = [[col.name, *(row[i] for row in rows)] for i, col in enumerate(columns)]
        natural = [max(_cells(t) for t in column) for column in texts]
        room = self.width - COLUMN_GAP * (len(columns) - 1)
        if not self.wraps or sum(natural) <= room:
            return [None] * len(columns)
        flexible = [i for i, col in enumerate(columns) if col.wrap]
        room -= sum(natural[i] for i in range(len(columns)) if i not in flexible)
        widths: dict[int, int] = {}
        floor: dict[int, int] = {}  # below this a number in the column would be cut
        for i in flexible:
            words = [w for t in texts[i] for w in _words(t)] or [""]
            floor[i] = max([1, *(_cells(w) for w in words if any(c.isdigit() for c in w))])
            longest = max(_cells(w) for w in words)
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
    if out.console is not None:
        with out.console.capture() as captured:
            yield out
        text = captured.get()
    else:
        out._captured = []
        yield out
        text = "".join(out._captured)
    sys.stdout.write(_TRAILING.sub(r"\1", text))
    sys.stdout.flush()


def _cells(text: str) -> int:
    """The cells `text` takes on a terminal: Rich's measure, without loading it where each
    character takes one cell (printable ASCII, and our no-break space)."""
    plain = text.replace(NBSP, " ")
    if plain.isascii() and plain.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _words(text: str) -> list[str]:
    """The words a line may break between: NBSP joins, unlike `str.split()`."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


def _longest_word(texts: Sequence[str]) -> int:
    return max([0, *(_cells(w) for t in texts for w in _words(t))])


def _wrap_cell(text: str, width: int) -> list[str]:
    """`text` wrapped at spaces (not at NBSP) to `width`; a word too long is shortened."""
    lines = textwrap.wrap(
        units_held(_NUMBER_AFTER_WORD.sub(NBSP, text)),
        width,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]
    return [
        (line if _cells(line) <= width else _shortened(line, width)).replace(NBSP, " ")
        for line in lines
    ]


def _shortened(line: str, width: int) -> str:
    """`line` cut to `width` cells, its end shown by "…"."""
    from rich.cells import set_cell_size

    return set_cell_size(line, width - 1) + "…"


def _visible(text: str) -> str:
    """`visible(text)`, its non-breaking spaces kept (they are ours, printed as spaces)."""
    return NBSP.join(visible(part) for part in text.split(NBSP))


def together(text: str) -> str:
    """`text` with its spaces made non-breaking: a phrase a line must not split."""
    return text.replace(" ", NBSP)


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def date_range(start: date | None, end: date | None) -> str:
    return together(f"{start} to {end}") if start and end else "-"


def as_text(value: str) -> str:
    """A cell from a file, taken as plain text (never markup) as Rich's `Text` takes it: the
    control codes it strips (BEL, BS, VT, FF, CR) removed, any other escaped on the way."""
    return value.translate(_STRIPPED)


def styled() -> bool:
    """Whether Rich would style this output (its `Console.is_terminal`): a terminal by
    TTY_COMPATIBLE, FORCE_COLOR or stdout's isatty. Where that cannot be told without Rich
    (Windows' consoles, IDLE, Jupyter) it is taken as styled, and Rich decides."""
    if sys.platform == "win32" or "IPython" in sys.modules:
        return True
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return True
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    out = getattr(sys.stdout, "rich_proxied_file", sys.stdout)
    try:
        return bool(out.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def unstyled_width() -> int:
    """The width Rich gives an unstyled console (`Console.size`, off Windows): COLUMNS,
    else the first of stdin, stdout and stderr that is a terminal, else 80."""
    given = os.environ.get("COLUMNS")
    if given is not None and given.isdigit():
        return int(given)
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def wraps() -> bool:
    """Whether output is laid out for a terminal: stdout is one, or `FORCE_TERMINAL_ENV`."""
    return os.environ.get(FORCE_TERMINAL_ENV) == "1" or sys.stdout.isatty()


def terminal_width() -> int:
    """COLUMNS, else the terminal's width (as Rich reads it), without loading Rich."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 80
