"""Reminders (SPEC §4): which notices are due now, each sent once.

Pure: the record, the programme and now go in; the notices due come out, each with a
stable key (what `Progress.reminders_sent` records), its one line in the student's
words and the date after which its record may be pruned. `remind` sends them and
records them (`commands.remind`); a merge unites what two computers sent.

- A deadline (an unmarked assessment of a module not completed) at each of the
  record's `remind_days` before its date (default 7, 3, 1, 0). A run sends only the
  latest threshold reached, never the ones a computer that was off missed; none after
  the day. The key holds the due date, so a deadline moved is reminded anew.
- A timer running more than `remind_timer_hours` (default 4), once per timer.
- The next study block (`schedule`), 15 minutes before it starts (`start` then starts
  its module), unless a timer already runs; once per block and start time.
- A week behind: from Thursday 18:00 to Sunday's end, less than half of the week's
  planned hours (the week's plan, `studytime.week_plan`) logged; once a week.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from mldsplan.domain.dates import week_bounds
from mldsplan.domain.numbers import days_left, hours_text
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Progress
from mldsplan.domain.results import Result, record

if TYPE_CHECKING:
    from mldsplan.domain.blocks import Block

DEFAULT_DAYS = (7, 3, 1, 0)
DEFAULT_TIMER_HOURS = 4.0
BEHIND_DAY = 3  # Thursday (Monday is 0)
BEHIND_AT = time(18, 0)  # "Thursday evening": from 18:00 on
BEHIND_SHARE = 0.5  # less than this share of the week's planned hours logged

KINDS = ("timer", "block", "deadline", "behind")  # the order notices are listed in

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@record
class Notice:
    key: (
        str  # stable: `deadline:CODE:ID:DUE:DAYS`, `timer:START`, `block:ID:START`, `behind:MONDAY`
    )
    kind: str  # one of KINDS
    text: str  # one line, the same in a terminal and in a notification
    until: date  # the record of it may be pruned once this date has passed


@record
class Reminders:
    due: list[Notice]  # not yet sent: what a run sends now
    live: frozenset[str]  # every notice that applies now, sent or not (never pruned)


def day_text(day: date) -> str:
    """`Thu 10 Dec`, in English whatever the locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def remind_days(progress: Progress) -> tuple[int, ...]:
    return DEFAULT_DAYS if progress.remind_days is None else progress.remind_days


def timer_hours(progress: Progress) -> float:
    return (
        DEFAULT_TIMER_HOURS if progress.remind_timer_hours is None else progress.remind_timer_hours
    )


def reminders(
    programme: Programme,
    progress: Progress,
    now: datetime,
    command: str = "mldsplan",
    next_block: Block | None = None,
) -> Reminders:
    """The notices that apply at `now` (aware, in the student's zone) and those of them
    not yet sent. `command` starts the commands a notice names (`mldsplan --file X`);
    `next_block`: the week's next study block (`schedule`), if any."""
    found = [
        *_timer(progress, now, command),
        *_block(progress, now, next_block, command),
        *_deadlines(progress, now.date()),
        *_behind(programme, progress, now, command),
    ]
    sent = progress.reminders_sent
    due = [n for n in found if n.key not in sent and not _later_sent(n, sent)]
    return Reminders(due=due, live=frozenset(n.key for n in found))


def with_sent(
    progress: Progress, sent: Iterable[Notice], today: date, live: Iterable[str] = ()
) -> Progress:
    """The record with `sent` recorded and what may go pruned: entries whose date has
    passed, unless a notice that still applies (`live`: a timer still running) is theirs."""
    kept = set(live)
    record = {k: d for k, d in progress.reminders_sent.items() if d >= today or k in kept}
    for notice in sent:
        record[notice.key] = max(notice.until, record.get(notice.key, notice.until))
    return replace(progress, reminders_sent=dict(sorted(record.items())))


# --- deadlines -------------------------------------------------------------


def deadline_key(code: str, assessment_id: str, due: date, days: int) -> str:
    return f"deadline:{code}:{assessment_id}:{due.isoformat()}:{days}"


def _deadlines(progress: Progress, today: date) -> list[Notice]:
    from mldsplan.domain.deadlines import deadlines

    days = sorted(set(remind_days(progress)))
    if not days:
        return []
    ids = {(code, a.name): a.id for code, items in progress.assessments.items() for a in items}
    found = []
    for d in deadlines(progress, today, today + timedelta(days=days[-1]), today, overdue=False):
        if d.marked:
            continue
        left = (d.due - today).days
        threshold = min(t for t in days if t >= left)  # the latest threshold reached
        found.append(
            Notice(
                key=deadline_key(d.code, ids[(d.code, d.name)], d.due, threshold),
                kind="deadline",
                text=f"{d.name} ({d.code}) is due {days_left(left)}"
                + ("" if left == 0 else f", on {day_text(d.due)}")
                + f" (weight {hours_text(d.weight)}%)",
                until=d.due,
            )
        )
    return found


