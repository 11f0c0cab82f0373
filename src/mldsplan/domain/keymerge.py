"""Merging two copies of the record (`merge`), or two against their base (git's driver).

Key by key (`domain.stamps.keyed`): a value both copies hold alike is kept; where
they differ, the change stamps say which copy changed it since they parted (its
stamp covers the other's): that copy's value, a removal included (a tombstone is a
stamp on an absent key). Stamps neither of which covers the other mean both
changed it: a `Conflict`, unless the values agree. Where the stamps are equal
(values from before schema 4, never changed since), git's base decides as a
classic three-way merge would; without a base a value only one copy holds is
kept and two different ones conflict. So a two-way merge of stamped copies is the
three-way merge with their true common ancestor. Log entries are keys too, by id:
two sessions logged apart are both kept, a removal stays removed.

Conflicts are data: with `prefer` each takes that side's value (and a stamp above
both, so the next merge of either copy does not raise it again); without it the
caller writes nothing, or (git's driver) keeps ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from mldsplan.domain import stamps as st
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import (
    Assessment,
    Attempt,
    Completion,
    LogEntry,
    Opening,
    Progress,
    TermDates,
    Timer,
)
from mldsplan.domain.stamps import ABSENT

Prefer = Literal["mine", "theirs"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One key the two copies changed to different values: where, and both values in words."""

    field: str  # where in the file: "completions.eda", "start", "assessments.eda.<id>.mark"
    what: str  # as the student says it: "eda's completion"
    mine: str
    theirs: str

    def __str__(self) -> str:
        return f"{self.what} ({self.field}): mine {self.mine}; theirs {self.theirs}"


@dataclass(frozen=True, slots=True)
class Merged:
    """The merged record (each conflict settled by `prefer`, or for now by mine), its
    conflicts, and what the student should know (a timer that may have been stopped)."""

    record: Progress
    conflicts: tuple[Conflict, ...]
    notes: tuple[str, ...] = ()


# --- values in words --------------------------------------------------------


def _number(value: float) -> str:
    return hours_text(value)  # the one number format: two decimals at most, half up


def _completion(c: Completion) -> str:
    mark = "" if c.mark is None else f", mark {_number(c.mark)}"
    return f"completed {c.on}{mark}{', a resit' if c.resit else ''}"


def _assessment(a: Assessment) -> str:
    due = f", due {a.due}" if a.due else ""
    mark = "" if a.mark is None else f", mark {_number(a.mark)}"
    return f"'{a.name}' {_number(a.weight)}%{due}{mark}"


def _attempts(tries: tuple[Attempt, ...]) -> str:
    return "; ".join(f"mark {_number(a.mark)} on {a.on}" for a in tries) or "none"


def _timer(t: Timer | None) -> str:
    if t is None:
        return "no timer running"
    module = f" for {t.module}" if t.module else " without a module"
    note = f" ('{t.note}')" if t.note else ""
    return f"running since {t.started_at:%Y-%m-%d %H:%M}{module}{note}"


def _years(n: int) -> str:
    return f"deferred {n} year{'s' * (n != 1)}"


def _dates(d: TermDates) -> str:
    return f"{d.start} to {d.end}"


def _hours(h: float | None) -> str:
    return "not set (the programme's)" if h is None else f"{_number(h)} h"


def _month(m: str | None) -> str:
    return "not set" if m is None else m


def _entry(e: LogEntry | Opening) -> str:
    note = f" ('{e.note}')" if e.note else ""
    module = f" for {e.module}" if e.module else " without a module"
    day = "before tracking" if isinstance(e, Opening) else f"on {e.on}"
    return f"{hours_text(e.hours)} h {day}{module}{note}"


def _window_list(windows: tuple[str, ...]) -> str:
    return ", ".join(windows) or "none"


def _days(days: tuple[int, ...]) -> str:
    return ", ".join(str(d) for d in days) + " days before"


