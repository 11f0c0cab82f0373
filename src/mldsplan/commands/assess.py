"""A module's assessments, and the term calendar: the records a handbook gives."""

from __future__ import annotations

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain import changes
from mldsplan.domain.constraints import name_key
from mldsplan.domain.errors import InputError
from mldsplan.domain.progress import Progress


def _stored_name(record: Progress, code: str, typed: str) -> str:
    """The assessment's name as recorded (names match in any case and normal form)."""
    wanted = name_key(typed)
    items = record.assessments.get(code, ())
    return next((a.name for a in items if name_key(a.name) == wanted), typed.strip())


def add(session: Session, module: str, name: str, weight: float, due: str | None) -> list[str]:
    code = arguments.code(session.programme(), module)
    day = None if due is None else arguments.day(due, "due")
    session.update(lambda old: changes.add_assessment(old, code, name, weight, day))
    return [f"{code}: added '{name.strip()}' ({weight:g}%{f', due {day}' if day else ''})"]


def mark(session: Session, module: str, name: str, value: float) -> list[str]:
    code = arguments.code(session.programme(), module)
    before, _ = session.update(lambda old: changes.mark_assessment(old, code, name, value))
    return [f"{code}: '{_stored_name(before, code, name)}' marked {value:g}"]


def edit(
    session: Session,
    module: str,
    name: str,
    new_name: str | None,
    weight: float | None,
    due: str | None,
) -> list[str]:
    code = arguments.code(session.programme(), module)
    if new_name is None and weight is None and due is None:
        raise InputError("nothing to change", hint="give --name, --weight or --due")
    clear = due is not None and due.strip().lower() == "none"
    day = None if due is None or clear else arguments.day(due, "due")
    before, _ = session.update(
        lambda old: changes.edit_assessment(old, code, name, new_name, weight, day, clear)
    )
    return [f"{code}: updated '{_stored_name(before, code, name)}'"]


def remove(session: Session, module: str, name: str) -> list[str]:
    code = arguments.code(session.programme(), module)
    before, _ = session.update(lambda old: changes.remove_assessment(old, code, name))
    return [f"{code}: removed '{_stored_name(before, code, name)}'"]


def set_term(session: Session, term: str, start: str, end: str) -> list[str]:
    year, number = arguments.term(session.programme(), term)
    first, last = arguments.day(start, "from"), arguments.day(end, "to")
    session.update(lambda old: changes.set_term_dates(old, year, number, first, last))
    return [f"year {year} term {number}: {first} to {last} (your own dates)"]


def reset_term(session: Session, term: str | None) -> list[str]:
    from mldsplan.domain.terms import term_key

    key = None if term is None else term_key(*arguments.term(session.programme(), term))
    session.update(lambda old: changes.reset_term_dates(old, key))
    return [f"{'all terms' if key is None else key}: back to the programme's dates"]
