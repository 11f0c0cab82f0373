"""The study log and the timer: log, start, stop, cancel."""

from __future__ import annotations

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain import changes, timer
from mldsplan.domain.errors import InputError
from mldsplan.domain.progress import Progress


def log(
    session: Session, hours: float, module: str | None, on: str | None, note: str | None
) -> list[str]:
    programme = session.programme()
    day = arguments.day_or(on, session.today)
    studied = arguments.code(programme, module, "module") if module else None
    _, after = session.update(
        lambda old: changes.add_log(old, hours, day, session.today, studied, note)
    )
    total = sum(e.hours for e in after.log if e.on == day)
    return [
        f"logged {hours:g} h on {day}{f' for {studied}' if studied else ''} ({total:g} h that day)"
    ]


def remove(session: Session, number: int | None) -> list[str]:
    """Remove entry `number` (as `log --list` numbers them), or the last one."""
    from mldsplan.storage.studylog import format_log_line

    before, _ = session.update(lambda old: changes.remove_log(old, number))
    gone = before.log[(number or len(before.log)) - 1]
    return [f"removed {format_log_line(gone)}"]


def start(session: Session, module: str | None, note: str | None, at: str | None) -> list[str]:
    programme = session.programme()
    studied = None if module is None else arguments.code(programme, module)
    now = session.now
    begin, said = arguments.at(at, now, session.zone())
    session.update(lambda old: changes.start_timer(old, begin, now, studied, note))
    return ([f"note: {said}"] if said else []) + [
        f"timer started{f' for {studied}' if studied else ''} at {begin:%H:%M}"
    ]


def stop(session: Session, at: str | None) -> list[str]:
    now = session.now
    end, said = arguments.at(at, now, session.zone())
    stopped: list[timer.Stopped] = []

    def change(old: Progress) -> Progress:
        result = timer.stop(old, end, now)
        stopped.append(result)
        return result.progress

    session.update(change)
    notes = [f"note: {said}"] if said else []
    entries = stopped[-1].entries
    if not entries:
        return [*notes, "timer stopped after less than a minute; nothing was logged"]
    return notes + [
        f"logged {entry.hours * 60:.0f} min on {entry.on}"
        + (f" for {entry.module}" if entry.module else "")
        for entry in entries
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
