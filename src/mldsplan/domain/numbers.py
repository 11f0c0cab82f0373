"""Numbers in words, one format for everything a person reads: the terminal, the page,
markdown, calendar descriptions, and the domain's own sentences (what `undo` undid).

Hours are shown to two decimals at most, trailing zeros dropped and thousands separated
(1,619.75; 1.25; 1.5; 2), rounded half up: 75 minutes is 1.25 and 0.125 h is 0.13, never
the half-to-even 0.12 of Python's `round` and format specifiers. Data formats (CSV, JSON)
carry plain numbers instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")
_NOISE = 9  # float noise is dropped at this many decimals (0.1 + 0.2) before rounding


def _decimal(value: float) -> Decimal:
    return Decimal(repr(round(value, _NOISE)))


def hundredths(value: float) -> int:
    """Hours in hundredths, rounded half up (away from zero): 1.005 -> 101, 1.25 -> 125."""
    return int(_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def hundredths_text(cents: int) -> str:
    """Hundredths of an hour as `hours_text` shows them: 161975 -> 1,619.75."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}" + (f".{part:02d}".rstrip("0") if part else "")


def count_text(n: int, one: str, many: str) -> str:
    """`n` things, in the number's own grammar: "1 completion", "2 completions"."""
    return f"{n} {one if n == 1 else many}"


def hours_text(value: float) -> str:
    """Hours with thousands separators and two decimals at most (1,619.75; 1.25; 1.5; 2)."""
    return hundredths_text(hundredths(value))


def hours_parts(values: Sequence[float]) -> list[str]:
    """`values` as shown next to their total, `hours_text(sum(values))`: each part rounded
    so that the parts shown add up to the total shown (largest remainders get the
    hundredths that rounding each alone would lose or add; three 50-minute entries are
    0.84, 0.83 and 0.83 beside 2.5, not three 0.83). All parts must have one sign."""
    return [hundredths_text(cents) for cents in hundredths_parts(values)]


def hundredths_parts(values: Sequence[float]) -> list[int]:
    """`hours_parts` in hundredths, for a figure shown beside them (what is left of one)."""
    if not values:
        return []
    sign = -1 if sum(values) < 0 else 1
    exact = [_decimal(sign * v) * 100 for v in values]
    floors = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    short = hundredths(sign * sum(values)) - sum(floors)
    by_remainder = sorted(range(len(values)), key=lambda i: (floors[i] - exact[i], i))
    for i in by_remainder[: max(0, short)]:
        floors[i] += 1
    return [sign * cents for cents in floors]


def days_left(days: int) -> str:
    """Days to a deadline in words: `in 9 days`, `today`, `2 days overdue`."""
    if days < 0:
        return f"{-days} day{'s' * (days != -1)} overdue"
    return "today" if days == 0 else f"in {days} day{'s' * (days != 1)}"
