"""The HTML dashboard: the page drawn from the command's finished `Overview`, with Jinja2.

`build` arranges what the page shows (every figure comes finished in the `Overview`
the command built from one `Facts`; here they are only arranged, and the charts'
figures laid out in SVG coordinates). `render` fills `templates/dashboard.html.j2`,
autoescaped: every text that came from a file is escaped there. Rich-free, so
it stays cheap; it calls no domain calculation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from mldsplan.domain.dates import week_bounds
from mldsplan.domain.numbers import count_text, days_left, hours_text
from mldsplan.domain.results import record
from mldsplan.output.wording import RESIT_CAP, balance_text, resit_note, timer_text

if TYPE_CHECKING:
    from pathlib import Path

    from mldsplan.domain import assessments, marks, studytime, workload
    from mldsplan.domain.assessments import ModuleAssessments
    from mldsplan.domain.blocks import Block
    from mldsplan.domain.overview import Overview
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.progress import LogEntry
    from mldsplan.domain.weekplan import PlanRow, WeekPlan

PRINTED_ENTRIES = 12  # on paper the log lists its latest entries (and each week's total)

# The charts' drawing areas, in SVG user units (the page scales them to its width).
CHART_W = 420
CHART_H = 230
PAD_LEFT = 36
PAD_RIGHT = 12
PAD_TOP = 34
PAD_BOTTOM = 30


@record
class Deadline:
    """An assessment due date, as the page lists it."""

    due: date
    title: str
    module: str | None = None
    days_left: int = 0  # from the page's date; below 0 when past
    overdue: bool = False  # past due without a mark


def upcoming(found: list[assessments.Deadline]) -> list[Deadline]:
    """The deadlines as the page lists them."""
    return [
        Deadline(
            due=d.due,
            title=f"{d.name} ({d.weight:g}%)",
            module=d.code,
            days_left=d.days_left,
            overdue=d.overdue,
        )
        for d in found
    ]


@record
class Tick:
    at: float  # x or y in SVG units
    label: str


@record
class Bar:
    week_start: date
    hours: float
    target: float
    x: float
    y: float
    width: float
    height: float
    label_y: float
    reached: bool
    current: bool


@record
class WeeksChart:
    bars: list[Bar]
    target: float
    target_y: float
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    total: float
    average: float
    weeks_reached: int
    weeks_counted: int  # the full weeks from the first log entry's week on


@record
class EctsRow:
    on: date
    done: float | None  # cumulative ECTS completed, on a day something was completed
    planned: float | None  # the plan's cumulative ECTS, at a term's end


@record
class EctsChart:
    done: list[marks.EctsPoint]
    planned: list[marks.EctsPoint]
    rows: list[EctsRow]  # the chart's figures as a table, by date
    done_path: str  # SVG polyline points
    planned_path: str
    planned_marks: list[tuple[float, float]]
    total: float
    total_y: float
    today_x: float
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    planned_by_today: float | None  # the plan's cumulative ECTS at the last term end by today


@record
class NeedBar:
    """A module in the week's plan: a bar as long as its need, filled as far as logged."""

    row: PlanRow
    need_width: float  # % of the card's width: the largest need fills it
    logged_width: float  # % of its own bar: the hours logged against the need, at most all


@record
class BlockDay:
    """A day of the week's study blocks, in time order."""

    day: date
    blocks: list[Block]


@record
class Page:
    programme: Programme
    on: date
    summary: workload.ProgressResult
    plan: workload.PlanResult
    hours: workload.HoursResult
    grades: marks.GradesResult
    targets: marks.TargetResult
    terms: list[tuple[workload.TermProgress, list[workload.PlanModule]]]
    ects_chart: EctsChart
    weeks_chart: WeeksChart
    warnings: list[str]
    deadlines: list[Deadline]
    in_progress: list[ModuleAssessments]
    log: list[LogEntry]
    log_earlier: int  # entries before the chart's weeks, not listed
    with_notes: bool
    week: WeekPlan  # this week's plan (`progress_summary` gives it)
    week_start: date
    week_end: date
    need_bars: list[NeedBar]
    block_days: list[BlockDay]  # the week's study blocks from now, by day (none: no windows)


