"""Issue 20.12 and 20.13: pace and balance count the same days; `hours --weekly-hours H`
measures heavy terms and load warnings against H, balances against the recorded hours."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, TODAY, Run, RunJson
from mldsplan.domain import studytime
from mldsplan.domain import workload as planner
from mldsplan.domain.facts import Facts
from mldsplan.domain.progress import LogEntry, Progress
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)


@pytest.fixture
def tour(run: Run) -> None:
    """The README's tour: 4 h logged over 23-25 November (today is the 25th), 21 h/week."""
    assert str(TODAY) == "2026-11-25"
    run("init", "--start", "2025-10")
    run("complete", "programming", "maths", "ethics-1", "--on", "2026-01-12")
    run("complete", "supervised", "--mark", "71", "--on", "2026-04-24")
    run("complete", "eda", "--mark", "64", "--on", "2026-04-28")
    run("log", "2.5", "--module", "bayesian", "--on", "2026-11-24")
    run("log", "1.5", "--module", "unsupervised", "--on", "2026-11-23")


def test_the_issues_example_pace_and_balance_count_the_same_three_days(
    tour: None, run: Run, run_json: RunJson
) -> None:
    # By hand: 23, 24 and 25 November are 3 days = 3/7 of a week.
    # pace = 4 h / (3/7) = 28/3 = 9.33 h/week; balance = 4 of 21 x 3/7 = 9 h, so -5 h.
    # The same figure either way: 9.33 h/week is 4/9 of 21 h/week.
    data = run_json("hours")
    pace = data["pace"]
    assert pace["overall_weekly_hours"] == pytest.approx(28 / 3)  # was 4.0: the whole week
    assert (pace["first_entry"], pace["span_days"]) == ("2026-11-23", 3)
    # the last 28 days reach back before the first entry: the recent span starts at it too
    assert (pace["recent_since"], pace["recent_days"]) == ("2026-11-23", 3)
    assert pace["recent_weeks"] == pytest.approx(3 / 7)
    assert pace["recent_weekly_hours"] == pytest.approx(28 / 3)
    assert data["balance"] == {
        "since": "2026-11-23",
        "target_hours": pytest.approx(9),
        "logged_hours": 4,
        "difference": pytest.approx(-5),
    }
    assert pace["overall_weekly_hours"] == pytest.approx(21 * 4 / 9)
    # the term began on 1 October, but the weeks before the first entry are not missed
    assert data["term_balance"] == data["balance"]
    assert run_json("progress")["term_balance"] == data["balance"]
    text = run("hours").stdout
    assert "Your pace: 9.33 h/week since 2026-11-23 (3 days)\n" in text
    assert "Balance since 2026-11-23: 4 of 9 h (\N{MINUS SIGN}5 h)\n" in text
    assert "Balance this term" not in text  # it would say the same, not 4 of 168 h
    assert "Balance this term" not in run("progress").stdout


