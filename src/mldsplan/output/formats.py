"""Study-plan exporters for people and their apps: markdown, csv, ics and the html page.

Every exporter formats the same `Snapshot`: the finished results the command built
from one `Facts` (the plan and the progress summary, and for the page the whole
`Overview`); none computes its own figures or calls a domain calculation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mldsplan.domain.constraints import mark_shown
from mldsplan.domain.dates import week_bounds
from mldsplan.domain.numbers import hours_text
from mldsplan.output.wording import balance_lines, failed_text, resit_mark, timer_text

if TYPE_CHECKING:
    from pathlib import Path

    from mldsplan.domain.overview import Overview
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.progress import Progress
    from mldsplan.domain.workload import HoursResult, PlanModule, PlanResult, ProgressResult

# One table per file (`--table`), each a plain rectangle that a spreadsheet or pandas reads
# with the right types: numbers as plain numbers (no thousands separators), dates as ISO.
CSV_COLUMNS = [
    "code",
    "title",
    "year",
    "term",
    "planned_year",
    "planned_term",
    "term_start",
    "term_end",
    "ects",
    "hours",
    "status",
    "completed_on",
    "mark",
    "counted_mark",  # the mark the average counts: a resit's capped at the pass mark
    "resit",
]
ASSESSMENT_COLUMNS = ["code", "assessment", "weight", "due", "mark", "id"]
LOG_COLUMNS = ["date", "hours", "module", "note"]
ATTEMPT_COLUMNS = ["code", "date", "mark", "attempts_left", "state"]
CSV_TABLES = ("modules", "assessments", "log", "attempts")
# `--excel`: a UTF-8 byte-order mark first, so that a double-click opens the file in Excel
# (Windows) and LibreOffice as UTF-8 ("Café", not "CafÃ©")
BOM = "\ufeff"
ASSUMED = "\\*"  # markdown: the ECTS assumed, not published per module (escaped)
ICS_ONLY = ("deadlines", "blocks")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Formats here that hold the study log (the page lists recent weeks' entries): owner-only
# files, as the whole-record exports (storage.exchange) are.
PRIVATE_FORMATS = {"html"}


def is_private(fmt: str, table: str | None = None) -> bool:
    """Whether this export holds the study log or its notes (then it is written 0600)."""
    return fmt in PRIVATE_FORMATS or (fmt == "csv" and table == "log")


@dataclass(frozen=True)
class Snapshot:
    """What a markdown, csv, ics or html export draws, finished by the command."""

    programme: Programme
    progress: Progress
    plan: PlanResult
    summary: ProgressResult
    now: datetime
    alarm_days: int = 3
    with_notes: bool = False
    table: str = "modules"  # csv: which table
    only: str | None = None  # ics: "deadlines", "blocks", or None for everything
    hours: HoursResult | None = None  # markdown: the hours' figures, as `hours` shows them
    page: Overview | None = None  # html: the page's whole content
    blocks: tuple[tuple[Any, int], ...] = ()  # ics: this week's study blocks, each's SEQUENCE
    template_cache: Path | None = None  # html: a private folder for the compiled template

    def assessments(self) -> list[tuple[str, Any]]:
        return [
            (code, a)
            for code in self.programme.codes
            for a in self.progress.assessments.get(code, ())
        ]

    def terms(self) -> list[tuple[int, int, list[PlanModule]]]:
        keys = sorted({(m.planned_year, m.planned_term) for m in self.plan.modules})
        return [
            (y, t, [m for m in self.plan.modules if (m.planned_year, m.planned_term) == (y, t)])
            for y, t in keys
        ]


def _num(value: float | None) -> str:
    """A number for a person (a mark, ECTS, a weight): as short as it is (68, 62.5)."""
    return "" if value is None else f"{value:g}"


def _data(value: float | None) -> str:
    """A number for a spreadsheet: plain digits, no separators or exponent, at most 6
    decimals (a 50-minute log entry is 0.833333), so sums agree with mldsplan's."""
    return "" if value is None else f"{round(value, 6):.6f}".rstrip("0").rstrip(".")


def _summary_lines(s: Snapshot) -> list[str]:
    r = s.summary
    lines = [
        f"ECTS: {r.ects_done:g} of {r.ects_total:g} ({r.percent:.1f}%)",
        f"Modules: {r.modules_done} of {r.modules_total}",
        f"Hours left: {hours_text(r.hours_remaining)} h, {hours_text(r.weeks_remaining)} weeks at"
        f" {hours_text(r.weekly_hours)} h/week (finish {r.finish_date} at that pace)",
    ]
    h = s.hours
    if h is not None and h.programme_end is not None:
        needed = (
            "the programme's end has passed"
            if h.required_weekly_hours is None
            else f"{hours_text(h.required_weekly_hours)} h/week needed"
        )
        lines.append(f"To finish by the programme's end ({h.programme_end}): {needed}")
    if r.programme_end:
        lines.append(f"Programme ends: {r.programme_end}; plan ends: {r.planned_end}")
    week = r.this_week
    lines.append(f"This week: {hours_text(week.logged_hours)} of {hours_text(week.target_hours)} h")
    lines += balance_lines(r.balance, r.term_balance)
    if r.average is not None:
        lines.append(
            f"Average: {mark_shown(r.average)} ({r.band}) over {r.marked_ects:g} ECTS marked"
        )
    lines += [failed_text(f) for f in r.failed]
    if r.timer is not None and r.timer.running:
        lines.append(timer_text(r.timer))
    return lines


