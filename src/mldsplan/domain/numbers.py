"""Numbers in words, one format for everything a person reads: the terminal, the page,
markdown, calendar descriptions, and the domain's own sentences (what `undo` undid).

Hours are shown to two decimals at most, trailing zeros dropped and thousands separated
(1,619.75; 1.25; 1.5; 2), rounded half up: 75 minutes is 1.25 and 0.125 h is 0.13, never
the half-to-even 0.12 of Python's `round` and format specifiers. Data formats (CSV, JSON)
carry plain numbers instead.
"""

from __future__ import annotations

from collections.abc import Sequence

_NOISE = 9  # float noise is dropped at this many decimals (0.1 + 0.2) before rounding

# The decimals a float's repr writes are worked in exact integers: `value` is
# digits / 10**scale. (Decimal gives the same; importing it costs about 1 ms of every
# command, tests/test_hours_text.py holds these to it.)


def exact(value: float) -> tuple[int, int]:
    """The number `repr(value)` writes, exactly, as (digits, scale): digits / 10**scale."""
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    return int(whole + fraction), len(fraction) - int(exponent or 0)


def cents(value: float, rounding: str = "half_up") -> int:
    """The number `repr(value)` writes, in hundredths: rounded "half_up" (away from
    zero), "floor" or "ceiling"."""
    digits, scale = exact(value)
    if scale <= 2:
        return digits * int(10 ** (2 - scale))
    unit = int(10 ** (scale - 2))
    whole, part = divmod(digits, unit)  # floored: 0 <= part < unit
    if rounding == "floor" or part == 0:
        return whole
    if rounding == "ceiling":
        return whole + 1
    # Half up, away from zero: a positive value rounds up at a half or more; a negative
    # one's floor is one below its truncation, so it rounds back up past a half only.
    return whole + 1 if (2 * part >= unit if digits >= 0 else 2 * part > unit) else whole


def hundredths(value: float) -> int:
    """Hours in hundredths, rounded half up (away from zero): 1.005 -> 101, 1.25 -> 125."""
    return cents(round(value, _NOISE))


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
    parts = [exact(round(sign * v, _NOISE)) for v in values]
    floors = [cents(round(sign * v, _NOISE), "floor") for v in values]
    # What each part's hundredths lose to the floor, over one common denominator.
    scale = max(2, *(s for _, s in parts))
    lost = [
        d * 10 ** (scale - s) - f * 10 ** (scale - 2)
        for (d, s), f in zip(parts, floors, strict=True)
    ]
    short = hundredths(sign * sum(values)) - sum(floors)
    by_remainder = sorted(range(len(values)), key=lambda i: (-lost[i], i))
    for i in by_remainder[: max(0, short)]:
        floors[i] += 1
    return [sign * cents for cents in floors]


def days_left(days: int) -> str:
    """Days to a deadline in words: `in 9 days`, `today`, `2 days overdue`."""
    if days < 0:
        return f"{-days} day{'s' * (days != -1)} overdue"
    return "today" if days == 0 else f"in {days} day{'s' * (days != 1)}"
