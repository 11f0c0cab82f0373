"""The one load rule (SPEC §4): a module's hours still to do are its hours less the hours
logged to it, never below 0; a module done (or passed by compensation) has none.

The hours studied before tracking (`log --opening`) count here, and only here: in a
module's hours still to do (its hour budget) and so in the hours left, the term loads
and the week's plan; never in pace, balance, day or week totals (`studytime`), which
read the dated log alone.

One definition for the hours left and the term loads (`workload`) and the week's plan
(`studytime.week_plan`). Pure: nothing here reads a clock, a file or the environment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mldsplan.domain.marks import credited
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import LogEntry, Opening, Progress
from mldsplan.domain.terms import Planned, schedule


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


def studied_by_module(progress: Progress) -> dict[str, float]:
    """What the load rule subtracts from each module's hours: every hour logged to it,
    dated or studied before tracking."""
    return logged_by_module(progress.log, progress.opening)


def hours_to_do(programme: Programme, planned: Planned, logged: dict[str, float]) -> float:
    """A module's hours still to do: its hours less the hours logged to it (never below 0)."""
    if planned.done:
        return 0.0
    return max(0.0, programme.hours(planned.module) - logged.get(planned.module.code, 0.0))


def credited_schedule(programme: Programme, progress: Progress) -> list[Planned]:
    """The schedule, with a module that counts as passed without a completion (a
    compensated failed attempt) done too: it has no hours left to do."""
    credit = credited(programme, progress)
    return [
        replace(p, completion=credit[p.module.code])
        if not p.done and p.module.code in credit
        else p
        for p in schedule(programme, progress)
    ]