def test_the_terms_balance_starts_at_the_later_of_its_start_and_the_first_entry() -> None:
    on = date(2026, 11, 25)  # year 2 term 1 runs from 1 October
    record = Progress(start="2025-10")
    assert studytime.term_balance(Facts(PROGRAMME, record, on), 21) is None  # nothing logged yet
    inside = Progress(start="2025-10", log=(LogEntry(date(2026, 11, 19), 3.0),))
    found = studytime.term_balance(Facts(PROGRAMME, inside, on), 21)
    assert found is not None and found.since == date(2026, 11, 19)
    assert found.target_hours == pytest.approx(21)  # 19 to 25 November: 7 days
    before = Progress(
        start="2025-10",
        log=(LogEntry(date(2026, 9, 1), 5.0), LogEntry(date(2026, 10, 2), 3.0)),
    )
    found = studytime.term_balance(Facts(PROGRAMME, before, on), 21)
    assert found is not None and found.since == date(2026, 10, 1)  # logging before the term
    assert found.target_hours == pytest.approx(21 * 56 / 7)  # 1 October to 25 November
    assert found.logged_hours == 3
    overall = studytime.balance(Facts(PROGRAMME, Progress(log=before.log), on), 21)
    assert overall is not None and overall.since == date(2026, 9, 1)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.sampled_from([0.25, 1.0, 2.5, 4.0])),
        min_size=1,
        max_size=20,
    ),
    st.integers(0, 150),
    st.sampled_from([10.0, 21.0, 37.5]),
)
def test_pace_and_balance_share_one_span(
    raw: list[tuple[int, float]], offset: int, weekly: float
) -> None:
    first = date(2026, 1, 1)
    log = tuple(LogEntry(on=first + timedelta(days=d), hours=h) for d, h in raw)
    on = first + timedelta(days=offset)
    pace, found = (
        studytime.pace(Facts(PROGRAMME, Progress(log=log), on)),
        studytime.balance(Facts(PROGRAMME, Progress(log=log), on), weekly),
    )
    if pace is None:
        assert found is None
        assert all(e.on > on for e in log)
        return
    assert found is not None and found.since == pace.first_entry
    days = (on - pace.first_entry).days + 1
    assert found.target_hours == pytest.approx(weekly * days / 7)
    assert found.logged_hours == pytest.approx(pace.logged_hours)
    # the pace is the balance's hours over the balance's weeks
    assert pace.overall_weekly_hours * found.target_hours / weekly == pytest.approx(
        found.logged_hours
    )
    assert pace.span_days == days
    recent_from = max(pace.first_entry, on - timedelta(days=27))
    assert (pace.recent_since, pace.recent_days) == (recent_from, (on - recent_from).days + 1)
    recent = sum(e.hours for e in log if recent_from <= e.on <= on)
    assert pace.recent_weekly_hours == pytest.approx(recent / (pace.recent_days / 7))
    if days <= 28:
        assert pace.recent_weekly_hours == pytest.approx(pace.overall_weekly_hours)


def test_a_what_if_pace_measures_the_heavy_terms_and_warnings(
    tour: None, run: Run, run_json: RunJson
) -> None:
    own = run_json("hours")
    loads = {(t["year"], t["term"]): t["weekly_load"] for t in own["terms"]}
    assert round(loads[(2, 1)], 1) == 51.3 and round(loads[(2, 2)], 1) == 24.8
    heavy = {(t["year"], t["term"]) for t in own["terms"] if t["heavy"]}
    assert heavy == {(2, 1), (2, 2)}  # over 21 x 1.1 = 23.1 h/week
    what_if = run_json("hours", "--weekly-hours", "30")
    assert what_if["weekly_hours"] == 30
    assert {(t["year"], t["term"]): t["weekly_load"] for t in what_if["terms"]} == loads
    heavy = {(t["year"], t["term"]) for t in what_if["terms"] if t["heavy"]}
    assert heavy == {(2, 1)}  # 24.8 h/week is under 30 x 1.1 = 33
    assert what_if["warnings"] == [
        "year 2 term 1: 51.26 h needed a week to finish on time, more than your 30 h/week"
    ]
    # balances are history: still against the recorded 21 h/week
    assert what_if["balance"] == own["balance"] and what_if["term_balance"] == own["term_balance"]
    assert what_if["balance"]["target_hours"] == pytest.approx(9)
    roomy = run_json("hours", "--weekly-hours", "60")
    assert not any(t["heavy"] for t in roomy["terms"]) and roomy["warnings"] == []
    text = run("hours", "--weekly-hours", "30").stdout
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith("2.")}
    assert rows["2.1"].split()[-1] == "heavy"  # a flag in the table, its words below it
    assert rows["2.2"].split()[-1] != "heavy"
    assert "\nheavy: needs more than your 30 h/week + 10%\n" in text
    # the plan keeps measuring against the recorded hours
    assert run_json("plan")["warnings"] == [
        "year 2 term 1: 51.26 h needed a week to finish on time, more than your 21 h/week"
    ]


def test_the_heavy_mark_and_its_words_come_from_heavy_factor(
    tour: None, run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planner, "HEAVY_FACTOR", 1.25)
    heavy = {(t["year"], t["term"]) for t in run_json("hours")["terms"] if t["heavy"]}
    assert heavy == {(2, 1)}  # 24.8 h/week is under 21 x 1.25 = 26.25
    assert "heavy: needs more than your 21 h/week + 25%" in run("hours").stdout
    doc = (Path(__file__).parents[1] / "docs" / "json.md").read_text()
    monkeypatch.undo()
    assert f"+ {(planner.HEAVY_FACTOR - 1) * 100:.0f} %" in doc
