"""Issue 13: the study timer, with a controlled clock (midnight, DST, a zone change)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import Refuse, Run, RunJson

LONDON = ZoneInfo("Europe/London")
SetNow = Callable[[datetime], None]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(autouse=True)
def started(run: Run) -> None:
    run("init", "--start", "2025-10")


def log_entries(run_json: RunJson) -> list[tuple[str, float, str | None, str | None]]:
    return [
        (e["on"], round(e["hours"] * 60), e["module"], e["note"])
        for e in run_json("log", "--list")["entries"]
    ]


def test_start_status_stop(run: Run, run_json: RunJson, set_now: SetNow) -> None:
    set_now(at("2026-11-25T19:03:00+00:00"))
    run("start", "bayes", "--note", "lecture 5")
    set_now(at("2026-11-25T20:15:30+00:00"))
    status = run_json("status")
    assert status["running"] is True
    assert status["module"] == "bayesian"
    assert status["started_at"] == "2026-11-25T19:03:00+00:00"
    assert status["elapsed_hours"] == pytest.approx(1.2083, abs=1e-3)
    assert "Timer: bayesian, 1 h 12 min (since 19:03)" in run("progress").stdout
    assert "Timer: bayesian" in run("week").stdout
    assert run_json("progress")["timer"]["module"] == "bayesian"
    run("stop")
    assert log_entries(run_json) == [("2026-11-25", 72, "bayesian", "lecture 5")]
    assert run_json("status") == {
        "schema_version": 2,
        "running": False,
        "module": None,
        "note": None,
        "started_at": None,
        "elapsed_hours": None,
    }


def test_a_session_across_midnight_is_one_entry_per_date(
    run: Run, run_json: RunJson, set_now: SetNow
) -> None:
    set_now(at("2026-11-24T23:00:00+00:00"))
    run("start")
    set_now(at("2026-11-25T01:30:00+00:00"))
    run("stop")
    assert log_entries(run_json) == [("2026-11-24", 60, None, None), ("2026-11-25", 90, None, None)]


@pytest.mark.parametrize(
    "begin,end,minutes",
    [
        # Europe/London, the end of March: 01:00 GMT becomes 02:00 BST.
        ("2026-03-29T00:30:00+00:00", "2026-03-29T03:30:00+01:00", 120),
        # The end of October: 02:00 BST becomes 01:00 GMT.
        ("2026-10-25T00:30:00+01:00", "2026-10-25T01:30:00+00:00", 120),
    ],
    ids=["march", "october"],
)
def test_a_daylight_saving_change_gives_the_true_elapsed_time(
    run: Run, run_json: RunJson, set_now: SetNow, begin: str, end: str, minutes: int
) -> None:
    assert at(begin).astimezone(LONDON).utcoffset() == at(begin).utcoffset()
    assert at(end).astimezone(LONDON).utcoffset() == at(end).utcoffset()
    set_now(at(begin))
    run("start", "maths")
    set_now(at(end))
    run("stop")
    assert log_entries(run_json) == [(at(begin).date().isoformat(), minutes, "maths", None)]


def test_a_time_zone_change_between_start_and_stop(
    run: Run, run_json: RunJson, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_now(at("2026-11-20T18:00:00+00:00"))  # London
    run("start")
    monkeypatch.setenv("TZ", "America/New_York")  # the student flew; the laptop followed
    set_now(at("2026-11-20T20:00:00-05:00"))  # New York, 01:00 UTC the next day
    run("stop")
    assert log_entries(run_json) == [("2026-11-20", 7 * 60, None, None)]


def test_now_is_read_in_the_students_zone(
    run: Run, run_json: RunJson, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MLDSPLAN_NOW names an instant; today and `--at` are the student's zone's (TZ).

    23:30 UTC on 1 July is 00:30 on 2 July in London: a timer started at 00:10
    is today's, and stopping it logs on 2 July (0.2 refused it as in the future).
    """
    monkeypatch.setenv("TZ", "Europe/London")
    set_now(at("2026-07-01T23:30:00+00:00"))
    run("start", "--at", "00:10")
    run("stop")
    assert log_entries(run_json) == [("2026-07-02", 20, None, None)]


def test_at_backdates_within_today(run: Run, run_json: RunJson, set_now: SetNow) -> None:
    set_now(at("2026-11-25T21:00:00+00:00"))
    run("start", "--at", "19:15")
    run("stop", "--at", "20:45")
    assert log_entries(run_json) == [("2026-11-25", 90, None, None)]


def test_mistakes_a_person_makes(refuse: Refuse, run: Run, set_now: SetNow) -> None:
    set_now(at("2026-11-25T19:00:00+00:00"))
    refuse("stop", needles=("no timer is running",))
    refuse("cancel", needles=("no timer is running",))
    refuse("start", "--at", "20:00", needles=("--at", "in the future"))
    refuse("start", "--at", "25:00", needles=("--at", "not a time"))
    run("start", "deep")
    result = refuse("start", "maths", needles=("already running for deep-learning",))
    assert "mldsplan stop" in result.stderr and "mldsplan cancel" in result.stderr
    refuse("stop", "--at", "18:00", needles=("--at", "before the timer started"))
    refuse("stop", "--at", "19:30", needles=("--at", "in the future"))
    set_now(at("2026-11-26T12:00:00+00:00"))  # 17 h later: forgotten
    result = refuse("stop", needles=("more than 16 h",))
    assert "stop --at HH:MM" in result.stderr
    run("cancel")


def test_a_stop_that_passes_24_h_in_a_day_is_refused(
    refuse: Refuse, run: Run, set_now: SetNow
) -> None:
    run("log", "20", "--on", "2026-11-25")
    set_now(at("2026-11-25T10:00:00+00:00"))
    run("start")
    set_now(at("2026-11-25T15:00:00+00:00"))
    refuse("stop", needles=("h logged, more than 24",))


def test_under_a_minute_is_dropped_with_a_message(
    run: Run, run_json: RunJson, set_now: SetNow
) -> None:
    set_now(at("2026-11-25T19:00:00+00:00"))
    run("start")
    set_now(at("2026-11-25T19:00:25+00:00"))
    result = run("stop")
    assert "less than a minute; nothing was logged" in result.stderr
    assert run_json("log", "--list")["entries"] == []
    assert run_json("status")["running"] is False


def test_the_timer_survives_in_the_file(run: Run, set_now: SetNow, progress_file: Path) -> None:
    from mldsplan.storage import store

    set_now(at("2026-11-25T19:00:00+01:00"))
    run("start", "agents", "--note", "ch. 2")
    record = store.load(progress_file)
    assert record.timer is not None
    assert record.timer.started_at == at("2026-11-25T19:00:00+01:00")
    assert record.timer.started_at.utcoffset() is not None
    assert record.timer.module == "agents" and record.timer.note == "ch. 2"
    assert date(2026, 11, 25) == record.timer.started_at.date()
