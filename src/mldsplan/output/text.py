"""Numbers as every output shows them: the terminal, the page, exports."""

from __future__ import annotations


def hours_text(value: float) -> str:
    """Hours with thousands separators and one decimal at most (1,619.8; 2.5; 2)."""
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def days_left(days: int) -> str:
    """Days to a deadline in words: `in 9 days`, `today`, `2 days overdue`."""
    if days < 0:
        return f"{-days} day{'s' * (days != -1)} overdue"
    return "today" if days == 0 else f"in {days} day{'s' * (days != 1)}"
