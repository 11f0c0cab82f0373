"""The student's study windows (`available set "mon-fri 19:00-22:00"`) and block bounds.

Pure: parsing and formatting. A WINDOW is `DAYS HH:MM-HH:MM`, DAYS a day (`mon`),
a range (`mon-fri`, wrapping: `sat-mon`), a list (`sat,sun`, items may be ranges),
`daily`, `weekdays` or `weekends`; the end is after the start on the same day
(`24:00` is the day's end). Stored normalised, so one window reads one way on every
computer: days as ranges and lists (`mon-fri`, `sat,sun`, `daily`).
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SETS = {
    "daily": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
}
DEFAULT_BLOCKS = (45, 120)  # minutes
MIN_BLOCK = 15  # the shortest block bound a student may set, in minutes
MAX_BLOCK = 8 * 60
_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")


class WindowError(ValueError):
    """Why a window or block bounds do not parse (the student's words)."""


class Window(NamedTuple):
    days: frozenset[int]  # 0 = Monday
    start: int  # minutes after midnight
    end: int  # minutes after midnight, > start, at most 24 * 60

    @property
    def minutes_a_week(self) -> int:
        return len(self.days) * (self.end - self.start)


def _day(text: str) -> int:
    if text not in DAYS:
        raise WindowError(f"'{text}' is not a day (mon, tue, wed, thu, fri, sat, sun)")
    return DAYS.index(text)


def _days(text: str) -> frozenset[int]:
    if text in _SETS:
        return _SETS[text]
    days: set[int] = set()
    for item in text.split(","):
        if not item:
            raise WindowError(f"'{text}' has an empty day in its list")
        if "-" in item:
            first, _, last = item.partition("-")
            a, b = _day(first), _day(last)
            days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
        else:
            days.add(_day(item))
    return frozenset(days)


def _minutes(text: str) -> int:
    found = _TIME.match(text)
    if not found:
        raise WindowError(f"'{text}' is not a time HH:MM")
    hours, minutes = int(found.group(1)), int(found.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise WindowError(f"'{text}' is not a time of day")
    return hours * 60 + minutes


def parse_window(text: str) -> Window:
    """`DAYS HH:MM-HH:MM`, case and extra spaces forgiven."""
    parts = text.strip().lower().split()
    if len(parts) != 2 or parts[1].count("-") != 1:
        raise WindowError(f"'{text}' is not DAYS HH:MM-HH:MM (for example mon-fri 19:00-22:00)")
    first, _, last = parts[1].partition("-")
    start, end = _minutes(first), _minutes(last)
    if start == 24 * 60:
        raise WindowError(f"'{text}' starts at the day's end")
    if end <= start:
        raise WindowError(f"'{text}' ends before it starts (a window stays within one day)")
    return Window(_days(parts[0]), start, end)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def days_text(days: frozenset[int]) -> str:
    """`daily`, else runs of three or more days as ranges (`mon-fri`), others listed."""
    if len(days) == 7:
        return "daily"
    ordered = sorted(days)
    runs: list[list[int]] = []
    for d in ordered:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
        else:
            parts.extend(DAYS[d] for d in run)
    return ",".join(parts)


def format_window(w: Window) -> str:
    return f"{days_text(w.days)} {_clock(w.start)}-{_clock(w.end)}"


def normalise(text: str) -> str:
    return format_window(parse_window(text))


def parse_blocks(text: str | None) -> tuple[int, int]:
    """`MIN-MAX` minutes (None: the default, 45-120)."""
    if text is None:
        return DEFAULT_BLOCKS
    found = re.fullmatch(r"\s*([0-9]{1,4})\s*-\s*([0-9]{1,4})\s*", text)
    if not found:
        raise WindowError(f"'{text}' is not MIN-MAX minutes (for example 45-120)")
    low, high = int(found.group(1)), int(found.group(2))
    if low < MIN_BLOCK or high > MAX_BLOCK:
        raise WindowError(f"'{text}': a block is {MIN_BLOCK} to {MAX_BLOCK} minutes")
    if high < low:
        raise WindowError(f"'{text}': the longest block is shorter than the shortest")
    return low, high


def format_blocks(bounds: tuple[int, int]) -> str:
    return f"{bounds[0]}-{bounds[1]}"


def suggest(weekly_hours: float) -> list[str]:
    """Windows that add up to at least `weekly_hours`: weekday evenings 19:00-22:00 at
    most, then weekend days from 09:00 (to 22:00 at most), then weekday evenings that
    start earlier."""
    minutes = max(60, math.ceil(weekly_hours * 2 - 1e-9) * 30)  # whole half hours, up

    def halves(total: int, days: int) -> int:
        return -(-total // days // 30) * 30

    evening = min(180, halves(minutes, 5))
    weekend = min(13 * 60, halves(max(0, minutes - 5 * evening), 2))
    rest = minutes - 5 * evening - 2 * weekend
    if rest > 0:
        evening = min(22 * 60, evening + halves(rest, 5))  # a day holds no more
    found = [
        f"mon-fri {_clock(22 * 60 - evening)}-22:00"
        if evening > 180
        else f"mon-fri 19:00-{_clock(19 * 60 + evening)}"
    ]
    if weekend:
        found.append(f"sat,sun 09:00-{_clock(9 * 60 + weekend)}")
    return found
