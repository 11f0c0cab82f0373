"""The hours and marks as shown are worked in exact integers (`numbers.exact`, `cents`),
not with `decimal` (about 1 ms of every command to import): held here to the Decimal
arithmetic they replace, on every kind of float, so every output stays the same."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mldsplan.domain import numbers
from mldsplan.domain.constraints import mark_shown

_CENT = Decimal("0.01")


def _decimal(value: float) -> Decimal:
    return Decimal(repr(round(value, 9)))


def old_hundredths(value: float) -> int:
    return int(_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def old_hundredths_parts(values: Sequence[float]) -> list[int]:
    if not values:
        return []
    sign = -1 if sum(values) < 0 else 1
    exact = [_decimal(sign * v) * 100 for v in values]
    floors = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    short = old_hundredths(sign * sum(values)) - sum(floors)
    by_remainder = sorted(range(len(values)), key=lambda i: (floors[i] - exact[i], i))
    for i in by_remainder[: max(0, short)]:
        floors[i] += 1
    return [sign * cents for cents in floors]


def old_mark_shown(value: float, *limits: float) -> str:
    exact, cent = Decimal(repr(value)), Decimal("0.01")
    shown_value = exact.quantize(cent, ROUND_HALF_UP)
    for limit in limits:
        if value < limit <= shown_value:
            shown_value = exact.quantize(cent, ROUND_FLOOR)
        elif shown_value < limit <= value:
            shown_value = exact.quantize(cent, ROUND_CEILING)
    return f"{shown_value:.2f}"


# Every kind of float a record gives: hours and marks, their sums and means, the tiny and
# the huge (repr with an exponent), halves at every place, negative ones and zeros.
floats = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)
halves = st.integers(-(10**9), 10**9).map(lambda n: n / 1000 + 0.0005)
quarters = st.integers(-4000, 4000).map(lambda n: n / 4)
tiny = st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False)
values = floats | halves | quarters | tiny


@given(values)
@example(1.005)
@example(-1.005)
@example(0.125)
@example(1e-05)
@example(1.5e16)
@example(-0.0)
@example(0.1 + 0.2)
@settings(max_examples=2000)
def test_hundredths_as_decimal_rounds_them(value: float) -> None:
    assert numbers.hundredths(value) == old_hundredths(value)


@given(st.lists(floats | quarters | st.floats(0, 24), min_size=1, max_size=8))
@example([50 / 60, 50 / 60, 50 / 60])
@example([0.125, 0.125, 0.25])
@example([-50 / 60, -50 / 60, -1 / 3])
@settings(max_examples=1000)
def test_hours_parts_as_decimal_shares_them(parts: list[float]) -> None:
    if all(v >= 0 for v in parts) or all(v <= 0 for v in parts):  # one sign, as documented
        assert numbers.hundredths_parts(parts) == old_hundredths_parts(parts)


limits = st.sampled_from([40.0, 50.0, 60.0, 70.0, 0.0, 100.0, 0.1, 69.995])


@given(floats | st.floats(0, 100) | halves | tiny, st.lists(limits, max_size=3))
@example(69.995, [70.0])
@example(70.004, [70.0])
@example(-0.001, [0.0])
@example(-0.001, [])
@example(0.1, [0.1])
@settings(max_examples=2000)
def test_mark_shown_as_decimal_shows_it(value: float, near: list[float]) -> None:
    assert mark_shown(value, *near) == old_mark_shown(value, *near)
