"""How progress and study time look on a terminal: `progress`, `hours`, `week`, `status`
and `log --list`, with the balance and timer lines they share.

Drawn through `layout`; every figure comes finished in the command's result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mldsplan.domain.labels import needed_a_week, needed_this_week
from mldsplan.domain.numbers import (
    count_text,
    days_left,
    hours_parts,
    hours_text,
    hundredths,
    hundredths_parts,
    hundredths_text,
)
from mldsplan.output.layout import Col, Screen, as_text, bar, date_range, screen, together
from mldsplan.output.wording import SET_START, average_shown, balance_lines, timer_text

if TYPE_CHECKING:
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.studytime import (
        Balance,
        LogListResult,
        StatusResult,
        TimerStatus,
        WeekResult,
        WeekSummary,
    )
    from mldsplan.domain.weekplan import PlanRow, WeekPlan
    from mldsplan.domain.workload import HoursResult, ProgressResult

CHART_WIDTH = 40


def progress(programme: Programme, result: ProgressResult) -> None:
    r = result
    with screen() as out:
        out.line(f"{r.programme_name} — progress on {r.on}", style="bold")
        out.field(
            "ECTS",
            f"{bar(r.ects_done / r.ects_total)}  {r.ects_done:g} of {r.ects_total:g}"
            f" ({r.percent:.1f}%)",
        )
        out.field("Modules", f"{r.modules_done} of {r.modules_total} done{_parts_text(programme)}")
        out.field(
            "Hours",
            f"{hours_text(r.hours_remaining)} h left = {hours_text(r.weeks_remaining)} weeks at"
            f" {hours_text(r.weekly_hours)} h/week; at that pace you finish {r.finish_date}",
        )
        if r.programme_end:
            now = f"now year {r.current_year} term {r.current_term}; " if r.current_year else ""
            out.field(
                "Plan", f"{now}programme ends {r.programme_end}; your plan ends {r.planned_end}"
            )
        else:
            out.line(SET_START)
        if r.average is not None:
            out.field(
                "Marks",
                f"average {average_shown(r.average, programme)} ({r.band})"
                f" over {r.marked_ects:g} ECTS: mldsplan grades",
            )
        for f in r.failed:
            left = (
                f"{count_text(f.attempts_left, 'attempt', 'attempts')} left"
                if f.state == "failed"
                else "counts as passed"
            )
            out.field(
                f.state.capitalize(), f"{f.code} at {', '.join(f'{m:g}' for m in f.marks)}; {left}"
            )
        for d in r.overdue_assessments:
            out.field(
                "Overdue",
                f"{d.code} {d.name} ({d.weight:g}%) was due {d.due}, {days_left(d.days_left)};"
                " no mark yet",
            )
        if r.next_deadline is not None:
            d = r.next_deadline
            out.field(
                "Next due",
                f"{d.code} {d.name} ({d.weight:g}%) on {d.due}, {days_left(d.days_left)}",
            )
        w = r.this_week
        out.line(
            f"Logged this week: {hours_text(w.logged_hours)} of {hours_text(w.target_hours)} h"
        )
        if r.week_plan.plan:
            top = r.week_plan.plan[0]
            out.line(
                f"{plan_total_text(r.week_plan)}; {top.code} first,"
                f" {hours_text(top.left_hours)} h left"
            )
        if r.programme_end is not None:
            out.line(needed_a_week(r.required_weekly_hours, r.programme_end))
        balances(out, r.balance, r.term_balance)
        if r.timer is not None:
            timer_lines(out, r.timer)
        out.blank()
        out.table(
            [
                Col("Year"),
                Col("Term"),
                Col("Dates", wrap=True),
                Col("ECTS", right=True),
                Col("Done", right=True),
                Col(""),
            ],
            [
                [
                    str(t.year),
                    str(t.term),
                    date_range(t.start, t.end),
                    f"{t.ects:g}",
                    f"{t.ects_done:g}",
                    "complete" if t.complete else "",
                ]
                for t in r.terms
            ],
        )
        if r.warnings:
            out.blank()
            count = count_text(len(r.warnings), "plan warning", "plan warnings")
            out.line(f"{count}: see {' and '.join(r.warnings_shown_by)}")


def hours(programme: Programme, result: HoursResult) -> None:
    from mldsplan.domain.workload import HEAVY_FACTOR

    r = result
    with screen() as out:
        out.line(
            f"Hours left  {hours_text(r.hours_remaining)} h"
            f" ({programme.hours_per_ects:g} h per ECTS)",
            style="bold",
        )
        out.line(
            f"At {hours_text(r.weekly_hours)} h/week  {hours_text(r.weeks_remaining)} weeks;"
            f" finish {r.finish_date} (from {r.on})"
        )
        if r.programme_end is None:
            out.line(SET_START)
        else:
            out.line(needed_a_week(r.required_weekly_hours, r.programme_end))
            out.line(f"Your plan ends {r.planned_end}")
        if r.terms:
            out.blank()
            out.table(
                [
                    Col("Y.T"),  # the term as `calendar set Y.T` names it: the table fits 60
                    Col("Dates", wrap=True),
                    Col("Hours left", right=True),
                    Col("h/week", right=True),
                    Col("", wrap=True, below=True, optional=True),
                ],
                [
                    [
                        f"{t.year}.{t.term}",
                        date_range(t.start, t.end),
                        hours_text(t.hours_remaining),
                        "-" if t.weekly_load is None else hours_text(t.weekly_load),
                        _term_flag(t.overdue, t.heavy),
                    ]
                    for t in r.terms
                ],
            )
            # each flag said once, in plain words, under the table
            flags = {_term_flag(t.overdue, t.heavy) for t in r.terms}
            if "overdue" in flags:
                out.line("overdue: the term has ended with hours left", indent=len("overdue: "))
            if "heavy" in flags:
                out.line(
                    f"heavy: needs more than your {hours_text(r.weekly_hours)} h/week"
                    f" + {HEAVY_FACTOR - 1:.0%}",
                    indent=len("heavy: "),
                )
        out.blank()
        if r.pace is None:
            out.line("Your pace: nothing logged yet (mldsplan log HOURS)")
        else:
            p = r.pace
            whole = f"{hours_text(p.overall_weekly_hours)} h/week since {p.first_entry}"
            if p.recent_since == p.first_entry:  # the whole log is recent: one figure
                out.line(f"Your pace: {whole} ({count_text(p.span_days, 'day', 'days')})")
            else:
                out.line(
                    f"Your pace: {hours_text(p.recent_weekly_hours)} h/week over the last"
                    f" {p.recent_days} days; {whole}"
                )
        balances(out, r.balance, r.term_balance)
        for monday in r.deadline_weeks:
            out.line(f"Deadline week from {monday}: two or more assessments due (mldsplan due)")
        if r.modules:
            out.blank()
            opening = any(m.opening_hours for m in r.modules)  # studied before tracking
            out.table(
                [
                    Col("Module"),
                    Col("Logged", right=True),
                    *([Col("Opening", right=True)] if opening else []),
                    Col("Budget", right=True),
                    Col("Used", right=True),
                ],
                [
                    [
                        as_text(m.code),
                        hours_text(m.logged_hours),
                        *([hours_text(m.opening_hours)] if opening else []),
                        hours_text(m.budget_hours),
                        f"{m.percent_used:.0f}%",
                    ]
                    for m in r.modules
                ],
            )
            if opening:
                out.line("Opening: hours studied before tracking (log --opening)")
        if r.hours_without_module > 0:
            out.line(
                f"{hours_text(r.hours_without_module)} h logged without a module,"
                " not counted against any module"
            )
        out.warnings(r.warnings)


def _parts_text(programme: Programme) -> str:
    """Why completions outnumber modules done: the domain's units (`marks.units`) of more
    than one module, each counted once, when all its parts are done."""
    from mldsplan.domain.marks import units

    counted = units(programme)
    said = []
    for group in programme.groups:
        parts = counted.get(group.code, [])
        if len(parts) > 1:
            codes = ", ".join(parts[:-1]) + f" and {parts[-1]}"
            said.append(f"{codes} count as one module, done when all {len(parts)} are")
    return "".join(f"; {s}" for s in said)


def _term_flag(overdue: bool, heavy: bool) -> str:
    """The hours table's flag for a term, explained by a legend under the table."""
    return "overdue" if overdue else "heavy" if heavy else ""


