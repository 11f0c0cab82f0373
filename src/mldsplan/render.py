"""How results look: Rich tables, bars and charts on stdout; JSON for scripts.

Nothing here computes a figure: it formats what the domain returned. Text
from files goes in as `Text` (never markup), and no meaning rides on colour.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mldsplan.progress import SCHEMA_VERSION

if TYPE_CHECKING:  # results are only read here; importing their modules would cost start-up
    from mldsplan.assessments import AssessListResult, DueResult
    from mldsplan.calendar import CalendarResult
    from mldsplan.grades import GradesResult, TargetResult
    from mldsplan.planner import (
        Balance,
        HoursResult,
        PlanResult,
        ProgressResult,
        StatusResult,
        TimerStatus,
        WeekResult,
        WeekSummary,
    )
    from mldsplan.programme import Programme
    from mldsplan.progress import LogEntry

BAR_WIDTH = 30
CHART_WIDTH = 40
SET_START = "set your start month to see dates: mldsplan init --start YYYY-MM"

_console: Console | None = None


def console() -> Console:
    global _console  # one Console per process; building it reads the terminal
    if _console is None:
        # Text from files is never markup; and no markup or emoji parsing is faster.
        _console = Console(highlight=False, markup=False, emoji=False)
    return _console


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(result: Any) -> None:
    is_record = dataclasses.is_dataclass(result) and not isinstance(result, type)
    data = dataclasses.asdict(result) if is_record else result
    sys.stdout.write(json.dumps(data, default=_default, indent=2, ensure_ascii=False) + "\n")


def hours_text(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _table(*columns: str, title: str | None = None) -> Table:
    from rich import box

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for column in columns:
        justify = (
            "right"
            if column
            in {
                "ECTS",
                "Hours",
                "Mark",
                "Counted",
                "Weight",
                "Done",
                "Hours left",
                "h/week",
                "Logged",
                "Budget",
                "Needed",
                "Threshold",
                "N",
            }
            else "left"
        )
        table.add_column(column, justify=justify)  # type: ignore[arg-type]  # rich's Literal
    return table


def _dates(start: date | None, end: date | None) -> str:
    return f"{start} to {end}" if start and end else "-"


def _warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        console().print(Text(f"warning: {warning}"))


def plan(programme: Programme, result: PlanResult) -> None:
    out = console()
    out.print(Text(f"{programme.name} — {programme.institution}", style="bold"))
    if result.start is None:
        out.print(Text(SET_START))
    terms = sorted({(m.planned_year, m.planned_term) for m in result.modules})
    for year, term in terms:
        rows = [m for m in result.modules if (m.planned_year, m.planned_term) == (year, term)]
        heading = f"Year {year}, term {term}"
        if rows[0].term_start:
            heading += f"  ({_dates(rows[0].term_start, rows[0].term_end)})"
        table = _table(
            "Code", "Title", "ECTS", "Hours", "Status", "Completed", "Mark", title=heading
        )
        for m in rows:
            status = m.status + (f" (from year {m.year})" if m.deferred_years else "")
            mark = "" if m.mark is None else f"{m.mark:g}"
            if m.resit and m.mark is not None:
                mark += f" (resit {m.counted_mark:g})"
            table.add_row(
                Text(m.code),
                Text(m.title),
                f"{m.ects:g}{'*' if m.assumed else ''}",
                hours_text(m.hours),
                status,
                str(m.completed_on or ""),
                mark,
            )
        out.print(table)
    if any(m.assumed for m in result.modules):
        out.print(
            Text("* ECTS assumed (not published per module): correct them in the programme file")
        )
    _warnings(result.warnings)


def progress(programme: Programme, result: ProgressResult) -> None:
    out = console()
    r = result
    out.print(Text(f"{r.programme_name} — progress on {r.on}", style="bold"))
    out.print(
        Text(
            f"ECTS     {bar(r.ects_done / r.ects_total)}  {r.ects_done:g} of"
            f" {r.ects_total:g} ({r.percent:.1f}%)"
        )
    )
    out.print(Text(f"Modules  {r.modules_done} of {r.modules_total} done"))
    out.print(
        Text(
            f"Hours    {hours_text(r.hours_remaining)} h left = {r.weeks_remaining:.1f} weeks at"
            f" {r.weekly_hours:g} h/week; at that pace you finish {r.finish_date}"
        )
    )
    if r.programme_end:
        now = f"now year {r.current_year} term {r.current_term}; " if r.current_year else ""
        out.print(
            Text(f"Plan     {now}programme ends {r.programme_end}; your plan ends {r.planned_end}")
        )
    else:
        out.print(Text(SET_START))
    if r.average is not None:
        out.print(
            Text(
                f"Marks    average {r.average:.2f} ({r.band}) over"
                f" {r.marked_ects:g} ECTS: mldsplan grades"
            )
        )
    if r.next_deadline is not None:
        d = r.next_deadline
        out.print(
            Text(
                f"Next due {d.code} {d.name} ({d.weight:g}%) on {d.due}, {_days_left(d.days_left)}"
            )
        )
    w = r.this_week
    out.print(Text(f"This week: {hours_text(w.logged_hours)} of {w.target_hours:g} h"))
    if r.balance is not None:
        out.print(Text(f"Balance since {r.balance.since}: {balance_text(r.balance)}"))
    if r.term_balance is not None:
        out.print(Text(f"Balance this term: {balance_text(r.term_balance)}"))
    if r.timer is not None:
        timer_line(r.timer)
    table = _table("Year", "Term", "Dates", "ECTS", "Done", "")
    for t in r.terms:
        mark = "complete" if t.ects_done >= t.ects else ""
        table.add_row(
            str(t.year),
            str(t.term),
            _dates(t.start, t.end),
            f"{t.ects:g}",
            f"{t.ects_done:g}",
            mark,
        )
    out.print(table)
    if r.warnings:
        out.print(Text(f"{len(r.warnings)} plan warning(s): see mldsplan plan"))


def hours(programme: Programme, result: HoursResult) -> None:
    out = console()
    r = result
    out.print(
        Text(
            f"Hours left  {hours_text(r.hours_remaining)} h"
            f" ({programme.hours_per_ects:g} h per ECTS)",
            style="bold",
        )
    )
    out.print(
        Text(
            f"At {r.weekly_hours:g} h/week  {r.weeks_remaining:.1f} weeks;"
            f" finish {r.finish_date} (from {r.on})"
        )
    )
    if r.programme_end is None:
        out.print(Text(SET_START))
    else:
        needed = (
            "the programme's end has passed"
            if r.required_weekly_hours is None
            else f"{r.required_weekly_hours:.1f} h/week needed"
        )
        out.print(Text(f"To finish by the programme's end ({r.programme_end}): {needed}"))
        out.print(Text(f"Your plan ends {r.planned_end}"))
    if r.terms:
        table = _table("Year", "Term", "Dates", "Hours left", "h/week", "")
        for t in r.terms:
            flag = (
                "overdue" if t.overdue else "heavy (over your weekly hours +10%)" if t.heavy else ""
            )
            load = "-" if t.weekly_load is None else f"{t.weekly_load:.1f}"
            table.add_row(
                str(t.year),
                str(t.term),
                _dates(t.start, t.end),
                hours_text(t.hours_remaining),
                load,
                flag,
            )
        out.print(table)
    if r.pace is None:
        out.print(Text("Your pace: nothing logged yet (mldsplan log HOURS)"))
    else:
        p = r.pace
        out.print(
            Text(
                f"Your pace: {p.recent_weekly_hours:.1f} h/week over the last {p.recent_weeks}"
                f" calendar week{'s' * (p.recent_weeks > 1)}; {p.overall_weekly_hours:.1f} h/week"
                f" since {p.first_entry}"
            )
        )
    for label, b in (("since the first entry", r.balance), ("this term", r.term_balance)):
        if b is not None:
            out.print(Text(f"Balance {label}: {balance_text(b)}"))
    for monday in r.deadline_weeks:
        out.print(Text(f"Deadline week: {monday} (two or more assessments due): mldsplan due"))
    if r.modules:
        table = _table("Module", "Logged", "Budget", "")
        for m in r.modules:
            table.add_row(
                Text(m.code),
                hours_text(m.logged_hours),
                hours_text(m.budget_hours),
                f"{100 * m.logged_hours / m.budget_hours:.0f}%",
            )
        out.print(table)
    _warnings(r.warnings)


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
    out = console()
    r = result
    out.print(Text(f"Week of {r.week_start} (Mon) to {r.week_end} (Sun)", style="bold"))
    table = _table("Day", "Date", "Hours")
    for d in r.days:
        table.add_row(d.date.strftime("%a"), str(d.date), hours_text(d.hours) if d.hours else "-")
    out.print(table)
    state = (
        f"{hours_text(r.over_hours)} h over the target"
        if r.over_hours
        else f"{hours_text(r.remaining_hours)} h to go"
    )
    out.print(Text(f"Logged {hours_text(r.logged_hours)} of {r.target_hours:g} h; {state}"))
    if r.modules:
        parts = [f"{m.code or '(no module)'} {hours_text(m.hours)} h" for m in r.modules]
        out.print(Text("By module: " + ", ".join(parts)))
    out.print(Text(f"Last {len(r.recent_weeks)} weeks (| marks the {r.target_hours:g} h target):"))
    for line in chart(r.recent_weeks):
        out.print(Text(line))
    for due_item in r.deadlines:
        out.print(
            Text(f"Due {due_item.due}: {due_item.code} {due_item.name} ({due_item.weight:g}%)")
        )
    if r.timer is not None:
        timer_line(r.timer)


def grades(programme: Programme, result: GradesResult) -> None:
    out = console()
    r = result
    if r.modules:
        table = _table("Code", "Title", "ECTS", "Mark", "Counted", "Weight")
        for m in r.modules:
            table.add_row(
                Text(m.code),
                Text(m.title),
                f"{m.ects:g}",
                f"{m.mark:g}",
                f"{m.counted_mark:g}" + (" (resit cap)" if m.counted_mark < m.mark else ""),
                f"{100 * m.weight:.1f}%",
            )
        out.print(table)
    if r.average is None:
        out.print(Text("No marks yet: record one with mldsplan complete CODE --mark M"))
    else:
        out.print(
            Text(
                f"Average  {r.average:.2f} ({r.band}) over {r.marked_ects:g} of"
                f" {r.total_ects:g} ECTS ({r.marked_percent:.1f}% marked)",
                style="bold",
            )
        )
        if r.borderline_band:
            threshold = dict(programme.classification.bands)[r.borderline_band]
            out.print(
                Text(
                    f"Borderline: within {programme.classification.borderline_margin:g}"
                    f" of {r.borderline_band} ({threshold:g})"
                )
            )
    if r.unmarked:
        out.print(Text(f"Completed without a mark (not in the average): {', '.join(r.unmarked)}"))
    for p in r.provisional:
        out.print(
            Text(
                f"Provisional (in progress, not in the average): {p.code} {p.current_mark:.2f}"
                f" over {p.weight_marked:g}% marked"
            )
        )
    for award in r.exit_awards:
        state = "reached" if award.reached else f"not yet ({r.ects_done:g} of {award.ects:g} ECTS)"
        out.print(Text(f"Exit award {award.name} ({award.ects:g} ECTS): {state}"))
    if programme.classification.assumed:
        out.print(Text("Bands are assumed (Imperial's usual taught-MSc bands)"))


def targets(result: TargetResult) -> None:
    out = console()
    r = result
    assumed = (
        " including assumed " + ", ".join(f"{c}={m:g}" for c, m in r.assumed.items())
        if r.assumed
        else ""
    )
    if r.average is None:
        out.print(Text(f"No marks yet; {r.remaining_ects:g} ECTS still to mark", style="bold"))
    else:
        out.print(
            Text(
                f"Average {r.average:.2f} over {r.marked_ects:g} ECTS{assumed};"
                f" {r.remaining_ects:g} ECTS still to mark",
                style="bold",
            )
        )
    table = _table("Band", "Threshold", "Needed", "State")
    for t in r.targets:
        needed = "-" if t.needed_average is None else f"{t.needed_average:.2f}"
        table.add_row(t.band, f"{t.threshold:g}", needed, t.state.replace("_", " "))
    out.print(table)
    out.print(Text("secured: reached if you pass every remaining module"))


def log_entries(entries: Sequence[LogEntry], as_json: bool) -> None:
    if as_json:
        print_json({"schema_version": SCHEMA_VERSION, "entries": [e._asdict() for e in entries]})
        return
    if not entries:
        console().print(Text("The study log is empty: mldsplan log HOURS [--module CODE]"))
        return
    table = _table("N", "Date", "Hours", "Module", "Note")
    for number, e in enumerate(entries, start=1):
        table.add_row(
            str(number), str(e.on), hours_text(e.hours), Text(e.module or "-"), Text(e.note or "")
        )
    console().print(table)


def balance_text(b: Balance) -> str:
    sign = "+" if b.difference >= 0 else "\N{MINUS SIGN}"
    return (
        f"{hours_text(b.logged_hours)} of {hours_text(b.target_hours)} h"
        f" ({sign}{hours_text(abs(b.difference))} h)"
    )


def _days_left(days: int) -> str:
    if days < 0:
        return f"{-days} day{'s' * (days != -1)} overdue"
    return "today" if days == 0 else f"in {days} day{'s' * (days != 1)}"


def _duration(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def timer_line(found: TimerStatus | None) -> None:
    if found is None or found.started_at is None:
        console().print(Text("No timer running: mldsplan start [CODE]"))
        return
    what = found.module or "no module"
    elapsed = "" if found.elapsed_hours is None else f", {_duration(found.elapsed_hours)}"
    console().print(Text(f"Timer: {what}{elapsed} (since {found.started_at:%H:%M})"))


def status(result: StatusResult) -> None:
    if not result.running:
        timer_line(None)
        return
    from mldsplan.planner import TimerStatus

    timer_line(
        TimerStatus(
            running=True,
            module=result.module,
            note=result.note,
            started_at=result.started_at,
            elapsed_hours=result.elapsed_hours,
        )
    )


def calendar(result: CalendarResult) -> None:
    out = console()
    if not result.terms:
        out.print(Text(SET_START))
        return
    table = _table("Year", "Term", "From", "To", "Weeks", "Dates", "")
    for t in result.terms:
        source = "yours" if t.source == "student" else "assumed" if result.assumed else "programme"
        table.add_row(
            str(t.year),
            str(t.term),
            str(t.start),
            str(t.end),
            f"{t.weeks:.1f}",
            source,
            "now" if t.current else "",
        )
    out.print(table)
    out.print(Text("Set your own: mldsplan calendar set Y.T --from YYYY-MM-DD --to YYYY-MM-DD"))


def assessments(result: AssessListResult) -> None:
    out = console()
    if not result.modules:
        out.print(Text("No assessments yet: mldsplan assess add CODE NAME --weight W [--due DATE]"))
        return
    for m in result.modules:
        table = _table("Assessment", "Weight", "Due", "Mark", title=f"{m.code}: {m.title}")
        for a in m.assessments:
            table.add_row(
                Text(a.name),
                f"{a.weight:g}%",
                str(a.due or ""),
                "" if a.mark is None else f"{a.mark:g}",
            )
        out.print(table)
        so_far = "no marks yet" if m.current_mark is None else f"{m.current_mark:.2f}"
        out.print(
            Text(
                f"Mark so far {so_far} over {m.weight_marked:g}% marked"
                f" ({m.weight_total:g}% of 100% entered)"
                + ("" if m.module_mark is None else f"; module mark {m.module_mark:.2f}")
            )
        )
        for t in m.targets:
            needed = (
                "" if t.needed_average is None else f"{t.needed_average:.2f} needed on the rest; "
            )
            state = {
                "secured": "secured (reached whatever the rest scores)",
                "reachable": "reachable",
                "out_of_reach": "out of reach",
            }[t.state]
            out.print(Text(f"  {t.band} ({t.threshold:g}): {needed}{state}"))


def due(result: DueResult) -> None:
    out = console()
    if not result.deadlines:
        out.print(Text(f"Nothing due in the next {result.days} days"))
        return
    table = _table("Due", "Left", "Code", "Assessment", "Weight", "")
    for d in result.deadlines:
        flag = "past due, no mark" if d.overdue else "deadline week" if d.deadline_week else ""
        table.add_row(
            str(d.due), _days_left(d.days_left), Text(d.code), Text(d.name), f"{d.weight:g}%", flag
        )
    out.print(table)
