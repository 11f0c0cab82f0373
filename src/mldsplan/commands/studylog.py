"""The study log and the timer: log, start, stop, switch, cancel."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain import changes, timer
from mldsplan.domain.errors import InputError
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import Progress

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
    # The entry is appended: the last one, numbered as `log --list` numbers it.
    return studytime.log_change(programme, after, "logged", len(after.log), after.log[-1])


def remove(session: Session, number: int | None) -> studytime.LogChangeResult:
    """Remove entry `number` (as `log --list` numbers them), or the last one."""
    from mldsplan.domain import studytime

    programme = session.programme()
    before, after = session.update(lambda old: changes.remove_log(old, number))
    index = number or len(before.log)
    return studytime.log_change(programme, after, "removed", index, before.log[index - 1])


def said(result: studytime.LogChangeResult) -> list[str]:
    """The confirmation of `log` or `log --remove`/`--undo` (without `--json`)."""
    e = result.entry
    studied = f" for {e.module}" if e.module else ""
    if result.action == "removed":
        return [f"removed {hours_text(e.hours)} h on {e.on}{studied} from the log"]
    return [
        f"logged {hours_text(e.hours)} h on {e.on}{studied}"
        f" ({hours_text(result.day_hours)} h that day)"
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
    return [*_notes(said), _started(studied, begin, now), *block]


def stop(session: Session, at: str | None) -> list[str]:
    now = session.now
    end, said = arguments.at(at, now, session.zone())
    stopped: list[timer.Stopped] = []

    def change(old: Progress) -> Progress:
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
        result = timer.switch(old, moment, now, studied, note)
        switched.append(result)
        return result.progress

    session.update(change)
    return _notes(said) + _logged(switched[-1]) + [_started(studied, moment, now)]


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


def one_action(hours: float | None, list_: bool, undo: bool, remove: int | None) -> None:
    """`log` does one thing at a time."""
    if sum([hours is not None, list_, undo, remove is not None]) != 1:
        raise InputError(
            "log: give HOURS to record, or one of --list, --undo, --remove N",
            hint="for example: mldsplan log 1.5 --module maths",
        )