def _status(m: PlanModule) -> str:
    return m.status_text


def to_markdown(s: Snapshot) -> str:
    def cell(text: object) -> str:
        return str(text).replace("\\", "\\\\").replace("|", "\\|")

    out = [f"# {s.programme.name} — study plan", ""]
    out += [f"- {line}" for line in _summary_lines(s)]
    for year, term, modules in s.terms():
        dates = (
            f" ({modules[0].term_start} to {modules[0].term_end})" if modules[0].term_start else ""
        )
        out += ["", f"## Year {year}, term {term}{dates}", ""]
        out.append("| Code | Title | ECTS | Hours | Status | Completed | Mark |")
        out.append("|---|---|---:|---:|---|---|---:|")
        for m in modules:
            out.append(
                f"| {cell(m.code)} | {cell(m.title)} | {m.ects:g}{ASSUMED if m.assumed else ''}"
                f" | {hours_text(m.hours)}"
                f" | {_status(m)} | {m.completed_on or ''} | {resit_mark(m, 'text')} |"
            )
    if any(m.assumed for m in s.plan.modules):
        out += ["", f"{ASSUMED} ECTS assumed (not published per module)."]
    if s.hours is not None and (s.hours.modules or s.hours.hours_without_module > 0):
        out += ["", "## Hours by module", ""]
        if s.hours.modules:
            out.append("| Module | Logged | Budget | Used |")
            out.append("|---|---:|---:|---:|")
            for t in s.hours.modules:
                out.append(
                    f"| {cell(t.code)} | {hours_text(t.logged_hours)}"
                    f" | {hours_text(t.budget_hours)} | {t.percent_used:.0f}% |"
                )
        if s.hours.hours_without_module > 0:
            out += [
                "",
                f"{hours_text(s.hours.hours_without_module)} h logged without a module,"
                " not counted against any module.",
            ]
    if s.assessments():
        out += ["", "## Assessments and deadlines", ""]
        out.append("| Code | Assessment | Weight | Due | Mark |")
        out.append("|---|---|---:|---|---:|")
        for code, a in s.assessments():
            out.append(
                f"| {cell(code)} | {cell(a.name)} | {a.weight:g}% | {a.due or ''}"
                f" | {_num(a.mark)} |"
            )
    return "\n".join(out) + "\n"


