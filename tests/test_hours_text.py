"""Issue 21.4: hours to two decimals at most, rounded half up, one format everywhere, and
parts shown beside their total add up to it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import MadeWith, Run, RunJson
from mldsplan.domain.numbers import hours_parts, hours_text


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        (1.25, "1.25"),  # 75 minutes, not "1.2"
        (0.25, "0.25"),  # 15 minutes, not "0.2"
        (1.5, "1.5"),
        (2.0, "2"),
        (0.125, "0.13"),  # half up, never half to even (0.12)
        (2.675, "2.68"),  # as typed, though the float is 2.67499...
        (1619.75, "1,619.75"),
        (50 / 60, "0.83"),
        (0.1 + 0.2, "0.3"),
        (0.004, "0"),
        (-1.25, "-1.25"),
        (-0.001, "0"),
    ],
)
def test_hours_text(hours: float, shown: str) -> None:
    assert hours_text(hours) == shown


_HOURS = st.floats(min_value=0, max_value=24, allow_nan=False)


@given(st.lists(st.one_of(_HOURS, st.integers(1, 24 * 60).map(lambda m: m / 60)), max_size=30))
def test_parts_add_up_to_their_total(parts: list[float]) -> None:
    shown = hours_parts(parts)
    assert len(shown) == len(parts)
    total = sum((Decimal(s.replace(",", "")) for s in shown), Decimal(0))
    assert total == Decimal(hours_text(sum(parts)).replace(",", ""))
    for part, text in zip(parts, shown, strict=True):  # each within a hundredth of itself
        assert abs(Decimal(text.replace(",", "")) - Decimal(repr(part))) < Decimal("0.01")


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_a_weeks_entries_add_up_to_its_total(run: Run, made_with: MadeWith) -> None:
    made_with(
        ("init", "--start", "2025-10", "--weekly-hours", "18"),
        ("log", "0.8333333333", "--module", "bayesian", "--on", "2026-11-23"),
        ("log", "0.8333333333", "--module", "bayesian", "--on", "2026-11-24"),
        ("log", "0.8333333333", "--module", "supervised", "--on", "2026-11-25"),
        ("log", "1.25", "--module", "supervised", "--on", "2026-11-25"),
    )
    out = run("week").stdout
    days = [_number(h) for h in re.findall(r"^\w{3}\s+2026-11-\d\d\s+([\d.,]+)\s*$", out, re.M)]
    total = _number(re.search(r"Logged ([\d.,]+) of", out)[1])  # type: ignore[index]
    assert total == Decimal("3.75")
    assert sum(days) == total, out  # not 0.8 + 0.8 + 2.1 = 3.7 beside 3.8
    assert "Wed  2026-11-25   2.08" in out  # two decimals, not 2.1
    by_module = re.search(r"By module: (.*)", out)[1]  # type: ignore[index]
    assert sum(_number(h) for h in re.findall(r" ([\d.,]+) h", by_module)) == total
    to_go = _number(re.search(r"; ([\d.,]+) h to go", out)[1])  # type: ignore[index]
    assert total + to_go == 18


def test_one_format_on_screen_in_markdown_and_the_calendar(
    run: Run, run_json: RunJson, made_with: MadeWith
) -> None:
    made_with(
        ("init", "--start", "2025-10", "--weekly-hours", "17.25"),
        ("log", "1.25", "--module", "bayesian", "--on", "2026-11-23"),
    )
    left = run_json("progress")["hours_remaining"]
    assert left % 1 == 0.75 and left > 1000
    shown = hours_text(left)  # 1,998.75
    assert re.fullmatch(r"\d,\d{3}\.75", shown)
    assert f"{shown} h left" in run("progress").stdout
    markdown = run("export", "--format", "markdown").stdout
    assert f"Hours left: {shown} h" in markdown  # not 1998.75
    assert "at 17.25 h/week" in markdown
    assert "| 187.5 |" in markdown  # a module's hours in the table
    week = run("week").stdout
    assert "Mon  2026-11-23   1.25" in week  # 75 minutes, not 1.2
    assert "of 17.25 h" in week
    calendar = run("export", "--format", "ics").stdout.replace("\r\n ", "")
    assert "7.5 ECTS\\, 187.5 study hours" in calendar
