"""Issue 11: the term calendar from the data file, the student's own dates, and one
load rule, pace and balance. Expected figures are computed from the data file."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta

import pytest

from conftest import SHIPPED, TODAY, Refuse, Run, RunJson
from mldsplan.domain.dates import add_months

DATA = tomllib.loads(SHIPPED.read_text())
HOURS_PER_ECTS = DATA["hours_per_ects"]
WEEKLY = DATA["weekly_hours"]


def shipped_windows(start: date) -> list[tuple[int, int, date, date]]:
    """The term windows as SPEC §1a describes them, from the data file's term_starts."""
    starts = sorted(DATA["term_starts"], key=lambda t: t["term"])
    out = []
    for year in (1, 2):
        year_start = add_months(start, 12 * (year - 1))
        firsts = [add_months(year_start, t["months"]).replace(day=t["day"]) for t in starts]
        ends = [f - timedelta(days=1) for f in firsts[1:]] + [
            add_months(year_start, 12) - timedelta(days=1)
        ]
        out += [(year, i + 1, firsts[i], ends[i]) for i in range(len(starts))]
    return out


def term_ects(year: int, term: int) -> float:
    return next(t["ects"] for t in DATA["terms"] if (t["year"], t["term"]) == (year, term))


def test_the_shipped_calendar_is_spec_1a(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    terms = run_json("calendar")["terms"]
    assert [(t["year"], t["term"], t["start"], t["end"]) for t in terms] == [
        (1, 1, "2025-10-01", "2026-01-14"),
        (1, 2, "2026-01-15", "2026-04-30"),
        (1, 3, "2026-05-01", "2026-09-30"),
        (2, 1, "2026-10-01", "2027-01-14"),
        (2, 2, "2027-01-15", "2027-04-30"),
        (2, 3, "2027-05-01", "2027-09-30"),
    ]
    assert {t["source"] for t in terms} == {"programme"}
    # JSON never rounds (docs/json.md): the length in days, both included, over 7
    assert [t["weeks"] for t in terms] == [106 / 7, 106 / 7, 153 / 7, 106 / 7, 106 / 7, 153 / 7]


def test_another_start_month_shifts_every_date(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2026-01")
    terms = run_json("calendar")["terms"]
    expected = shipped_windows(date(2026, 1, 1))
    assert [(t["year"], t["term"], t["start"], t["end"]) for t in terms] == [
        (y, t, s.isoformat(), e.isoformat()) for y, t, s, e in expected
    ]
    assert terms[1]["start"] == "2026-04-15"


def test_hand_check_from_the_issue(run: Run, run_json: RunJson) -> None:
    """Start 2025-10, year 1 terms 1 and 2 done (25 ECTS), on 2026-11-25."""
    run("init", "--start", "2025-10")
    run("complete", "ethics-1", "programming", "maths", "--on", "2026-01-10")
    run("complete", "eda", "supervised", "--on", "2026-04-20")
    hours = run_json("hours", "--on", "2026-11-25")
    y2t1 = next(t for t in hours["terms"] if (t["year"], t["term"]) == (2, 1))
    assert y2t1["end"] == "2027-01-14"
    days = (date(2027, 1, 14) - date(2026, 11, 25)).days + 1
    assert days == 51
    expected = term_ects(2, 1) * HOURS_PER_ECTS / (days / 7)
    assert y2t1["hours_remaining"] == 375
    assert y2t1["weekly_load"] == pytest.approx(expected)
    assert round(y2t1["weekly_load"], 1) == 51.5
    assert y2t1["heavy"] is True
    assert hours["programme_end"] == "2027-09-30"
    y1t3 = next(t for t in hours["terms"] if (t["year"], t["term"]) == (1, 3))
    assert y1t3["overdue"] is True and y1t3["heavy"] is False
    warnings = run_json("plan")["warnings"]
    assert (
        "year 2 term 1: 51.47 h needed a week to finish on time, more than your 21 h/week"
        in warnings
    )


def test_a_new_student_gets_no_warning_but_sees_year_2_marked(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2027-10")  # a student who has not started yet
    assert run_json("plan")["warnings"] == []
    assert run_json("progress")["warnings"] == []
    hours = run_json("hours")
    heavy = {(t["year"], t["term"]) for t in hours["terms"] if t["heavy"]}
    for year, term, first, last in shipped_windows(date(2027, 10, 1)):
        load = term_ects(year, term) * HOURS_PER_ECTS / (((last - first).days + 1) / 7)
        assert ((year, term) in heavy) == (load > WEEKLY * 1.1), (year, term, load)
    assert (2, 1) in heavy  # ~25 h/week: the student should see that


def test_hours_logged_to_a_module_count_against_it(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    before = run_json("hours", "--on", "2026-11-25")
    run("log", "10", "--module", "deep-learning", "--on", "2026-11-20")
    run("log", "3", "--on", "2026-11-21")  # untagged: counts for no module
    after = run_json("hours", "--on", "2026-11-25")
    assert after["hours_remaining"] == before["hours_remaining"] - 10
    assert run_json("progress")["hours_remaining"] == after["hours_remaining"]
    assert sum(t["hours_remaining"] for t in after["terms"]) == after["hours_remaining"]


def test_the_student_sets_and_resets_their_own_dates(
    run: Run, run_json: RunJson, refuse: Refuse
) -> None:
    run("init", "--start", "2025-10")
    run("calendar", "set", "1.2", "--from", "2026-01-19", "--to", "2026-04-24")
    terms = {(t["year"], t["term"]): t for t in run_json("calendar")["terms"]}
    assert terms[(1, 2)] | {} == terms[(1, 2)]
    assert (terms[(1, 2)]["start"], terms[(1, 2)]["end"], terms[(1, 2)]["source"]) == (
        "2026-01-19",
        "2026-04-24",
        "student",
    )
    assert terms[(1, 2)]["weeks"] == 96 / 7  # 2026-01-19 to 04-24 inclusive
    refuse(
        "calendar", "set", "1.3", "--from", "2026-04-20", "--to", "2026-09-30",
        needles=("year 1 term 2", "year 1 term 3"),
    )  # fmt: skip
    refuse(
        "calendar", "set", "1.3", "--from", "2026-09-30", "--to", "2026-05-01", needles=("--to",)
    )
    refuse("calendar", "set", "1.4", "--from", "2026-05-01", "--to", "2026-09-30", needles=("Y.T",))
    refuse("calendar", "set", "x", "--from", "2026-05-01", "--to", "2026-09-30", needles=("Y.T",))
    run("calendar", "reset", "1.2")
    assert {t["source"] for t in run_json("calendar")["terms"]} == {"programme"}
    refuse("calendar", "reset", "1.2", needles=("no dates of your own",))


def test_own_dates_move_the_current_term_and_the_load(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("calendar", "set", "2.1", "--from", "2026-10-01", "--to", "2026-12-18")
    progress = run_json("progress")
    assert (progress["current_year"], progress["current_term"]) == (2, 1)
    y2t1 = next(t for t in run_json("hours")["terms"] if (t["year"], t["term"]) == (2, 1))
    assert y2t1["end"] == "2026-12-18" and y2t1["source"] == "student"
    weeks = ((date(2026, 12, 18) - TODAY).days + 1) / 7
    assert y2t1["weekly_load"] == pytest.approx(375 / weeks)


def test_pace_counts_idle_days(run: Run, run_json: RunJson) -> None:
    """Two busy days followed by twelve idle weeks must not read as 20 h/week."""
    run("init", "--start", "2025-10")
    busy = TODAY - timedelta(weeks=12, days=TODAY.weekday())
    run("log", "10", "--on", busy.isoformat())
    run("log", "10", "--on", (busy + timedelta(days=1)).isoformat())
    pace = run_json("hours")["pace"]
    days = (TODAY - busy).days + 1
    assert (pace["span_days"], days) == (days, 87)
    assert pace["overall_weekly_hours"] == pytest.approx(20 / (days / 7))
    assert pace["recent_days"] == 28 and pace["recent_weekly_hours"] == 0


def test_balance_since_the_first_entry_and_over_the_term(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("log", "6", "--on", "2026-11-01")
    run("log", "4", "--on", "2026-11-24")
    run("log", "2", "--on", "2026-09-30")  # the last day of year 1 term 3
    hours = run_json("hours")
    days = (TODAY - date(2026, 9, 30)).days + 1
    assert hours["balance"] == {
        "since": "2026-09-30",
        "target_hours": pytest.approx(WEEKLY * days / 7),
        "logged_hours": 12,
        "difference": pytest.approx(12 - WEEKLY * days / 7),
    }
    term_days = (TODAY - date(2026, 10, 1)).days + 1
    assert hours["term_balance"]["since"] == "2026-10-01"
    assert hours["term_balance"]["logged_hours"] == 10
    assert hours["term_balance"]["target_hours"] == pytest.approx(WEEKLY * term_days / 7)
    assert run_json("progress")["term_balance"] == hours["term_balance"]
    text = run("progress").stdout
    assert "Balance this term: 10 of" in text


def test_target_wording(run: Run) -> None:
    out = run("target").stdout
    assert "No marks yet" in out and "over 0 ECTS" not in out
    assert "secured: reached if you pass every remaining module" in out


def test_a_what_if_pace_changes_the_finish_and_the_heavy_terms(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("log", "3", "--on", "2026-11-20")
    own = run_json("hours")
    what_if = run_json("hours", "--weekly-hours", "40")
    assert what_if["finish_date"] < own["finish_date"]
    assert what_if["balance"] == own["balance"]  # history: against the recorded 21 h/week
    assert what_if["term_balance"] == own["term_balance"]
    for mine, other in zip(own["terms"], what_if["terms"], strict=True):
        assert mine["weekly_load"] == other["weekly_load"]
        if mine["weekly_load"] is not None:
            assert mine["heavy"] is (mine["weekly_load"] > WEEKLY * 1.1)
            assert other["heavy"] is (other["weekly_load"] > 40 * 1.1)
    assert [t["heavy"] for t in what_if["terms"]] != [t["heavy"] for t in own["terms"]]


def test_without_a_start_month_a_warned_term_is_marked_in_the_table(
    run: Run, run_json: RunJson
) -> None:
    run("defer", "maths", "programming", "ethics-1")
    warned = run_json("plan")["warnings"]
    assert any(w.startswith("year 2 term 1: ") for w in warned)
    y2t1 = next(t for t in run_json("hours")["terms"] if (t["year"], t["term"]) == (2, 1))
    assert y2t1["heavy"] is True and y2t1["weekly_load"] is not None


def test_a_reset_with_nothing_set_says_nothing_changed(run: Run) -> None:
    said = run("calendar", "reset").stderr
    assert "you have no dates of your own" in said and "nothing changed" in said


def test_nothing_due_is_said_for_the_days_asked(run: Run) -> None:
    assert "Nothing due today" in run("due", "--days", "0").stdout
    assert "Nothing due in the next 3 days" in run("due", "--days", "3").stdout
