"""Durations as people type them, read into hours: `1.5`, `1.5h`, `90m`, `1h30`, `1:30`.

One reading for every place hours are typed (`log HOURS`, `--hours`, `--weekly-hours`,
`init`'s question). Minutes become hours as the timer makes them (minutes / 60), so
`1h20` is stored as the same number a timer of 80 minutes logs. The limits (more than 0,
a day's 24 h, a week's 168 h) are the record's, checked where the value lands.
"""

from __future__ import annotations

import re

FORMS = "1.5, 1.5h, 90m, 1h30 or 1:30"  # what a hint shows

_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"  # ASCII digits only
_HOUR_UNITS = r"(?:h|hr|hrs|hour|hours)"
_MINUTE_UNITS = r"(?:m|min|mins|minute|minutes)"
_SIGN = r"(?P<sign>[+-]?)\s*"
_PLAIN = re.compile(rf"{_SIGN}(?P<hours>{_NUMBER})(?:\s*{_HOUR_UNITS})?", re.IGNORECASE)
_MINUTES = re.compile(rf"{_SIGN}(?P<minutes>{_NUMBER})\s*{_MINUTE_UNITS}", re.IGNORECASE)
_HOURS_MINUTES = re.compile(
    rf"{_SIGN}(?P<hours>[0-9]+)\s*{_HOUR_UNITS}\s*(?P<minutes>[0-9]+)(?:\s*{_MINUTE_UNITS})?",
    re.IGNORECASE,
)
_CLOCK = re.compile(rf"{_SIGN}(?P<hours>[0-9]+):(?P<minutes>[0-9]{{2}})")
MINUTES_AN_HOUR = 60


class DurationError(ValueError):
    """A duration that cannot be read; the message says why, without naming the argument."""


def parse_hours(text: str) -> float:
    """Hours from a duration as typed: `1.5` or `1.5h` (hours), `90m` (minutes),
    `1h30` or `1:30` (hours and minutes, the minutes below 60). A sign is kept, so that
    the record's own limit refuses `-1` in its words."""
    typed = text.strip()
    if match := _PLAIN.fullmatch(typed):
        hours = float(match["hours"])
    elif match := _MINUTES.fullmatch(typed):
        hours = float(match["minutes"]) / MINUTES_AN_HOUR
    elif match := _HOURS_MINUTES.fullmatch(typed) or _CLOCK.fullmatch(typed):
        minutes = int(match["minutes"])
        if minutes >= MINUTES_AN_HOUR:
            raise DurationError(
                f"'{typed}' has {minutes} minutes; the minutes must be below {MINUTES_AN_HOUR}"
            )
        hours = (int(match["hours"]) * MINUTES_AN_HOUR + minutes) / MINUTES_AN_HOUR
    else:
        raise DurationError(f"'{typed}' is not a duration")
    return -hours if match["sign"] == "-" else hours