_SETTING_WORDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "start": ("the cohort start", _month),
    "weekly_hours": ("your weekly hours", _hours),
    "windows": ("your study windows", _window_list),
    "blocks": ("the block length", lambda b: f"{b} minutes"),
    "remind_days": ("the reminder days", _days),
    "remind_timer_hours": ("the timer reminder", lambda h: f"after {_number(h)} h"),
    "timer": ("the running timer", _timer),
}
_KEYED_WORDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "completions": ("{}'s completion", _completion),
    "deferrals": ("{}'s deferral", _years),
    "term_dates": ("term {}'s own dates", _dates),
    "failed_attempts": ("{}'s failed attempts", _attempts),
}
_FIELD_WORDS: dict[str, Callable[[Any], str]] = {
    "name": lambda n: f"'{n}'",
    "weight": lambda w: f"{_number(w)}%",
    "due": lambda d: f"due {d}",
    "mark": lambda m: f"mark {_number(m)}",
}


def _longer(mine: tuple[Attempt, ...], theirs: tuple[Attempt, ...]) -> tuple[Attempt, ...] | None:
    """One list of failed attempts that goes on from the other: the attempts since."""
    short, long = sorted((mine, theirs), key=len)
    return long if long[: len(short)] == short else None


class _Merging:
    """One merge: both copies' keyed values and stamps, and what it found."""

    def __init__(
        self, mine: Progress, theirs: Progress, base: Progress | None, prefer: Prefer | None
    ) -> None:
        self.mine, self.theirs, self.base = mine, theirs, base
        self.values = (st.keyed(mine), st.keyed(theirs))
        self.base_values = None if base is None else st.keyed(base)
        self.prefer = prefer
        self.conflicts: list[Conflict] = []
        self.stamps: dict[str, str] = {}
        self.bump: set[str] = set()  # keys settled by `prefer`: stamped above both

    def stamps_of(self, key: str) -> tuple[st.Vector, st.Vector]:
        return st.stamp_of(self.mine, key), st.stamp_of(self.theirs, key)

    def decide(self, key: str) -> tuple[Any, Any, str]:
        """(mine's value, theirs' value, "mine" | "theirs" | "both" | "conflict")."""
        mine, theirs = (v.get(key, ABSENT) for v in self.values)
        if mine == theirs:
            return mine, theirs, "mine"
        sm, sn = self.stamps_of(key)
        if sm == sn:  # no stamp tells: values from before stamps, or one computer twice
            if self.base_values is not None:
                was = self.base_values.get(key, ABSENT)
                if mine == was:
                    return mine, theirs, "theirs"
                if theirs == was:
                    return mine, theirs, "mine"
            elif theirs is ABSENT:
                return mine, theirs, "mine"
            elif mine is ABSENT:
                return mine, theirs, "theirs"
            elif key.startswith("failed_attempts."):
                longer = _longer(mine, theirs)  # one list goes on from the other
                if longer is not None:
                    return mine, theirs, "mine" if longer == mine else "theirs"
            return mine, theirs, "conflict"
        if st.covers(sm, sn):
            return mine, theirs, "mine"
        if st.covers(sn, sm):
            return mine, theirs, "theirs"
        return mine, theirs, "conflict"

    def stamp(self, sm: st.Vector, sn: st.Vector, side: str) -> st.Vector:
        """The merged key's stamp. A conflict left unsettled (git's driver writes ours'
        value) keeps ours' stamp, so that the next merge with theirs finds it again."""
        if side == "conflict" and self.prefer is None:
            return sm
        return st.joined(sm, sn)

    def value(self, key: str, what: str, words: Callable[[Any], str]) -> Any:
        mine, theirs, side = self.decide(key)
        sm, sn = self.stamps_of(key)
        stamp = self.stamp(sm, sn, side)
        if stamp:
            self.stamps[key] = st.vector_text(stamp)
        if side == "conflict":
            said = ["removed" if v is ABSENT else words(v) for v in (mine, theirs)]
            self.conflicts.append(Conflict(key, what, said[0], said[1]))
            if self.prefer is not None:
                self.bump.add(key)
            side = "theirs" if self.prefer == "theirs" else "mine"
        return mine if side == "mine" else theirs