def build(content: Overview, *, with_notes: bool = False) -> Page:
    """Everything the dashboard shows, arranged from the command's `Overview`."""
    summary, plan, weeks = content.summary, content.plan, content.weeks
    by_term = {(t.year, t.term): t for t in summary.terms}
    terms = [
        (by_term[key], [m for m in plan.modules if (m.planned_year, m.planned_term) == key])
        for key in sorted(by_term)
    ]
    return Page(
        programme=content.programme,
        on=content.on,
        summary=summary,
        plan=plan,
        hours=content.hours,
        grades=content.grades,
        targets=content.targets,
        terms=terms,
        ects_chart=_ects_chart(summary, content.timeline, content.start, content.on),
        weeks_chart=_weeks_chart(weeks),
        warnings=summary.warnings,
        deadlines=sorted(upcoming(content.deadlines), key=lambda d: (d.due, d.title)),
        in_progress=content.in_progress,
        log=weeks.entries,
        log_earlier=weeks.entries_before,
        with_notes=with_notes,
        week=summary.week_plan,
        week_start=summary.this_week.week_start,
        week_end=week_bounds(summary.this_week.week_start)[1],
        need_bars=_need_bars(summary.week_plan),
        block_days=_block_days(content.blocks),
    )


def _block_days(blocks: tuple[Block, ...]) -> list[BlockDay]:
    """The blocks grouped by their day (in the student's zone), days and blocks in order."""
    days: dict[date, list[Block]] = {}
    for b in sorted(blocks, key=lambda b: b.start):
        days.setdefault(b.start.date(), []).append(b)
    return [BlockDay(day=day, blocks=found) for day, found in days.items()]


def render(page: Page, template_cache: Path | None = None) -> str:
    """The page's HTML. `template_cache`: a private folder where Jinja keeps the template
    compiled (its source's checksum is the key), so that a run does not compile it again:
    compiling takes about 60 ms, a third of the export's time (issue 29's html target)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    options: dict[str, Any] = {
        "autoescape": True,  # every text from a file is escaped, whatever its extension
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    env = Environment(
        loader=PackageLoader("mldsplan.output", "templates"),
        bytecode_cache=_kept_compiled(template_cache, options),
        **options,
    )
    env.globals.update(W=CHART_W, H=CHART_H, L=PAD_LEFT, R=PAD_RIGHT, T=PAD_TOP, B=PAD_BOTTOM)
    from mldsplan.domain.labels import NEEDED_A_WEEK
    from mldsplan.domain.workload import HEAVY_FACTOR

    env.globals["PRINTED_ENTRIES"] = PRINTED_ENTRIES
    env.globals["NEEDED_A_WEEK"] = NEEDED_A_WEEK  # the label's one wording
    env.globals["heavy_over"] = f"{HEAVY_FACTOR - 1:.0%}"  # the constant's own text
    env.filters["hours"] = hours_text
    env.filters["num"] = lambda value: f"{value:g}"
    env.filters["fixed"] = lambda value, digits=1: f"{value:.{digits}f}"
    env.filters["svg"] = lambda value: f"{value:.1f}".rstrip("0").rstrip(".")
    env.filters["short"] = lambda day: f"{day.day} {day:%b}"
    env.filters["days_left"] = days_left
    env.filters["count_text"] = count_text
    env.filters["balance"] = balance_text
    env.filters["timer"] = lambda status: timer_text(status).removeprefix("Timer: ")
    env.filters["resit_note"] = resit_note
    env.globals["RESIT_CAP"] = RESIT_CAP
    return env.get_template("dashboard.html.j2").render(page=page)


def _kept_compiled(folder: Path | None, options: dict[str, Any]) -> Any:
    """Jinja's file bytecode cache in `folder`, quiet: a compiled file that cannot be read
    back (damaged, cut short) or written (a full disk) costs a compile, never the export.
    Jinja keys a compiled template by its name and checks its source's checksum and
    Python's version; the file's name adds Jinja's version and the options the code was
    compiled with, so that neither an upgraded Jinja nor changed options run stale code."""
    if folder is None:
        return None
    from contextlib import suppress
    from zlib import crc32

    import jinja2
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    class Quiet(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # any damage (a cut-short pickle, a wrong type): compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with suppress(OSError):
                super().dump_bytecode(bucket)

    made_with = f"{jinja2.__version__}_{crc32(repr(sorted(options.items())).encode()):08x}"
    return Quiet(str(folder), f"__jinja2_{made_with}_%s.cache")


def to_html(
    content: Overview, *, with_notes: bool = False, template_cache: Path | None = None
) -> str:
    return render(build(content, with_notes=with_notes), template_cache)


# --- chart layout ----------------------------------------------------------


def _need_bars(week: WeekPlan) -> list[NeedBar]:
    top = max((row.need_hours for row in week.plan), default=0.0)
    return [
        NeedBar(
            row=row,
            need_width=100 * row.need_hours / top,
            logged_width=100 * min(1.0, row.logged_hours / row.need_hours),
        )
        for row in week.plan  # each need is above 0 (`weekplan`)
    ]


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving at most `ticks` steps."""
    raw = max(top, 1e-9) / ticks
    power: float = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _y_ticks(top: float, scale_top: float) -> list[Tick]:
    step = nice_step(top, 4)
    count = int(top / step + 1e-9)
    return [Tick(at=_y(step * i, scale_top), label=f"{step * i:g}") for i in range(count + 1)]


