"""How `schedule` looks on a terminal: a headline, the blocks by day, what does not fit
and the options.

Nothing here computes a figure; the numbers come from `domain.blocks.Schedule`.
A block is one line, `Tue 19:00-20:30  bayesian  Coursework 2, due Fri`; where the
terminal is too narrow for it the deadline goes on its own line under the module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mldsplan.domain.numbers import count_text, hours_text

if TYPE_CHECKING:
    from datetime import date

    from mldsplan.domain.blocks import Block, Schedule


def headline(s: Schedule) -> str:
    text = (
        f"{hours_text(s.placed_hours)} of {hours_text(s.need_hours)} h planned in"
        f" {count_text(len(s.blocks), 'block', 'blocks')}, of {hours_text(s.free_hours)} h free"
        " in your windows"
    )
    if s.short:
        text += f"; {hours_text(s.short_hours)} h don't fit before their deadlines"
    return text


def _due(due: date, s: Schedule) -> str:
    if s.week_start <= due <= s.week_end:
        return f"{due:%a}"
    return f"{due:%a} {due.isoformat()}"


def serves(b: Block, s: Schedule) -> str:
    """`Coursework 2, due Fri`, or `term ends Sun 2027-03-28`."""
    if b.assessment is None:
        return f"term ends {_due(b.due, s)}"
    return f"{b.assessment}, due {_due(b.due, s)}"


def block_line(b: Block, s: Schedule, code_width: int = 0) -> tuple[str, str]:
    """The block's time and module, and what it serves."""
    when = f"{b.start:%a} {b.start:%H:%M}-{b.end:%H:%M}"
    return f"{when}  {b.code.ljust(code_width)}", serves(b, s)


def schedule(s: Schedule) -> None:
    from mldsplan.output.layout import NBSP, Screen

    screen = Screen()
    screen.line(f"Week {s.week_start.isoformat()} to {s.week_end.isoformat()}", indent=0)
    if not s.windows:
        screen.line("No study windows set, so nothing is placed.", indent=0)
        example = " ".join(f'"{w}"' for w in s.suggested)
        screen.line(
            f"Set windows that add up to your weekly hours, for example: mldsplan available"
            f" set {example}",
            indent=2,
        )
        return
    screen.line(headline(s), indent=2)
    width = max((len(b.code) for b in s.blocks), default=0)
    for b in s.blocks:
        left, right = block_line(b, s, width)
        whole = f"  {left}  {right}"
        if screen.wraps and len(whole) > screen.width:
            screen.line(left.rstrip(), label="  ", indent=4)
            screen.line(right, label="      ", indent=6)
        else:
            screen.line(whole.rstrip() if not screen.wraps else whole, indent=len(left) + 4)
    if not s.blocks:
        screen.line("No free time left in your windows this week.", indent=2)
    for short in s.short:
        what = short.assessment or "(the term's end)"
        screen.line(
            f"{short.code} {what}, due {short.due:%a} {short.due.isoformat()}:"
            f" {hours_text(short.hours_short)}{NBSP}h don't fit before it",
            label="short: ",
            indent=7,
        )
        for option in short.options:
            screen.line(option, label="  - ", indent=4)
