"""Busy time from the student's own calendars (`.ics` files), for the study blocks.

The only module that imports the calendar libraries (icalendar, recurring-ical-events,
x-wr-timezone), and only when a calendar is read: a command that reads none imports
none. Repeating events are expanded with their exceptions (RRULE, RDATE, EXDATE,
moved occurrences by RECURRENCE-ID), each in its own zone (Google's X-WR-TIMEZONE
made standard first); a date-only (all-day) event is busy from its first day's
midnight to its end date's midnight in the student's zone, as is a floating time read
there. Cancelled and transparent events are free.

The paths are per computer (`storage.computer`, key "busy"), never in the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from mldsplan.domain.errors import FileFormatError

KEY = "busy"


def listed(config: dict[str, Any]) -> list[str]:
    """The busy calendars this computer reads, as they were added (absolute paths)."""
    found = config.get(KEY, [])
    return [p for p in found if isinstance(p, str)] if isinstance(found, list) else []


def _instant(value: date | datetime, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def intervals(
    path: Path, start: datetime, end: datetime, zone: tzinfo
) -> list[tuple[datetime, datetime]]:
    """The busy (opaque, not cancelled) events of one calendar file that overlap
    [start, end), as aware (start, end) pairs; a file that is not a calendar is an error
    naming it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse(raw, start, end, zone, str(path))


_MARGIN = timedelta(days=2)  # more than any zone's offset, on either side
_REPEATS = ("RRULE", "RDATE", "EXRULE", "RECURRENCE-ID")


def _day_of(value: str) -> date | None:
    """The date of a DTSTART/DTEND line's value (`20261019T190000`), or None."""
    digits = value.rpartition(":")[2][:8]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def relevant(text: str, start: datetime, end: datetime) -> str:
    """`text` without the single events that lie days away from [start, end): a year of
    meetings parses in a fraction of the time. A repeating event, a moved occurrence and
    anything not plainly dated stays, for the calendar libraries to judge."""
    first, last = (start - _MARGIN).date(), (end + _MARGIN).date()
    parts = text.split("BEGIN:VEVENT")
    kept = parts[0]
    for part in parts[1:]:
        event, _, rest = part.partition("END:VEVENT")
        body = event.replace("\r\n ", "").replace("\r\n\t", "")
        body = body.replace("\n ", "").replace("\n\t", "")
        lines = {line.split(":", 1)[0].split(";", 1)[0].upper(): line for line in body.splitlines()}
        if not set(lines) & {*_REPEATS, "DURATION"}:
            begins = _day_of(lines.get("DTSTART", ""))
            ends = _day_of(lines.get("DTEND", "")) or begins
            if begins is not None and ends is not None and (begins > last or ends < first):
                kept += rest.lstrip("\r\n")  # what follows the event (END:VCALENDAR)
                continue
        kept += "BEGIN:VEVENT" + part
    return kept


def parse(
    raw: bytes, start: datetime, end: datetime, zone: tzinfo, name: str = "calendar"
) -> list[tuple[datetime, datetime]]:
    import icalendar
    import recurring_ical_events  # type: ignore[import-untyped]  # ships no types
    import x_wr_timezone  # type: ignore[import-untyped]  # ships no types

    try:
        text = relevant(raw.decode("utf-8-sig"), start, end)
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
        if not calendars:
            raise ValueError("no VCALENDAR in it")
        found: list[tuple[datetime, datetime]] = []
        for calendar in calendars:
            standard = x_wr_timezone.to_standard(calendar)
            events = recurring_ical_events.of(standard, skip_bad_series=False).between(
                start - timedelta(days=1), end + timedelta(days=1)
            )
            for event in events:
                if str(event.get("STATUS", "")).upper() == "CANCELLED":
                    continue
                if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
                    continue
                if "DTSTART" not in event:
                    continue
                first = event.decoded("DTSTART")
                if "DTEND" in event:
                    last = event.decoded("DTEND")
                elif "DURATION" in event:
                    last = first + event.decoded("DURATION")
                elif isinstance(first, datetime):
                    last = first  # an instant: busy for no time
                else:
                    last = first + timedelta(days=1)
                a, b = _instant(first, zone), _instant(last, zone)
                if b > a and a < end and b > start:
                    found.append((a, b))
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
    ) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FileFormatError(
            f"{name}: is not a calendar mldsplan can read ({text[:160]})",
            hint="export it again from your calendar app as .ics, or remove it with"
            " 'mldsplan busy remove'",
        ) from None
    return found


def read_all(
    paths: Sequence[str | Path],
    start: datetime,
    end: datetime,
    zone: tzinfo,
    warn: Any,
) -> tuple[list[tuple[datetime, datetime]], int]:
    """Every listed calendar's busy intervals, and how many events; a missing file is
    a warning (the rest still plans), a broken one an error."""
    found: list[tuple[datetime, datetime]] = []
    for given in dict.fromkeys(str(p) for p in paths):
        path = Path(given)
        if not path.exists():
            warn(f"busy calendar {path} is not on this computer; planned without it")
            continue
        found += intervals(path, start, end, zone)
    return found, len(found)


def normalised(paths: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(paths))
