"""The one place mldsplan reads the clock (tests replace `now`)."""

from __future__ import annotations

from datetime import date, datetime


def now() -> datetime:
    """The current local time, aware of its UTC offset."""
    return datetime.now().astimezone()


def today() -> date:
    return now().date()
