"""Study-plan exporters, one function per format, and reading an export back.

Every exporter formats the same `Snapshot` (the plan and the progress summary
the domain computed); none computes its own figures.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mldsplan.document import to_document
from mldsplan.errors import InputError
from mldsplan.planner import PlanModule, PlanResult, ProgressResult, plan, progress_summary
from mldsplan.programme import Programme
from mldsplan.progress import SCHEMA_VERSION, Progress
from mldsplan.store import EXPORT_KIND

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
    "resit",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


ASSESSMENT_COLUMNS = ["code", "assessment", "weight", "due", "mark"]
# Formats that hold the study log and its notes: written readable by the owner only.
PRIVATE_FORMATS = {"json", "toml"}


@dataclass(frozen=True)
class Snapshot:
    programme: Programme
    progress: Progress
    plan: PlanResult
    summary: ProgressResult
    now: datetime
    alarm_days: int = 3
    with_notes: bool = False

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
    return "" if value is None else f"{value:g}"


def _summary_lines(s: Snapshot) -> list[str]:
    r = s.summary
    lines = [
        f"ECTS: {r.ects_done:g} of {r.ects_total:g} ({r.percent:.1f}%)",
        f"Modules: {r.modules_done} of {r.modules_total}",
        f"Hours left: {r.hours_remaining:g} h, {r.weeks_remaining:.1f} weeks at"
        f" {r.weekly_hours:g} h/week (finish {r.finish_date} at that pace)",
    ]
    if r.programme_end:
        lines.append(f"Programme ends: {r.programme_end}; plan ends: {r.planned_end}")
    return lines


def _mark(m: PlanModule) -> str:
    if m.mark is None:
        return ""
    return f"{m.mark:g}" + (f" (resit, counts {m.counted_mark:g})" if m.resit else "")


def _status(m: PlanModule) -> str:
    return m.status + (f" (moved from year {m.year})" if m.deferred_years else "")


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
                f"| {cell(m.code)} | {cell(m.title)} | {m.ects:g} | {m.hours:g} | {_status(m)}"
                f" | {m.completed_on or ''} | {_mark(m)} |"
            )
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
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
                _num(m.ects),
                _num(m.hours),
                m.status,
                m.completed_on or "",
                _num(m.mark),
                "yes" if m.resit else "",
            ]
        )
    if s.assessments():
        # A second, separate table after one empty row: assessments and deadlines.
        writer.writerow([])
        writer.writerow(ASSESSMENT_COLUMNS)
        for code, a in s.assessments():
            writer.writerow(
                [neutralise(code), neutralise(a.name), _num(a.weight), a.due or "", _num(a.mark)]
            )
    return buffer.getvalue()


def state_document(s: Snapshot) -> dict[str, Any]:
    """The whole state an import needs, with the programme's identity."""
    return {
        "kind": EXPORT_KIND,
        "schema_version": SCHEMA_VERSION,
        "programme": {"id": s.programme.id, "name": s.programme.name},
        **{k: v for k, v in to_document(s.progress).items() if k != "schema_version"},
    }


def to_json(s: Snapshot) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(state_document(s), default=default, indent=2, ensure_ascii=False) + "\n"


def to_toml(s: Snapshot) -> str:
    import tomli_w

    return tomli_w.dumps(state_document(s))


def to_ics(s: Snapshot) -> str:
    from icalendar import Alarm, Calendar, Event

    if s.progress.start is None or s.summary.programme_end is None:
        raise InputError("a calendar needs your start month", argument="format", reason="no_start")
    stamp = s.now.astimezone(UTC).replace(microsecond=0)
    sequence = s.progress.revision
    calendar = Calendar()
    calendar.add("prodid", "-//mldsplan//study plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{s.programme.name} — study plan")

    def event(uid: str, summary: str, day: date, last: date, description: str) -> Event:
        item = Event()
        item.add("uid", f"{s.programme.id}-{uid}@mldsplan")
        item.add("dtstamp", stamp)
        item.add("last-modified", stamp)
        item.add("sequence", sequence)
        item.add("summary", summary)
        item.add("dtstart", day)
        item.add("dtend", last + timedelta(days=1))  # all-day DTEND is exclusive
        item.add("description", description)
        return item

    for m in s.plan.modules:
        assert m.term_start is not None and m.term_end is not None
        done = f", completed {m.completed_on}" if m.completed_on else ""
        mark = f", mark {m.mark:g}" if m.mark is not None else ""
        item = event(
            m.code,
            f"{m.code}: {m.title}",
            m.term_start,
            m.term_end,
            f"{m.ects:g} ECTS, {m.hours:g} study hours; status: {_status(m)}{done}{mark}",
        )
        item.add("categories", [f"Year {m.planned_year} term {m.planned_term}"])
        calendar.add_component(item)
    for code, a in s.assessments():
        if a.due is None:
            continue
        mark = f"; mark {a.mark:g}" if a.mark is not None else ""
        item = event(
            f"{code}-{_uid_part(a.name)}",
            f"Due: {code} {a.name} ({a.weight:g}%)",
            a.due,
            a.due,
            f"{a.name}, {a.weight:g}% of {code}{mark}",
        )
        if s.alarm_days > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{code} {a.name} is due in {s.alarm_days} days")
            alarm.add("trigger", timedelta(days=-s.alarm_days))
            item.add_component(alarm)
        calendar.add_component(item)
    end = s.summary.programme_end
    calendar.add_component(
        event("programme-end", f"{s.programme.name}: programme ends", end, end, "The last day")
    )
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")