def _keys(*records: dict[str, Any]) -> list[str]:
    """Every key, in the order the copies hold them (mine's first)."""
    seen: dict[str, None] = {}
    for values in records:
        seen.update(dict.fromkeys(values))
    return list(seen)


def _assessments(m: _Merging) -> dict[str, tuple[Assessment, ...]]:
    """Each assessment by its existence, then field by field; an assessment one copy
    removed while the other changed a field since is a conflict."""
    result: dict[str, list[Assessment]] = {}
    holders: dict[str, tuple[str, Assessment]] = {}
    for side in (m.mine, m.theirs, *(() if m.base is None else (m.base,))):
        for code, items in side.assessments.items():
            for a in items:
                holders.setdefault(st.assessment_key(code, a), (code, a))
    tombstones = [k for k in (*m.mine.stamps, *m.theirs.stamps) if k.startswith("assessments.")]
    for key in tombstones:
        if key.count(".") == 2 and key not in holders:
            m.stamps[key] = st.vector_text(st.joined(*m.stamps_of(key)))
    for key, (code, known) in holders.items():
        what = f"{code}'s assessment '{known.name}'"
        mine, theirs, side = m.decide(key)
        sm, sn = m.stamps_of(key)
        fields = [f"{key}.{f}" for f in st.ASSESSMENT_FIELDS]
        chosen = mine if side == "mine" else theirs
        if side != "conflict" and chosen is ABSENT and (mine is ABSENT) != (theirs is ABSENT):
            # One copy removed it: a field the other changed since, which the removal
            # never saw, makes it a conflict.
            gone, kept = (sm, m.theirs) if mine is ABSENT else (sn, m.mine)
            if gone and any(not st.covers(gone, st.stamp_of(kept, f)) for f in fields):
                side = "conflict"
        # A removal has seen every field of both copies: its stamp holds theirs too.
        field_stamps = [s for f in fields for s in m.stamps_of(f)]
        unsettled = side == "conflict" and m.prefer is None
        stamp = m.stamp(sm, sn, side)
        if side == "conflict":
            whole = {
                name: next(
                    (a for a in r.assessments.get(code, ()) if st.assessment_key(code, a) == key),
                    None,
                )
                for name, r in (("mine", m.mine), ("theirs", m.theirs))
            }
            said = ["removed" if a is None else _assessment(a) for a in whole.values()]
            m.conflicts.append(Conflict(key, what, said[0], said[1]))
            if m.prefer is not None:
                m.bump.add(key)
            side = "theirs" if m.prefer == "theirs" else "mine"
            present = whole[side] is not None
        else:
            present = (mine if side == "mine" else theirs) is not ABSENT
        if not present and not unsettled:
            stamp = st.joined(stamp, *field_stamps)
        if stamp:
            m.stamps[key] = st.vector_text(stamp)
        if not present:
            continue
        values = {}
        for f in st.ASSESSMENT_FIELDS:
            values[f] = m.value(f"{key}.{f}", f"the {f} of {what}", _FIELD_WORDS[f])
        if values["name"] is ABSENT or values["weight"] is ABSENT:
            continue  # cannot happen for a present assessment: both copies hold both
        given: dict[str, Any] = {f: (None if v is ABSENT else v) for f, v in values.items()}
        result.setdefault(code, []).append(Assessment(id=known.id, **given))
    return {code: tuple(items) for code, items in result.items()}


