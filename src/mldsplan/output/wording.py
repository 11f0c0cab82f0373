"""The words several outputs share: the terminal, the exported files and the page.

One home for each phrase that more than one output says (a balance, the timer, a
resit's mark, the note to set a start month), so that they cannot drift apart. Plain
text only: it imports no Rich and no layout, so the files and the page use it cheaply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from mldsplan.domain.constraints import mark_shown
from mldsplan.domain.numbers import count_text, hours_text, hundredths, hundredths_text

if TYPE_CHECKING:
    from mldsplan.domain.marks import FailedModule
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.studytime import Balance, TimerStatus
    from mldsplan.domain.workload import PlanModule

SET_START = "set your start month to see dates: mldsplan init --start YYYY-MM"
RESIT_CAP = "resit cap"  # a mark counted at the cap (`capped`): grades, on a terminal and the page

ResitForm = Literal["table", "text", "calendar"]


def resit_mark(m: PlanModule, form: ResitForm) -> str:
    """A module's mark with its resit said (what the average counts), one wording a form:

    - `table` (a terminal's Mark column, narrow): `56 (resit 50)`;
    - `text` (markdown, and the page's note after the mark): `56 (resit, counts 50)`;
    - `calendar` (an event's description): `mark 56, counted 50 (resit)` when the cap
      lowered it, `mark 56 (resit)` when not.

    Empty without a mark; a first attempt's mark alone (`mark 68` in a calendar).
    """
    if m.mark is None:
        return ""
    mark = f"{m.mark:g}"
    if form == "calendar":
        if not m.resit:
            return f"mark {mark}"
        counted = f", counted {m.counted_mark:g}" if m.capped else ""
        return f"mark {mark}{counted} (resit)"
    if not m.resit:
        return mark
    return f"{mark} ({resit_note(m) if form == 'text' else f'resit {m.counted_mark:g}'})"


def resit_note(m: PlanModule) -> str:
    """`resit, counts 50`: what a resit's mark counts, beside the mark (markdown, the page)."""
    counted = "" if m.counted_mark is None else f"{m.counted_mark:g}"
    return f"resit, counts {counted}"


def balance_text(b: Balance) -> str:
    """`40 of 42 h (+2 h)`: logged against the target, the difference as the two are shown."""
    difference = hundredths(b.logged_hours) - hundredths(b.target_hours)  # as shown
    sign = "+" if difference >= 0 else "\N{MINUS SIGN}"
    return (
        f"{hours_text(b.logged_hours)} of {hours_text(b.target_hours)} h"
        f" ({sign}{hundredths_text(abs(difference))} h)"
    )


def balance_lines(since_first: Balance | None, this_term: Balance | None) -> list[str]:
    """The balance lines of progress, hours, week and the markdown export. The term's is
    left out when it spans the same days (the first entry is in this term): it would say
    the same."""
    lines = []
    if since_first is not None:
        lines.append(f"Balance since {since_first.since}: {balance_text(since_first)}")
    if this_term is not None and (since_first is None or this_term.since != since_first.since):
        lines.append(f"Balance this term: {balance_text(this_term)}")
    return lines


def failed_text(f: FailedModule) -> str:
    """`Failed: supervised (7.5 ECTS), failed at 30; 1 attempt left`, or `Compensated: …`
    (grades, and the markdown export)."""
    marks = ", ".join(f"{m:g}" for m in f.marks)
    left = f"; {count_text(f.attempts_left, 'attempt', 'attempts')} left"
    return f"{f.state.capitalize()}: {f.code} ({f.ects:g} ECTS), failed at {marks}" + (
        left if f.state == "failed" else ""
    )


def duration_text(hours: float) -> str:
    """A running timer's time: `1 h 0 min`, `45 min`."""
    minutes = round(hours * 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def timer_text(found: TimerStatus) -> str:
    """`Timer: bayesian, 1 h 5 min (since 09:30)`, or that none is running."""
    if not found.running or found.started_at is None:
        return "No timer running: mldsplan start [CODE]"
    what = found.module or "no module"
    elapsed = "" if found.elapsed_hours is None else f", {duration_text(found.elapsed_hours)}"
    shape = "%H:%M" if found.started_today is not False else "%Y-%m-%d %H:%M"  # date unless today
    since = found.started_at.strftime(shape)
    return f"Timer: {what}{elapsed} (since {since})"


def average_shown(average: float, programme: Programme) -> str:
    """An average beside the programme's bands: never shown across a band's threshold
    (`constraints.mark_shown`), as progress and grades show it."""
    return mark_shown(average, *(threshold for _, threshold in programme.classification.bands))
