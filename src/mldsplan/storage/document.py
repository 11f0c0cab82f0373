"""The progress file's content as a document (a mapping), to and from records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from mldsplan.domain.errors import FileFormatError
from mldsplan.domain.progress import SCHEMA_VERSION, Progress, assessment_id
from mldsplan.storage import validation
from mldsplan.storage.studylog import parse_log

# --- schema versions ----------------------------------------------------------


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 adds the student's term dates, assessments, a timer and a revision."""
    return {**data, "revision": 0}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 3 adds an id to each assessment and the failed attempts (none yet).

    Each assessment's id is the one its calendar UID was made from (a hash of its
    name), so a calendar that imported an earlier export sees no change.
    """
    assessments = data.get("assessments")
    if not isinstance(assessments, dict):
        return dict(data)  # validation says what is wrong with it
    given: dict[str, Any] = {}
    for code, items in assessments.items():
        if not isinstance(items, list):
            given[code] = items
            continue
        taken: set[str] = set()
        with_ids = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("name"), str) and "id" not in item:
                item = {**item, "id": assessment_id(item["name"], taken)}
                taken.add(item["id"])
            with_ids.append(item)
        given[code] = with_ids
    return {**data, "assessments": given}


# One function per schema step: MIGRATIONS[n] turns a version n-1 document into version n.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {2: _v1_to_v2, 3: _v2_to_v3}


def migrate(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Bring a parsed document up to SCHEMA_VERSION, or refuse it."""
    version = data.get("schema_version")
    if version is None:
        raise FileFormatError(f"{path}: schema_version: required field is missing")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileFormatError(f"{path}: schema_version: {version!r} is not a schema version")
    if version > SCHEMA_VERSION:
        raise FileFormatError(
            f"{path}: schema_version: {version} was written by a newer mldsplan"
            f" (this one reads up to {SCHEMA_VERSION})",
            hint="install the newer mldsplan as you installed this one"
            " (in its folder: git pull, then pip install . or pipx install --force .)",
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version + 1](data)
        version += 1
        data["schema_version"] = version
    return data


def _settings(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "log"}


def _with_log(path: Path, progress: Progress, data: dict[str, Any]) -> Progress:
    try:
        return replace(progress, log=parse_log(data.get("log", ())))
    except ValueError as exc:
        raise FileFormatError(f"{path}: log: {exc}") from None


def from_document(path: Path, data: dict[str, Any], *, from_json: bool = False) -> Progress:
    """Validate a parsed progress document (already at the current schema).

    Pydantic checks everything but the study log, which has its own strict parser.
    """
    progress, problems = validation.validate(path, Progress, _settings(data), from_json=from_json)
    if progress is None:
        raise FileFormatError(problems[0], problems=problems)
    return _with_log(path, progress, data)


def from_validated(path: Path, data: dict[str, Any]) -> Progress:
    """A current-schema document whose exact bytes a cache marker says passed before.

    Rebuilt without pydantic; but a marker can be forged, so when `build` finds
    a value the rules might refuse, the document is validated in full exactly as
    a read without a marker would (same errors, naming the file and field).
    """
    try:
        progress: Progress = validation.build(Progress, _settings(data))
    except validation.Unchecked:
        return from_document(path, migrate(path, data))
    return _with_log(path, progress, data)


def to_document(progress: Progress) -> dict[str, Any]:
    """The record as a plain mapping (dates stay dates, no nulls), the log as a list."""
    document: dict[str, Any] = {
        "schema_version": progress.schema_version,
        "revision": progress.revision,
    }
    if progress.start is not None:
        document["start"] = progress.start
    if progress.weekly_hours is not None:
        document["weekly_hours"] = progress.weekly_hours
    document["completions"] = {
        code: {"on": c.on, "resit": c.resit} | ({} if c.mark is None else {"mark": c.mark})
        for code, c in progress.completions.items()
    }
    document["deferrals"] = dict(progress.deferrals)
    document["term_dates"] = {
        key: {"start": d.start, "end": d.end} for key, d in sorted(progress.term_dates.items())
    }
    document["assessments"] = {
        code: [
            {
                k: v
                for k, v in (
                    ("id", a.id),
                    ("name", a.name),
                    ("weight", a.weight),
                    ("due", a.due),
                    ("mark", a.mark),
                )
                if v is not None
            }
            for a in items
        ]
        for code, items in progress.assessments.items()
        if items
    }
    document["failed_attempts"] = {
        code: [{"on": a.on, "mark": a.mark} for a in tries]
        for code, tries in progress.failed_attempts.items()
        if tries
    }
    if progress.timer is not None:
        t = progress.timer
        document["timer"] = {
            k: v
            for k, v in (("started_at", t.started_at), ("module", t.module), ("note", t.note))
            if v is not None
        }
    document["log"] = [
        {
            k: v
            for k, v in (("on", e.on), ("hours", e.hours), ("module", e.module), ("note", e.note))
            if v is not None
        }
        for e in progress.log
    ]
    return document
