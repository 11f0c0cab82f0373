"""How marks and assessments look on a terminal: `grades`, `target`, `assess list`, `due`.

Drawn through `layout`; every figure comes finished in the command's result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mldsplan.domain.constraints import mark_shown
from mldsplan.domain.numbers import days_left
from mldsplan.output.layout import Col, as_text, screen
from mldsplan.output.wording import RESIT_CAP, average_shown, failed_text

if TYPE_CHECKING:
    from mldsplan.domain.assessments import AssessListResult, DueResult, ModuleAssessments
    from mldsplan.domain.marks import GradesResult, TargetResult
    from mldsplan.domain.programme import Programme


def grades(programme: Programme, result: GradesResult) -> None:
    r = result
    with screen() as out:
        if r.modules:
            out.table(
                [
                    Col("Code"),
                    Col("Title", wrap=True, below=True),
                    Col("ECTS", right=True),
                    Col("Mark", right=True),
                    Col("Counted", right=True, wrap=True),
                    Col("Weight", right=True),
                ],
                [
                    [
                        as_text(m.code),
                        as_text(m.title),
                        f"{m.ects:g}",
                        f"{m.mark:g}",
                        f"{m.counted_mark:g}"
                        + (f" ({RESIT_CAP})" if m.capped else "")
                        + (" (compensated)" if m.compensated else ""),
                        "project" if m.project else f"{100 * m.weight:.1f}%",
                    ]
                    for m in r.modules
                ],
            )
            out.blank()
        taught = "taught " if r.project else ""
        if r.average is None:
            out.line("No marks yet: record one with mldsplan complete CODE --mark M")
        else:
            out.line(
                f"{'Taught average ' if taught else 'Average  '}"
                f"{average_shown(r.average, programme)} ({r.band}) over"
                f" {r.marked_ects:g} of"
                f" {r.total_ects:g} {taught}ECTS ({r.marked_percent:.1f}% marked)",
                style="bold",
            )
        if r.project:
            mark = "not marked yet" if r.project_mark is None else f"{r.project_mark:g}"
            out.line(f"Project ({r.project}): {mark}; a band needs both at its threshold")
        for h in r.hurdles:
            if not h.reached and r.average is not None:
                out.line(f"Not {h.band} ({h.threshold:g}): {h.hurdle}")
        for f in r.failed:
            out.line(failed_text(f))
        for note in r.notes:
            out.line(note[0].upper() + note[1:])
        if r.unmarked:
            out.line(f"Completed without a mark (not in the average): {', '.join(r.unmarked)}")
        for p in r.provisional:
            out.line(
                f"Provisional (in progress, not in the average): {p.code}"
                f" {p.current_mark:.2f} over {p.weight_marked:g}% marked"
            )
        if r.assumed_rules:
            out.line(r.assumed_rules)


def targets(result: TargetResult) -> None:
    r = result
    assumed = (
        " including assumed " + ", ".join(f"{c}={m:g}" for c, m in r.assumed.items())
        if r.assumed
        else ""
    )
    with screen() as out:
        if r.average is None:
            out.line(f"No marks yet; {r.remaining_ects:g} ECTS still to mark", style="bold")
        else:
            out.line(
                f"{'Taught average' if r.project else 'Average'} {mark_shown(r.average)} over"
                f" {r.marked_ects:g} ECTS{assumed}; {r.remaining_ects:g} ECTS still to mark",
                style="bold",
            )
        out.blank()
        project = [Col("Project", right=True)] if r.project else []
        out.table(
            [
                Col("Band"),
                Col("Threshold", right=True),
                Col("Needed" + (" (taught)" if r.project else ""), right=True),
                *project,
                Col("State", wrap=True),
            ],
            [
                [
                    t.band,
                    f"{t.threshold:g}",
                    "-" if t.needed_average is None else mark_shown(t.needed_average),
                    *(
                        ["-" if t.project_needed is None else f"{t.project_needed:g}"]
                        * len(project)
                    ),
                    t.state.replace("_", " "),
                ]
                for t in r.targets
            ],
        )
        if r.project:
            mark = "not marked yet" if r.project_mark is None else f"{r.project_mark:g}"
            out.line(f"Project ({r.project}): {mark}; a band needs both at its threshold")
        out.line(r.needed_over)
        out.line("secured: reached if you pass every remaining module")
        if r.assumed_rules:
            out.line(r.assumed_rules)


_STATES = {
    "secured": "secured (reached whatever the rest scores)",
    "reachable": "reachable",
    "out_of_reach": "out of reach",
}


def assessments(result: AssessListResult) -> None:
    with screen() as out:
        if not result.modules:
            out.line("No assessments yet: mldsplan assess add CODE NAME --weight W [--due DATE]")
            return
        for m in result.modules:
            out.line(f"{m.code}: {m.title}", style="bold")
            if not m.assessments:
                add = f"mldsplan assess add {m.code} NAME --weight W"
                out.line(f"No assessments entered yet: {add}")
                if m.completed_on is not None:
                    out.line(_completed_text(m))
                out.blank()
                continue
            out.table(
                [
                    Col("Assessment", wrap=True),
                    Col("Weight", right=True),
                    Col("Due"),
                    Col("Mark", right=True),
                ],
                [
                    [
                        as_text(a.name),
                        f"{a.weight:g}%",
                        str(a.due or ""),
                        "" if a.mark is None else f"{a.mark:g}",
                    ]
                    for a in m.assessments
                ],
            )
            if m.completed_on is not None:  # its recorded mark stands: nothing is needed
                out.line(_completed_text(m))
                out.blank()
                continue
            so_far = (
                "No marks yet"
                if m.current_mark is None
                else f"Mark so far {m.current_mark:.2f} from the {m.weight_marked:g}% of the"
                " module marked"
            )
            entered = (
                "every assessment entered (100% of the module)"
                if m.weights_complete
                else f"assessments entered so far: {m.weight_total:g}% of the module"
            )
            module = "" if m.module_mark is None else f"; module mark {m.module_mark:.2f}"
            out.line(f"{so_far}; {entered}{module}")
            for t in m.targets:
                needed = (
                    ""
                    if t.needed_average is None
                    else f"{t.needed_average:.2f} needed on the rest; "
                )
                out.line(f"{t.band} ({t.threshold:g}): {needed}{_STATES[t.state]}", indent=4)
            out.blank()


def _completed_text(m: ModuleAssessments) -> str:
    mark = "no mark recorded" if m.recorded_mark is None else f"mark {m.recorded_mark:g}"
    return f"Completed on {m.completed_on}; {mark}"


def due(result: DueResult) -> None:
    with screen() as out:
        if not result.deadlines:
            days = result.days
            within = {0: "today", 1: "by tomorrow"}.get(days, f"in the next {days} days")
            out.line(f"Nothing due {within}")
            return
        out.table(
            [
                Col("Due"),
                Col("Left"),
                Col("Code"),
                Col("Assessment", wrap=True, below=True),
                Col("Weight", right=True),
                Col("", wrap=True, optional=True),
            ],
            [
                [
                    str(d.due),
                    days_left(d.days_left),
                    as_text(d.code),
                    as_text(d.name),
                    f"{d.weight:g}%",
                    "past due, no mark"
                    if d.overdue
                    else "deadline week"
                    if d.deadline_week
                    else "",
                ]
                for d in result.deadlines
            ],
        )
