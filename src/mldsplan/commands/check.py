"""`check`: every problem in the programme and progress files, found at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mldsplan.commands.session import Session
from mldsplan.domain.errors import MldsplanError
from mldsplan.domain.numbers import count_text
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Progress
from mldsplan.domain.rules import future_values, record_problems
from mldsplan.domain.workload import plan_warnings
from mldsplan.storage import store, tomlfile
from mldsplan.storage.programme_file import programme_problems


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: int = 0

    def problem(self, text: str) -> None:
        self.lines.append(f"problem: {text}")
        self.problems += 1


def _check_programme(path: Path, report: Report) -> Programme | None:
    try:
        programme, problems = programme_problems(path, tomlfile.read(path))
    except MldsplanError as exc:
        problems, programme = exc.problems, None
    for text in problems:
        report.problem(text)
    if programme is not None:
        report.lines.append(
            f"ok: {path}: {programme.name}, {len(programme.modules)} entries,"
            f" {programme.counted_modules} modules, {programme.total_ects:g} ECTS"
        )
    return programme


def check(session: Session) -> Report:
    """Every problem found, then each conflict copy a sync tool left beside the file."""
    copies = session.copy_warnings(every=True)
    report = _check(session)
    report.lines += [f"warning: {text}" for text in copies]
    return report


def _check(session: Session) -> Report:
    """The files read as they are: the programme validated in full (every problem, not
    the first), the record without the cache (check validates every byte)."""
    report = Report()
    progress_path, now = session.progress_file, session.now
    try:
        path = session.programme_path()
    except MldsplanError as exc:
        report.problem(exc.message)
        programme = None
    else:
        programme = _check_programme(path, report)
    try:
        record = store.load(progress_path)
    except MldsplanError as exc:
        for text in exc.problems:
            report.problem(text)
        return report
    if not progress_path.exists():
        report.lines.append(f"ok: {progress_path}: no progress file yet (a new student)")
        return report
    if programme is None:
        report.lines.append(f"skipped: {progress_path}: cannot check it against a broken programme")
        return report
    today = now.date()
    problems = record_problems(record, programme, today, now=now)
    for problem in problems:
        report.problem(f"{progress_path}: {problem}")
    if not problems:
        report.lines.append(f"ok: {progress_path}: {_records(record)}")
        report.lines += [f"warning: {w}" for w in plan_warnings(programme, record, today)]
    report.lines += [f"note: {text}" for text in future_values(record, today, now)]
    return report


def _records(record: Progress) -> str:
    return ", ".join(
        (
            count_text(len(record.completions), "completion", "completions"),
            count_text(len(record.deferrals), "deferral", "deferrals"),
            count_text(len(record.log), "log entry", "log entries"),
        )
    )
