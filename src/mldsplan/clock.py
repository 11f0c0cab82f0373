"""The one place mldsplan reads the clock.

`MLDSPLAN_NOW` (an ISO date-time with its UTC offset) stands in for the
clock: the tests set it, and a student can use it to ask "what if it were
then". Tests in the same process replace `now` itself.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo

NOW_ENV = "MLDSPLAN_NOW"


def now() -> datetime:
    """The current local time, aware of its UTC offset."""
    given = os.environ.get(NOW_ENV)
    if given:
        try:
            moment = datetime.fromisoformat(given)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            from mldsplan.domain.errors import InputError

            raise InputError(f"{NOW_ENV}: '{given}' is not a date-time with a UTC offset")
        from mldsplan.domain.dates import FIRST_YEAR, LAST_YEAR, whole_minute_offset

        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            from mldsplan.domain.errors import InputError

            raise InputError(f"{NOW_ENV}: {given} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
        if not whole_minute_offset(moment):
            from mldsplan.domain.errors import InputError

            raise InputError(
                f"{NOW_ENV}: '{given}' has a UTC offset with seconds",
                hint="give the offset as +HH:MM or -HH:MM",
            )
        return moment
    return datetime.now().astimezone()


def local_zone(now: datetime) -> tzinfo:
    """The student's time zone: TZ's zone name, else /etc/localtime, else `now`'s offset.

    Wall times (`--at 00:30`) are resolved in it for their own date, so that a
    daylight-saving change between that time and now counts. A TZ that names no
    zone (a POSIX rule such as `EST+5EDT`, a path) is libc's business, not
    /etc/localtime's: then `now`'s own offset is all we can trust.
    """
    from zoneinfo import ZoneInfo

    fixed = now.tzinfo
    assert fixed is not None  # `now` is always aware
    name = os.environ.get("TZ")
    if name is not None:
        try:
            return ZoneInfo(name.removeprefix(":"))
        except (ValueError, OSError, KeyError):
            return fixed
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (ValueError, OSError):
        return fixed
