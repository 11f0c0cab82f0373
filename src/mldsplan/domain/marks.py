"""Pure calculations on credits and marks: which modules are passed, failed or
compensated, ECTS done (and by day), the average and the band under the
programme's classification method, the borderline, targets, and the words that
say which of the award's rules are assumed."""

from __future__ import annotations

from dataclasses import field
from datetime import date
from typing import TYPE_CHECKING

from mldsplan.domain.assessments import Target, current_mark, weighted_mean
from mldsplan.domain.constraints import EPSILON, mark_shown
from mldsplan.domain.errors import InputError
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Completion, Progress
from mldsplan.domain.results import Result, record
from mldsplan.domain.standings import COMPENSATED as COMPENSATED
from mldsplan.domain.standings import FAILED as FAILED
from mldsplan.domain.standings import PASSED as PASSED
from mldsplan.domain.standings import Standing as Standing
from mldsplan.domain.standings import standings as standings

if TYPE_CHECKING:
    from mldsplan.domain.facts import Facts


def credited(programme: Programme, progress: Progress) -> dict[str, Completion]:
    """What counts as passed: each completion, and each compensated failed attempt."""
    return {
        code: s.credit for code, s in standings(programme, progress).items() if s.credit is not None
    }


def counted_mark(programme: Programme, standing: Standing | None) -> float | None:
    """The mark that counts toward the average: a resit's at most the cap, a compensated
    attempt's as it is, none for a failed module."""
    if standing is None or standing.credit is None or standing.credit.mark is None:
        return None
    return programme.classification.counted(standing.credit.mark, standing.is_resit)


def capped(mark: float | None, counted: float | None) -> bool:
    """A resit's mark above the cap: the mark that counts is lower than the mark."""
    return mark is not None and counted is not None and counted < mark


def units(programme: Programme) -> dict[str, list[str]]:
    """The modules as the programme counts them, each with its codes: a group of parts
    counts as one module, done when every part is."""
    found: dict[str, list[str]] = {}
    for m in programme.modules:
        found.setdefault(m.part_of or m.code, []).append(m.code)
    return found


def modules_done(facts: Facts) -> int:
    """Counted modules done: a group of parts counts once, when every part is done."""
    passed = facts.credited
    return sum(all(code in passed for code in codes) for codes in units(facts.programme).values())


def ects_done(facts: Facts) -> float:
    passed = facts.credited
    return sum(m.ects for m in facts.programme.modules if m.code in passed)


@record
class EctsPoint:
    on: date
    ects: float  # cumulative


def ects_done_by_day(facts: Facts) -> list[EctsPoint]:
    """ECTS done by the end of each day a module was completed, oldest first."""
    by_day: dict[date, float] = {}
    passed = facts.credited
    for m in facts.programme.modules:
        done = passed.get(m.code)
        if done is not None:
            by_day[done.on] = by_day.get(done.on, 0.0) + m.ects
    points = []
    total = 0.0
    for day in sorted(by_day):
        total += by_day[day]
        points.append(EctsPoint(on=day, ects=total))
    return points


@record
class MarkedModule:
    code: str
    title: str
    ects: float
    mark: float
    counted_mark: float
    resit: bool
    capped: bool  # a resit's mark above the cap: the counted mark is lower
    weight: float  # share of the marked ECTS (of the taught ECTS under taught_and_project), 0-1
    compensated: bool = False
    project: bool = False  # the project under taught_and_project: not in the average


@record
class FailedModule:
    """A module with failed attempts and no pass: failed, or compensated."""

    code: str
    title: str
    ects: float
    state: str  # "failed" or "compensated"
    marks: list[float]  # each failed attempt's mark, oldest first
    attempts_left: int


@record
class ExitAwardReached:
    name: str
    ects: float
    reached: bool


@record
class ProvisionalMark:
    """An in-progress module's mark so far, from its marked assessments (not in the average)."""

    code: str
    title: str
    current_mark: float
    weight_marked: float


@record
class BandHurdle:
    """What stands between the student and a band, in words (None: nothing, it is reached)."""

    band: str
    threshold: float
    reached: bool
    hurdle: str | None


