"""Numbers as every output shows them: the terminal, the page, exports."""

from __future__ import annotations


def hours_text(value: float) -> str:
    """Hours with thousands separators and one decimal at most (1,619.8; 2.5; 2)."""
    return f"{value:,.1f}".rstrip("0").rstrip(".")
