"""Stopping the study timer: elapsed time into study-log entries, one per date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from mldsplan.changes import add_entries
from mldsplan.errors import InputError
from mldsplan.progress import LogEntry, Progress

MAX_SESSION_HOURS = 16  # longer than this, the timer was forgotten


@dataclass(frozen=True, kw_only=True)
class Stopped:
    progress: Progress
    entries: list[LogEntry]
    minutes: int


def split_by_date(start: datetime, end: datetime) -> list[tuple[date, int]]:
    """Whole minutes between `start` and `end` per local date (in `end`'s time zone)."""
    start = start.astimezone(end.tzinfo)
    parts: list[tuple[date, int]] = []
    cursor = start
    while cursor.date() < end.date():
        midnight = datetime.combine(cursor.date() + timedelta(days=1), time(0), tzinfo=end.tzinfo)
        parts.append((cursor.date(), round((midnight - cursor).total_seconds() / 60)))
        cursor = midnight
    parts.append((end.date(), round((end - cursor).total_seconds() / 60)))
    return [(day, minutes) for day, minutes in parts if minutes > 0]


def elapsed_hours(started_at: datetime, now: datetime) -> float:
    """True elapsed time: aware date-times, so DST and zone changes count right."""
    return (now - started_at).total_seconds() / 3600


def stop(progress: Progress, end: datetime, now: datetime) -> Stopped:
    """End the running timer at `end`; its time becomes log entries rounded to the minute."""
    timer = progress.timer
    if timer is None:
        raise InputError("no timer is running", reason="no_timer")
    if end > now:
        raise InputError(f"{end:%H:%M} is in the future (it is {now:%H:%M})", argument="at")
    if end < timer.started_at:
        raise InputError(
            f"{end:%Y-%m-%d %H:%M} is before the timer started ({timer.started_at:%Y-%m-%d %H:%M})",
            argument="at",
        )
    hours = elapsed_hours(timer.started_at, end)
    if hours > MAX_SESSION_HOURS:
        raise InputError(
            f"the timer has run {hours:.1f} h, more than {MAX_SESSION_HOURS} h: it was forgotten",
            reason="timer_forgotten",
        )
    parts = split_by_date(timer.started_at, end)
    entries = [
        LogEntry(on=day, hours=minutes / 60, module=timer.module, note=timer.note)
        for day, minutes in parts
    ]
    stopped = replace(progress, timer=None)
    if entries:
        stopped = add_entries(stopped, entries, argument="at")
    return Stopped(progress=stopped, entries=entries, minutes=sum(m for _, m in parts))