@record
class GradesResult(Result):
    method: str = "weighted"
    average: float | None = None  # under taught_and_project: the taught modules' average
    marked_ects: float = 0.0
    total_ects: float = 0.0  # under taught_and_project: the taught ECTS
    marked_percent: float = 0.0
    band: str | None = None
    borderline: bool = False
    borderline_band: str | None = None
    borderline_threshold: float | None = None  # the threshold of `borderline_band`
    project_mark: float | None = None  # taught_and_project: the project's counted mark
    project: str | None = None  # taught_and_project: the project's code
    hurdles: list[BandHurdle] = field(default_factory=list)
    modules: list[MarkedModule] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)
    failed: list[FailedModule] = field(default_factory=list)
    compensated_ects: float = 0.0
    ects_done: float = 0.0
    exit_awards: list[ExitAwardReached] = field(default_factory=list)
    provisional: list[ProvisionalMark] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # discretion, compensation, exit awards
    assumed_rules: str | None = None  # the one footer line naming every assumed rule


@record
class BandTarget(Target):
    project_needed: float | None = None  # taught_and_project, project not marked: its threshold


@record
class TargetResult(Result):
    method: str = "weighted"
    average: float | None = None  # under taught_and_project: the taught modules' average
    marked_ects: float = 0.0
    remaining_ects: float = 0.0  # under taught_and_project: taught ECTS still to mark
    # What "needed" is an average over: the ECTS still to mark less the failed modules',
    # whose resits count at most `resit_cap` (each band's figure assumes they reach it).
    open_ects: float = 0.0
    resits: list[str] = field(default_factory=list)  # failed modules not assumed, by code
    resit_ects: float = 0.0
    resit_cap: float = 0.0
    resit_cap_is_pass_mark: bool = True
    project_mark: float | None = None
    project: str | None = None
    assumed: dict[str, float] = field(default_factory=dict)
    targets: list[BandTarget] = field(default_factory=list)
    assumed_rules: str | None = None

    @property
    def needed_over(self) -> str:
        """What each band's "needed" figure is an average over, in words (the terminal and
        the page say it under their tables)."""
        taught = "taught " if self.project else ""
        if not self.resits:
            return f"Needed: the average on the {self.open_ects:g} {taught}ECTS not yet marked"
        which = ", ".join(self.resits)
        cap = f"{self.resit_cap:g}" + (", the pass mark" if self.resit_cap_is_pass_mark else "")
        one = len(self.resits) == 1
        resit = (
            f"{which}'s resit ({self.resit_ects:g} ECTS) counts"
            if one
            else f"the resits of {which} ({self.resit_ects:g} ECTS) count"
        )
        if self.open_ects <= EPSILON:
            return f"Nothing left to mark but resits: {resit} at most {cap}"
        return (
            f"Needed: the average on the {self.open_ects:g} {taught}ECTS not yet marked,"
            f" failed {'module' if one else 'modules'} aside: {resit} at most {cap},"
            " and each figure assumes it reaches that"
        )


def band_of(programme: Programme, average: float, project_mark: float | None = None) -> str:
    """The highest band whose threshold the average reaches (and, under taught_and_project
    with the project marked, the project's mark too)."""
    band = "fail"
    for name, threshold in programme.classification.bands:
        if average >= threshold and (project_mark is None or project_mark >= threshold):
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


def _hurdles(
    programme: Programme,
    average: float | None,
    project: float | None,
    taught: bool,
    project_failed: bool = False,
) -> list[BandHurdle]:
    rows = []
    what = "the taught average" if taught else "the average"
    for band, threshold in programme.classification.bands:
        hurdles = []
        if average is None:
            hurdles.append("no marks yet")
        elif average < threshold:
            hurdles.append(f"{what} {mark_shown(average, threshold)} is below {threshold:g}")
        if taught:
            cap = programme.classification.cap
            if project is None and project_failed and threshold > cap:
                hurdles.append(f"the project failed; its resit counts at most {cap:g}")
            elif project is None and project_failed:
                hurdles.append(f"the project failed; its resit needs {threshold:g}")
            elif project is None:
                hurdles.append(f"the project is not marked yet (it needs {threshold:g})")
            elif project < threshold:
                hurdles.append(f"the project's {project:g} is below {threshold:g}")
        reached = not hurdles
        rows.append(
            BandHurdle(
                band=band,
                threshold=threshold,
                reached=reached,
                hurdle="; ".join(hurdles) if hurdles else None,
            )
        )
    return rows


def assumed_rules(programme: Programme) -> str | None:
    """The footer: every rule of the award that is assumed, named once."""
    c = programme.classification
    named = []
    if c.assumed:
        named.append(
            f"the bands (pass {c.pass_mark:g}, merit {c.merit:g}, distinction {c.distinction:g})"
        )
    if c.method_assumed:
        named.append(f"the classification method ({c.method})")
    if c.attempts_assumed:
        named.append(f"{c.attempts} attempts per module")
    if c.compensation.assumed:
        named.append(
            f"compensation up to {c.compensation.max_ects:g} ECTS from {c.compensation.floor:g}"
            if c.compensation.on
            else "compensation off"
        )
    if any(a.assumed for a in programme.exit_awards):
        named.append("the exit awards")
    if not named:
        return None
    return (
        "Assumed, not published for this programme (check your handbook; change them in"
        f" the programme file): {', '.join(named)}"
    )


