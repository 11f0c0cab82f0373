"""Dates as the student types them and as the files hold them: strict, in range."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from mldsplan.domain.constraints import MONTH_PATTERN

_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # ASCII digits only
_MONTH = re.compile(MONTH_PATTERN)
# Every date mldsplan stores or is given lies in these years, so that no
# week, term or finish-date arithmetic can leave Python's date range.
FIRST_YEAR = 1970
LAST_YEAR = 2199


class DateError(ValueError):
    """A date or month that is malformed, does not exist, or is out of range."""


def _in_range(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateError(f"{day} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return day


def parse_day(text: str) -> date:
    """`YYYY-MM-DD` only (not `20261020` or `2026W443`), a day that exists, in range."""
    match = _DAY.fullmatch(text)
    if not match:
        raise DateError(f"'{text}' is not a date as YYYY-MM-DD")
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise DateError(f"'{text}': no such day") from None
    return _in_range(day)


def parse_month(text: str) -> date:
    """`YYYY-MM` as the first day of that month."""
    text = text.strip()
    if not _MONTH.fullmatch(text):
        raise DateError(f"'{text}' is not a month as YYYY-MM")
    return _in_range(date(int(text[:4]), int(text[5:7]), 1))


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_first - timedelta(days=1)).day))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of `day`'s ISO week."""
    first = day - timedelta(days=day.weekday())
    return first, first + timedelta(days=6)


def weeks_between(first: date, last: date) -> float:
    """The weeks from `first` to `last`, both days counted: their days over 7."""
    return ((last - first).days + 1) / 7


def whole_minute_offset(moment: datetime) -> bool:
    """Whether `moment` has a UTC offset of whole minutes: TOML writes one as +HH:MM,
    so an offset with seconds (a zone's local mean time of old) cannot be stored."""
    offset = moment.utcoffset()
    return offset is not None and not offset % timedelta(minutes=1)


def wall_time(day: date, hour: int, minute: int, zone: tzinfo) -> tuple[datetime, str | None]:
    """The instant a clock in `zone` showed `hour:minute` on `day`, with its own UTC offset.

    The offset is that of the time itself, not of today, so a time across a
    daylight-saving change is right. A time that happened twice (the clocks went
    back) is taken the first time, and the note says so; a time that never
    happened (the clocks went forward) is a DateError.
    """
    wall = datetime.combine(day, time(hour, minute), tzinfo=zone)
    offset = wall.utcoffset()
    assert offset is not None  # an aware time of a real zone
    if not _exists(wall):
        skipped_from, skipped_to = _gap(wall)
        raise DateError(
            f"{hour:02d}:{minute:02d} did not exist on {day}: the clocks went forward"
            f" from {skipped_from:%H:%M} to {skipped_to:%H:%M}"
        )
    note = None
    if wall.replace(fold=1).utcoffset() != offset:
        later = wall.replace(fold=1).utcoffset()
        note = (
            f"{hour:02d}:{minute:02d} happened twice on {day} (the clocks went back);"
            f" taken as the first, UTC{_offset_text(offset)} (not UTC{_offset_text(later)})"
        )
    return wall.astimezone(timezone(offset)), note


def latest_wall_time(
    now: datetime, hour: int, minute: int, zone: tzinfo
) -> tuple[datetime, str | None]:
    """The most recent moment, up to `now`, at which a clock in `zone` showed `hour:minute`.

    Today's if it has come (23:50 at 23:55), else yesterday's (23:50 at 00:30), each
    read by `wall_time` for its own date. A time the clocks skipped today, before
    now, is a DateError: the student means a time that never was.
    """
    local = now.astimezone(zone)
    today = local.date()
    try:
        moment: datetime | None
        moment, note = wall_time(today, hour, minute, zone)
    except DateError:
        if time(hour, minute) <= local.time():
            raise
        moment, note = None, None  # skipped later today: yesterday's is the latest
    if moment is not None and moment <= now:
        return moment, note
    return wall_time(today - timedelta(days=1), hour, minute, zone)


def _exists(wall: datetime) -> bool:
    """Whether a clock in `wall`'s zone ever showed `wall` (not skipped going forward)."""
    back = wall.astimezone(UTC).astimezone(wall.tzinfo)
    return back.replace(tzinfo=None) == wall.replace(tzinfo=None)


def _gap(wall: datetime) -> tuple[datetime, datetime]:
    """The wall times a forward change skipped around `wall`: [first skipped, first shown)."""
    zone = wall.tzinfo
    before = wall.replace(fold=0).utcoffset()  # zoneinfo: the offset before the change
    after = wall.replace(fold=1).utcoffset()  # and the one after it
    assert before is not None and after is not None and after > before
    # The change's UTC instant is after `low` (still `before`) and at most `high`.
    low = wall.replace(tzinfo=None) - after
    minutes = round((after - before).total_seconds() / 60)
    first, last = 0, minutes  # in whole minutes after `low`
    while last - first > 1:
        middle = (first + last) // 2
        moment = (low + timedelta(minutes=middle)).replace(tzinfo=UTC)
        if moment.astimezone(zone).utcoffset() == after:
            last = middle
        else:
            first = middle
    change = low + timedelta(minutes=last)
    return change + before, change + after


def _offset_text(offset: timedelta | None) -> str:
    minutes = round((offset or timedelta()).total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def json_default(value: object) -> str:
    """A date or date-time in JSON (`json.dumps(default=...)`): ISO text, as the files hold it."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
