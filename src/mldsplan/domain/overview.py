"""The whole picture, for the page (`export -f html`): every report's result on one day,
each derived from one `Facts`, so the page computes nothing and nothing twice."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mldsplan.domain.results import record

if TYPE_CHECKING:
    from mldsplan.domain.assessments import Deadline, ModuleAssessments
    from mldsplan.domain.blocks import Block
    from mldsplan.domain.facts import Facts
    from mldsplan.domain.marks import GradesResult, TargetResult
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.studytime import StudyWeeks
    from mldsplan.domain.workload import EctsTimeline, HoursResult, PlanResult, ProgressResult

WEEKS = 12  # the study weeks shown: the last this-many ISO weeks, this one included


@record
class Overview:
    programme: Programme
    on: date
    start: date | None  # the start month's first day; None without one
    summary: ProgressResult  # `progress`, without the timer
    plan: PlanResult
    hours: HoursResult
    grades: GradesResult
    targets: TargetResult
    timeline: EctsTimeline  # cumulative ECTS done and as planned
    weeks: StudyWeeks  # the last WEEKS weeks and their log
    deadlines: list[Deadline]  # due from `on` on, and any past due without a mark
    in_progress: list[ModuleAssessments]  # modules not completed that have assessments
    # The week's study blocks from now, as `schedule` places them (the command reads the
    # calendars and passes them in, finished); none without study windows.
    blocks: tuple[Block, ...] = ()


def overview(facts: Facts, blocks: tuple[Block, ...] = ()) -> Overview:
    from mldsplan.domain import marks, studytime, workload
    from mldsplan.domain.assessments import assess_list

    summary = workload.progress_summary(facts)
    programme, record, on = facts.programme, facts.record, facts.on
    studying = set(marks.in_progress(facts))  # the one definition, as `grades` counts them
    return Overview(
        programme=programme,
        on=on,
        start=facts.start,
        summary=summary,
        plan=workload.plan(facts),
        hours=workload.hours_summary(facts),
        grades=marks.grades(facts),
        targets=marks.targets(facts),
        timeline=workload.ects_timeline(facts, summary.terms),
        weeks=studytime.study_weeks(facts, WEEKS),
        deadlines=facts.deadlines(on, date.max),
        in_progress=[m for m in assess_list(programme, record, None).modules if m.code in studying],
        blocks=blocks,
    )
