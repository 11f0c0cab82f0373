"""Study time: the term calendar, hours left and pace, the study log and the week."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, Refuse, Run, RunJson, assert_one_line_error
from mldsplan import planner, terms
from mldsplan.programme import load_programme
from mldsplan.progress import LogEntry, Progress

PROGRAMME = load_programme(SHIPPED)


@pytest.mark.parametrize(
    ("start", "expected_terms", "end"),
    [
        (
            date(2025, 10, 1),
            [
                ("2025-10-01", "2026-01-31"),
                ("2026-02-01", "2026-05-31"),
                ("2026-06-01", "2026-09-30"),
                ("2026-10-01", "2027-01-31"),
                ("2027-02-01", "2027-05-31"),
                ("2027-06-01", "2027-09-30"),
            ],
            date(2027, 9, 30),
        ),
        (
            date(2026, 1, 1),
            [
                ("2026-01-01", "2026-04-30"),
                ("2026-05-01", "2026-08-31"),
                ("2026-09-01", "2026-12-31"),
                ("2027-01-01", "2027-04-30"),
                ("2027-05-01", "2027-08-31"),
                ("2027-09-01", "2027-12-31"),
            ],
            date(2027, 12, 31),
        ),
        (
            date(2023, 11, 1),  # the 2024 leap day falls in term 1
            [
                ("2023-11-01", "2024-02-29"),
                ("2024-03-01", "2024-06-30"),
                ("2024-07-01", "2024-10-31"),
                ("2024-11-01", "2025-02-28"),
                ("2025-03-01", "2025-06-30"),
                ("2025-07-01", "2025-10-31"),
            ],
            date(2025, 10, 31),
        ),
    ],
)
def test_term_dates(start: date, expected_terms: list[tuple[str, str]], end: date) -> None:
    got = [
        (
            terms.term_start(PROGRAMME, start, y, t).isoformat(),
            terms.term_end(PROGRAMME, start, y, t).isoformat(),
        )
        for y, t in [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]
    ]
    assert got == expected_terms
    assert terms.programme_end(PROGRAMME, start) == end


def test_term_lookup_at_the_boundaries() -> None:
    start = date(2025, 10, 1)
    assert terms.term_of(PROGRAMME, start, date(2025, 9, 30)) is None
    assert terms.term_of(PROGRAMME, start, date(2025, 10, 1)) == (1, 1)
    assert terms.term_of(PROGRAMME, start, date(2026, 1, 31)) == (1, 1)
    assert terms.term_of(PROGRAMME, start, date(2026, 2, 1)) == (1, 2)
    assert terms.term_of(PROGRAMME, start, date(2027, 9, 30)) == (2, 3)
    assert terms.term_of(PROGRAMME, start, date(2027, 10, 1)) == (3, 1)


def test_hours_json_follows_the_spec(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    run("complete", "ethics-1", "programming", "maths", "--on", "2026-01-20")
    data = run_json("hours", "--on", "2026-11-25")
    remaining = (90 - 12.5) * 25
    assert data["hours_remaining"] == remaining
    assert data["weekly_hours"] == 18
    assert data["weeks_remaining"] == pytest.approx(remaining / 18)
    days = -(-7 * remaining // 18)  # ceil
    assert data["finish_date"] == (date(2026, 11, 25) + timedelta(days=days)).isoformat()
    assert data["programme_end"] == "2027-09-30"
    span = (date(2027, 9, 30) - date(2026, 11, 25)).days + 1
    assert data["required_weekly_hours"] == pytest.approx(remaining / (span / 7))
    assert data["planned_end"] == "2027-09-30"
    by_term = {(t["year"], t["term"]): t for t in data["terms"]}
    # term 1 is done and over: not listed; terms 2 and 3 of year 1 are over with work left
    assert (1, 1) not in by_term
    assert by_term[(1, 2)]["overdue"] and by_term[(1, 2)]["weekly_load"] is None
    current = by_term[(2, 1)]
    weeks = ((date(2027, 1, 31) - date(2026, 11, 25)).days + 1) / 7
    assert current["hours_remaining"] == 375
    assert current["weekly_load"] == pytest.approx(375 / weeks)
    project = by_term[(2, 3)]
    assert project["start"] == "2027-06-01" and project["end"] == "2027-09-30"
    assert project["weekly_load"] == pytest.approx(500 / (122 / 7))
    assert project["heavy"] is True
    assert by_term[(2, 2)]["heavy"] is True  # 375 h in 17 weeks at 18 h/week


def test_hours_what_if_at_another_pace(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    data = run_json("hours", "--weekly-hours", "25", "--on", "2025-10-01")
    assert data["weekly_hours"] == 25
    assert data["weeks_remaining"] == 90
    assert data["finish_date"] == (date(2025, 10, 1) + timedelta(days=630)).isoformat()
    assert [t["heavy"] for t in data["terms"]] == [False, False, False, False, False, True]


def test_hours_without_a_start_month(run: Run, run_json: RunJson) -> None:
    data = run_json("hours", "--on", "2026-11-25")
    assert data["programme_end"] is None and data["required_weekly_hours"] is None
    assert data["planned_end"] is None
    assert all(t["start"] is None and t["weekly_load"] is None for t in data["terms"])
    assert data["hours_remaining"] == 2250
    out = run("hours").stdout
    assert "mldsplan init --start YYYY-MM" in out


def test_hours_refuses_a_bad_pace(run: Run) -> None:
    assert_one_line_error(run("hours", "--weekly-hours", "0", ok=False), "--weekly-hours")


def test_log_and_week(run: Run, run_json: RunJson, progress_file: Path) -> None:
    run("init", "--weekly-hours", "18")
    run("log", "2.5", "--module", "bayes", "--note", "lecture 4", "--on", "2026-11-25")
    run("log", "1.5", "--on", "2026-11-23")
    run("log", "3", "--on", "2026-11-22")  # Sunday: the week before
    week = run_json("week", "--on", "2026-11-25")
    assert week["week_start"] == "2026-11-23" and week["week_end"] == "2026-11-29"
    assert week["target_hours"] == 18
    assert week["logged_hours"] == 4
    assert week["remaining_hours"] == 14
    assert [d["hours"] for d in week["days"]] == [1.5, 0, 2.5, 0, 0, 0, 0]
    assert {m["code"]: m["hours"] for m in week["modules"]} == {"bayesian": 2.5, None: 1.5}
    before = run_json("week", "--on", "2026-11-22")
    assert before["week_start"] == "2026-11-16" and before["logged_hours"] == 3
    assert "log" in progress_file.read_text()


def test_an_over_target_week_never_goes_negative(run: Run, run_json: RunJson) -> None:
    for day in range(16, 23):
        run("log", "4", "--on", f"2026-11-{day}")
    week = run_json("week", "--on", "2026-11-18")
    assert week["logged_hours"] == 28 and week["remaining_hours"] == 0 and week["over_hours"] == 7
    assert "7 h over the target" in run("week", "--on", "2026-11-18").stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["0"], "HOURS"),
        (["--", "-1"], "HOURS"),
        (["25"], "HOURS"),
        (["2", "--on", (date.today() + timedelta(days=1)).isoformat()], "in the future"),
        (["2", "--module", "nonsense"], "unknown module"),
        (["2", "--note", "x" * 201], "--note"),
        (["2", "--note", "two\nlines"], "--note"),
        (["20", "--on", "2026-11-20"], "would pass 24"),
        ([], "give HOURS"),
        (["2", "--undo"], "give HOURS"),
    ],
)
def test_refused_log_entries_change_nothing(
    run: Run, args: list[str], needle: str, refuse: Refuse
) -> None:
    run("log", "5", "--on", "2026-11-20")
    refuse("log", *args, needles=(needle,))


def test_log_list_undo_and_remove(run: Run, run_json: RunJson) -> None:
    run("log", "1", "--on", "2026-11-01", "--note", "first")
    run("log", "2", "--on", "2026-11-02", "--note", "second")
    run("log", "3", "--on", "2026-11-03", "--note", "third")
    entries = run_json("log", "--list")["entries"]
    assert [e["note"] for e in entries] == ["first", "second", "third"]
    run("log", "--remove", "2")
    run("log", "--undo")
    assert [e["note"] for e in run_json("log", "--list")["entries"]] == ["first"]
    assert_one_line_error(run("log", "--remove", "5", ok=False), "--remove")


def test_progress_shows_this_week(run: Run, run_json: RunJson) -> None:
    run("log", "3.5")
    data = run_json("progress")
    assert data["this_week"]["logged_hours"] == 3.5
    assert "This week: 3.5 of 21 h" in run("progress").stdout


def test_pace_from_the_log(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    assert run_json("hours", "--on", "2026-11-25")["pace"] is None
    assert "nothing logged yet" in run("hours").stdout
    # five weeks with study, one empty week in between
    for day, amount in [
        ("2026-10-12", 10),
        ("2026-10-19", 20),
        ("2026-11-02", 12),
        ("2026-11-09", 14),
        ("2026-11-16", 16),
        ("2026-11-24", 18),
    ]:
        run("log", str(amount), "--on", day, "--module", "deep-learning")
    pace = run_json("hours", "--on", "2026-11-25")["pace"]
    assert pace["recent_weeks"] == 4
    assert pace["recent_weekly_hours"] == pytest.approx((12 + 14 + 16 + 18) / 4)
    assert pace["overall_weekly_hours"] == pytest.approx(90 / 7)  # 7 ISO weeks from 12 Oct
    modules = run_json("hours", "--on", "2026-11-25")["modules"]
    assert modules == [{"code": "deep-learning", "budget_hours": 187.5, "logged_hours": 90}]


def test_week_chart_has_a_line_per_week_and_marks_the_target(run: Run) -> None:
    run("log", "10", "--on", "2026-11-03")
    out = run("week", "--on", "2026-11-25").stdout
    chart = [
        line
        for line in out.splitlines()
        if line.startswith("2026-") and line.rstrip().endswith(" h")
    ]
    assert len(chart) == 10
    assert all("|" in line or "┃" in line for line in chart)
    assert any(line.startswith("2026-11-02") and "█" in line for line in chart)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 90), st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0])), max_size=30)
)
def test_weekly_totals_add_up_to_the_log(raw: list[tuple[int, float]]) -> None:
    first = date(2026, 1, 5)  # a Monday
    log = tuple(LogEntry(on=first + timedelta(days=d), hours=h) for d, h in raw)
    record = Progress(log=log)
    weeks = [planner.study_week(record, first + timedelta(weeks=w), 21) for w in range(13)]
    assert sum(w.logged_hours for w in weeks) == pytest.approx(sum(h for _, h in raw))
    assert all(w.remaining_hours >= 0 for w in weeks)


def test_progress_says_which_term_today_is_in(run: Run, run_json: RunJson) -> None:
    assert run_json("progress")["current_term"] is None
    run("init", "--start", "2025-10")
    data = run_json("progress")
    expected = terms.term_of(PROGRAMME, date(2025, 10, 1), date.today())
    assert (data["current_year"], data["current_term"]) == expected
    assert f"now year {expected[0]} term {expected[1]}" in run("progress").stdout
