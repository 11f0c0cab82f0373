"""Pure calculations on credits and marks: ECTS done (and by day), the ECTS-weighted
average, the band, the borderline, and targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mldsplan.domain.assessments import Target, current_mark, weighted_mean
from mldsplan.domain.constraints import EPSILON
from mldsplan.domain.errors import InputError
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Progress
from mldsplan.domain.results import Result
from mldsplan.domain.terms import Planned, schedule


def counted_mark(programme: Programme, planned: Planned) -> float | None:
    done = planned.completion
    if done is None or done.mark is None:
        return None
    return programme.classification.counted(done.mark, done.resit)


def modules_done(programme: Programme, progress: Progress) -> int:
    """Counted modules done: a group of parts counts once, when every part is done."""
    units: dict[str, bool] = {}
    for m in programme.modules:
        unit = m.part_of or m.code
        units[unit] = units.get(unit, True) and m.code in progress.completions
    return sum(units.values())


def ects_done(programme: Programme, progress: Progress) -> float:
    return sum(m.ects for m in programme.modules if m.code in progress.completions)


@dataclass(kw_only=True, eq=False, repr=False)
class EctsPoint:
    on: date
    ects: float  # cumulative


def ects_done_by_day(programme: Programme, progress: Progress) -> list[EctsPoint]:
    """ECTS done by the end of each day a module was completed, oldest first."""
    by_day: dict[date, float] = {}
    for m in programme.modules:
        done = progress.completions.get(m.code)
        if done is not None:
            by_day[done.on] = by_day.get(done.on, 0.0) + m.ects
    points = []
    total = 0.0
    for day in sorted(by_day):
        total += by_day[day]
        points.append(EctsPoint(on=day, ects=total))
    return points


@dataclass(kw_only=True, eq=False, repr=False)
class MarkedModule:
    code: str
    title: str
    ects: float
    mark: float
    counted_mark: float
    resit: bool
    capped: bool  # a resit's mark above the cap: the counted mark is lower
    weight: float  # share of the marked ECTS, 0-1


@dataclass(kw_only=True, eq=False, repr=False)
class ExitAwardReached:
    name: str
    ects: float
    reached: bool


@dataclass(kw_only=True, eq=False, repr=False)
class ProvisionalMark:
    """An in-progress module's mark so far, from its marked assessments (not in the average)."""

    code: str
    title: str
    current_mark: float
    weight_marked: float


@dataclass(kw_only=True, eq=False, repr=False)
class GradesResult(Result):
    average: float | None = None
    marked_ects: float = 0.0
    total_ects: float = 0.0
    marked_percent: float = 0.0
    band: str | None = None
    borderline: bool = False
    borderline_band: str | None = None
    borderline_threshold: float | None = None  # the threshold of `borderline_band`
    modules: list[MarkedModule] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)
    ects_done: float = 0.0
    exit_awards: list[ExitAwardReached] = field(default_factory=list)
    provisional: list[ProvisionalMark] = field(default_factory=list)


@dataclass(kw_only=True, eq=False, repr=False)
class TargetResult(Result):
    average: float | None = None
    marked_ects: float = 0.0
    remaining_ects: float = 0.0
    assumed: dict[str, float] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)


def band_of(programme: Programme, average: float) -> str:
    band = "fail"
    for name, threshold in programme.classification.bands:
        if average >= threshold:
            band = name
    return band


def borderline_of(programme: Programme, average: float) -> tuple[str, float] | None:
    """The band just above `average`, with its threshold, when `average` is within the
    margin below it."""
    margin = programme.classification.borderline_margin
    for name, threshold in programme.classification.bands:
        if threshold - margin <= average < threshold:
            return name, threshold
    return None


def grades(programme: Programme, progress: Progress) -> GradesResult:
    marked = []
    unmarked = []
    for p in schedule(programme, progress):
        if p.completion is None:
            continue
        counted = counted_mark(programme, p)
        if counted is None or p.completion.mark is None:
            unmarked.append(p.module.code)
            continue
        marked.append((p, p.completion.mark, counted))
    marked_ects = sum(p.module.ects for p, _, _ in marked)
    average = weighted_mean([(counted, p.module.ects) for p, _, counted in marked])
    done = ects_done(programme, progress)
    border = borderline_of(programme, average) if average is not None else None
    return GradesResult(
        average=average,
        marked_ects=marked_ects,
        total_ects=programme.total_ects,
        marked_percent=100 * marked_ects / programme.total_ects,
        band=band_of(programme, average) if average is not None else None,
        borderline=border is not None,
        borderline_band=border[0] if border else None,
        borderline_threshold=border[1] if border else None,
        modules=[
            MarkedModule(
                code=p.module.code,
                title=p.module.title,
                ects=p.module.ects,
                mark=mark,
                counted_mark=counted,
                resit=p.completion.resit if p.completion else False,
                capped=counted < mark,
                weight=p.module.ects / marked_ects,
            )
            for p, mark, counted in marked
        ],
        unmarked=unmarked,
        ects_done=done,
        exit_awards=[
            ExitAwardReached(name=a.name, ects=a.ects, reached=done >= a.ects)
            for a in programme.exit_awards
        ],
        provisional=provisional(programme, progress),
    )


def provisional(programme: Programme, progress: Progress) -> list[ProvisionalMark]:
    rows = []
    for m in programme.modules:
        items = progress.assessments.get(m.code, ())
        mark = current_mark(items)
        if m.code not in progress.completions and mark is not None:
            rows.append(
                ProvisionalMark(
                    code=m.code,
                    title=m.title,
                    current_mark=mark,
                    weight_marked=sum(a.weight for a in items if a.mark is not None),
                )
            )
    return rows


def targets(
    programme: Programme, progress: Progress, assume: dict[str, float] | None = None
) -> TargetResult:
    """For each band, the average needed on the ECTS not yet marked.

    `assume` adds planned marks for modules without one, without recording them.
    """
    assume = assume or {}
    pass_mark = programme.classification.pass_mark
    marks: list[tuple[float, float]] = []
    for m in programme.modules:
        done = progress.completions.get(m.code)
        if done is not None and done.mark is not None:
            if m.code in assume:
                raise InputError(
                    f"{m.code} already has a mark ({done.mark:g})",
                    argument="assume",
                    reason="already_marked",
                    details={"code": m.code},
                )
            marks.append((programme.classification.counted(done.mark, done.resit), m.ects))
        elif m.code in assume:
            mark = assume[m.code]
            from mldsplan.domain.changes import check_percent  # only `target --assume`

            try:
                check_percent(mark, "assume")
            except InputError as exc:
                raise InputError(f"{m.code}={exc.message}", argument="assume") from None
            marks.append((mark, m.ects))
    marked_ects = sum(ects for _, ects in marks)
    weighted = sum(mark * ects for mark, ects in marks)
    remaining = programme.total_ects - marked_ects
    average = weighted_mean(marks)
    result = []
    for band, threshold in programme.classification.bands:
        if remaining <= EPSILON:
            needed = None
            reached = average is not None and average >= threshold
            state = "secured" if reached else "out_of_reach"
        else:
            needed = (threshold * (marked_ects + remaining) - weighted) / remaining
            state = (
                "secured"
                if needed <= pass_mark
                else "out_of_reach"
                if needed > 100
                else "reachable"
            )
        result.append(Target(band=band, threshold=threshold, needed_average=needed, state=state))
    return TargetResult(
        average=average,
        marked_ects=marked_ects,
        remaining_ects=remaining,
        assumed=dict(assume),
        targets=result,
    )