def _notes(
    programme: Programme, result: GradesResult, border: tuple[str, float] | None
) -> list[str]:
    c = programme.classification
    notes = []
    if border is not None:
        notes.append(
            f"within {c.borderline_margin:g} of {border[0]}: the board may consider promotion"
        )
    if result.compensated_ects:
        notes.append(
            f"compensated: {result.compensated_ects:g} of at most {c.compensation.max_ects:g}"
            f" ECTS (marks from {c.compensation.floor:g}, at the Board of Examiners' discretion)"
        )
    for award in result.exit_awards:
        state = "reached" if award.reached else f"not yet ({result.ects_done:g} ECTS done)"
        notes.append(
            f"exit award {award.name} at {award.ects:g} ECTS, if your programme offers them:"
            f" {state}"
        )
    return notes


def grades(facts: Facts) -> GradesResult:
    programme = facts.programme
    found = facts.standings
    project = programme.project_module
    marked = []
    unmarked = []
    project_mark = None
    for p in facts.schedule:
        standing = found.get(p.module.code)
        counted = counted_mark(programme, standing)
        if standing is None or standing.credit is None:
            continue
        if counted is None or standing.credit.mark is None:
            unmarked.append(p.module.code)
            continue
        if project is not None and p.module.code == project.code:
            project_mark = counted
        marked.append((p, standing, standing.credit.mark, counted))
    taught = [row for row in marked if project is None or row[0].module.code != project.code]
    marked_ects = sum(p.module.ects for p, _, _, _ in taught)
    average = weighted_mean([(counted, p.module.ects) for p, _, _, counted in taught])
    total = programme.total_ects - (project.ects if project else 0.0)
    done = ects_done(facts)
    border = borderline_of(programme, average) if average is not None else None
    if border is not None and project_mark is not None and project_mark < border[1]:
        border = None  # the project, not the average, stands in the way
    failed = [s for s in found.values() if s.state in (FAILED, COMPENSATED)]
    result = GradesResult(
        method=programme.classification.method,
        average=average,
        marked_ects=marked_ects,
        total_ects=total,
        marked_percent=100 * marked_ects / total if total else 0.0,
        band=band_of(programme, average, project_mark) if average is not None else None,
        borderline=border is not None,
        borderline_band=border[0] if border else None,
        borderline_threshold=border[1] if border else None,
        project_mark=project_mark,
        project=project.code if project else None,
        hurdles=_hurdles(
            programme,
            average,
            project_mark,
            project is not None,
            project is not None and getattr(found.get(project.code), "state", None) == FAILED,
        ),
        modules=[
            MarkedModule(
                code=p.module.code,
                title=p.module.title,
                ects=p.module.ects,
                mark=mark,
                counted_mark=counted,
                resit=standing.is_resit,
                capped=capped(mark, counted),
                weight=p.module.ects / marked_ects if p in [t[0] for t in taught] else 0.0,
                compensated=standing.state == COMPENSATED,
                project=project is not None and p.module.code == project.code,
            )
            for p, standing, mark, counted in marked
        ],
        unmarked=unmarked,
        failed=[
            FailedModule(
                code=s.code,
                title=programme.module(s.code).title,
                ects=programme.module(s.code).ects,
                state=s.state,
                marks=s.failed_marks,
                attempts_left=s.attempts_left,
            )
            for s in failed
        ],
        compensated_ects=sum(
            programme.module(s.code).ects for s in failed if s.state == COMPENSATED
        ),
        ects_done=done,
        exit_awards=[
            ExitAwardReached(name=a.name, ects=a.ects, reached=done >= a.ects)
            for a in programme.exit_awards
        ],
        provisional=provisional(facts),
        assumed_rules=assumed_rules(programme),
    )
    result.notes = _notes(programme, result, border)
    return result


def in_progress(facts: Facts) -> list[str]:
    """The modules in progress, by code in the programme's order: not passed, compensated or
    failed, with a mark for at least one assessment (so they have a mark so far). The one
    definition: `grades` lists them as provisional, the page as "Modules in progress"."""
    progress, passed = facts.record, facts.credited
    return [
        m.code
        for m in facts.programme.modules
        if m.code not in passed
        and m.code not in progress.failed_attempts
        and current_mark(progress.assessments.get(m.code, ())) is not None
    ]


