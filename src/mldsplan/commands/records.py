"""Commands that record what happened: init, complete, uncomplete, mark, defer.

Each loads through the session, lets the domain build the new record, saves
it, and returns what to tell the student (lines for stderr).
"""

from __future__ import annotations

from collections.abc import Callable

from mldsplan.commands import arguments
from mldsplan.commands.session import Session
from mldsplan.domain import changes
from mldsplan.domain.errors import InputError, RuleBroken
from mldsplan.domain.facts import compensated_text, latest_entry_month
from mldsplan.domain.numbers import count_text
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Progress
from mldsplan.domain.terms import planned_year, schedule
from mldsplan.domain.workload import last_module_conflicts, plan_warnings


def init(
    session: Session,
    start: str | None,
    weekly_hours: float | None,
    done: list[str] | None = None,
) -> list[str]:
    """Create the record or change its settings, and complete `done` (codes) today: one write."""
    path = session.progress_file
    existed = path.exists()
    programme = session.programme()
    codes = done or []
    try:
        before, after = session.update(
            _init_change(session, start, weekly_hours, codes), say_created=False
        )
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
    return said + _completed(programme, before, after, codes)


def _init_change(
    session: Session, start: str | None, weekly_hours: float | None, codes: list[str]
) -> Callable[[Progress], Progress]:
    def change(old: Progress) -> Progress:
        new = changes.set_settings(old, start, weekly_hours)
        return changes.complete(new, codes, session.today) if codes else new

    return change


# The questions `init` asks in a terminal (cli.init asks them): each answer's default,
# and each answer read as the command's options would be, an InputError asking again.


def init_defaults(session: Session) -> tuple[str, float]:
    """The start month and weekly hours to suggest: the record's, else the most recent
    entry month (October) at or before today and the programme's hours."""
    programme = session.programme()
    record = session.load()[1] if session.progress_file.exists() else None
    if record is not None and record.start:
        start = record.start
    else:
        start = latest_entry_month(programme, session.today)
    weekly = record.weekly(programme) if record else programme.weekly_hours
    return start, weekly


def answer_start(session: Session, text: str) -> str:
    check_answers(session, text, None, [])
    return text.strip()


def check_answers(
    session: Session, start: str | None, weekly_hours: float | None, codes: list[str]
) -> None:
    """The record these answers would make, checked as `init` will check it, so that a
    question can be asked again rather than the whole `init` refused at the end."""
    from mldsplan.domain.rules import record_problems

    programme = session.programme()
    old = session.load()[1] if session.progress_file.exists() else Progress()
    new = _init_change(session, start, weekly_hours, codes)(old)
    problems = record_problems(new, programme, session.today, now=session.now, entered=old)
    if problems:
        raise InputError(str(problems[0]))


def answer_weekly_hours(text: str) -> float:
    from mldsplan.domain.durations import FORMS, DurationError, parse_hours

    try:
        hours = parse_hours(text)
    except DurationError as exc:
        raise InputError(str(exc), hint=f"type hours as {FORMS}", argument="weekly_hours") from None
    return changes.check_weekly_hours(hours)


def answer_done(session: Session, text: str, start: str, weekly_hours: float | None) -> list[str]:
    """Module codes from codes, unique prefixes or titles (any case), comma-separated."""
    programme = session.programme()
    titles = {str(m.title).casefold(): m.code for m in programme.modules}
    typed = [t.strip() for t in text.split(",") if t.strip()]
    codes = arguments.codes(programme, [titles.get(t.casefold(), t) for t in typed])
    check_answers(session, start, weekly_hours, codes)
    return codes


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
    return _completed(programme, before, after, codes)


def _completed(
    programme: Programme, before: Progress, after: Progress, codes: list[str]
) -> list[str]:
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
    return said + _unmarked_warnings(after, codes)


def _unmarked_warnings(record: Progress, codes: list[str]) -> list[str]:
    """A completed module whose assessments are not all marked: name them."""
    from mldsplan.domain.assessments import unmarked, unmarked_text

    said = []
    for code in codes:
        if missing := unmarked(record, code):
            mark = record.completions[code].mark
            counts = "no mark is recorded" if mark is None else f"the mark {mark:g} counts"
            said.append(
                f"warning: {code} has"
                f" {count_text(len(missing), 'unmarked assessment', 'unmarked assessments')}:"
                f" {unmarked_text(missing)}; {counts}"
            )
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
            f"{code}: planned in year {planned_year(module, after)} term {module.term}"
            + (f" ({count_text(moved, 'year', 'years')} later)" if moved else " (its own term)")
        )
    said += [f"warning: {w}" for w in plan_warnings(programme, after, session.today)]
    for final, later, more in last_module_conflicts(schedule(programme, after)):
        if not undo and final not in codes and set(codes) & set(later):
            said.append(
                f"hint: take {final} later too: mldsplan defer {final}"
                + (f" --years {more}" if more > 1 else "")
            )
    return said


def fail(session: Session, typed: str, mark: float | None, on: str | None) -> list[str]:
    """Record a failed attempt; say the attempts left, or that it is compensated."""
    from mldsplan.domain.marks import COMPENSATED, standings

    programme = session.programme()
    code = arguments.code(programme, typed)
    day = session.today if on is None else arguments.day(on)
    try:
        _, after = session.update(lambda old: changes.fail(old, code, day, mark))
    except InputError as exc:
        if exc.argument == "mark" and mark is None:  # the mark came from the assessments
            exc.argument = "module_mark"
        raise
    tried = [t for t in after.failed_attempts[code] if t.on == day][-1]
    said = [f"recorded a failed attempt at {code}: {tried.mark:g} on {day}"]
    standing = standings(programme, after)[code]
    if standing.state == COMPENSATED:
        said.append(compensated_text(programme, code))
    elif standing.attempts_left:
        said.append(
            f"{count_text(standing.attempts_left, 'attempt', 'attempts')} left; once you pass:"
            f" mldsplan complete {code} --resit --mark M"
        )
    else:
        said.append(f"no attempts left at {code} in this programme's rules")
    return said


def unfail(session: Session, typed: str) -> list[str]:
    code = arguments.code(session.programme(), typed)
    before, _ = session.update(lambda old: changes.unfail(old, code))
    removed = before.failed_attempts[code][-1]
    return [f"removed the failed attempt at {code} of {removed.on} (mark {removed.mark:g})"]
