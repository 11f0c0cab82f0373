"""Stopping the study timer: elapsed time into study-log entries, one per date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from mldsplan.domain.changes import add_entries
from mldsplan.domain.errors import InputError
from mldsplan.domain.progress import LogEntry, Progress

MAX_SESSION_HOURS = 16  # longer than this, the timer was forgotten (so at most two dates)


@dataclass(frozen=True, kw_only=True)
class Stopped:
    progress: Progress
    entries: list[LogEntry]
    minutes: int


def split_by_date(start: datetime, end: datetime) -> list[tuple[date, int]]:
    """Whole minutes between `start` and `end` per local date (a session spans two at most).

    Each end keeps its own UTC offset, so a session that crosses a daylight-saving
    change or a change of time zone is split at the local midnight the student saw,
    and the parts always add up to the true elapsed time.
    """
    total = elapsed_minutes(start, end)
    if start.date() >= end.date():
        return [(start.date(), total)] if total > 0 else []
    midnight = datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=start.tzinfo)
    first = max(0, min(total, round((midnight - start).total_seconds() / 60)))
    parts = [(start.date(), first), (end.date(), total - first)]
    return [(day, minutes) for day, minutes in parts if minutes > 0]


def elapsed_minutes(start: datetime, end: datetime) -> int:
    """Whole minutes from `start` to `end`, as the log records them (rounded)."""
    return round((end - start).total_seconds() / 60)


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
    # The limit is on what would be logged: whole minutes.
    minutes = elapsed_minutes(timer.started_at, end)
    if minutes > MAX_SESSION_HOURS * 60:
        ran = f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")
        raise InputError(
            f"the timer has run {ran}, more than {MAX_SESSION_HOURS} h: it was forgotten",
            reason="timer_forgotten",
        )
    parts = split_by_date(timer.started_at, end)
    entries = [
        LogEntry(on=day, hours=minutes / 60, module=timer.module, note=timer.note)
        for day, minutes in parts
    ]
    stopped = replace(progress, timer=None)
    if entries:
        stopped = add_entries(stopped, entries)
    return Stopped(progress=stopped, entries=entries, minutes=sum(m for _, m in parts))