def _uid_part(name: str) -> str:
    """An assessment name as a stable UID part (case-insensitive, like names)."""
    import hashlib

    return hashlib.blake2b(name.casefold().encode(), digest_size=6).hexdigest()


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}caption{text-align:left}caption h2{margin:1.5rem 0 .3rem}
.bar{border:1px solid #555;height:1.1rem;width:100%;max-width:30rem;background:#fff}
.bar span{display:block;height:100%;background:#2a6f97}
.done{font-weight:600}footer{margin-top:2rem;font-size:.85rem;color:#555}
@media print{body{margin:0;max-width:none}.bar span{background:#000;print-color-adjust:exact}}
"""


def to_html(s: Snapshot) -> str:
    e = html.escape
    r = s.summary
    title = f"{s.programme.name} — study plan"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(title)}</h1>",
        f"<p>{e(s.programme.institution)}</p>",
        '<section aria-label="Summary">',
        f'<div class="bar" role="img" aria-label="{r.percent:.1f}% of ECTS done">'
        f'<span style="width:{min(100.0, r.percent):.1f}%"></span></div>',
        "<ul>",
        *[f"<li>{e(line)}</li>" for line in _summary_lines(s)],
        "</ul>",
        "</section>",
    ]
    for year, term, modules in s.terms():
        dates = (
            f" ({modules[0].term_start} to {modules[0].term_end})" if modules[0].term_start else ""
        )
        out += [
            "<section>",
            "<table>",
            f"<caption><h2>Year {year}, term {term}{e(dates)}</h2></caption>",
            '<thead><tr><th scope="col">Code</th><th scope="col">Title</th>'
            '<th scope="col" class="n">ECTS</th><th scope="col" class="n">Hours</th>'
            '<th scope="col">Status</th><th scope="col">Completed</th>'
            '<th scope="col" class="n">Mark</th></tr></thead>',
            "<tbody>",
        ]
        for m in modules:
            css = ' class="done"' if m.status == "done" else ""
            out.append(
                f'<tr><td>{e(m.code)}</td><td>{e(m.title)}</td><td class="n">{m.ects:g}</td>'
                f'<td class="n">{m.hours:g}</td><td{css}>{e(_status(m))}</td>'
                f'<td>{m.completed_on or ""}</td><td class="n">{_mark(m)}</td></tr>'
            )
        out += ["</tbody>", "</table>", "</section>"]
    if s.progress.log:
        out += [
            "<section>",
            "<table>",
            "<caption><h2>Study log</h2></caption>",
            '<thead><tr><th scope="col">Date</th><th scope="col" class="n">Hours</th>'
            '<th scope="col">Module</th><th scope="col">Note</th></tr></thead>',
            "<tbody>",
            *[
                f'<tr><td>{x.on}</td><td class="n">{x.hours:g}</td><td>{e(x.module or "")}</td>'
                f"<td>{e(x.note or '')}</td></tr>"
                for x in s.progress.log
            ],
            "</tbody>",
            "</table>",
            "</section>",
        ]
    out += [
        "</main>",
        f"<footer>Made with mldsplan on {r.on}.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


EXPORTERS: dict[str, Callable[[Snapshot], str]] = {
    "markdown": to_markdown,
    "csv": to_csv,
    "json": to_json,
    "toml": to_toml,
    "ics": to_ics,
    "html": to_html,
}


def export(
    fmt: str,
    programme: Programme,
    progress: Progress,
    now: datetime,
    alarm_days: int = 3,
    with_notes: bool = False,
) -> bytes:
    today = now.date()
    snapshot = Snapshot(
        programme,
        progress,
        plan(programme, progress, today),
        progress_summary(programme, progress, today),
        now,
        alarm_days,
        with_notes,
    )
    return EXPORTERS[fmt](snapshot).encode("utf-8")
