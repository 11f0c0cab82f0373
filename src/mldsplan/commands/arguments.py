"""The values a student types, as the domain takes them: codes, dates, times of day."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

from mldsplan.domain.dates import DateError, latest_wall_time, parse_day, wall_time
from mldsplan.domain.errors import InputError
from mldsplan.domain.programme import Programme, resolve_code

_TIME = re.compile(r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})")  # ASCII digits only
_DAY_TIME = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
)


def codes(programme: Programme, typed: list[str], argument: str = "code") -> list[str]:
    """Module codes as typed (any case, a unique prefix), each once, in order."""
    found = [resolve_code(programme, t, argument) for t in typed]
    return list(dict.fromkeys(found))


def code(programme: Programme, typed: str, argument: str = "code") -> str:
    return resolve_code(programme, typed, argument)


def day(text: str, argument: str = "on") -> date:
    try:
        return parse_day(text)
    except DateError as exc:
        raise InputError(str(exc), hint="for example 2026-11-25", argument=argument) from None


def day_or(text: str | None, today: date, argument: str = "on") -> date:
    """A date typed, or today without one (the domain refuses a future one where it must)."""
    return today if text is None else day(text, argument)


def at(text: str | None, now: datetime, zone: tzinfo) -> tuple[datetime, str | None]:
    """`--at` as an instant in `zone`, with a note when the time happened twice; now without it.

    `HH:MM` is the most recent such time up to now (at 00:30, 23:50 is yesterday's);
    `YYYY-MM-DDTHH:MM` is that day's. Either is read as a clock in `zone` showed it
    that day, so a daylight-saving change between then and now counts.
    """
    if text is None:
        return now.replace(microsecond=0), None
    typed = text.strip()
    match = _TIME.fullmatch(typed) or _DAY_TIME.fullmatch(typed)
    if not match or int(match["hour"]) > 23 or int(match["minute"]) > 59:
        raise InputError(
            f"'{text}' is not a time as HH:MM or YYYY-MM-DDTHH:MM",
            hint="for example 19:30, or 2026-11-24T19:30 for another day",
            argument="at",
        )
    hour, minute = int(match["hour"]), int(match["minute"])
    try:
        if "day" not in match.groupdict():
            return latest_wall_time(now, hour, minute, zone)
        return wall_time(day(match["day"], "at"), hour, minute, zone)
    except DateError as exc:
        raise InputError(
            str(exc),
            hint="give a time the clock showed that day, before or after the change",
            argument="at",
        ) from None


def still_to_come(text: str | None, moment: datetime, now: datetime) -> bool:
    """Whether `--at HH:MM` was read as yesterday's because today's is still to come."""
    return (
        text is not None
        and _TIME.fullmatch(text.strip()) is not None
        and moment.astimezone(now.tzinfo).date() < now.date()
    )


def assumptions(programme: Programme, typed: list[str]) -> dict[str, float]:
    """`--assume CODE=MARK`s as {code: mark}."""
    assumed: dict[str, float] = {}
    for item in typed:
        typed_code, sep, value = item.partition("=")
        if not sep or not typed_code.strip() or not value.strip():
            raise InputError(
                f"'{item}' is not CODE=MARK",
                hint="for example --assume project=70",
                argument="assume",
            )
        try:
            mark = float(value)
        except ValueError:
            raise InputError(f"'{value}' in '{item}' is not a number", argument="assume") from None
        resolved = code(programme, typed_code, "assume")
        if resolved in assumed:
            raise InputError(f"{resolved} is given twice", argument="assume")
        assumed[resolved] = mark
    return assumed


def term(programme: Programme, text: str) -> tuple[int, int]:
    from mldsplan.domain.rules import term_from_key

    try:
        return term_from_key(text, programme)
    except ValueError as exc:
        raise InputError(str(exc), argument="term") from None
