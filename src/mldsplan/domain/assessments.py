"""Pure calculations inside a module: its current mark, module mark, targets, deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from mldsplan.domain.constraints import EPSILON, MAX_MARK
from mldsplan.domain.dates import monday
from mldsplan.domain.deadlines import Deadline as Deadline
from mldsplan.domain.deadlines import deadline_weeks as deadline_weeks
from mldsplan.domain.deadlines import deadlines as deadlines
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Assessment, Progress
from mldsplan.domain.results import Result, record

if TYPE_CHECKING:
    from mldsplan.domain.facts import Facts

FULL_WEIGHT = MAX_MARK  # the weights of a module's assessments add up to this


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Σ(value·weight)/Σweight over (value, weight) pairs; None when there are none.

    The one weighted mean: a module's mark so far (weights in %) and the
    ECTS-weighted average of the degree (`marks.grades`).
    """
    pairs = list(pairs)
    total = sum(weight for _, weight in pairs)
    return sum(value * weight for value, weight in pairs) / total if total else None


def current_mark(items: Iterable[Assessment]) -> float | None:
    """Σ(w·m)/Σw over the marked ones; None before any mark."""
    return weighted_mean((a.mark, a.weight) for a in items if a.mark is not None)


def weights_complete(items: Iterable[Assessment]) -> bool:
    """Whether the weights entered total the whole module (100, within EPSILON)."""
    return abs(sum(a.weight for a in items) - FULL_WEIGHT) <= EPSILON


def module_mark(items: Iterable[Assessment]) -> float | None:
    """Σ(w·m)/100 once the weights total 100 and every one is marked, else None."""
    items = list(items)
    if not items or any(a.mark is None for a in items):
        return None
    if not weights_complete(items):
        return None
    return sum(a.weight * (a.mark or 0.0) for a in items) / FULL_WEIGHT


@record
class Target:
    """What a band needs on the rest: of a module (its unmarked weight) or of the degree."""

    band: str
    threshold: float
    needed_average: float | None
    state: str  # secured, reachable, out_of_reach


def module_targets(programme: Programme, items: Iterable[Assessment]) -> list[Target]:
    """Per band, the average needed on the unmarked weight: (100·t - Σ(w·m)) / unmarked weight.

    secured: needed ≤ 0 (reached whatever the rest scores); out_of_reach: > 100.
    With nothing unmarked, the state follows the module mark over the marked weight.
    """
    items = list(items)
    earned = sum(a.weight * a.mark for a in items if a.mark is not None)
    unmarked = sum(a.weight for a in items if a.mark is None)
    # Weight not yet entered counts as still to be earned, so the total is always 100.
    unmarked += max(0.0, FULL_WEIGHT - sum(a.weight for a in items))
    targets = []
    for band, threshold in programme.classification.bands:
        if unmarked <= EPSILON:
            needed = None
            state = "secured" if earned / FULL_WEIGHT >= threshold - EPSILON else "out_of_reach"
        else:
            needed = (FULL_WEIGHT * threshold - earned) / unmarked
            state = "secured" if needed <= 0 else "out_of_reach" if needed > 100 else "reachable"
        targets.append(Target(band=band, threshold=threshold, needed_average=needed, state=state))
    return targets


def unmarked(progress: Progress, code: str) -> list[Assessment]:
    """A module's assessments without a mark, in the order entered."""
    return [a for a in progress.assessments.get(code, ()) if a.mark is None]


def unmarked_text(items: Iterable[Assessment]) -> str:
    """'Essay' (30%) and 'Exam' (70%): assessments as a warning names them."""
    names = [f"'{a.name}' ({a.weight:g}%)" for a in items]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@record
class AssessmentRow:
    name: str
    weight: float
    due: date | None
    mark: float | None


@record
class ModuleAssessments:
    code: str
    title: str
    assessments: list[AssessmentRow]
    weight_total: float
    weights_complete: bool  # the weights total the whole module (EPSILON's tolerance)
    weight_marked: float
    current_mark: float | None
    module_mark: float | None
    targets: list[Target]  # none once the module is completed: its recorded mark stands
    completed_on: date | None  # the module's completion, when recorded
    recorded_mark: float | None  # the mark recorded with the completion (`complete`, `mark`)


@record
class AssessListResult(Result):
    modules: list[ModuleAssessments]


def assess_list(programme: Programme, progress: Progress, code: str | None) -> AssessListResult:
    codes = [code] if code else [c for c in programme.codes if progress.assessments.get(c)]
    modules = []
    for c in codes:
        items = progress.assessments.get(c, ())
        done = progress.completions.get(c)
        modules.append(
            ModuleAssessments(
                code=c,
                title=programme.module(c).title,
                assessments=[
                    AssessmentRow(name=a.name, weight=a.weight, due=a.due, mark=a.mark)
                    for a in items
                ],
                weight_total=sum(a.weight for a in items),
                weights_complete=weights_complete(items),
                weight_marked=sum(a.weight for a in items if a.mark is not None),
                current_mark=current_mark(items),
                module_mark=module_mark(items),
                targets=[] if done else module_targets(programme, items),
                completed_on=None if done is None else done.on,
                recorded_mark=None if done is None else done.mark,
            )
        )
    return AssessListResult(modules=modules)


@record
class DueResult(Result):
    on: date
    days: int
    deadlines: list[Deadline]
    deadline_weeks: list[date]  # Mondays of the weeks with two or more deadlines


def due(facts: Facts, days: int) -> DueResult:
    """What is due from the facts' day to `days` later, and what is past due unmarked."""
    on = facts.on
    rows = facts.deadlines(on, on + timedelta(days=days))
    weeks = sorted({monday(d.due) for d in rows if d.deadline_week})
    return DueResult(on=on, days=days, deadlines=rows, deadline_weeks=weeks)