def neutralise(cell: str) -> str:
    """A text cell made inert: no line breaks, and a leading quote before a formula start."""
    cell = " ".join(cell.splitlines()) if ("\r" in cell or "\n" in cell) else cell
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def to_csv(s: Snapshot) -> str:
    """One table (`s.table`): modules, assessments, the study log (by date) or the failed
    attempts. No byte-order mark (`export` adds one with `--excel`)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if s.table == "assessments":
        writer.writerow(ASSESSMENT_COLUMNS)
        for code, a in s.assessments():
            writer.writerow(
                [
                    neutralise(code),
                    neutralise(a.name),
                    _data(a.weight),
                    a.due or "",
                    _data(a.mark),
                    neutralise(a.id),
                ]
            )
    elif s.table == "attempts":
        writer.writerow(ATTEMPT_COLUMNS)
        left = {f.code: f for f in s.summary.failed}
        for code in s.programme.codes:
            for t in s.progress.failed_attempts.get(code, ()):
                standing = left.get(code)
                writer.writerow(
                    [
                        neutralise(code),
                        t.on,
                        _data(t.mark),
                        "" if standing is None else standing.attempts_left,
                        "passed" if standing is None else standing.state,
                    ]
                )
    elif s.table == "log":
        writer.writerow(LOG_COLUMNS)
        for e in sorted(s.progress.log, key=lambda e: e.on):  # by date; a day's in file order
            writer.writerow(
                [e.on, _data(e.hours), neutralise(e.module or ""), neutralise(e.note or "")]
            )
    else:
        writer.writerow(CSV_COLUMNS)
        for m in s.plan.modules:
            writer.writerow(
                [
                    neutralise(m.code),
                    neutralise(m.title),
                    m.year,
                    m.term,
                    m.planned_year,
                    m.planned_term,
                    m.term_start or "",
                    m.term_end or "",
                    _data(m.ects),
                    _data(m.hours),
                    m.status,
                    m.completed_on or "",
                    _data(m.mark),
                    _data(m.counted_mark),
                    ("yes" if m.resit else "no") if m.completed_on else "",
                ]
            )
    return buffer.getvalue()


def to_ics(s: Snapshot) -> str:
    """All-day events: each module over its planned term (transparent: it shows no one as
    busy for months), each assessment's due date (with an alarm until it has a mark), and
    the programme's end (transparent too). `only="deadlines"`: the last two alone."""
    from icalendar import Alarm, Calendar, Event

    end = s.summary.programme_end
    assert end is not None, "the command refuses a calendar without a start month"
    stamp = s.now.astimezone(UTC).replace(microsecond=0)
    sequence = s.progress.revision
    deadlines_only = s.only == "deadlines"
    calendar = Calendar()
    calendar.add("prodid", "-//mldsplan//study plan//EN")
    calendar.add("version", "2.0")
    what = {"deadlines": "deadlines", "blocks": "study blocks"}.get(s.only or "", "study plan")
    calendar.add("x-wr-calname", f"{s.programme.name} — {what}")
    if s.only != "deadlines":
        for block, moved in s.blocks:
            calendar.add_component(_block_event(s, block, moved, stamp))
    if s.only == "blocks":
        blocks_only: bytes = calendar.to_ical()
        return blocks_only.decode("utf-8")

    def event(
        uid: str, summary: str, day: date, last: date, description: str, *, busy: bool
    ) -> Event:
        item = Event()
        item.add("uid", f"{s.programme.id}-{uid}@mldsplan")
        item.add("dtstamp", stamp)
        item.add("last-modified", stamp)
        item.add("sequence", sequence)
        item.add("summary", summary)
        item.add("dtstart", day)
        item.add("dtend", last + timedelta(days=1))  # all-day DTEND is exclusive
        item.add("description", description)
        item.add("transp", "OPAQUE" if busy else "TRANSPARENT")
        return item

    for m in [] if deadlines_only else s.plan.modules:
        assert m.term_start is not None and m.term_end is not None
        done = f", completed {m.completed_on}" if m.completed_on else ""
        mark = resit_mark(m, "calendar")
        item = event(
            m.code,
            f"{m.code}: {m.title}",
            m.term_start,
            m.term_end,
            f"{m.ects:g} ECTS, {hours_text(m.hours)} study hours; status: {_status(m)}{done}"
            + (f", {mark}" if mark else ""),
            busy=False,
        )
        item.add("categories", [f"Year {m.planned_year} term {m.planned_term}"])
        calendar.add_component(item)
    for code, a in s.assessments():
        if a.due is None:
            continue
        mark = f"; mark {a.mark:g}" if a.mark is not None else ""
        item = event(
            f"{code}-{a.id}",  # kept when the assessment is renamed
            f"Due: {code} {a.name} ({a.weight:g}%)",
            a.due,
            a.due,
            f"{a.name}, {a.weight:g}% of {code}{mark}",
            busy=True,
        )
        if s.alarm_days > 0 and a.mark is None:  # a marked one needs no reminder
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{code} {a.name} is due in {s.alarm_days} days")
            alarm.add("trigger", timedelta(days=-s.alarm_days))
            item.add_component(alarm)
        calendar.add_component(item)
    calendar.add_component(
        event(
            "programme-end",
            f"{s.programme.name}: programme ends",
            end,
            end,
            "The last day",
            busy=False,
        )
    )
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")


def _block_event(s: Snapshot, block: Any, sequence: int, stamp: datetime) -> Any:
    """A study block as a timed event (in UTC): its UID from the block's id and week, so a
    calendar app updates it in place; SEQUENCE grows each time the block moves."""
    from icalendar import Event

    item = Event()
    week, _ = week_bounds(block.start.date())
    ident = block.id.replace("/", "-")
    item.add("uid", f"{s.programme.id}-block-{week.isoformat()}-{ident}@mldsplan")
    item.add("dtstamp", stamp)
    item.add("last-modified", stamp)
    item.add("sequence", sequence)
    serves = block.assessment or "the term's end"
    item.add("summary", f"Study: {block.code} ({serves})")
    item.add("dtstart", block.start.astimezone(UTC))
    item.add("dtend", block.end.astimezone(UTC))
    item.add(
        "description",
        f"{block.minutes} minutes for {block.code}: {serves}, due {block.due.isoformat()}",
    )
    item.add("transp", "OPAQUE")
    return item


def to_html(s: Snapshot) -> str:
    """The student's dashboard page (see `output.dashboard`); log notes only `with_notes`."""
    from mldsplan.output import dashboard

    assert s.page is not None, "the command builds the page's content"
    return dashboard.to_html(s.page, with_notes=s.with_notes, template_cache=s.template_cache)


EXPORTERS: dict[str, Callable[[Snapshot], str]] = {
    "markdown": to_markdown,
    "csv": to_csv,
    "ics": to_ics,
    "html": to_html,
}


def export(fmt: str, snapshot: Snapshot, excel: bool = False) -> bytes:
    """`fmt`'s export of `snapshot` (`EXPORTERS`), as UTF-8; `excel`: with a byte-order
    mark first, so that a spreadsheet opened by a double-click reads it as UTF-8."""
    return ((BOM if excel else "") + EXPORTERS[fmt](snapshot)).encode("utf-8")
