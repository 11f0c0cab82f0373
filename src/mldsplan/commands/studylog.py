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
    """Remove entry `number` (as `log --list` numbers them), or the last one."""
    from mldsplan.domain import studytime

    programme = session.programme()
    before, after = session.update(lambda old: changes.remove_log(old, number))
    index = number or changes.last_logged(before)
    return studytime.log_change(programme, after, "removed", index, changes.numbered(before, index))


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
    session.update(lambda old: changes.start_timer(old, begin, studied, note))
    return [*_notes(said), _started(studied, begin, now)]


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


def opening_alone(hours: float | None, opening: bool) -> None:
    """`--opening` qualifies HOURS: it lists, undoes or removes nothing."""
    if opening and hours is None:
        raise InputError(
            "goes with HOURS and --module: the hours studied on a module before tracking",
            hint="for example: mldsplan log 60 --module eda --opening",
            argument="opening",
        )
