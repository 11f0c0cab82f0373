"""Study-plan exporters, one function per format, and reading an export back.

Every exporter formats the same `Snapshot` (the plan and the progress summary
the domain computed); none computes its own figures.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from mldsplan import store, tomlfile
from mldsplan.errors import FileFormatError, InputError
from mldsplan.planner import PlanModule, PlanResult, ProgressResult, plan, progress_summary
from mldsplan.programme import Programme
from mldsplan.progress import SCHEMA_VERSION, Progress, from_document, to_document

EXPORT_KIND = "mldsplan-export"
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


@dataclass(frozen=True)
class Snapshot:
    programme: Programme
    progress: Progress
    plan: PlanResult
    summary: ProgressResult

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
    return "\n".join(out) + "\n"


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet would run as a formula, made inert with a leading quote."""
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
    from icalendar import Calendar, Event

    start = s.progress.start_date()
    if start is None or s.summary.programme_end is None:
        raise InputError(
            "--format ics: a calendar needs your start month",
            hint="set it with: mldsplan init --start YYYY-MM",
        )
    stamp = datetime(start.year, start.month, 1, tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//mldsplan//study plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{s.programme.name} — study plan")
    for m in s.plan.modules:
        assert m.term_start is not None and m.term_end is not None
        event = Event()
        event.add("uid", f"{s.programme.id}-{m.code}@mldsplan")
        event.add("dtstamp", stamp)
        event.add("summary", f"{m.code}: {m.title}")
        event.add("dtstart", m.term_start)
        event.add("dtend", m.term_end + timedelta(days=1))  # all-day DTEND is exclusive
        done = f", completed {m.completed_on}" if m.completed_on else ""
        mark = f", mark {m.mark:g}" if m.mark is not None else ""
        event.add(
            "description",
            f"{m.ects:g} ECTS, {m.hours:g} study hours; status: {_status(m)}{done}{mark}",
        )
        event.add("categories", [f"Year {m.planned_year} term {m.planned_term}"])
        calendar.add_component(event)
    end = Event()
    end.add("uid", f"{s.programme.id}-programme-end@mldsplan")
    end.add("dtstamp", stamp)
    end.add("summary", f"{s.programme.name}: programme ends")
    end.add("dtstart", s.summary.programme_end)
    end.add("dtend", s.summary.programme_end + timedelta(days=1))
    calendar.add_component(end)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")


def to_html(s: Snapshot, with_notes: bool = False) -> str:
    """The student's dashboard page (see `mldsplan.dashboard`); log notes only `with_notes`."""
    from mldsplan import dashboard

    return dashboard.to_html(s.programme, s.progress, s.summary.on, with_notes=with_notes)


EXPORTERS: dict[str, Callable[[Snapshot], str]] = {
    "markdown": to_markdown,
    "csv": to_csv,
    "json": to_json,
    "toml": to_toml,
    "ics": to_ics,
    "html": to_html,
}


def export(
    fmt: str, programme: Programme, progress: Progress, today: date, *, with_notes: bool = False
) -> bytes:
    """`with_notes`: the html page lists the study log's notes (other formats ignore it)."""
    snapshot = Snapshot(
        programme, progress, plan(programme, progress), progress_summary(programme, progress, today)
    )
    if fmt == "html":
        return to_html(snapshot, with_notes).encode("utf-8")
    return EXPORTERS[fmt](snapshot).encode("utf-8")


def read_export(path: Path, programme: Programme, today: date) -> Progress:
    """A json or toml export, fully validated against `programme`; nothing is written here."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"PATH: cannot read {path}: {exc.strerror or exc}") from None
    if raw.lstrip().startswith(b"{"):
        try:
            data = json.loads(tomlfile.decode(path, raw))
        except json.JSONDecodeError as exc:
            raise FileFormatError(
                f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    else:
        data = tomlfile.parse(path, raw)
    if not isinstance(data, dict) or data.get("kind") != EXPORT_KIND:
        raise FileFormatError(
            f"{path}: kind: not an mldsplan export",
            hint="export one with: mldsplan export --format json",
        )
    identity = data.get("programme")
    given = identity.get("id") if isinstance(identity, dict) else identity
    if given != programme.id:
        raise FileFormatError(
            f"{path}: programme: the export is for '{given}', not '{programme.id}'",
            hint="pass the matching programme with --programme PATH",
        )
    document = {k: v for k, v in data.items() if k not in {"kind", "programme"}}
    record = from_document(path, store.migrate(path, document))
    return store.check_against(path, record, programme, today)
