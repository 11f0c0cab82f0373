"""The one load rule (SPEC §4): a module's hours still to do are its hours less the hours
logged to it, never below 0; a module done (or passed by compensation) has none.

The hours studied before tracking (`log --opening`) count here, and only here: in a
module's hours still to do (its hour budget) and so in the hours left, the term loads
and the week's plan; never in pace, balance, day or week totals (`studytime`), which
read the dated log alone.

One definition for the hours left (`workload`), each term's needed load (`term_loads`,
here: what `hours` shows and the plan's warnings judge) and the week's plan
(`studytime.week_plan`). Pure: nothing here reads a clock, a file or the environment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from mldsplan.domain.dates import weeks_between
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import LogEntry, Opening
from mldsplan.domain.results import record
from mldsplan.domain.terms import Planned, TermWindow, shipped_window

if TYPE_CHECKING:
    from mldsplan.domain.facts import Facts


def logged_by_module(log: Sequence[LogEntry], opening: Sequence[Opening] = ()) -> dict[str, float]:
    """The hours studied on each module: those logged in `log`, and the hours studied
    before tracking in `opening` (give them wherever a module's budget is meant)."""
    logged: dict[str, float] = {}
    for e in log:
        if e.module is not None:
            logged[e.module] = logged.get(e.module, 0.0) + e.hours
    for o in opening:
        logged[o.module] = logged.get(o.module, 0.0) + o.hours
    return logged


def hours_to_do(programme: Programme, planned: Planned, logged: dict[str, float]) -> float:
    """A module's hours still to do: its hours less the hours logged to it (never below 0)."""
    if planned.done:
        return 0.0
    return max(0.0, programme.hours(planned.module) - logged.get(planned.module.code, 0.0))


def nominal_window(programme: Programme, year: int, term: int) -> TermWindow:
    """A term's window for a cohort starting in the entry month (when no start is set)."""
    # Without a start month, any month serves: only the window's length is used.
    return shipped_window(programme, date(2001, programme.entry_month or 1, 1), year, term)


@record
class TermNeed:
    """A planned term's needed load: its hours still to do over the weeks it has left."""

    year: int
    term: int
    window: TermWindow | None  # None: no start month (lengths are the nominal ones)
    todo: float
    weeks_left: float | None
    needed: float | None  # hours per week still needed; None once the term is over
    own: float  # the programme's load for the term: its hours over its whole length
    overdue: bool


def term_loads(facts: Facts) -> list[TermNeed]:
    """Every planned term's needed load (SPEC §4): hours still to do over the weeks left."""
    return facts.once("term_loads", lambda: _term_loads(facts))


def _term_loads(facts: Facts) -> list[TermNeed]:
    programme, on = facts.programme, facts.on
    plan = facts.credited_schedule
    logged = facts.log.studied
    term_hours = {(t.year, t.term): t.ects * programme.hours_per_ects for t in programme.terms}
    loads = []
    for year, term in facts.planned_terms:
        todo = sum(
            hours_to_do(programme, p, logged) for p in plan if (p.year, p.term) == (year, term)
        )
        dated = facts.window(year, term)
        length = dated or nominal_window(programme, year, term)
        own = term_hours.get((year, term), 0.0) / length.weeks
        if dated is None:
            loads.append(
                TermNeed(
                    year=year,
                    term=term,
                    window=None,
                    todo=todo,
                    weeks_left=length.weeks,
                    needed=todo / length.weeks,
                    own=own,
                    overdue=False,
                )
            )
            continue
        overdue = dated.end < on
        weeks_left = None if overdue else weeks_between(max(dated.start, on), dated.end)
        loads.append(
            TermNeed(
                year=year,
                term=term,
                window=dated,
                todo=todo,
                weeks_left=weeks_left,
                needed=None if weeks_left is None else todo / weeks_left,
                own=own,
                overdue=overdue and todo > 0,
            )
        )
    return loads