def provisional(facts: Facts) -> list[ProvisionalMark]:
    progress = facts.record
    rows = []
    for code in in_progress(facts):
        m = facts.programme.module(code)
        items = progress.assessments.get(m.code, ())
        mark = current_mark(items)
        if mark is not None:
            rows.append(
                ProvisionalMark(
                    code=m.code,
                    title=m.title,
                    current_mark=mark,
                    weight_marked=sum(a.weight for a in items if a.mark is not None),
                )
            )
    return rows


def _state(needed: float, pass_mark: float) -> str:
    return "secured" if needed <= pass_mark else "out_of_reach" if needed > 100 else "reachable"


def targets(facts: Facts, assume: dict[str, float] | None = None) -> TargetResult:
    """For each band, the average needed on the ECTS not yet marked (and, under
    taught_and_project, on the taught ECTS, with the project's mark needed).

    `assume` adds planned marks for modules without one, without recording them. A
    failed module's resit counts at most the cap, so its ECTS can bring at most that:
    the rest needs the more.
    """
    assume = assume or {}
    programme = facts.programme
    rules = programme.classification
    pass_mark = rules.pass_mark
    resit_ects = 0.0  # failed modules, not assumed: their resits count at most the cap
    resits: list[str] = []
    found = facts.standings
    project = programme.project_module
    marks: list[tuple[float, float]] = []
    project_mark = None
    for m in programme.modules:
        standing = found.get(m.code)
        counted = counted_mark(programme, standing)
        if counted is not None and standing is not None and standing.credit is not None:
            if m.code in assume:
                raise InputError(
                    f"{m.code} already has a mark ({standing.credit.mark:g})",
                    argument="assume",
                    reason="already_marked",
                    details={"code": m.code},
                )
            mark: float | None = counted
        elif m.code in assume:
            from mldsplan.domain.changes import check_percent  # only `target --assume`

            try:
                mark = check_percent(assume[m.code], "assume")
            except InputError as exc:
                raise InputError(f"{m.code}={exc.message}", argument="assume") from None
            if standing is not None and standing.state == FAILED:
                mark = rules.counted(mark, resit=True)
        else:
            mark = None
            if standing is not None and standing.state == FAILED and m is not project:
                resit_ects += m.ects
                resits.append(m.code)
        if mark is None:
            continue
        if project is not None and m.code == project.code:
            project_mark = mark
        else:
            marks.append((mark, m.ects))
    marked_ects = sum(ects for _, ects in marks)
    weighted = sum(mark * ects for mark, ects in marks)
    total = programme.total_ects - (project.ects if project else 0.0)
    remaining = total - marked_ects
    average = weighted_mean(marks)
    result = []
    best_resits = rules.cap * resit_ects  # the most the failed modules' resits can bring
    open_ects = remaining - resit_ects
    for band, threshold in rules.bands:
        if open_ects <= EPSILON:
            needed = None
            if marked_ects + resit_ects <= EPSILON:
                reached = False
            else:
                reached = (weighted + best_resits) / (marked_ects + resit_ects) >= threshold
            state = "secured" if reached else "out_of_reach"
        else:
            needed = (threshold * total - weighted - best_resits) / open_ects
            state = _state(needed, pass_mark)
        project_needed = None
        if project is not None:
            if project_mark is not None:
                if project_mark < threshold:
                    state = "out_of_reach"
            elif state != "out_of_reach":
                # A failed project's resit counts at most the cap: a band above it is gone,
                # and none is secured until the resit is passed.
                standing = found.get(project.code)
                resat = standing is not None and standing.state == FAILED
                if resat and threshold > rules.cap:
                    state = "out_of_reach"
                else:
                    project_needed = threshold
                    secured = state == "secured" and threshold <= pass_mark and not resat
                    state = "secured" if secured else "reachable"
        result.append(
            BandTarget(
                band=band,
                threshold=threshold,
                needed_average=needed,
                state=state,
                project_needed=project_needed,
            )
        )
    return TargetResult(
        method=programme.classification.method,
        average=average,
        marked_ects=marked_ects,
        remaining_ects=remaining,
        open_ects=max(0.0, open_ects),
        resits=resits,
        resit_ects=resit_ects,
        resit_cap=rules.cap,
        resit_cap_is_pass_mark=rules.cap == pass_mark,
        project_mark=project_mark,
        project=project.code if project else None,
        assumed=dict(assume),
        targets=result,
        assumed_rules=assumed_rules(programme),
    )
