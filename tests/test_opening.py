"""Issue 30, point 5: hours studied before tracking (`log H --module CODE --opening`).

They have no date and no 24 h limit; they count in the module's hours still to do (its
hour budget: the one load rule), so in the hours left, the term loads and the week's
plan's R; never in pace, the balance against the weekly target, day or week totals.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, Refuse, Run, RunJson
from mldsplan.domain import studytime, workload
from mldsplan.domain.facts import Facts
from mldsplan.domain.progress import MAX_OPENING_HOURS, LogEntry, Opening, Progress
from mldsplan.domain.rules import record_problems
from mldsplan.domain.weekplan import weeks_to
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)
HOURS = {m.code: PROGRAMME.hours(m) for m in PROGRAMME.modules}

# A cohort of July 2026: on 2026-11-25 (the tests' today) year 1 term 2 runs from
# 2026-10-15 to 2027-01-31, so eda is mid-term, as for the student of the issue.
MID_TERM = ("init", "--start", "2026-07")
TERM_END = date(2027, 1, 31)
MONDAY = date(2026, 11, 23)


def _not_budget(hours: dict[str, Any], week: dict[str, Any]) -> dict[str, Any]:
    """Everything that reads the dated log alone: pace, balances, day and week totals."""
    return {
        "pace": hours["pace"],
        "balance": hours["balance"],
        "term_balance": hours["term_balance"],
        "week_logged": week["logged_hours"],
        "week_days": week["days"],
        "week_modules": week["modules"],
        "recent_weeks": week["recent_weeks"],
        "week_balance": week["balance"],
        "remaining_hours": week["remaining_hours"],
        "plan_logged": {r["code"]: r["logged_hours"] for r in week["plan"]},
    }


def test_the_issues_student_records_60_hours_studied_before_tracking(
    run: Run, run_json: RunJson
) -> None:
    run(*MID_TERM)
    run("log", "2", "--module", "eda", "--on", "2026-11-20")
    run("log", "1.5", "--module", "eda", "--on", "2026-11-24")
    hours, week = run_json("hours"), run_json("week")
    progress = run_json("progress")
    before = {r["code"]: r for r in week["plan"]}

    said = run("log", "60", "--module", "eda", "--opening")
    assert said.stdout == ""
    assert "recorded 60 h studied for eda before tracking" in said.stderr

    hours_after, week_after = run_json("hours"), run_json("week")
    progress_after = run_json("progress")
    # Hours left drop by exactly 60 h, in `hours` and `progress` alike.
    assert hours["hours_remaining"] - hours_after["hours_remaining"] == pytest.approx(60)
    assert progress["hours_remaining"] - progress_after["hours_remaining"] == pytest.approx(60)
    # The needed hours a week to finish on time drop by 60 h over the weeks left.
    end = date.fromisoformat(hours["programme_end"])
    weeks_left = ((end - date(2026, 11, 25)).days + 1) / 7
    assert hours["required_weekly_hours"] - hours_after["required_weekly_hours"] == (
        pytest.approx(60 / weeks_left)
    )
    # The term's hours left drop by 60 h too.
    term = {(t["year"], t["term"]): t["hours_remaining"] for t in hours["terms"]}
    term_after = {(t["year"], t["term"]): t["hours_remaining"] for t in hours_after["terms"]}
    assert term[(1, 2)] - term_after[(1, 2)] == pytest.approx(60)
    # The week's plan: eda's R (its hours still to do as of Monday) is 60 h lower, so its
    # need (R over the weeks to its term's end, no assessments) is 60 h / those weeks lower.
    after = {r["code"]: r for r in week_after["plan"]}
    r_before = HOURS["eda"] - 2  # the 1.5 h of this week count against the plan, not in R
    assert before["eda"]["need_hours"] == pytest.approx(r_before / weeks_to(MONDAY, TERM_END))
    assert after["eda"]["need_hours"] == pytest.approx((r_before - 60) / weeks_to(MONDAY, TERM_END))
    assert week["plan_total_hours"] - week_after["plan_total_hours"] == pytest.approx(
        60 / weeks_to(MONDAY, TERM_END)
    )
    assert progress["week_plan"]["plan_total_hours"] - progress_after["week_plan"][
        "plan_total_hours"
    ] == pytest.approx(60 / weeks_to(MONDAY, TERM_END))
    # Nothing that reads the dated log moves: pace, balance, day and week totals, charts.
    assert _not_budget(hours_after, week_after) == _not_budget(hours, week)
    assert progress_after["this_week"] == progress["this_week"]
    assert progress_after["balance"] == progress["balance"]
    # The hour budget: logged and opening apart, both used.
    (eda,) = hours_after["modules"]
    assert (eda["logged_hours"], eda["opening_hours"]) == (3.5, 60.0)
    assert eda["percent_used"] == pytest.approx(100 * 63.5 / HOURS["eda"])


def test_an_opening_entry_is_not_limited_to_a_day_and_has_no_date(
    run: Run, refuse: Refuse, run_json: RunJson
) -> None:
    run(*MID_TERM)
    run("log", "250", "--module", "bayesian", "--opening")  # more than 24, more than budget
    assert run_json("hours")["modules"][0]["percent_used"] == pytest.approx(
        100 * 250 / HOURS["bayesian"]
    )
    refuse("log", "60", "--module", "eda", "--opening", "--on", "2026-11-01", needles=("--on",))
    refuse("log", "60", "--opening", needles=("--module",))
    refuse("log", "60", "--module", "nosuch", "--opening", needles=("--module", "nosuch"))
    refuse("log", "0", "--module", "eda", "--opening", needles=("HOURS",))
    over = f"{MAX_OPENING_HOURS * 2:g}"
    refuse("log", over, "--module", "eda", "--opening", needles=("HOURS", "at most"))
    refuse("log", "--list", "--opening", needles=("--opening",))
    refuse("log", "--undo", "--opening", needles=("--opening",))


def test_more_than_a_day_without_opening_points_to_it(refuse: Refuse, run: Run) -> None:
    run(*MID_TERM)
    result = refuse("log", "60", "--module", "eda", needles=("HOURS", "24"))
    assert "mldsplan log 60 --module CODE --opening" in result.stderr


def test_listed_as_opening_and_removed_like_any_entry(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    run(*MID_TERM)
    run("log", "2", "--module", "eda", "--on", "2026-11-20")
    run("log", "60", "--module", "eda", "--opening", "--note", "before mldsplan")
    run("log", "1", "--on", "2026-11-24")
    listed = run_json("log", "--list")["entries"]
    # The dated entries keep their numbers (1, 2); the opening ones follow.
    assert [(e["on"], e["hours"], e["opening"]) for e in listed] == [
        ("2026-11-20", 2.0, False),
        ("2026-11-24", 1.0, False),
        (None, 60.0, True),
    ]
    assert listed[2]["module"] == "eda" and listed[2]["note"] == "before mldsplan"
    text = run("log", "--list").stdout
    row = next(line for line in text.splitlines() if line.startswith("3 "))
    assert row.split()[:4] == ["3", "opening", "60", "eda"]
    assert "opening: hours studied before tracking" in text
    # `--undo` takes the last dated entry, never the opening one.
    undone = run_json("log", "--undo")
    assert (undone["number"], undone["entry"]["on"]) == (2, "2026-11-24")
    removed = run_json("log", "--remove", "2")
    assert removed["entry"] == {
        "on": None,
        "hours": 60.0,
        "module": "eda",
        "note": "before mldsplan",
        "opening": True,
    }
    assert (removed["day_hours"], removed["week_start"], removed["week_hours"]) == (None,) * 3
    assert "opening" not in progress_file.read_text().split("log = '''")[1]
    # With only opening entries left, `--undo` takes the last of them.
    run("log", "--undo")
    run("log", "5", "--module", "eda", "--opening")
    said = run("log", "--undo")
    assert said.stderr == "removed the 5 h studied for eda before tracking\n"
    assert run_json("log", "--list")["entries"] == []


def test_undo_says_what_an_opening_entry_was(run: Run) -> None:
    run(*MID_TERM)
    run("log", "60", "--module", "eda", "--opening")
    assert "undid: recorded 60 h studied for eda before tracking" in run("undo").stderr


def test_a_file_naming_no_programme_module_breaks_a_rule(run: Run, progress_file: Path) -> None:
    problems = record_problems(
        Progress(opening=(Opening("nosuch", 5.0, None, "0123456789ab"),)),
        PROGRAMME,
        date(2026, 11, 25),
    )
    assert [(p.field, p.message) for p in problems] == [
        ("opening[0].module", "unknown module 'nosuch'")
    ]
    run(*MID_TERM)
    run("log", "5", "--module", "eda", "--opening")
    text = progress_file.read_text()
    progress_file.write_text(text.replace("opening 5.0 eda", "opening 5.0 nosuch"))
    checked = run("check", ok=False)
    assert checked.exit_code == 1
    assert "opening[0].module" in checked.stdout + checked.stderr


def _vars(result: object) -> dict[str, Any] | None:
    return None if result is None else vars(result)


DAYS = st.integers(0, 120)
AMOUNTS = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0])
CODES = st.sampled_from(["eda", "supervised", "bayesian", "maths", None])


@settings(max_examples=150, deadline=None)
@given(
    log=st.lists(st.tuples(DAYS, AMOUNTS, CODES), max_size=25),
    opening=st.lists(
        st.tuples(
            st.sampled_from(["eda", "supervised", "bayesian", "maths"]),
            st.floats(0.01, 400, allow_nan=False),
        ),
        min_size=1,
        max_size=4,
    ),
    on=DAYS,
)
def test_opening_hours_move_the_budget_and_nothing_else(
    log: list[tuple[int, float, str | None]], opening: list[tuple[str, float]], on: int
) -> None:
    first = date(2026, 8, 3)  # a Monday, in the July 2026 cohort's first term
    dated = tuple(LogEntry(first + timedelta(days=d), h, code) for d, h, code in log)
    without = Progress(start="2026-07", log=dated, completions={})
    with_ = Progress(start="2026-07", log=dated, opening=tuple(Opening(c, h) for c, h in opening))
    day = first + timedelta(days=on)
    # The budget: the load rule subtracts logged and opening hours, never below 0.
    studied: dict[str, float] = {}
    for e in dated:
        if e.module is not None:
            studied[e.module] = studied.get(e.module, 0.0) + e.hours
    for code, h in opening:
        studied[code] = studied.get(code, 0.0) + h
    expected = sum(max(0.0, HOURS[code] - studied.get(code, 0.0)) for code in HOURS)
    facts, facts_without = Facts(PROGRAMME, with_, day), Facts(PROGRAMME, without, day)
    assert workload.hours_remaining(facts) == pytest.approx(expected)
    # Pace, balances, the week's days and totals and the chart: as without them.
    assert _vars(studytime.pace(facts)) == _vars(studytime.pace(facts_without))
    week, week_without = (studytime.study_week(f, 21) for f in (facts, facts_without))
    for name in ("logged_hours", "remaining_hours", "over_hours", "target_reached"):
        assert getattr(week, name) == getattr(week_without, name)
    assert [vars(d) for d in week.days] == [vars(d) for d in week_without.days]
    assert [vars(w) for w in week.recent_weeks] == [vars(w) for w in week_without.recent_weeks]
    for balance in ("balance", "term_balance"):
        assert _vars(getattr(week, balance)) == _vars(getattr(week_without, balance))
    # The week's plan: each module's need is never more with them than without.
    need = {r.code: r.need_hours for r in week.plan}
    for row in week_without.plan:
        assert need.get(row.code, 0.0) <= row.need_hours + 1e-9