def _later_sent(notice: Notice, sent: Mapping[str, date]) -> bool:
    """Whether a later threshold of the same deadline was already sent (the thresholds
    were changed, or another computer's clock ran ahead): never go back to an earlier one."""
    if notice.kind != "deadline":
        return False
    stem, _, threshold = notice.key.rpartition(":")
    return any(
        key.rpartition(":")[0] == stem and int(key.rpartition(":")[2]) <= int(threshold)
        for key in sent
        if key.startswith(stem + ":")
    )


# --- the timer ---------------------------------------------------------------


def timer_key(started_at: datetime) -> str:
    return f"timer:{started_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _timer(progress: Progress, now: datetime, command: str) -> list[Notice]:
    from mldsplan.domain.timer import duration_text, elapsed_minutes

    t = progress.timer
    if t is None:
        return []
    limit = timer_hours(progress)
    if (now - t.started_at) <= timedelta(hours=limit):
        return []
    began = t.started_at.astimezone(now.tzinfo)
    recent = now - began < timedelta(hours=24)  # `--at HH:MM` reaches back a day at most
    since = f"{began:%H:%M}" if began.date() == now.date() else f"{began:%Y-%m-%d %H:%M}"
    at = "HH:MM" if recent else "YYYY-MM-DDTHH:MM"
    what = f"for {t.module} " if t.module else ""
    return [
        Notice(
            key=timer_key(t.started_at),
            kind="timer",
            text=f"The timer {what}has run {duration_text(elapsed_minutes(began, now))}"
            f" since {since}: if you stopped earlier, '{command} stop --at {at}' logs up to"
            f" then; if you did not study, '{command} cancel' drops it.",
            until=now.date(),
        )
    ]


# --- the next study block ------------------------------------------------------------


def block_key(block: Block) -> str:
    ident = re.sub(r"[^A-Za-z0-9_.:/-]", "-", block.id)[:80]
    return f"block:{ident}:{block.start.astimezone(UTC):%Y%m%dT%H%MZ}"


def _block(progress: Progress, now: datetime, block: Block | None, command: str) -> list[Notice]:
    """A block starting within 15 minutes (`start` with no code then starts it), unless a
    timer runs (you are studying already); one that has begun is never reminded late."""
    if block is None or progress.timer is not None:
        return []
    from mldsplan.domain.blocks import START_AHEAD_MINUTES

    if not now < block.start <= now + timedelta(minutes=START_AHEAD_MINUTES):
        return []
    serves = (
        f"{block.assessment}, due {day_text(block.due)}" if block.assessment else "the term's end"
    )
    begin, end = block.start.astimezone(now.tzinfo), block.end.astimezone(now.tzinfo)
    return [
        Notice(
            key=block_key(block),
            kind="block",
            text=f"Study block {begin:%H:%M}-{end:%H:%M}: {block.code} ({serves});"
            f" '{command} start' starts its timer.",
            until=begin.date(),
        )
    ]


# --- the week falling behind ----------------------------------------------------


def behind_key(week_start: date) -> str:
    return f"behind:{week_start.isoformat()}"


def _behind(programme: Programme, progress: Progress, now: datetime, command: str) -> list[Notice]:
    today = now.date()
    if (today.weekday(), now.time()) < (BEHIND_DAY, BEHIND_AT):
        return []
    first, last = week_bounds(today)
    key = behind_key(first)
    if key in progress.reminders_sent:
        return []  # sent this week: the week's plan need not be worked out again
    from mldsplan.domain.facts import Facts
    from mldsplan.domain.studytime import week_plan

    facts = Facts(programme, progress, today, now)
    planned = week_plan(facts, facts.weekly).plan_total_hours
    logged = sum(facts.log.in_week.values())  # with a module or without
    if planned <= 0 or logged >= BEHIND_SHARE * planned:
        return []
    return [
        Notice(
            key=key,
            kind="behind",
            text=f"This week you have logged {hours_text(logged)} of the"
            f" {hours_text(planned)} hours planned; '{command} schedule' re-plans the rest"
            " of the week.",
            until=last,
        )
    ]


# --- the result ------------------------------------------------------------------


@record
class RemindResult(Result):
    """`remind`: the notices this run sent (or, with `--dry-run`, would send)."""

    now: datetime
    notices: list[Notice]
    dry_run: bool
    recorded: bool  # written to the record (never with --dry-run or nothing to send)
    delivered_by: str | None  # "stdout", or the notifier; None when nothing was sent
    pruned: int  # records of past notices dropped by this run's write
