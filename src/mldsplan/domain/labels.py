"""The words of the two "needed" figures (SPEC §4), one place for every output.

"Needed this week" is the week's plan (`weekplan`): this week's share of each module's
hours, driven by its deadlines. "Needed a week to finish on time" is the hours left
spread evenly to an end (`required_weekly_hours`: the programme's end; a term's needed
load: the term's end). Two questions with two answers; each is always labelled.
"""

from __future__ import annotations

from datetime import date

from mldsplan.domain.numbers import hours_text

NEEDED_THIS_WEEK = "Needed this week"
NEEDED_A_WEEK = "Needed a week to finish on time"


def needed_this_week(total: float, available: float) -> str:
    """`Needed this week: 131.71 of 21 h` (the week's plan against the hours available)."""
    return f"{NEEDED_THIS_WEEK}: {hours_text(total)} of {hours_text(available)} h"


def needed_a_week(hours: float | None, end: date) -> str:
    """`Needed a week to finish on time: 36.6 h, to 2027-09-30` (the programme's end)."""
    if hours is None:
        return f"{NEEDED_A_WEEK}: none; the programme's end ({end}) has passed"
    return f"{NEEDED_A_WEEK}: {hours_text(hours)} h, to the programme's end {end}"


def term_needed_a_week(year: int, term: int, hours: float) -> str:
    """`year 2 term 1: 51.26 h needed a week to finish on time` (a term's needed load: its
    hours still to do over its weeks left)."""
    return f"year {year} term {term}: {hours_text(hours)} h {NEEDED_A_WEEK.lower()}"
