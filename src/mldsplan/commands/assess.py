"""A module's assessments, and the term calendar: the records a handbook gives."""

from __future__ import annotations

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain import changes
from mldsplan.domain.difference import assessment_change
from mldsplan.domain.errors import InputError
from mldsplan.domain.progress import Progress


def _stored_name(record: Progress, code: str, typed: str) -> str:
    """The assessment's name as recorded (any case and normal form, or a unique beginning)."""
    items = record.assessments.get(code, ())
    return items[changes.find_assessment(items, code, typed)].name


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
    before, after = session.update(
        lambda old: changes.edit_assessment(old, code, name, new_name, weight, day, clear)
    )
    stored = _stored_name(before, code, name)
    old = next(a for a in before.assessments[code] if a.name == stored)
    new = next(a for a in after.assessments[code] if a.id == old.id)  # the id survives a rename
    said = assessment_change(old, new)
    return [f"{code} '{stored}': {'; '.join(said) or 'nothing changed'}"]


def remove(session: Session, module: str, name: str) -> list[str]:
    code = arguments.code(session.programme(), module)
    before, _ = session.update(lambda old: changes.remove_assessment(old, code, name))
    return [f"{code}: removed '{_stored_name(before, code, name)}'"]


def set_term(session: Session, term: str, start: str, end: str) -> list[str]:
    year, number = arguments.term(session.programme(), term)
    first, last = arguments.day(start, "from"), arguments.day(end, "to")
    before, after = session.update(
        lambda old: changes.set_term_dates(old, year, number, first, last)
    )
    said = [f"year {year} term {number}: {first} to {last} (your own dates)"]
    return said + _gave_way(session, before, after, [(year, number)])


def reset_term(session: Session, term: str | None) -> list[str]:
    from mldsplan.domain.terms import known_terms, parse_term_key, term_key

    programme = session.programme()
    place = None if term is None else arguments.term(programme, term)
    key = None if place is None else term_key(*place)

    def reset(old: Progress) -> Progress:
        known = known_terms(programme, old)
        if place is not None and key not in old.term_dates and place not in known:
            last = max(known)
            raise InputError(
                f"there is no year {place[0]} term {place[1]} in your calendar"
                f" (it runs to year {last[0]} term {last[1]})",
                argument="term",
            )
        return changes.reset_term_dates(old, key)

    before, after = session.update(reset)
    if key is None and not before.term_dates:
        return ["you have no dates of your own: every term has the programme's; nothing changed"]
    terms = [parse_term_key(k) for k in before.term_dates] if place is None else [place]
    said = [f"{'all terms' if key is None else key}: back to the programme's dates"]
    return said + _gave_way(session, before, after, terms)


def _gave_way(
    session: Session, before: Progress, after: Progress, terms: list[tuple[int, int]]
) -> list[str]:
    """How the assumed neighbours of `terms` moved for the student's own dates."""
    from mldsplan.domain.terms import assumed_window, gave_way

    said = []
    programme = session.programme()
    for old, new in gave_way(programme, before, after, terms):
        name = f"year {new.year} term {new.term}'s assumed dates"
        shipped = assumed_window(programme, after, new.year, new.term)
        if new.start != old.start:
            again = " again" if shipped is not None and new.start == shipped.start else ""
            said.append(f"{name} now start on {new.start}{again}")
        if new.end != old.end:
            again = " again" if shipped is not None and new.end == shipped.end else ""
            said.append(f"{name} now end on {new.end}{again}")
    return said
