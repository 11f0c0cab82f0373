"""The week's plan (SPEC §4, issue 22): each module's need this week, driven by its deadlines.

The rule is checked in-process on the domain (`studytime.week_plan`, which reckons R by
the one load rule and hands it to `weekplan.plan_week`); the CLI is checked end to end
on the issue's worked example: `week` at 60, 80 and 120 columns, piped, with --json,
and the line `progress` gives it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW, SHIPPED, TODAY, MadeWith, Run, RunJson
from mldsplan.domain import studytime
from mldsplan.domain.errors import MldsplanError
from mldsplan.domain.facts import Facts
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import Assessment, Completion, LogEntry, Progress
from mldsplan.domain.terms import schedule, window
from mldsplan.domain.weekplan import weeks_to
from mldsplan.storage.programme_file import load_programme
from test_layout import assert_fits, assert_whole, flat, row, terminal

PROGRAMME = load_programme(SHIPPED)
YEAR_1 = [m.code for m in PROGRAMME.modules if m.year == 1]
MONDAY = date(2026, 11, 23)


def two(value: float) -> str:
    """A figure as the issue checked it by hand: 2 decimals, rounded half up."""
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- the worked example (issue 22), in the domain ----------------------------

EXAMPLE = Progress(
    start="2025-10",
    completions={code: Completion(on=date(2026, 9, 30)) for code in YEAR_1},
    log=(
        LogEntry(date(2026, 11, 19), 13.5, "unsupervised"),
        LogEntry(date(2026, 11, 20), 24.0, "unsupervised"),  # 37.5 h before Monday
        LogEntry(date(2026, 11, 16), 12.0, "deep-learning"),
        LogEntry(date(2026, 11, 17), 24.0, "deep-learning"),
        LogEntry(date(2026, 11, 18), 24.0, "deep-learning"),  # 60 h before Monday
    ),
    assessments={
        "unsupervised": (
            Assessment(name="Coursework 1", weight=20, due=date(2026, 11, 2), mark=68),
            Assessment(name="Group project", weight=30, due=date(2026, 12, 4)),
            Assessment(name="Final project", weight=50, due=date(2027, 1, 11)),
        )
    },
)


def test_the_worked_example_with_its_hand_checked_figures() -> None:
    week = studytime.week_plan(Facts(PROGRAMME, EXAMPLE, TODAY), 21)
    assert date(2026, 11, 25) == TODAY and TODAY.weekday() == 2  # a Wednesday
    assert [r.code for r in week.plan] == ["unsupervised", "deep-learning"]
    unsupervised, deep = week.plan

    # unsupervised: R = 187.5 - 37.5 = 150, shared 30 : 50 by the two open assessments
    group = 150 * 30 / 80 / (12 / 7)  # 56.25 h over 12 days (1.714 weeks)
    final = 150 * 50 / 80 / (50 / 7)  # 93.75 h over 50 days (7.143 weeks)
    assert (two(group), two(final)) == ("32.81", "13.13")
    assert unsupervised.need_hours == pytest.approx(group + final)
    assert two(unsupervised.need_hours) == "45.94"
    assert unsupervised.deadline is not None
    assert (unsupervised.deadline.name, unsupervised.deadline.due) == (
        "Group project",
        date(2026, 12, 4),
    )
    assert unsupervised.deadline.days_left == unsupervised.days_left == 9
    assert not unsupervised.overdue

    # deep-learning: R = 187.5 - 60 = 127.5, no assessments, 53 days to 2027-01-14
    assert deep.need_hours == pytest.approx(127.5 / (53 / 7))
    assert two(deep.need_hours) == "16.84"
    assert deep.deadline is None and deep.due == date(2027, 1, 14) and deep.days_left == 50

    assert two(week.plan_total_hours) == "62.78"
    assert week.available_hours == 21
    assert two(week.over_committed_hours) == "41.78" and week.spare_hours == 0
    for r in week.plan:
        assert r.logged_hours == 0 and r.left_hours == r.need_hours


def test_the_same_plan_all_week_and_what_is_logged_counts_against_it() -> None:
    tuesday = LogEntry(date(2026, 11, 24), 1.5, "unsupervised")
    logged = replace(EXAMPLE, log=(*EXAMPLE.log, tuesday))
    for day in (MONDAY + timedelta(days=i) for i in range(7)):
        week = studytime.week_plan(Facts(PROGRAMME, logged, day), 21)
        assert two(week.plan_total_hours) == "62.78", day
        first = week.plan[0]
        assert (first.logged_hours, two(first.left_hours)) == (1.5, "44.44")
        assert first.days_left == (date(2026, 12, 4) - day).days


def test_spare_hours_and_a_what_if() -> None:
    week = studytime.week_plan(Facts(PROGRAMME, EXAMPLE, TODAY), 80)
    assert week.over_committed_hours == 0
    assert week.spare_hours == pytest.approx(80 - week.plan_total_hours)
    study = studytime.study_week(Facts(PROGRAMME, EXAMPLE, TODAY), 80)
    assert study.available_hours == study.target_hours == 80
    assert study.plan_total_hours == week.plan_total_hours
    # balances are history: measured against the student's own weekly hours
    own = studytime.study_week(Facts(PROGRAMME, EXAMPLE, TODAY), 21)
    assert study.balance is not None and own.balance is not None
    assert study.balance.target_hours == own.balance.target_hours


def test_an_overdue_module_is_spread_to_the_end_of_the_current_term() -> None:
    behind = Progress(
        start="2025-10",
        completions={c: Completion(on=date(2026, 9, 30)) for c in YEAR_1 if c != "bayesian"},
        assessments={
            "bayesian": (
                Assessment(name="Missed", weight=40, due=date(2026, 9, 1)),  # past: not open
                Assessment(name="Exam", weight=60),  # no due date: the (current) term's end
            )
        },
    )
    week = studytime.week_plan(Facts(PROGRAMME, behind, TODAY), 21)
    bayesian = next(r for r in week.plan if r.code == "bayesian")
    assert bayesian.overdue
    assert bayesian.deadline is not None and bayesian.deadline.name == "Exam"
    assert bayesian.due == date(2027, 1, 14)  # year 2 term 1's end, not its own term's
    assert bayesian.need_hours == pytest.approx(187.5 / weeks_to(MONDAY, date(2027, 1, 14)))
    assert [r.code for r in week.plan if r.overdue] == ["bayesian"]


def test_nothing_to_plan_without_dates_or_before_a_term_starts() -> None:
    assert studytime.week_plan(Facts(PROGRAMME, Progress(), TODAY), 21).plan == []
    before = studytime.week_plan(Facts(PROGRAMME, Progress(start="2027-10"), TODAY), 21)
    assert before.plan == [] and before.spare_hours == 21
    # year 1 term 1 starts on Wednesday 2025-10-01: in that week's plan, not the week before
    started = Progress(start="2025-10")
    during = studytime.week_plan(Facts(PROGRAMME, started, date(2025, 9, 29)), 21)
    assert {r.code for r in during.plan} == {"ethics-1", "programming", "maths"}
    assert studytime.week_plan(Facts(PROGRAMME, started, date(2025, 9, 28)), 21).plan == []


# --- properties, in-process ---------------------------------------------------

CODES = PROGRAMME.codes
DAYS = st.dates(min_value=date(2025, 9, 1), max_value=date(2028, 12, 31))


@st.composite
def records(draw: st.DrawFn) -> Progress:
    done = draw(st.lists(st.sampled_from(CODES), unique=True))
    deferred = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=3))
    log = draw(
        st.lists(
            st.builds(
                LogEntry,
                DAYS,
                st.floats(min_value=0.25, max_value=24),
                st.sampled_from([*CODES, None]),
            ),
            max_size=25,
        )
    )
    items: dict[str, tuple[Assessment, ...]] = {}
    for code in draw(st.lists(st.sampled_from(CODES), unique=True, max_size=5)):
        count = draw(st.integers(min_value=1, max_value=4))
        items[code] = tuple(
            Assessment(
                name=f"A{i}",
                weight=draw(st.sampled_from([5.0, 10.0, 20.0, 25.0])),
                due=draw(st.none() | DAYS),
                mark=draw(st.none() | st.just(65.0)),
            )
            for i in range(count)
        )
    return Progress(
        start=draw(st.sampled_from(["2025-10", "2026-01", "2026-10"])),
        completions={c: Completion(on=date(2026, 1, 1)) for c in done},
        deferrals={c: 1 for c in deferred if c not in done},
        log=tuple(log),
        assessments=items,
    )


def hours_to_do_on_monday(record: Progress, code: str, on: date) -> float:
    """R, worked out here from the definition: hours less those logged before Monday."""
    before = sum(
        e.hours for e in record.log if e.module == code and e.on < on - timedelta(days=on.weekday())
    )
    return max(0.0, PROGRAMME.hours(PROGRAMME.module(code)) - before)


@settings(max_examples=150, deadline=None)
@given(record=records(), on=DAYS, weekly=st.floats(min_value=1, max_value=80))
def test_only_started_unfinished_modules_and_never_a_negative_need(
    record: Progress, on: date, weekly: float
) -> None:
    week = studytime.week_plan(Facts(PROGRAMME, record, on), weekly)
    sunday = on - timedelta(days=on.weekday()) + timedelta(days=6)
    planned = {p.module.code: p for p in schedule(PROGRAMME, record)}
    for r in week.plan:
        assert r.code not in record.completions
        term = window(PROGRAMME, record, planned[r.code].year, planned[r.code].term)
        assert term is not None and term.start <= sunday
        assert r.need_hours > 0 and r.left_hours >= 0
        assert r.left_hours == pytest.approx(max(0.0, r.need_hours - r.logged_hours))
    assert len({r.code for r in week.plan}) == len(week.plan)
    assert [(r.due, r.code) for r in week.plan] == sorted((r.due, r.code) for r in week.plan)
    assert week.plan_total_hours == pytest.approx(sum(r.need_hours for r in week.plan))
    assert week.over_committed_hours >= 0 and week.spare_hours >= 0
    assert week.over_committed_hours * week.spare_hours == 0
    assert week.plan_total_hours + week.spare_hours - week.over_committed_hours == pytest.approx(
        weekly
    )


@settings(max_examples=100, deadline=None)
@given(
    record=records(),
    on=DAYS,
    extra=st.lists(
        st.tuples(st.integers(0, 6), st.floats(0.25, 8), st.sampled_from(CODES)), min_size=1
    ),
)
def test_logging_during_the_week_leaves_needs_and_lowers_what_is_left(
    record: Progress, on: date, extra: list[tuple[int, float, str]]
) -> None:
    first = on - timedelta(days=on.weekday())
    more = tuple(LogEntry(first + timedelta(days=d), h, code) for d, h, code in extra)
    before = studytime.week_plan(Facts(PROGRAMME, record, on), 21)
    after = studytime.week_plan(Facts(PROGRAMME, replace(record, log=record.log + more), on), 21)
    assert [(r.code, r.need_hours, r.due) for r in after.plan] == [
        (r.code, r.need_hours, r.due) for r in before.plan
    ]
    for old, new in zip(before.plan, after.plan, strict=True):
        added = sum(h for _, h, code in extra if code == old.code)
        assert new.logged_hours == pytest.approx(old.logged_hours + added)
        assert new.left_hours == pytest.approx(max(0.0, old.left_hours - added))
        assert new.left_hours <= old.left_hours
        if added and old.left_hours > 0:
            assert new.left_hours < old.left_hours


@settings(max_examples=100, deadline=None)
@given(record=records(), on=DAYS)
def test_without_assessments_the_need_is_what_is_left_over_the_weeks_to_the_term_end(
    record: Progress, on: date
) -> None:
    plain = replace(record, assessments={})
    first = on - timedelta(days=on.weekday())
    for r in studytime.week_plan(Facts(PROGRAMME, plain, on), 21).plan:
        assert r.deadline is None
        rest = hours_to_do_on_monday(plain, r.code, on)
        assert r.need_hours == pytest.approx(rest / max(1.0, ((r.due - first).days + 1) / 7))
        if not r.overdue:
            p = next(p for p in schedule(PROGRAMME, plain) if p.module.code == r.code)
            term = window(PROGRAMME, plain, p.year, p.term)
            assert term is not None and r.due == term.end


# --- the CLI --------------------------------------------------------------------

WIDTHS = [60, 80, 120]
ON = ("--on", "2026-11-25")


@pytest.fixture
def example(made_with: MadeWith) -> None:
    """The issue's worked example, with 1.5 h logged to unsupervised on the Tuesday."""
    made_with(
        ("init", "--start", "2025-10"),
        ("complete", *YEAR_1, "--on", "2026-09-30"),
        ("log", "13.5", "--module", "unsupervised", "--on", "2026-11-19"),
        ("log", "24", "--module", "unsupervised", "--on", "2026-11-20"),
        ("log", "12", "--module", "deep-learning", "--on", "2026-11-16"),
        ("log", "24", "--module", "deep-learning", "--on", "2026-11-17"),
        ("log", "24", "--module", "deep-learning", "--on", "2026-11-18"),
        ("log", "1.5", "--module", "unsupervised", "--on", "2026-11-24"),
        ("assess", "add", "unsupervised", "Coursework 1", "--weight", "20", "--due", "2026-11-02"),
        ("assess", "mark", "unsupervised", "Coursework 1", "68"),
        ("assess", "add", "unsupervised", "Group project", "--weight", "30", "--due", "2026-12-04"),
        ("assess", "add", "unsupervised", "Final project", "--weight", "50", "--due", "2027-01-11"),
    )


