"""The progress file's content as a document (a mapping), to and from records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from mldsplan.domain.errors import FileFormatError
from mldsplan.domain.progress import SCHEMA_VERSION, Progress, assessment_id
from mldsplan.storage import validation
from mldsplan.storage.logformat import OPENING, entry_id, read_log

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


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 4 gives each study-log entry an id (and adds stamps, tombstones, study
    windows and reminders, none yet).

    The id is made from the line's content and its occurrence (`logformat.entry_id`),
    so two copies of one schema-3 file migrated apart on two computers give the
    same ids and merge without a duplicate. Written on each line, so that a note
    that happens to start like an id is never read as one.
    """
    log = data.get("log")
    if not isinstance(log, str):
        return dict(data)  # a list of tables (an export) takes its ids as it is read
    lines = []
    occurrences: dict[tuple[str, str, str, str | None], int] = {}
    for line in log.split("\n"):
        fields = line.split(" ", 3)
        if len(fields) < 3:
            lines.append(line)  # blank, or wrong: the log's reader says what is wrong
            continue
        day, hours, module = fields[0], fields[1], fields[2]
        note = fields[3].strip() or None if len(fields) > 3 else None
        key = (day, hours, module, note)
        occurrences[key] = n = occurrences.get(key, 0) + 1
        given = entry_id(day, hours, module, note, n)
        lines.append(f"{day} {hours} {module} {given}" + (f" {fields[3]}" if note else ""))
    return {**data, "log": "\n".join(lines)}


# One function per schema step: MIGRATIONS[n] turns a version n-1 document into version n.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {2: _v1_to_v2, 3: _v2_to_v3, 4: _v3_to_v4}


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


def _settings(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    if "opening" in data:  # the record's field, but the file holds it in the log
        raise FileFormatError(
            f"{path}: opening: unknown field; opening entries are lines of the log"
            f" ('{OPENING} HOURS MODULE')"
        )
    return {k: v for k, v in data.items() if k != "log"}


def _with_log(path: Path, progress: Progress, data: dict[str, Any]) -> Progress:
    try:
        log, opening = read_log(data.get("log", ()))
    except ValueError as exc:
        raise FileFormatError(f"{path}: log: {exc}") from None
    return replace(progress, log=log, opening=opening)


def from_document(path: Path, data: dict[str, Any], *, from_json: bool = False) -> Progress:
    """Validate a parsed progress document (already at the current schema).

    Pydantic checks everything but the study log, which has its own strict parser.
    """
    progress, problems = validation.validate(
        path, Progress, _settings(path, data), from_json=from_json
    )
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
        progress: Progress = validation.build(Progress, _settings(path, data))
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
    if progress.windows:
        document["windows"] = list(progress.windows)
    for name in ("blocks", "remind_days", "remind_timer_hours"):
        value = getattr(progress, name)
        if value is not None:
            document[name] = list(value) if isinstance(value, tuple) else value
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
    document["reminders_sent"] = dict(sorted(progress.reminders_sent.items()))
    document["stamps"] = dict(sorted(progress.stamps.items()))
    document["log"] = [
        {
            k: v
            for k, v in (
                ("on", e.on),
                ("hours", e.hours),
                ("module", e.module),
                ("note", e.note),
                ("id", e.id),
            )
            if v is not None
        }
        for e in progress.log
    ] + [
        {
            k: v
            for k, v in (
                ("on", OPENING),
                ("hours", o.hours),
                ("module", o.module),
                ("note", o.note),
                ("id", o.id),
            )
            if v is not None
        }
        for o in progress.opening
    ]
    return document
