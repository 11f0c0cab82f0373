"""Assessments' due dates: what is due in a span, what is past due without a mark, and
the weeks with two or more deadlines. Below every report, so that `Facts` keeps them
once; `assessments` re-exports these names."""

from __future__ import annotations

from datetime import date

from mldsplan.domain.dates import monday
from mldsplan.domain.progress import Progress
from mldsplan.domain.results import record


@record
class Deadline:
    code: str
    name: str
    due: date
    days_left: int
    weight: float
    marked: bool
    overdue: bool
    deadline_week: bool  # its ISO week holds two or more deadlines


def deadline_weeks(progress: Progress) -> set[date]:
    """Mondays of ISO weeks with two or more assessments due."""
    counts: dict[date, int] = {}
    for code, items in progress.assessments.items():
        if code in progress.completions:
            continue  # as in `deadlines`: a completed module has no open deadlines
        for a in items:
            if a.due is not None:
                counts[monday(a.due)] = counts.get(monday(a.due), 0) + 1
    return {week for week, n in counts.items() if n >= 2}


def deadlines(
    progress: Progress,
    first: date,
    last: date,
    on: date,
    overdue: bool = True,
    busy: set[date] | None = None,
) -> list[Deadline]:
    """Assessments due from `first` to `last`, and (with `overdue`) past due without a mark.
    `busy`: the `deadline_weeks`, when known."""
    busy = deadline_weeks(progress) if busy is None else busy
    rows = []
    for code, items in progress.assessments.items():
        if code in progress.completions:
            continue  # a completed module has no open deadlines
        for a in items:
            if a.due is None:
                continue
            late = a.due < on and a.mark is None
            if first <= a.due <= last or (overdue and late):
                rows.append(
                    Deadline(
                        code=code,
                        name=a.name,
                        due=a.due,
                        days_left=(a.due - on).days,
                        weight=a.weight,
                        marked=a.mark is not None,
                        overdue=late,
                        deadline_week=monday(a.due) in busy,
                    )
                )
    return sorted(rows, key=lambda d: (d.due, d.code, d.name))
