"""available, busy and schedule: the study windows (in the record), this computer's busy
calendars (in its config file) and the week's plan placed as study blocks.

`week_blocks(session, week_monday, busy_paths)` is the one entry other commands use for
the week's blocks (progress's next block, start, the ics export, reminders).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mldsplan.commands import arguments
from mldsplan.domain.errors import InputError

if TYPE_CHECKING:
    from mldsplan.commands.session import Session
    from mldsplan.domain.blocks import Block, Placed, Schedule
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.progress import Progress
    from mldsplan.domain.workload import NextBlock


# --- available -------------------------------------------------------------


def available_set(session: Session, windows: list[str], blocks: str | None) -> list[str]:
    """Replace the study windows (and the block length, when given)."""
    from mldsplan.domain.windows import (
        WindowError,
        format_blocks,
        normalise,
        parse_blocks,
        parse_window,
    )

    if not windows and blocks is None:
        raise InputError(
            "give at least one window DAYS HH:MM-HH:MM",
            hint='for example: mldsplan available set "mon-fri 19:00-22:00" "sat 09:30-13:00"',
            argument="windows",
        )
    texts = []
    for text in windows:
        try:
            texts.append(normalise(text))
        except WindowError as exc:
            raise InputError(
                str(exc),
                hint="a window is DAYS HH:MM-HH:MM, e.g. mon-fri 19:00-22:00",
                argument="windows",
            ) from None
    bounds = None
    if blocks is not None:
        try:
            bounds = format_blocks(parse_blocks(blocks))
        except WindowError as exc:
            raise InputError(
                str(exc), hint="for example --blocks 45-120", argument="blocks"
            ) from None
    texts = list(dict.fromkeys(texts))

    def change(record: Progress) -> Progress:
        return replace(
            record,
            windows=tuple(texts) if texts else record.windows,
            blocks=bounds if bounds is not None else record.blocks,
        )

    _, after = session.update(change)
    return _listing(after, [parse_window(w) for w in after.windows])


def _listing(record: Progress, parsed: list[Any]) -> list[str]:
    from mldsplan.domain.numbers import hours_text
    from mldsplan.domain.windows import format_blocks, parse_blocks

    if not record.windows:
        return ["no study windows set"]
    total = sum(w.minutes_a_week for w in parsed) / 60
    return [
        *(f"window: {w}" for w in record.windows),
        f"{hours_text(total)} h a week in your windows;"
        f" blocks of {format_blocks(parse_blocks(record.blocks))} minutes",
    ]


def available_list(session: Session) -> list[str]:
    from mldsplan.domain.windows import parse_window, suggest

    programme, record = session.load()
    if not record.windows:
        example = " ".join(f'"{w}"' for w in suggest(record.weekly(programme)))
        return [
            "no study windows set",
            f"hint: set them with: {session.command('available', 'set')} {example}",
        ]
    return _listing(record, [parse_window(w) for w in record.windows])


def available_clear(session: Session) -> list[str]:
    before, _ = session.update(lambda r: replace(r, windows=(), blocks=None))
    if not before.windows and before.blocks is None:
        return ["no study windows were set; nothing changed"]
    return ["cleared your study windows and block length"]


# --- busy calendars (per computer) -----------------------------------------


def _absolute(path: Path) -> str:
    return str(path.expanduser().absolute())


def busy_add(session: Session, path: Path) -> list[str]:
    from mldsplan.storage import busy, computer

    if not path.is_file():
        raise InputError(
            f"{path} is not a file", hint="give the path of an .ics file", argument="path"
        )
    now = session.now
    busy.intervals(path, now, now + timedelta(days=7), session.zone())  # it reads, or it errs
    given = _absolute(path)

    def change(data: dict[str, Any]) -> dict[str, Any]:
        data[busy.KEY] = busy.normalised([*busy.listed(data), given])
        return data

    before = busy.listed(computer.read(session.config_file()))
    computer.update(session.config_file(), change)
    if given in before:
        return [f"{given} is already a busy calendar here; nothing changed"]
    return [f"added busy calendar {given} (on this computer only)"]


def busy_list(session: Session) -> list[str]:
    from mldsplan.storage import busy, computer

    found = busy.listed(computer.read(session.config_file()))
    if not found:
        return ["no busy calendars on this computer", "hint: add one: mldsplan busy add PATH.ics"]
    return [p + ("" if Path(p).exists() else "  (missing here)") for p in found]


def busy_remove(session: Session, path: Path) -> list[str]:
    from mldsplan.storage import busy, computer

    found = busy.listed(computer.read(session.config_file()))
    given = _absolute(path)
    match = [p for p in found if p in (given, str(path))]
    if not match:
        raise InputError(
            f"{path} is not one of this computer's busy calendars",
            hint="'mldsplan busy list' lists them",
            argument="path",
        )

    def change(data: dict[str, Any]) -> dict[str, Any]:
        data[busy.KEY] = [p for p in busy.listed(data) if p not in match]
        return data

    computer.update(session.config_file(), change)
    return [f"removed busy calendar {match[0]} (the file itself is untouched)"]


# --- the week's blocks -----------------------------------------------------


def _kept_path(session: Session, monday: date) -> Path:
    return session.cache().folder / f"blocks-{monday.isoformat()}.json"


def _previous(session: Session, monday: date) -> tuple[list[Placed], dict[str, Any]]:
    """The blocks the last run placed in this week (the stability hint) and each block's
    SEQUENCE; anything unreadable is no hint."""
    from mldsplan.domain.blocks import Placed

    try:
        data = json.loads(_kept_path(session, monday).read_text("utf-8"))
        blocks = [
            Placed(str(b["id"]), str(b["key"]), int(b["start"]), int(b["end"]))
            for b in data["blocks"]
        ]
        seqs = {str(k): v for k, v in data.get("sequence", {}).items()}
        return blocks, seqs
    except (OSError, ValueError, KeyError, TypeError):
        return [], {}


def _keep(
    session: Session, monday: date, blocks: list[Placed], old: list[Placed], seqs: dict[str, Any]
) -> dict[str, int]:
    """Write this week's blocks for the next run; a block whose times changed gets its
    SEQUENCE raised. Failing to write loses only stability, never the plan."""
    from mldsplan.storage.store import write_atomic

    was = {p.id: (p.start, p.end) for p in old}
    sequence: dict[str, int] = {}
    for p in blocks:
        n = int(seqs.get(p.id, 0)) if isinstance(seqs.get(p.id, 0), int) else 0
        if p.id in was and was[p.id] != (p.start, p.end):
            n += 1
        elif p.id not in was and p.id in seqs:
            n += 1  # it came back, elsewhere
        sequence[p.id] = n
    for gone, n in seqs.items():
        sequence.setdefault(gone, int(n) if isinstance(n, int) else 0)
    data = {
        "blocks": [{"id": p.id, "key": p.key, "start": p.start, "end": p.end} for p in blocks],
        "sequence": sequence,
    }
    path = _kept_path(session, monday)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, sort_keys=True).encode("utf-8"))
    except Exception:
        pass
    return sequence


def busy_paths(session: Session, extra: list[Path] | None = None) -> list[str]:
    """This computer's busy calendars, and those given for this run."""
    from mldsplan.storage import busy, computer

    listed = busy.listed(computer.read(session.config_file()))
    return busy.normalised([*listed, *(_absolute(p) for p in extra or [])])