def chart(weeks: Sequence[WeekSummary], width: int = CHART_WIDTH) -> list[str]:
    """One line a week: a bar of hours with `|` marking the weekly target."""
    top = max([w.logged_hours for w in weeks] + [w.target_hours for w in weeks]) or 1.0
    lines = []
    for w in weeks:
        cells = list(bar(w.logged_hours / top, width).replace("░", " "))
        target_at = min(width - 1, round(w.target_hours / top * width) - 1)
        cells[target_at] = "┃" if cells[target_at] == "█" else "|"
        lines.append(f"{w.week_start}  {''.join(cells)}  {hours_text(w.logged_hours)} h")
    return lines


def week(result: WeekResult) -> None:
    r = result
    with screen() as out:
        out.line(f"Week of {r.week_start} (Mon) to {r.week_end} (Sun)", style="bold")
        out.blank()
        out.table(
            [Col("Day"), Col("Date"), Col("Hours", right=True)],
            [
                # the days' hours as they add up to the week's total below
                [d.date.strftime("%a"), str(d.date), shown if d.hours else "-"]
                for d, shown in zip(r.days, hours_parts([d.hours for d in r.days]), strict=True)
            ],
        )
        out.blank()
        # logged and to go (or over) add up to the target as shown
        apart = hundredths(r.target_hours) - hundredths(r.logged_hours)
        state = (
            f"{hundredths_text(-apart)} h over the target"
            if r.over_hours
            else f"{hundredths_text(max(0, apart))} h to go"
        )
        out.line(f"Logged {hours_text(r.logged_hours)} of {hours_text(r.target_hours)} h; {state}")
        if r.modules:
            shown = hours_parts([m.hours for m in r.modules])
            parts = [
                f"{m.code or '(no module)'} {h} h" for m, h in zip(r.modules, shown, strict=True)
            ]
            out.line("By module: " + ", ".join(parts))
        out.blank()
        week_plan(out, r)
        out.blank()
        out.line(
            f"Last {len(r.recent_weeks)} weeks (| marks the {hours_text(r.target_hours)} h target):"
        )
        # the date, the bar and the widest hours figure share the line
        widest = max((len(hours_text(w.logged_hours)) for w in r.recent_weeks), default=1)
        width = min(CHART_WIDTH, out.width - len("YYYY-MM-DD  ") - len("   h") - widest)
        for line in chart(r.recent_weeks, max(width, 1)):
            out.line(line)
        for d in r.deadlines:
            out.line(f"Due {d.due}: {d.code} {d.name} ({d.weight:g}%)")
        balances(out, r.balance, r.term_balance)
        if r.timer is not None:
            timer_lines(out, r.timer)


