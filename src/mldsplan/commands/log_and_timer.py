"""The study log and the timer: log, start, stop, switch, cancel."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain import changes, timer
from mldsplan.domain.errors import InputError
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import LogEntry, Progress

if TYPE_CHECKING:  # `start`, `stop` and the rest need no report (start-up, ARCHITECTURE.md)
    from mldsplan.domain import studytime


def log(
    session: Session, hours: float, module: str | None, on: str | None, note: str | None
) -> studytime.LogChangeResult:
    from mldsplan.domain import studytime

    programme = session.programme()
    day = arguments.day_or(on, session.today)
    studied = arguments.code(programme, module, "module") if module else None
    _, after = session.update(
        lambda old: changes.add_log(old, hours, day, session.today, studied, note)
    )
    # The entry is appended: the last one in the file, numbered as `log --list` numbers it.
    number = studytime.log_number(after.log, len(after.log) - 1)
    return studytime.log_change(programme, after, "logged", number, after.log[-1])


def same_module(session: Session, typed: str, other: str) -> bool:
    """Whether two ways of typing a module (`bayes`, `Bayesian`) name the same one."""
    programme = session.programme()
    return arguments.code(programme, typed, "module") == arguments.code(programme, other, "module")


def opening(
    session: Session, hours: float, module: str | None, on: str | None, note: str | None
) -> studytime.LogChangeResult:
    """`log H --module CODE --opening`: hours studied before tracking (no date)."""
    from mldsplan.domain import studytime

    if on is not None:
        raise InputError(
            "an opening entry has no date: it is the hours studied before you began logging",
            hint="drop --on; or drop --opening to log a session on that day",
            argument="on",
        )
    if module is None:
        raise InputError(
            "an opening entry names the module the hours were studied for",
            hint="for example: mldsplan log 60 --module eda --opening",
            argument="module",
        )
    programme = session.programme()
    studied = arguments.code(programme, module, "module")
    _, after = session.update(lambda old: changes.add_opening(old, hours, studied, note))
    # Appended to the opening entries, which the listing numbers after the dated ones.
    number = changes.log_size(after)
    return studytime.log_change(programme, after, "logged", number, after.opening[-1])


def remove(session: Session, number: int | None) -> studytime.LogChangeResult:
    """Remove entry `number` (as `log --list` numbers them), or the last one logged."""
    from mldsplan.domain import studytime

    programme = session.programme()
    before, after = session.update(
        lambda old: changes.remove_log(old, studytime.log_position(old.log, number))
    )
    if number is None:  # the last one logged
        index = changes.last_logged(before)
        dated = index <= len(before.log)
        shown = studytime.log_number(before.log, index - 1) if dated else index
    else:
        dated = number <= len(before.log)
        index = studytime.log_order(before.log)[number - 1] + 1 if dated else number
        shown = number
    entry = changes.numbered(before, index)
    return studytime.log_change(programme, after, "removed", shown, entry)


def edit(
    session: Session,
    number: int,
    hours: float | None,
    on: str | None,
    module: str | None,
    note: str | None,
) -> tuple[studytime.LogChangeResult, list[str]]:
    """Change entry `number` (as `log --list` numbers them) in one write; with what it was."""
    from mldsplan.domain import studytime

    programme = session.programme()
    day = None if on is None else arguments.day(on)
    studied: str | None = changes.KEEP
    if module is not None:
        cleared = module.strip().lower() in {"none", "-"}
        studied = None if cleared else arguments.code(programme, module, "module")
    before, after = session.update(
        lambda old: changes.edit_log(
            old,
            studytime.log_position(old.log, number) or number,
            hours=hours,
            on=day,
            module=studied,
            note=changes.KEEP if note is None else note,
        )
    )
    index = studytime.log_order(before.log)[number - 1]
    now_number = studytime.log_number(after.log, index)
    result = studytime.log_change(programme, after, "edited", now_number, after.log[index])
    was = _entry_text(before.log[index])
    moved = f"; it is now entry {now_number}" if now_number != number else ""
    return result, [f"changed entry {number} to {_entry_text(after.log[index])} (was {was}){moved}"]


def _entry_text(e: LogEntry | studytime.LogRow) -> str:
    studied = f" for {e.module}" if e.module else ""
    noted = f' "{e.note}"' if e.note else ""
    return f"{hours_text(e.hours)} h on {e.on}{studied}{noted}"


def said(result: studytime.LogChangeResult) -> list[str]:
    """The confirmation of `log` or `log --remove`/`--undo` (without `--json`)."""
    e = result.entry
    studied = f" for {e.module}" if e.module else ""
    if e.on is None:  # an opening entry: studied before tracking
        if result.action == "removed":
            return [f"removed the {hours_text(e.hours)} h studied{studied} before tracking"]
        return [
            f"recorded {hours_text(e.hours)} h studied{studied} before tracking: they count"
            " in its hours still to do, never in your pace, balance or weekly totals"
        ]
    if result.action == "removed":
        return [f"removed {hours_text(e.hours)} h on {e.on}{studied} from the log"]
    return [
        f"logged {hours_text(e.hours)} h on {e.on}{studied}"
        f" ({hours_text(result.day_hours or 0.0)} h that day)"
    ]


def start(session: Session, module: str | None, note: str | None, at: str | None) -> list[str]:
    programme = session.programme()
    studied = None if module is None else arguments.code(programme, module)
    now = session.now
    begin, said = arguments.at(at, now, session.zone())
    block = []
    if module is None and at is None:  # during a study block (or just before): its module
        from mldsplan.commands import schedule
        from mldsplan.domain.blocks import START_AHEAD_MINUTES

        found = schedule.next_block(session, ahead=START_AHEAD_MINUTES)
        if found is not None:
            studied = found.code
            block = [f"your study block: {schedule.block_line(found)}"]
    session.update(lambda old: changes.start_timer(old, begin, studied, note))
    return [*_notes(said), _started(studied, begin, now), *_long_ago(begin, now), *block]


def stop(session: Session, at: str | None) -> list[str]:
    now = session.now
    end, said = arguments.at(at, now, session.zone())
    stopped: list[timer.Stopped] = []

    def change(old: Progress) -> Progress:
        _before_the_start(old, at, end, now)
        result = timer.stop(old, end, now)
        stopped.append(result)
        return result.progress

    session.update(change)
    return _notes(said) + _logged(stopped[-1])


def switch(session: Session, module: str | None, note: str | None, at: str | None) -> list[str]:
    """Stop the running timer and start the next at the same instant: one change."""
    programme = session.programme()
    studied = None if module is None else arguments.code(programme, module)
    now = session.now
    moment, said = arguments.at(at, now, session.zone())
    switched: list[timer.Stopped] = []

    def change(old: Progress) -> Progress:
        _before_the_start(old, at, moment, now)
        result = timer.switch(old, moment, now, studied, note)
        switched.append(result)
        return result.progress

    session.update(change)
    started = [_started(studied, moment, now), *_long_ago(moment, now)]
    return _notes(said) + _logged(switched[-1]) + started


def _before_the_start(old: Progress, at: str | None, moment: datetime, now: datetime) -> None:
    """`--at HH:MM` later today than now is yesterday's; said whole when that is before the
    timer started (`stop --at 12:30` at 11:46 is not a time before the start, it is to come)."""
    running = old.timer
    if (
        running is None
        or moment >= running.started_at
        or not arguments.still_to_come(at, moment, now)
    ):
        return
    began = running.started_at.astimezone(now.tzinfo)
    typed = (at or "").strip()
    since = f"{began:%H:%M}" if began.date() == now.date() else f"{began:%Y-%m-%d %H:%M}"
    raise InputError(
        f"{typed} today is still to come (it is {now:%H:%M}), and yesterday's {typed}"
        f" is before the timer started ({began:%Y-%m-%d %H:%M})",
        hint=f"give a time from {since} to {now:%H:%M}, or leave out --at for now",
        argument="at",
    )


def _long_ago(begin: datetime, now: datetime) -> list[str]:
    """A timer started further back than `stop` takes is already forgotten: said at once,
    with both ways out (it is kept: the start may be right, and the end is to be given)."""
    if not timer.forgotten(timer.elapsed_hours(begin, now)):
        return []
    return [
        f"warning: that is {timer.duration_text(timer.elapsed_minutes(begin, now))} ago,"
        f" more than the {timer.MAX_SESSION_HOURS} h a timer may run: stop it with"
        " mldsplan stop --at YYYY-MM-DDTHH:MM (when you ended), or cancel it and log the"
        " time: mldsplan log HOURS --on DATE"
    ]


def _notes(said: str | None) -> list[str]:
    return [f"note: {said}"] if said else []


def _started(module: str | None, begin: datetime, now: datetime) -> str:
    """The confirmation of a start: when, with its date unless today; what a bare timer means."""
    when = f"{begin:%H:%M}" if begin.date() == now.date() else f"{begin:%Y-%m-%d %H:%M}"
    if module is not None:
        return f"timer started for {module} at {when}"
    return (
        f"timer started at {when} without a module: the time it logs is not counted"
        " against any module"
    )


def _logged(stopped: timer.Stopped) -> list[str]:
    if not stopped.entries:
        return ["timer stopped after less than a minute; nothing was logged"]
    return [
        f"logged {timer.duration_text(round(entry.hours * 60))} on {entry.on}"
        + (f" for {entry.module}" if entry.module else "")
        for entry in stopped.entries
    ]


def cancel(session: Session) -> list[str]:
    session.update(changes.cancel_timer)
    return ["timer cancelled; nothing was logged"]


def one_action(
    hours: float | None, list_: bool, undo: bool, remove: int | None, edit: int | None
) -> None:
    """`log` does one thing at a time."""
    if sum([hours is not None, list_, undo, remove is not None, edit is not None]) != 1:
        raise InputError(
            "log: give HOURS to record, or one of --list, --undo, --remove N, --edit N",
            hint="for example: mldsplan log 1.5 maths",
        )


def opening_alone(hours: float | None, opening: bool) -> None:
    """`--opening` qualifies HOURS: it lists, undoes or removes nothing."""
    if opening and hours is None:
        raise InputError(
            "goes with HOURS and --module: the hours studied on a module before tracking",
            hint="for example: mldsplan log 60 --module eda --opening",
            argument="opening",
        )
