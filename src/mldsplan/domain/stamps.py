"""Change stamps: what changed on one computer since two copies parted (schema 4).

Every keyed value of the record has a key (`keyed`): a setting ("start"), a
completion ("completions.eda"), a deferral, a term's own dates, a module's failed
attempts, the timer, each assessment ("assessments.eda.<id>") and each of its
fields ("assessments.eda.<id>.mark"), each study-log entry ("log.<id>").

A key's stamp is a version vector over computer ids: `{computer: counter}`, written
"3f9a2b1c:4 9e8d7c6b:2". A write on computer N gives every key it changed (a value
set, changed or removed) the stamp it had plus N's next counter (`restamp`). So a
copy whose stamp for a key is at least the other's in every computer has seen the
other's value and changed it since, or not at all; two stamps neither of which is
at least the other mean both copies changed it: a conflict (`domain.keymerge`).

A removed key keeps its stamp: a tombstone, so that a two-way merge carries the
removal. A log entry is created without a stamp (its random id is its identity);
it gets one only when edited or removed, so a long log costs no stamps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from mldsplan.domain.progress import Assessment, LogEntry, Opening, Progress

Vector = dict[str, int]
SETTINGS = ("start", "weekly_hours", "windows", "blocks", "remind_days", "remind_timer_hours")
KEYED = ("completions", "deferrals", "term_dates", "failed_attempts")
ASSESSMENT_FIELDS = ("name", "weight", "due", "mark")


class _Absent:
    """A key a copy does not hold (never had it, or removed it: its stamp says which)."""

    def __repr__(self) -> str:
        return "absent"


ABSENT: Any = _Absent()


def vector(text: str | None) -> Vector:
    if not text:
        return {}
    pairs = (pair.split(":") for pair in text.split(" "))
    return {node: int(counter) for node, counter in pairs}


def vector_text(v: Vector) -> str:
    return " ".join(f"{node}:{v[node]}" for node in sorted(v))


def covers(a: Vector, b: Vector) -> bool:
    """Whether `a` has seen everything `b` has: a[n] >= b[n] for every computer n."""
    return all(a.get(node, 0) >= counter for node, counter in b.items())


def joined(*vectors: Vector) -> Vector:
    out: Vector = {}
    for v in vectors:
        for node, counter in v.items():
            if counter > out.get(node, 0):
                out[node] = counter
    return out


def entry_key(entry: LogEntry | Opening) -> str:
    return f"log.{entry.id}"


def assessment_key(code: str, a: Assessment) -> str:
    return f"assessments.{code}.{a.id}"


def keyed(progress: Progress) -> dict[str, Any]:
    """Every keyed value of the record, by key (a log entry without its id)."""
    values: dict[str, Any] = {}
    for name in SETTINGS:
        value = getattr(progress, name)
        if value is not None and value != ():
            values[name] = value
    if progress.timer is not None:
        values["timer"] = progress.timer
    for name in KEYED:
        for key, value in getattr(progress, name).items():
            values[f"{name}.{key}"] = value
    for code, items in progress.assessments.items():
        for a in items:
            base = assessment_key(code, a)
            values[base] = True
            for f in ASSESSMENT_FIELDS:
                value = getattr(a, f)
                if value is not None:
                    values[f"{base}.{f}"] = value
    for entry in progress.log:
        values[entry_key(entry)] = entry
    for opening in progress.opening:
        values[entry_key(opening)] = opening
    return values


def counter_of(progress: Progress, node: str) -> int:
    """The highest counter computer `node` has given in this record."""
    mark = f"{node}:"
    best = 0
    for text in progress.stamps.values():
        if mark in text:
            best = max(best, vector(text).get(node, 0))
    return best


def with_ids(progress: Progress, fresh: Callable[[], str]) -> Progress:
    """Each log entry without an id (just made by a command) given a fresh one."""
    if all(e.id for e in progress.log) and all(o.id for o in progress.opening):
        return progress
    taken = {e.id for e in progress.log} | {o.id for o in progress.opening}

    def new() -> str:
        while (made := fresh()) in taken:
            pass
        taken.add(made)
        return made

    log = tuple(e if e.id else e._replace(id=new()) for e in progress.log)
    opening = tuple(o if o.id else o._replace(id=new()) for o in progress.opening)
    return replace(progress, log=log, opening=opening)


def restamp(before: Progress, after: Progress, node: str, fresh: Callable[[], str]) -> Progress:
    """`after` (a command's change of `before`, or a version `undo` puts back) with
    new log entries given ids, and every key whose value differs from `before`'s
    stamped by `node`'s next counter; the rest keep `before`'s stamps."""
    after = with_ids(after, fresh)
    old, new = keyed(before), keyed(after)
    stamps = dict(before.stamps)
    counter = counter_of(before, node) + 1
    changed = [key for key in (*old, *(k for k in new if k not in old)) if _differs(old, new, key)]
    for key in changed:
        if key.startswith("log.") and key not in old:
            continue  # a new entry: its id is its identity, no stamp needed
        stamp = vector(stamps.get(key))
        if key.startswith("assessments.") and key.count(".") == 2 and key not in new:
            # An assessment removed: its tombstone has seen each of its fields.
            fields = [f"{key}.{f}" for f in ASSESSMENT_FIELDS]
            stamp = joined(stamp, *(vector(stamps.pop(f, None)) for f in fields))
        elif key.count(".") == 3 and key.startswith("assessments.") and _owner(key) not in new:
            continue  # a field of a removed assessment: the assessment's tombstone says it
        stamps[key] = vector_text(joined(stamp, {node: counter}))
    return replace(after, stamps=dict(sorted(stamps.items())))


def _owner(field_key: str) -> str:
    return field_key.rsplit(".", 1)[0]


def _differs(old: dict[str, Any], new: dict[str, Any], key: str) -> bool:
    return bool(old.get(key, ABSENT) != new.get(key, ABSENT))


def stamp_of(progress: Progress, key: str) -> Vector:
    return vector(progress.stamps.get(key))