def _y(value: float, top: float) -> float:
    plot = CHART_H - PAD_TOP - PAD_BOTTOM
    return CHART_H - PAD_BOTTOM - plot * (value / top if top else 0.0)


def _weeks_chart(study: studytime.StudyWeeks) -> WeeksChart:
    weeks = study.weeks
    target = weeks[-1].target_hours
    highest = max([w.logged_hours for w in weeks] + [target])
    top = nice_step(highest, 4) * math.ceil(highest / nice_step(highest, 4) + 1e-9)
    slot = (CHART_W - PAD_LEFT - PAD_RIGHT) / len(weeks)
    bars = []
    for i, w in enumerate(weeks):
        y = _y(w.logged_hours, top)
        bars.append(
            Bar(
                week_start=w.week_start,
                hours=w.logged_hours,
                target=w.target_hours,
                x=PAD_LEFT + i * slot + slot * 0.15,
                y=y,
                width=slot * 0.7,
                height=CHART_H - PAD_BOTTOM - y,
                label_y=y - 4,
                reached=w.target_reached,
                current=i == len(weeks) - 1,
            )
        )
    return WeeksChart(
        bars=bars,
        target=target,
        target_y=_y(target, top),
        y_ticks=_y_ticks(top, top),
        x_ticks=[
            Tick(at=b.x + b.width / 2, label=f"{b.week_start.day} {b.week_start:%b}")
            for i, b in enumerate(bars)
            if i % 3 == 2
        ],
        total=study.total_hours,
        average=study.average_hours,
        weeks_reached=study.weeks_reached,
        weeks_counted=study.weeks_counted,
    )


def _ects_chart(
    summary: workload.ProgressResult,
    timeline: workload.EctsTimeline,
    start: date | None,
    on: date,
) -> EctsChart:
    done, planned = timeline.done, timeline.planned
    dates = [p.on for p in done + planned] + [on]
    first = start or min(dates)
    last = max([*dates, summary.programme_end or on])
    if (last - first).days < 30:
        last = first + timedelta(days=30)
    span = (last - first).days
    top = summary.ects_total

    def x(day: date) -> float:
        return PAD_LEFT + (CHART_W - PAD_LEFT - PAD_RIGHT) * (day - first).days / span

    def fmt(px: float, py: float) -> str:
        return f"{px:.1f},{py:.1f}"

    done_points = [fmt(x(first), _y(0, top))]
    level = 0.0
    for p in done:
        done_points += [fmt(x(p.on), _y(level, top)), fmt(x(p.on), _y(p.ects, top))]
        level = p.ects
    done_points.append(fmt(x(min(on, last)), _y(level, top)))
    planned_marks = [(x(p.on), _y(p.ects, top)) for p in planned]
    planned_path = (
        " ".join([fmt(x(first), _y(0, top))] + [fmt(px, py) for px, py in planned_marks])
        if planned
        else ""
    )
    done_on = {p.on: p.ects for p in done}
    planned_on = {p.on: p.ects for p in planned}
    return EctsChart(
        done=done,
        planned=planned,
        rows=[
            EctsRow(on=day, done=done_on.get(day), planned=planned_on.get(day))
            for day in sorted(done_on.keys() | planned_on.keys())
        ],
        done_path=" ".join(done_points),
        planned_path=planned_path,
        planned_marks=planned_marks,
        total=top,
        total_y=_y(top, top),
        today_x=x(min(on, last)),
        y_ticks=_y_ticks(top, top),
        x_ticks=_time_ticks(first, last, x),
        planned_by_today=timeline.planned_by_today,
    )


def _time_ticks(first: date, last: date, x: Callable[[date], float]) -> list[Tick]:
    """1 January of each year in range; with fewer than two, the first of every third month."""
    years = [date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
    if len(years) >= 2:
        return [Tick(at=x(d), label=str(d.year)) for d in years]
    months = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first and day.month % 3 == 1:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return [Tick(at=x(d), label=f"{d:%b %Y}") for d in months]
