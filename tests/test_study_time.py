"""Study time: the term calendar, hours left and pace, the study log and the week."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, TODAY, Refuse, Run, RunJson, assert_one_line_error
from mldsplan.domain import studytime, terms
from mldsplan.domain import workload as planner
from mldsplan.domain.facts import Facts
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import LogEntry, Progress
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)
HOURS = {m.code: PROGRAMME.hours(m) for m in PROGRAMME.modules}
OCTOBER_2025 = Progress(start="2025-10")


def _window(year: int, term: int, record: Progress = OCTOBER_2025) -> terms.TermWindow:
    found = terms.window(PROGRAMME, record, year, term)
    assert found is not None
    return found


def _weeks(first: date, last: date) -> float:
    """Weeks from `first` to `last`, both days counted."""
    return ((last - first).days + 1) / 7


# The shipped calendar (assumed, data/programme.toml): term 1 starts with the cohort,
# term 2 three months later on the 15th, term 3 seven months later on the 1st; each
# ends the day before the next starts; year 2 is the same a year later.
@pytest.mark.parametrize(
    ("start", "expected_terms", "end"),
    [
        (
            "2025-10",
            [
                ("2025-10-01", "2026-01-14"),
                ("2026-01-15", "2026-04-30"),
                ("2026-05-01", "2026-09-30"),
                ("2026-10-01", "2027-01-14"),
                ("2027-01-15", "2027-04-30"),
                ("2027-05-01", "2027-09-30"),
            ],
            date(2027, 9, 30),
        ),
        (
            "2026-01",
            [
                ("2026-01-01", "2026-04-14"),
                ("2026-04-15", "2026-07-31"),
                ("2026-08-01", "2026-12-31"),
                ("2027-01-01", "2027-04-14"),
                ("2027-04-15", "2027-07-31"),
                ("2027-08-01", "2027-12-31"),
            ],
            date(2027, 12, 31),
        ),
        (
            "2023-11",  # the 2024 leap day falls in term 2
            [
                ("2023-11-01", "2024-02-14"),
                ("2024-02-15", "2024-05-31"),
                ("2024-06-01", "2024-10-31"),
                ("2024-11-01", "2025-02-14"),
                ("2025-02-15", "2025-05-31"),
                ("2025-06-01", "2025-10-31"),
            ],
            date(2025, 10, 31),
        ),
    ],
)
def test_term_dates(start: str, expected_terms: list[tuple[str, str]], end: date) -> None:
    record = Progress(start=start)
    windows = [_window(y, t, record) for y, t in [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]]
    assert [(w.start.isoformat(), w.end.isoformat()) for w in windows] == expected_terms
    assert all(w.source == "programme" for w in windows)
    assert all(w.weeks == pytest.approx(_weeks(w.start, w.end)) for w in windows)
    assert terms.programme_end(PROGRAMME, date.fromisoformat(f"{start}-01")) == end
    assert terms.window(PROGRAMME, Progress(), 1, 1) is None  # no start month, no dates


def test_the_calendar_has_no_gaps_or_overlaps() -> None:
    windows = [_window(y, t) for y in (1, 2, 3) for t in (1, 2, 3)]
    for before, after in itertools.pairwise(windows):
        assert after.start == before.end + timedelta(days=1)


def test_a_students_own_term_dates_replace_the_programmes(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("calendar", "set", "2.1", "--from", "2026-10-05", "--to", "2027-01-10")
    data = run_json("hours")
    current = next(t for t in data["terms"] if (t["year"], t["term"]) == (2, 1))
    assert (current["start"], current["end"], current["source"]) == (
        "2026-10-05",
        "2027-01-10",
        "student",
    )
    assert current["weeks_left"] == pytest.approx(_weeks(TODAY, date(2027, 1, 10)))
    others = [t for t in data["terms"] if (t["year"], t["term"]) != (2, 1)]
    assert others and all(t["source"] == "programme" for t in others)


def test_term_lookup_at_the_boundaries() -> None:
    def term_of(day: date) -> tuple[int, int] | None:
        return terms.term_of(PROGRAMME, OCTOBER_2025, day)

    assert term_of(date(2025, 9, 30)) is None
    assert term_of(date(2025, 10, 1)) == (1, 1)
    assert term_of(date(2026, 1, 14)) == (1, 1)
    assert term_of(date(2026, 1, 15)) == (1, 2)
    assert term_of(date(2026, 4, 30)) == (1, 2)
    assert term_of(date(2026, 5, 1)) == (1, 3)
    assert term_of(date(2027, 9, 30)) == (2, 3)
    assert term_of(date(2027, 10, 1)) == (3, 1)
    assert terms.term_of(PROGRAMME, Progress(), date(2026, 1, 1)) is None


def test_hours_json_follows_the_spec(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    run("complete", "ethics-1", "programming", "maths", "--on", "2026-01-10")
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
    assert data["pace"] is None and data["balance"] is None and data["deadline_weeks"] == []
    by_term = {(t["year"], t["term"]): t for t in data["terms"]}
    # term 1 is done and over: not listed; terms 2 and 3 of year 1 are over with work left
    assert (1, 1) not in by_term
    for over in ((1, 2), (1, 3)):
        assert by_term[over]["overdue"] is True and by_term[over]["heavy"] is False
        assert by_term[over]["weekly_load"] is None and by_term[over]["weeks_left"] is None
    assert all(t["source"] == "programme" for t in data["terms"])
    current = by_term[(2, 1)]
    window = _window(2, 1)
    weeks = _weeks(date(2026, 11, 25), window.end)
    assert current["hours_remaining"] == 375
    assert current["weeks_left"] == pytest.approx(weeks)
    assert current["weekly_load"] == pytest.approx(375 / weeks)
    project = by_term[(2, 3)]
    window = _window(2, 3)
    assert (project["start"], project["end"]) == (str(window.start), str(window.end))
    assert project["weekly_load"] == pytest.approx(500 / _weeks(window.start, window.end))
    for key, t in by_term.items():
        if not t["overdue"]:
            assert t["heavy"] is (t["weekly_load"] > 18 * 1.1), key
    assert by_term[(2, 3)]["heavy"] is True  # 500 h in 21.9 weeks at 18 h/week
    # nothing logged: no balance at all, the term's neither (no week before a first entry
    # is missed)
    assert data["term_balance"] is None


def test_hours_what_if_at_another_pace(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    start = "2025-10-01"
    for weekly in (25, 21):
        data = run_json("hours", "--weekly-hours", str(weekly), "--on", start)
        assert data["weekly_hours"] == weekly
        assert data["weeks_remaining"] == pytest.approx(2250 / weekly)
        days = -(-7 * 2250 // weekly)
        assert data["finish_date"] == (date(2025, 10, 1) + timedelta(days=days)).isoformat()
        # on the first day each term needs its own hours over its whole length; heavy is
        # measured against the what-if pace
        expected = [
            t.ects * 25 / _window(t.year, t.term).weeks > weekly * 1.1 for t in PROGRAMME.terms
        ]
        assert [t["heavy"] for t in data["terms"]] == expected
        assert data["warnings"] == []  # never more than the programme's own load
    assert data["weeks_remaining"] == pytest.approx(2250 / 21)
    assert [t["heavy"] for t in data["terms"]] == [False, False, False, True, True, False]


def test_hours_without_a_start_month(run: Run, run_json: RunJson) -> None:
    data = run_json("hours", "--on", "2026-11-25")
    assert data["programme_end"] is None and data["required_weekly_hours"] is None
    assert data["planned_end"] is None
    # no dates: each term's load is over its nominal length, so warnings and table agree
    assert all(t["start"] is None and t["source"] is None for t in data["terms"])
    assert all(t["weekly_load"] == t["hours_remaining"] / t["weeks_left"] for t in data["terms"])
    assert data["hours_remaining"] == 2250
    out = run("hours").stdout
    assert "mldsplan init --start YYYY-MM" in out


@pytest.mark.parametrize("pace", ["0", "0.5", "168.5"])
def test_hours_refuses_a_bad_pace(run: Run, pace: str) -> None:
    assert_one_line_error(
        run("hours", "--weekly-hours", pace, ok=False),
        "--weekly-hours",
        "must be at least 1 and at most 168",
    )


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
        (["2", "--on", (TODAY + timedelta(days=1)).isoformat()], "in the future"),
        (["2", "--on", "20261120"], "not a date as YYYY-MM-DD"),
        (["2", "--on", "2026W473"], "not a date as YYYY-MM-DD"),
        (["2", "--on", "2026-02-30"], "no such day"),
        (["2", "--module", "nonsense"], "unknown module"),
        (["2", "--note", "x" * 201], "--note"),
        (["2", "--note", "two\nlines"], "--note"),
        (["20", "--on", "2026-11-20"], "adds up to 25 h logged, more than 24"),
        ([], "give HOURS"),
        (["2", "--undo"], "give HOURS"),
    ],
)
def test_refused_log_entries_change_nothing(
    run: Run, args: list[str], needle: str, refuse: Refuse
) -> None:
    run("log", "5", "--on", "2026-11-20")
    refuse("log", *args, needles=(needle,))


def test_a_log_entry_long_before_the_cohort_start_is_refused(run: Run, refuse: Refuse) -> None:
    run("init", "--start", "2025-10")
    run("log", "1", "--on", "2025-04-01")  # six months before: preparing is fine
    refuse(
        "log",
        "1",
        "--on",
        "2025-03-31",
        needles=("2025-03-31", "more than 6 months before the cohort start 2025-10"),
    )


def test_log_undo_on_an_empty_log(run: Run, refuse: Refuse) -> None:
    run("init")
    refuse("log", "--undo", needles=("the study log is empty",))
    refuse("log", "--remove", "1", needles=("the study log is empty",))


def test_log_list_undo_and_remove(run: Run, run_json: RunJson) -> None:
    run("log", "1", "--on", "2026-11-01", "--note", "first")
    run("log", "2", "--on", "2026-11-02", "--note", "second")
    run("log", "3", "--on", "2026-11-03", "--note", "third")
    entries = run_json("log", "--list")["entries"]
    assert [e["note"] for e in entries] == ["first", "second", "third"]
    run("log", "--remove", "2")
    run("log", "--undo")
    assert [e["note"] for e in run_json("log", "--list")["entries"]] == ["first"]
    assert_one_line_error(run("log", "--remove", "5", ok=False), "--remove", "no entry 5")


def test_log_list_human_output(run: Run, run_json: RunJson) -> None:
    assert "The study log is empty" in run("log", "--list").stdout
    run("log", "1.5", "--on", "2026-11-01", "--module", "maths", "--note", "chapter 2")
    run("log", "2", "--on", "2026-11-02")
    lines = run("log", "--list").stdout.splitlines()
    assert lines[0].split() == ["N", "Date", "Hours", "Module", "Note"]
    rows = [line.split() for line in lines if line[:1].isdigit() or line.strip()[:1].isdigit()]
    expected = [
        [str(n), e["on"], hours_text(e["hours"]), e["module"] or "-", *(e["note"] or "").split()]
        for n, e in enumerate(run_json("log", "--list")["entries"], start=1)
    ]
    assert rows == expected
    assert expected == [
        ["1", "2026-11-01", "1.5", "maths", "chapter", "2"],
        ["2", "2026-11-02", "2", "-"],
    ]


def test_progress_shows_this_week(run: Run, run_json: RunJson) -> None:
    run("log", "3.5")
    data = run_json("progress")
    assert data["this_week"]["logged_hours"] == 3.5
    assert data["this_week"]["week_start"] == str(TODAY - timedelta(days=TODAY.weekday()))
    assert "Logged this week: 3.5 of 21 h" in run("progress").stdout
    # the balance runs from the first entry (today) to today: one day of 21 h/week
    assert data["balance"] == {
        "since": str(TODAY),
        "target_hours": pytest.approx(3),
        "logged_hours": 3.5,
        "difference": pytest.approx(0.5),
    }


LOGGED = [  # five weeks with study, one empty week in between
    ("2026-10-12", 10),
    ("2026-10-19", 20),
    ("2026-11-02", 12),
    ("2026-11-09", 14),
    ("2026-11-16", 16),
    ("2026-11-24", 18),
]


def test_pace_counts_idle_days_too(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    assert run_json("hours", "--on", "2026-11-25")["pace"] is None
    assert "nothing logged yet" in run("hours").stdout
    for day, amount in LOGGED:
        run("log", str(amount), "--on", day, "--module", "deep-learning")
    pace = run_json("hours", "--on", "2026-11-25")["pace"]
    # the last 28 days: 29 October to 25 November, both included
    assert (pace["recent_since"], pace["recent_days"]) == ("2026-10-29", 28)
    assert pace["recent_weeks"] == 4
    assert pace["recent_weekly_hours"] == pytest.approx((12 + 14 + 16 + 18) / 4)
    assert pace["span_days"] == 45  # 12 October to 25 November
    assert pace["overall_weekly_hours"] == pytest.approx(90 / (45 / 7))
    assert (pace["logged_hours"], pace["entries"], pace["first_entry"]) == (90, 6, "2026-10-12")
    assert "finish_date_at_recent_pace" not in pace
    # weeks later, with nothing logged since, the idle days pull both paces down
    later = run_json("hours", "--on", "2026-12-20")["pace"]
    assert later["recent_since"] == "2026-11-23"
    assert later["recent_weekly_hours"] == pytest.approx(18 / 4)
    assert later["span_days"] == 70
    assert later["overall_weekly_hours"] == pytest.approx(90 / 10)
    modules = run_json("hours", "--on", "2026-11-25")["modules"]
    assert modules == [
        {
            "code": "deep-learning",
            "budget_hours": 187.5,
            "logged_hours": 90,
            "opening_hours": 0,
            "percent_used": 48,
        }
    ]


def test_a_short_log_has_a_short_recent_span() -> None:
    log = (LogEntry(date(2026, 11, 17), 3.0), LogEntry(date(2026, 11, 24), 5.0))
    pace = studytime.pace(Facts(PROGRAMME, Progress(log=log), date(2026, 11, 25)))
    assert pace is not None
    # 17 to 25 November is 9 days: the recent span starts at the first entry too
    assert (pace.recent_since, pace.recent_days, pace.span_days) == (date(2026, 11, 17), 9, 9)
    assert pace.recent_weekly_hours == pace.overall_weekly_hours == pytest.approx(8 / (9 / 7))
    only = studytime.pace(Facts(PROGRAMME, Progress(log=log[1:]), date(2026, 11, 25)))
    assert only is not None and only.recent_days == 2
    assert only.recent_weekly_hours == pytest.approx(5 / (2 / 7))
    assert (
        studytime.pace(Facts(PROGRAMME, Progress(log=log), date(2026, 11, 16))) is None
    )  # entries after `on` do not count


def test_logged_hours_reduce_the_hours_remaining(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    run("init", "--start", "2025-10")
    run("log", "20", "--on", "2026-11-20", "--module", "deep-learning")
    run("log", "10", "--on", "2026-11-21")  # no module: reduces nothing
    run("log", "5", "--on", "2026-11-22", "--module", "maths")
    run("complete", "maths", "--on", "2026-01-10")  # done: needs nothing, logged or not
    for day in range(1, 8):  # 140 h: more than eda's budget, which needs 0 then, never less
        run("log", "20", "--on", f"2026-11-0{day}", "--module", "eda")
    logged = {"deep-learning": 20.0, "eda": 140.0}
    expected = sum(
        max(0.0, HOURS[m.code] - logged.get(m.code, 0.0))
        for m in PROGRAMME.modules
        if m.code != "maths"
    )
    assert expected == 2250 - HOURS["maths"] - 20 - HOURS["eda"]
    assert run_json("hours")["hours_remaining"] == pytest.approx(expected)
    assert run_json("progress")["hours_remaining"] == pytest.approx(expected)
    from mldsplan.storage import store

    record = store.load(progress_file)
    assert planner.hours_remaining(Facts(PROGRAMME, record, date(2026, 11, 25))) == pytest.approx(
        expected
    )


def test_hours_shows_the_pace_line_and_the_module_table(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    for day, amount in LOGGED:
        run("log", str(amount), "--on", day, "--module", "deep-learning")
    run("log", "2.5", "--on", "2026-11-25", "--module", "maths")
    data = run_json("hours")
    text = run("hours").stdout
    p = data["pace"]
    assert (
        f"Your pace: {hours_text(p['recent_weekly_hours'])} h/week over the last"
        f" {p['recent_days']} days; {hours_text(p['overall_weekly_hours'])} h/week since"
        f" {p['first_entry']}"
    ) in text
    # (12+14+16+20.5)/4 over 29 Oct-25 Nov; 92.5 h over the 45 days from 12 Oct
    assert "Your pace: 15.63 h/week over the last 28 days; 14.39 h/week since 2026-10-12" in text
    lines = text.splitlines()
    header = next(
        i for i, line in enumerate(lines) if line.split() == ["Module", "Logged", "Budget", "Used"]
    )
    rows = [line.split() for line in lines[header + 2 : header + 2 + len(data["modules"])]]
    assert rows == [
        [
            m["code"],
            f"{m['logged_hours']:g}",
            f"{m['budget_hours']:,g}",
            f"{100 * m['logged_hours'] / m['budget_hours']:.0f}%",
        ]
        for m in data["modules"]
    ]
    assert rows == [["maths", "2.5", "125", "2%"], ["deep-learning", "90", "187.5", "48%"]]
    for t in data["terms"]:
        words = next(w for w in map(str.split, lines) if w[:1] == [f"{t['year']}.{t['term']}"])
        load = "-" if t["weekly_load"] is None else hours_text(t["weekly_load"])
        mark = "overdue" if t["overdue"] else "heavy" if t["heavy"] else ""
        assert " ".join(words).endswith(f"{load} {mark}".strip()), words


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
    weeks = [
        studytime.study_week(Facts(PROGRAMME, record, first + timedelta(weeks=w)), 21)
        for w in range(13)
    ]
    assert sum(w.logged_hours for w in weeks) == pytest.approx(sum(h for _, h in raw))
    assert all(w.remaining_hours >= 0 for w in weeks)


def test_progress_says_which_term_today_is_in(run: Run, run_json: RunJson) -> None:
    assert run_json("progress")["current_term"] is None
    run("init", "--start", "2025-10")
    data = run_json("progress")
    expected = terms.term_of(PROGRAMME, OCTOBER_2025, TODAY)
    assert expected == (2, 1)
    assert (data["current_year"], data["current_term"]) == expected
    assert f"now year {expected[0]} term {expected[1]}" in run("progress").stdout