def week_plan(out: Screen, plan: WeekPlan | WeekResult) -> None:
    """The week's plan: each module's need, logged and left, by its driving deadline."""
    if not plan.plan:
        out.line("This week's plan: no module in a term that has started has hours left")
        return
    out.line("This week's plan, soonest deadline first:")
    out.table(
        [
            Col("Module"),
            Col("Need", right=True),
            Col("Logged", right=True),
            Col("Left", right=True),
            Col("Deadline", wrap=True),
        ],
        [
            [
                as_text(row.code),
                hundredths_text(need),  # the needs as they add up to the total below
                hours_text(row.logged_hours) if row.logged_hours else "-",
                hundredths_text(max(0, need - hundredths(row.logged_hours))),  # need - logged
                as_text(deadline_text(row)),
            ]
            for row, need in zip(
                plan.plan, hundredths_parts([row.need_hours for row in plan.plan]), strict=True
            )
        ],
    )
    out.line(plan_total_text(plan))


def plan_total_text(plan: WeekPlan | WeekResult) -> str:
    """The week's total need against the hours available, labelled (`labels`): "Needed this
    week: 131.71 of 21 h", over-committed or spare."""
    needs = needed_this_week(plan.plan_total_hours, plan.available_hours)
    if plan.over_committed_hours:
        return f"{needs}, over-committed by {hours_text(plan.over_committed_hours)} h"
    if plan.spare_hours:
        return (
            f"{needs}, {hours_text(plan.spare_hours)} h spare:"
            f" get ahead on {plan.plan[0].code}, whose deadline is soonest"
        )
    return f"{needs}, exactly the hours you have"


def deadline_text(row: PlanRow) -> str:
    """`Group project, 2026-12-04 (in 9 days)`, or the term's end when no assessment drives.
    A module whose term has ended is what is late, not its next assessment: `its term ended;
    cw1, 2026-12-04 (in 9 days)`, or, with no assessment, planned to this term's end."""
    when = f"{row.due} ({together(days_left(row.days_left))})"
    if row.deadline:
        what = f"{row.deadline.name}, {when}"
    else:
        what = f"{'this term' if row.overdue else 'term'} ends {when}"
    return f"its term ended; {what}" if row.overdue else what


def log_entries(result: LogListResult) -> None:
    entries = result.entries
    with screen() as out:
        if not entries:
            out.line("The study log is empty: mldsplan log HOURS [--module CODE]")
            return
        out.table(
            [
                Col("N", right=True),
                Col("Date"),
                Col("Hours", right=True),
                Col("Module"),
                Col("Note", wrap=True, below=True),
            ],
            [
                [
                    str(n),
                    "opening" if e.on is None else str(e.on),  # studied before tracking
                    hours_text(e.hours),
                    as_text(e.module or "-"),
                    as_text(e.note or ""),
                ]
                for n, e in enumerate(entries, start=1)
            ],
        )
        if any(e.opening for e in entries):
            out.line(
                "opening: hours studied before tracking; they count in the module's hours"
                " still to do, never in pace, balance or weekly totals"
            )


def balances(out: Screen, since_first: Balance | None, this_term: Balance | None) -> None:
    """The balance lines that progress, hours and week share (`wording.balance_lines`)."""
    for line in balance_lines(since_first, this_term):
        out.line(line)


def forgotten_text(found: TimerStatus) -> str | None:
    """What to do about a timer that has run longer than `stop` takes (`timer.forgotten`)."""
    from mldsplan.domain.timer import MAX_SESSION_HOURS, forgotten

    if found.elapsed_hours is None or found.started_at is None:
        return None
    if not forgotten(found.elapsed_hours):
        return None
    return (
        f"probably forgotten (more than {MAX_SESSION_HOURS} h): stop it when you ended with"
        " mldsplan stop --at YYYY-MM-DDTHH:MM, or drop it: mldsplan cancel"
    )


def timer_lines(out: Screen, found: TimerStatus) -> None:
    out.line(timer_text(found))
    fix = forgotten_text(found)
    if fix:
        out.line(fix, indent=2)


def status(result: StatusResult) -> None:
    with screen() as out:
        timer_lines(out, result)