def _log(m: _Merging) -> tuple[tuple[LogEntry, ...], tuple[Opening, ...]]:
    mine: list[LogEntry | Opening] = [*m.mine.opening, *m.mine.log]
    theirs: list[LogEntry | Opening] = [*m.theirs.opening, *m.theirs.log]
    keys = _keys(
        {st.entry_key(e): None for e in mine},
        {st.entry_key(e): None for e in theirs},
        {k: None for k in (*m.mine.stamps, *m.theirs.stamps) if k.startswith("log.")},
    )
    log: list[LogEntry] = []
    opening: list[Opening] = []
    for key in keys:
        value = m.value(key, f"the log entry {key[4:]}", _entry)
        if isinstance(value, Opening):
            opening.append(value)
        elif value is not ABSENT:
            log.append(value)
    return tuple(log), tuple(opening)


def _timer_notes(mine: Progress, theirs: Progress, merged: Progress) -> tuple[str, ...]:
    """A timer only one copy runs, that the other's log says may have been stopped there."""
    timer = merged.timer
    if timer is None or mine.timer == theirs.timer:
        return ()
    holder, other = (mine, theirs) if mine.timer == timer else (theirs, mine)
    if other.timer is not None:  # a conflict, settled by `prefer`
        return ()
    held = {e.id for e in holder.log}
    day = timer.started_at.date()
    if any(
        e.id not in held and e.on == day and (e.module, e.note) == (timer.module, timer.note)
        for e in other.log
    ):
        return (
            f"the timer {_timer(timer)} runs in the merged record, but the copy without it"
            " logs its module on that day: if it was stopped there, cancel it",
        )
    return ()


# --- whole records -----------------------------------------------------------


def merge(
    mine: Progress,
    theirs: Progress,
    prefer: Prefer | None = None,
    base: Progress | None = None,
    node: str | None = None,
) -> Merged:
    """`theirs` merged into `mine` (two copies), or against `base` (git's: mine is ours).

    `node`, this computer's id, stamps the keys `prefer` settled. The record's
    revision is the higher of the two; the store writes one above it. Reminders
    sent on either copy stay sent.
    """
    m = _Merging(mine, theirs, base, prefer)
    settings: dict[str, Any] = {}
    for name in (*st.SETTINGS, "timer"):
        what, words = _SETTING_WORDS[name]
        value = m.value(name, what, words)
        settings[name] = None if value is ABSENT else value
    if settings["windows"] is None:
        settings["windows"] = ()
    keyed: dict[str, Any] = {}
    for name in st.KEYED:
        what, words = _KEYED_WORDS[name]
        prefix = f"{name}."
        keys = _keys(
            {f"{prefix}{k}": None for k in getattr(mine, name)},
            {f"{prefix}{k}": None for k in getattr(theirs, name)},
            {k: None for k in (*mine.stamps, *theirs.stamps) if k.startswith(prefix)},
            {} if base is None else {f"{prefix}{k}": None for k in getattr(base, name)},
        )
        merged: dict[str, Any] = {}
        for key in keys:
            item = key[len(prefix) :]
            value = m.value(key, what.format(item), words)
            if value is not ABSENT:
                merged[item] = value
        keyed[name] = merged
    assessments = _assessments(m)
    log, opening = _log(m)
    stamps = dict(m.stamps)
    if node is not None and m.bump:
        counter = max(st.counter_of(mine, node), st.counter_of(theirs, node)) + 1
        for key in m.bump:
            stamps[key] = st.vector_text(st.joined(st.vector(stamps.get(key)), {node: counter}))
    sent = dict(theirs.reminders_sent) | dict(mine.reminders_sent)
    record = replace(
        mine,
        revision=max(mine.revision, theirs.revision),
        **settings,
        **keyed,
        assessments=assessments,
        log=log,
        opening=opening,
        reminders_sent=dict(sorted(sent.items())),
        stamps=dict(sorted(stamps.items())),
    )
    notes = () if base is not None else _timer_notes(mine, theirs, record)
    return Merged(record, tuple(m.conflicts), notes)
