"""Study blocks (SPEC §4), in-process: the placement's invariants as Hypothesis properties,
the windows' text, and stability against the last schedule."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mldsplan.domain.blocks import (
    QUANTUM,
    Demand,
    Placed,
    free_time,
    place,
    placed_minutes,
    subtract,
)
from mldsplan.domain.windows import (
    Window,
    WindowError,
    format_window,
    normalise,
    parse_blocks,
    parse_window,
    suggest,
)

DAY = 24 * 60

# --- windows -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("mon-fri 19:00-22:00", "mon-fri 19:00-22:00"),
        ("Mon 7:30-9:00", "mon 07:30-09:00"),
        ("sat,sun 09:30-13:00", "sat,sun 09:30-13:00"),
        ("weekends 09:30-13:00", "sat,sun 09:30-13:00"),
        ("daily 06:00-07:00", "daily 06:00-07:00"),
        ("sat-mon 10:00-12:00", "mon,sat,sun 10:00-12:00"),
        ("tue,wed,thu 18:00-24:00", "tue-thu 18:00-24:00"),
        ("weekdays 19:00-22:00", "mon-fri 19:00-22:00"),
    ],
)
def test_a_window_reads_and_is_stored_normalised(text: str, shown: str) -> None:
    assert normalise(text) == shown
    assert normalise(shown) == shown  # normalised text reads back as itself


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("mon-fri 22:00-19:00", "ends before it starts"),
        ("mon 19:00-19:00", "ends before it starts"),
        ("funday 19:00-20:00", "'funday' is not a day"),
        ("mon 19:00", "is not DAYS HH:MM-HH:MM"),
        ("mon 25:00-26:00", "is not a time of day"),
        ("mon 19:60-20:00", "is not a time of day"),
        ("mon, 19:00-20:00", "empty day"),
        ("", "is not DAYS"),
    ],
)
def test_a_bad_window_says_why(text: str, says: str) -> None:
    with pytest.raises(WindowError, match=says):
        parse_window(text)


@pytest.mark.parametrize(
    ("text", "bounds"), [(None, (45, 120)), ("30-90", (30, 90)), (" 60 - 60 ", (60, 60))]
)
def test_block_bounds(text: str | None, bounds: tuple[int, int]) -> None:
    assert parse_blocks(text) == bounds


@pytest.mark.parametrize("text", ["90-30", "5-60", "30-600", "thirty", "30-"])
def test_bad_block_bounds(text: str) -> None:
    with pytest.raises(WindowError):
        parse_blocks(text)


@given(st.frozensets(st.integers(0, 6), min_size=1), st.integers(0, 95), st.integers(1, 96))
def test_window_text_round_trips(days: frozenset[int], start: int, length: int) -> None:
    w = Window(days, start * 15, min(24 * 60, start * 15 + length * 15))
    if w.end <= w.start:
        return
    assert parse_window(format_window(w)) == w


@given(st.floats(1, 130))
def test_suggested_windows_add_up_to_the_weekly_hours(hours: float) -> None:
    total = sum(parse_window(w).minutes_a_week for w in suggest(hours))
    assert total >= hours * 60 - 1e-6


# --- placement properties ----------------------------------------------------


@st.composite
def weeks(draw: st.DrawFn) -> tuple[list[Demand], list[tuple[int, int]], tuple[int, int], int]:
    low = draw(st.sampled_from([15, 30, 45, 60]))
    high = draw(st.integers(low // 5, 36).map(lambda n: max(low, n * 5)))
    windows = []
    for day in range(7):
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.integers(6 * 12, 22 * 12)) * 5
            length = draw(st.integers(3, 60)) * 5
            windows.append((day * DAY + start, day * DAY + min(DAY, start + length)))
    busy = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, 7 * DAY // 5)) * 5 + draw(st.integers(0, 4))
        busy.append((start, start + draw(st.integers(5, 300))))
    now = draw(st.integers(0, 3 * DAY))
    merged = subtract(sorted(_merge(windows)), [])
    free = subtract(merged, [*busy, (-(10**9), -(-now // QUANTUM) * QUANTUM)])
    demands = []
    for i in range(draw(st.integers(1, 4))):
        due = draw(st.integers(0, 7))
        demands.append(
            Demand(
                key=f"m{i}/a",
                code=f"m{i}",
                assessment="a",
                due=_date(due),
                minutes=draw(st.integers(1, 120)) * 5,
                ends=min(due + 1, 7) * DAY,
                after_week=due == 7,
            )
        )
    return demands, free, (low, high), now


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _date(offset: int):  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    return date(2026, 12, 7) + timedelta(days=offset)


def _room(free: list[tuple[int, int]], blocks: list[Placed], before: int, low: int) -> bool:
    """Whether a block of `low` minutes still fits (on a 5-minute mark) before `before`."""
    for a, b in subtract(free, [(p.start, p.end) for p in blocks]):
        start = -(-a // QUANTUM) * QUANTUM
        if min(b, before) - start >= low:
            return True
    return False


def check_invariants(
    demands: list[Demand],
    free: list[tuple[int, int]],
    bounds: tuple[int, int],
    blocks: list[Placed],
) -> None:
    low, high = bounds
    by_key = {d.key: d for d in demands}
    ordered = sorted(blocks, key=lambda p: p.start)
    for p in ordered:
        assert any(a <= p.start and p.end <= b for a, b in free), (p, free)  # in a window, free
        assert low <= p.end - p.start <= high
        assert p.end <= by_key[p.key].ends  # before its deadline's day ends
    for x, y in itertools.pairwise(ordered):
        assert x.end <= y.start  # no two blocks overlap
    placed = placed_minutes(demands, blocks)
    order = {d.key: (d.due, d.code, d.key) for d in demands}
    for d in demands:
        short = d.minutes - placed[d.key]
        assert 0 <= short <= d.minutes
        if short:
            # short only when no block fits before its deadline any more ...
            assert not _room(free, blocks, d.ends, low), (d, blocks)
            # ... and never while a later deadline took time before it
            assert not any(order[p.key] > order[d.key] and p.start < d.ends for p in blocks)
    assert len({p.id for p in blocks}) == len(blocks)


@settings(max_examples=400, deadline=None)
@given(weeks())
def test_placement_invariants(week) -> None:  # type: ignore[no-untyped-def]
    demands, free, bounds, _ = week
    blocks = place(demands, free, bounds)
    check_invariants(demands, free, bounds, blocks)
    assert place(demands, free, bounds, blocks) == blocks  # re-running moves nothing


def _moved(old: list[Placed], new: list[Placed]) -> int:
    kept = set(new)
    return sum(p not in kept for p in old)


@settings(max_examples=300, deadline=None)
@given(weeks(), st.data())
def test_one_busy_hour_moves_at_most_two_blocks(week, data) -> None:  # type: ignore[no-untyped-def]
    demands, free, bounds, _ = week
    old = place(demands, free, bounds)
    if not old:
        return
    hit = data.draw(st.sampled_from(old))
    at = data.draw(st.integers(hit.start - 55, hit.end - 5))
    # a new busy hour over one block (SPEC: "one busy hour over one block")
    assume(sum(p.start < at + 60 and at < p.end for p in old) == 1)
    after = subtract(free, [(at, at + 60)])
    new = place(demands, after, bounds, old)
    check_invariants(demands, after, bounds, new)
    short_before = any(
        v < d.minutes for d, v in zip(demands, placed_minutes(demands, old).values(), strict=True)
    )
    if not short_before and not _fresh(demands, after, bounds, old, new):
        assert _moved(old, new) <= 2, (old, new)


def _fresh(demands, free, bounds, old, new) -> bool:  # type: ignore[no-untyped-def]
    """Whether keeping the last blocks would have broken earliest-deadline-first (then
    the week is placed afresh, by design)."""
    return new == place(demands, free, bounds) and _moved(old, new) > 2


@settings(max_examples=300, deadline=None)
@given(weeks(), st.data())
def test_one_hour_logged_moves_at_most_two_blocks(week, data) -> None:  # type: ignore[no-untyped-def]
    demands, free, (low, high), _ = week
    # blocks of at least half an hour (the default is 45): an hour is at most two of them
    bounds = (max(low, 30), max(high, 60))
    old = place(demands, free, bounds)
    if not old:
        return
    which = data.draw(st.sampled_from(demands))
    less = [d._replace(minutes=max(0, d.minutes - 60)) if d is which else d for d in demands]
    less = [d for d in less if d.minutes > 0]
    new = place(less, free, bounds, old)
    check_invariants(less, free, bounds, new)
    assert _moved(old, new) <= 2, (old, new)


def test_free_time_counts_a_clock_change() -> None:
    """A window 19:00-21:00 every day in London is 2 h each day, the week the clocks go
    back included (its instants move by the hour, its length does not)."""
    from datetime import date
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    monday = date(2026, 10, 19)  # the clocks go back on Sunday 25 October
    free = free_time(monday, [parse_window("daily 19:00-21:00")], [], 0, london)
    assert [b - a for a, b in free] == [120] * 7
    from mldsplan.domain.blocks import moment

    assert [moment(a, london).hour for a, _ in free] == [19] * 7
    assert moment(free[0][0], london).utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert moment(free[-1][0], london).utcoffset().total_seconds() == 0  # type: ignore[union-attr]
