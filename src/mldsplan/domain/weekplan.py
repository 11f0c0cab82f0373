"""The week's plan (SPEC §4): the hours each module needs this week, driven by its deadlines.

Pure: the date, the hours available and each module's hours still to do as of the
week's Monday (by the one load rule, `loadrule.hours_to_do`) are arguments. Everything
but the days left is reckoned from the Monday, so the plan stays the same all week and
what is logged during it counts against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from mldsplan.domain.constraints import EPSILON
from mldsplan.domain.dates import weeks_between
from mldsplan.domain.results import record

if TYPE_CHECKING:
    from mldsplan.domain.facts import Facts
    from mldsplan.domain.terms import TermWindow


@record
class PlanDeadline:
    """The open assessment that drives a module's plan."""

    name: str
    due: date  # an assessment without a due date is due at its term's end
    days_left: int  # from the date


@record
class PlanRow:
    code: str
    need_hours: float  # this week's share of the hours still to do as of Monday
    logged_hours: float  # logged to the module this week
    left_hours: float  # need - logged, never below 0
    overdue: bool  # its term ended before the week: planned to the current term's end
    deadline: PlanDeadline | None  # its soonest open assessment; None: the term's end drives
    due: date  # the driving deadline: that assessment's due date, or the term's end
    days_left: int  # from the date to `due`


@record
class WeekPlan:
    plan: list[PlanRow]  # soonest driving deadline first
    plan_total_hours: float
    available_hours: float
    over_committed_hours: float  # the total need over the hours available, or 0
    spare_hours: float  # the hours available over the total need, or 0


def weeks_to(first: date, due: date) -> float:
    """Weeks from Monday `first` to `due`: its days, both included, over 7; at least 1."""
    return max(1.0, weeks_between(first, due))


def current_term(facts: Facts, day: date) -> TermWindow | None:
    """The term `day` falls in, else the next one (between terms); None after the last."""
    ahead = [w for w in facts.calendar if w.end >= day]
    return min(ahead, key=lambda w: w.start) if ahead else None


def plan_week(
    facts: Facts,
    available: float,
    to_do: Mapping[str, float],
    logged: Mapping[str, float],
) -> WeekPlan:
    """The plan for the week (Monday to Sunday) of the facts' day.

    `to_do`: each module's hours still to do as of the week's Monday (R);
    `logged`: the hours logged to each module this week; `available`: the weekly hours.
    """
    on, progress = facts.on, facts.record
    first, last = facts.week
    now = current_term(facts, first)
    rows = []
    for p in facts.schedule:
        code = p.module.code
        rest = to_do.get(code, 0.0)
        term = facts.window(p.year, p.term)
        if p.done or term is None or term.start > last or rest <= EPSILON:
            continue
        overdue = term.end < first
        # An overdue module is planned as if due at the current term's end (spread, not
        # dumped on one week); after the last term there is only this week.
        end = (now.end if now else last) if overdue else term.end
        open_items = [
            (a.name, a.weight, a.due or end)
            for a in progress.assessments.get(code, ())
            if a.mark is None and (a.due or end) >= first
        ]
        weights = sum(weight for _, weight, _ in open_items)
        deadline = None
        if open_items and weights > 0:
            # each open assessment takes its weight's share of R, spread over its weeks
            need = sum(rest * w / weights / weeks_to(first, due) for _, w, due in open_items)
            name, _, due = min(open_items, key=lambda item: (item[2], item[0]))
            deadline = PlanDeadline(name=name, due=due, days_left=(due - on).days)
        else:
            need, due = rest / weeks_to(first, end), end
        done = logged.get(code, 0.0)
        rows.append(
            PlanRow(
                code=code,
                need_hours=need,
                logged_hours=done,
                left_hours=max(0.0, need - done),
                overdue=overdue,
                deadline=deadline,
                due=due,
                days_left=(due - on).days,
            )
        )
    rows.sort(key=lambda row: (row.due, row.code))
    total = sum(row.need_hours for row in rows)
    over = total - available
    return WeekPlan(
        plan=rows,
        plan_total_hours=total,
        available_hours=available,
        over_committed_hours=over if over > EPSILON else 0.0,
        spare_hours=-over if -over > EPSILON else 0.0,
    )