def test_week_json_carries_the_plan(run_json: RunJson, example: None) -> None:
    d = run_json("week", *ON)
    assert [r["code"] for r in d["plan"]] == ["unsupervised", "deep-learning"]
    unsupervised, deep = d["plan"]
    assert set(unsupervised) >= {
        "code",
        "need_hours",
        "logged_hours",
        "left_hours",
        "overdue",
        "deadline",
    }
    assert unsupervised["deadline"] == {
        "name": "Group project",
        "due": "2026-12-04",
        "days_left": 9,
    }
    assert (two(unsupervised["need_hours"]), unsupervised["logged_hours"]) == ("45.94", 1.5)
    assert two(unsupervised["left_hours"]) == "44.44" and unsupervised["overdue"] is False
    assert deep["deadline"] is None and deep["due"] == "2027-01-14" and deep["days_left"] == 50
    assert two(deep["need_hours"]) == "16.84" and deep["logged_hours"] == 0
    assert two(d["plan_total_hours"]) == "62.78" and d["available_hours"] == 21
    assert two(d["over_committed_hours"]) == "41.78" and d["spare_hours"] == 0
    assert d["plan"] == run_json("progress")["week_plan"]["plan"]


def plan_rows(text: str, d: dict[str, Any]) -> None:
    """Each module's need, logged and left on its row, and its deadline whole."""
    for r in d["plan"]:
        words = row(text, r["code"])
        logged = hours_text(r["logged_hours"]) if r["logged_hours"] else "-"
        assert words[1:4] == [hours_text(r["need_hours"]), logged, hours_text(r["left_hours"])]
        due = r["deadline"]["due"] if r["deadline"] else r["due"]
        assert_whole(text, due)
        if r["deadline"]:
            assert r["deadline"]["name"] in flat(text)
        days = r["days_left"]
        assert f"in {days} days" in flat(text)
    assert (
        f"Needed this week: {hours_text(d['plan_total_hours'])}"
        f" of {hours_text(d['available_hours'])} h,"
        f" over-committed by {hours_text(d['over_committed_hours'])} h" in flat(text)
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_week_shows_the_plan_at_each_width(
    run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, example: None, width: int
) -> None:
    text = terminal(run, monkeypatch, width, "week", *ON)
    assert_fits(text, width)
    d = run_json("week", *ON)
    plan_rows(text, d)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Module"))
    assert lines[at].split() == ["Module", "Need", "Logged", "Left", "Deadline"]
    assert row(text, "unsupervised")[:4] == ["unsupervised", "45.94", "1.5", "44.44"]
    assert row(text, "deep-learning")[:4] == ["deep-learning", "16.84", "-", "16.84"]


def test_week_piped_is_one_line_a_module(run: Run, run_json: RunJson, example: None) -> None:
    text = run("week", *ON).stdout
    d = run_json("week", *ON)
    plan_rows(text, d)
    assert re.search(
        r"^unsupervised +45\.94 +1\.5 +44\.44 +Group project, 2026-12-04 \(in 9 days\)$", text, re.M
    )
    assert re.search(
        r"^deep-learning +16\.84 +- +16\.84 +term ends 2027-01-14 \(in 50 days\)$", text, re.M
    )
    for line in text.splitlines():
        assert line == line.rstrip()


def test_progress_says_the_plan_in_one_line(run: Run, run_json: RunJson, example: None) -> None:
    text = run("progress").stdout
    line = next(line for line in text.splitlines() if line.startswith("Needed this week"))
    assert line == (
        "Needed this week: 62.78 of 21 h, over-committed by 41.78 h;"
        " unsupervised first, 44.44 h left"
    )
    assert run_json("progress")["week_plan"]["available_hours"] == 21


def test_a_week_with_spare_hours_names_where_to_get_ahead(run: Run, example: None) -> None:
    run("init", "--weekly-hours", "70")
    text = flat(run("week", *ON).stdout)
    assert "Needed this week: 62.78 of 70 h, 7.22 h spare: get ahead on unsupervised" in text


def test_week_weekly_hours_is_a_what_if(run: Run, run_json: RunJson, example: None) -> None:
    d = run_json("week", *ON, "--weekly-hours", "70")
    assert d["available_hours"] == d["target_hours"] == 70
    assert two(d["spare_hours"]) == "7.22" and d["over_committed_hours"] == 0
    assert run_json("week", *ON)["available_hours"] == 21  # nothing saved


def test_the_command_behind_week_takes_a_what_if(example: None, progress_file: Path) -> None:
    """`reports.week`, which `week --weekly-hours H` calls: the target and the plan's hours
    are H, nothing is saved, and H is checked as `init --weekly-hours` checks it."""
    from mldsplan.commands import reports
    from mldsplan.commands.session import Session

    session = Session(
        progress_file,
        None,
        lambda: NOW,
        lambda: progress_file.parent / "cache",
        lambda: 5.0,
        lambda message: None,
        lambda moment: NOW.tzinfo or UTC,
    )
    before = progress_file.read_bytes()
    result = reports.week(session, "2026-11-25", 70)
    assert result.available_hours == result.target_hours == 70
    assert two(result.spare_hours) == "7.22" and result.over_committed_hours == 0
    assert reports.week(session, "2026-11-25").available_hours == 21
    with pytest.raises(MldsplanError):
        reports.week(session, "2026-11-25", 0)
    assert progress_file.read_bytes() == before
