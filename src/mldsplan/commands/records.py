"""Commands that record what happened: init, complete, uncomplete, mark, defer.

Each loads through the session, lets the domain build the new record, saves
it, and returns what to tell the student (lines for stderr).
"""

from __future__ import annotations

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain import changes
from mldsplan.domain.errors import InputError, RuleBroken
from mldsplan.domain.workload import plan_warnings


def init(session: Session, start: str | None, weekly_hours: float | None) -> list[str]:
    path = session.progress_file
    existed = path.exists()
    programme = session.programme()
    try:
        before, after = session.update(lambda old: changes.set_settings(old, start, weekly_hours))
    except RuleBroken as exc:
        if start is not None:  # a rule the new start breaks
            raise InputError(
                f"{start} would make your record impossible: {exc.details['problem']}",
                argument="start",
            ) from None
        raise
    if not existed:
        said = [f"created {path}"]
    elif before.content() == after.content():
        said = [f"{path} already set up; nothing changed"]
    else:
        said = [f"updated {path}"]
    said.append(
        f"start: {after.start or 'not set (mldsplan init --start YYYY-MM)'};"
        f" weekly hours: {after.weekly(programme):g}"
    )
    begins = after.start_date()
    if begins and programme.entry_month and begins.month != programme.entry_month:
        said.append(
            f"note: this programme's entry month is {programme.entry_month:02d},"
            f" not {begins.month:02d}"
        )
    return said


def complete(
    session: Session, typed: list[str], mark: float | None, on: str | None, resit: bool
) -> list[str]:
    programme = session.programme()
    codes = arguments.codes(programme, typed)
    day = None if on is None else arguments.day(on)  # none: a re-completion keeps its date
    try:
        before, after = session.update(
            lambda old: changes.complete(old, codes, session.today, on=day, mark=mark, resit=resit)
        )
    except InputError as exc:
        if exc.argument == "mark" and mark is None:  # the mark came from the assessments
            exc.argument = "module_mark"
        raise
    said = []
    for code in codes:
        old, new = before.completions.get(code), after.completions[code]
        mark_text = (
            "" if new.mark is None else f", mark {new.mark:g}" + (" (resit)" if new.resit else "")
        )
        if old is None:
            said.append(
                f"completed {code} ({programme.module(code).ects:g} ECTS) on {new.on}{mark_text}"
            )
        elif old == new:
            said.append(f"{code} was already completed on {new.on}{mark_text}; nothing changed")
        else:
            said.append(f"updated {code}: completed on {new.on}{mark_text}")
    return said


def uncomplete(session: Session, typed: list[str]) -> list[str]:
    codes = arguments.codes(session.programme(), typed)
    session.update(lambda old: changes.uncomplete(old, codes))
    return [f"removed the completion of {code}" for code in codes]


def mark(session: Session, typed: str, value: float, resit: bool | None) -> list[str]:
    programme = session.programme()
    code = arguments.code(programme, typed)
    before, _ = session.update(lambda old: changes.set_mark(old, code, value, resit))
    old = before.completions[code].mark
    return [f"{code}: mark {'set to' if old is None else f'{old:g} ->'} {value:g}"]


def defer(session: Session, typed: list[str], years: int, undo: bool) -> list[str]:
    programme = session.programme()
    codes = arguments.codes(programme, typed)
    if undo:
        _, after = session.update(lambda old: changes.undefer(old, codes))
    else:
        _, after = session.update(lambda old: changes.defer(old, codes, years))
    said = []
    for code in codes:
        module = programme.module(code)
        moved = after.deferrals.get(code, 0)
        said.append(
            f"{code}: planned in year {module.year + moved} term {module.term}"
            + (f" ({moved} year{'s' * (moved > 1)} later)" if moved else " (its own term)")
        )
    return said + [f"warning: {w}" for w in plan_warnings(programme, after, session.today)]
