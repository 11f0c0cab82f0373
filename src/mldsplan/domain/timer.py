"""Stopping and switching the study timer: elapsed time into study-log entries, one per date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from mldsplan.domain.changes import add_entries, start_timer
from mldsplan.domain.errors import InputError
from mldsplan.domain.progress import LogEntry, Progress

MAX_SESSION_HOURS = 16  # longer than this, the timer was forgotten (so at most two dates)


def forgotten(elapsed_hours: float) -> bool:
    """Whether a timer running this long was forgotten: `stop` would refuse its time."""
    return elapsed_hours * 60 > MAX_SESSION_HOURS * 60


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


def duration_text(minutes: int) -> str:
    """75 minutes as "1 h 15 min", 45 as "45 min", 120 as "2 h"."""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")


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
    zone = now.tzinfo  # times are said as the student's clock shows them now
    began = timer.started_at.astimezone(zone)
    if end > now:
        raise InputError(
            f"{end.astimezone(zone):%Y-%m-%d %H:%M} is in the future (it is {now:%Y-%m-%d %H:%M})",
            argument="at",
        )
    if end < timer.started_at:
        raise InputError(
            f"{end.astimezone(zone):%Y-%m-%d %H:%M} is before the timer started"
            f" ({began:%Y-%m-%d %H:%M})",
            argument="at",
        )
    # The limit is on what would be logged: whole minutes.
    minutes = elapsed_minutes(timer.started_at, end)
    if forgotten(minutes / 60):
        ran = duration_text(minutes)
        latest = (timer.started_at + timedelta(hours=MAX_SESSION_HOURS)).astimezone(zone)
        raise InputError(
            f"{began:%Y-%m-%d %H:%M} to {end.astimezone(zone):%Y-%m-%d %H:%M} is {ran},"
            f" more than {MAX_SESSION_HOURS} h: the timer was forgotten",
            reason="timer_forgotten",
            details={"started": f"{began:%Y-%m-%d %H:%M}", "latest": f"{latest:%Y-%m-%d %H:%M}"},
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


def switch(
    progress: Progress, at: datetime, now: datetime, module: str | None, note: str | None
) -> Stopped:
    """Stop the running timer at `at` (as `stop` does) and start the next at the same instant.

    One change: the log entries and the new timer land together, or nothing does.
    """
    stopped = stop(progress, at, now)
    return replace(stopped, progress=start_timer(stopped.progress, at, module, note))