def week_blocks(
    session: Session, week_monday: date, busy_paths_: list[str] | None = None
) -> Schedule:
    """The schedule of the week starting `week_monday` (on today, when that is in it),
    with this computer's busy calendars (or `busy_paths_`): the one function every
    command asks for the week's blocks."""
    schedule, _ = _week(session, week_monday, busy_paths_)
    return schedule


def _week(
    session: Session,
    week_monday: date,
    paths: list[str] | None,
    loaded: tuple[Programme, Progress] | None = None,
) -> tuple[Schedule, dict[str, int]]:
    from mldsplan.domain.blocks import minute, week_schedule
    from mldsplan.domain.dates import monday as monday_of

    programme, record = loaded or session.load()
    zone = session.zone()
    first = monday_of(week_monday)
    on = session.today if first <= session.today <= first + timedelta(days=6) else first
    intervals: list[tuple[int, int]] = []
    count = 0
    if record.windows:
        paths = busy_paths(session) if paths is None else paths
        if paths:
            from mldsplan.storage.busy import read_all

            start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
            found, count = read_all(paths, start, start + timedelta(days=8), zone, session.warn)
            intervals = [(minute(a), minute(b)) for a, b in found]
    old, seqs = _previous(session, first)
    schedule, placed = week_schedule(
        programme,
        record,
        on,
        session.now,
        zone,
        intervals,
        old,
        busy_events=count,
        defer_command=lambda code: f"mldsplan defer {code}",  # a shortfall's option's words
    )
    sequence = _keep(session, first, placed, old, seqs) if record.windows else {}
    return schedule, sequence


def schedule(session: Session, week: str | None, extra: list[Path]) -> Schedule:
    """`schedule [--week DATE] [--busy PATH]...`."""
    day = arguments.day_or(week, session.today, "week")
    for path in extra:
        if not path.is_file():
            raise InputError(
                f"{path} is not a file", hint="give the path of an .ics file", argument="busy"
            )
    return week_blocks(session, day, busy_paths(session, extra))


def block_sequences(
    session: Session, week_monday: date, loaded: tuple[Programme, Progress] | None = None
) -> tuple[Schedule, dict[str, int]]:
    """The week's schedule and each block's SEQUENCE (for the ics export)."""
    return _week(session, week_monday, None, loaded)


def next_block(
    session: Session, loaded: tuple[Programme, Progress] | None = None, ahead: int = 0
) -> Block | None:
    """The block running now or the next one this week (starting within `ahead` minutes,
    when that is positive); None without windows (no calendar is read then)."""
    from mldsplan.domain.errors import FileFormatError

    programme, record = loaded or session.load()
    if not record.windows:
        return None
    try:
        found, _ = _week(session, session.today, None, (programme, record))
    except FileFormatError as exc:  # a broken busy calendar must not stop progress or start
        session.warn(f"{exc.message}; no study block shown ('mldsplan schedule' says more)")
        return None
    return found.next_block(session.now, ahead)


def block_line(block: Block | NextBlock) -> str:
    """`Tue 19:00-20:30 bayesian (Coursework 2, due 2026-11-27)`."""
    serves = (
        f"{block.assessment}, due {block.due.isoformat()}"
        if block.assessment
        else f"term ends {block.due.isoformat()}"
    )
    return f"{block.start:%a %H:%M}-{block.end:%H:%M} {block.code} ({serves})"
