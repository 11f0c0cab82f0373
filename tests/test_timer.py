"""Issue 13: the study timer, with a controlled clock (midnight, DST, a zone change)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
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
        "started_today": None,
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
    refuse("start", "--at", "2026-11-25T20:00", needles=("--at", "in the future"))
    refuse("start", "--at", "25:00", needles=("--at", "not a time"))
    run("start", "deep")
    result = refuse("start", "maths", needles=("already running for deep-learning",))
    assert "mldsplan stop" in result.stderr and "mldsplan cancel" in result.stderr
    assert "mldsplan switch" in result.stderr
    refuse("stop", "--at", "18:00", needles=("--at", "before the timer started"))
    # 19:30 has not come today: it is yesterday's, before the start; both are said
    said = refuse(
        "stop",
        "--at",
        "19:30",
        needles=("--at: 19:30 today is still to come (it is 19:00)", "yesterday's 19:30 is before"),
    )
    assert "hint: give a time from 19:00 to 19:00, or leave out --at for now" in said.stderr
    refuse("stop", "--at", "2026-11-25T19:30", needles=("--at", "in the future", "19:00"))
    refuse("stop", "--at", "7pm", needles=("--at", "not a time"))
    refuse("stop", "--at", "2026-02-30T19:30", needles=("--at", "no such day"))
    set_now(at("2026-11-26T12:00:00+00:00"))  # 17 h later: forgotten
    result = refuse("stop", needles=("more than 16 h",))
    assert "stop --at YYYY-MM-DDTHH:MM" in result.stderr
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


# --- issue 20.1: --at reaches back past midnight ----------------------------


def test_stop_at_reaches_back_past_midnight(run: Run, run_json: RunJson, set_now: SetNow) -> None:
    """At 00:30, `--at 23:50` is yesterday's 23:50 (0.2 called it in the future)."""
    set_now(at("2026-11-24T23:00:00+00:00"))
    run("start", "maths")
    set_now(at("2026-11-25T00:30:00+00:00"))
    run("stop", "--at", "23:50")
    assert log_entries(run_json) == [("2026-11-24", 50, "maths", None)]


def test_start_at_after_midnight_is_yesterday(run: Run, run_json: RunJson, set_now: SetNow) -> None:
    set_now(at("2026-11-25T00:30:00+00:00"))
    result = run("start", "--at", "23:15")
    assert "timer started at 2026-11-24 23:15" in result.stderr
    assert run_json("status")["started_at"] == "2026-11-24T23:15:00+00:00"
    run("stop")
    assert log_entries(run_json) == [("2026-11-24", 45, None, None), ("2026-11-25", 30, None, None)]


def test_at_takes_a_date_and_time(run: Run, run_json: RunJson, set_now: SetNow) -> None:
    set_now(at("2026-11-25T20:00:00+00:00"))
    run("start", "--at", "2026-11-24T22:00")
    run("stop", "--at", "2026-11-25T01:15")
    assert log_entries(run_json) == [
        ("2026-11-24", 120, None, None),
        ("2026-11-25", 75, None, None),
    ]
    run("start", "--at", "2026-11-25 19:00")  # a space works as well as the T
    assert run_json("status")["started_at"] == "2026-11-25T19:00:00+00:00"


def test_a_forgotten_timer_is_fixed_as_the_hint_says(
    refuse: Refuse, run: Run, run_json: RunJson, set_now: SetNow
) -> None:
    """Started 09:00, now 03:00 the next day: the hint's command stops it."""
    set_now(at("2026-11-24T09:00:00+00:00"))
    run("start", "bayes")
    set_now(at("2026-11-25T03:00:00+00:00"))
    result = refuse("stop", needles=("2026-11-24 09:00 to 2026-11-25 03:00 is 18 h", "16 h"))
    hint = result.stderr.splitlines()[1]
    assert "from 2026-11-24 09:00 to 2026-11-25 01:00" in hint
    assert "mldsplan stop --at YYYY-MM-DDTHH:MM" in hint and "mldsplan cancel" in hint
    refuse("stop", "--at", "2026-11-25T01:01", needles=("more than 16 h",))
    run("stop", "--at", "17:30")  # yesterday's, as the student meant
    assert log_entries(run_json) == [("2026-11-24", 510, "bayesian", None)]


def test_a_timer_forgotten_for_days_is_fixed_with_a_date(
    refuse: Refuse, run: Run, run_json: RunJson, set_now: SetNow
) -> None:
    set_now(at("2026-11-20T09:00:00+00:00"))
    run("start")
    set_now(at("2026-11-25T20:00:00+00:00"))
    result = refuse("stop", needles=("more than 16 h",))
    assert "from 2026-11-20 09:00 to 2026-11-21 01:00" in result.stderr
    refuse("stop", "--at", "12:00", needles=("more than 16 h",))  # today's 12:00: too late
    run("stop", "--at", "2026-11-20T12:00")
    assert log_entries(run_json) == [("2026-11-20", 180, None, None)]


def test_status_and_progress_show_a_start_before_today_with_its_date(
    run: Run, run_json: RunJson, set_now: SetNow
) -> None:
    set_now(at("2026-11-24T22:00:00+00:00"))
    run("start", "bayes")
    assert "since 22:00)" in run("status").stdout
    assert run_json("status")["started_today"] is True
    set_now(at("2026-11-25T01:00:00+00:00"))
    assert "Timer: bayesian, 3 h 0 min (since 2026-11-24 22:00)" in run("status").stdout
    assert "(since 2026-11-24 22:00)" in run("progress").stdout
    assert run_json("status")["started_today"] is False


# --- issue 20.2: wall times across daylight-saving changes ------------------

NEW_YORK = "America/New_York"


@pytest.mark.parametrize(
    "zone,now,typed,started,note",
    [
        # London, clocks back 02:00 BST -> 01:00 GMT on 2026-10-25: 00:30 was still BST.
        ("Europe/London", "2026-10-25T20:00:00+00:00", "00:30", "2026-10-25T00:30:00+01:00", None),
        (
            "Europe/London",
            "2026-10-25T20:00:00+00:00",
            "01:30",
            "2026-10-25T01:30:00+01:00",
            "01:30 happened twice on 2026-10-25",
        ),
        ("Europe/London", "2026-10-25T20:00:00+00:00", "02:30", "2026-10-25T02:30:00+00:00", None),
        # after midnight, 01:30 is yesterday's: the day the clocks went back
        (
            "Europe/London",
            "2026-10-26T00:30:00+00:00",
            "01:30",
            "2026-10-25T01:30:00+01:00",
            "taken as the first",
        ),
        # London, clocks forward 01:00 GMT -> 02:00 BST on 2026-03-29.
        ("Europe/London", "2026-03-29T20:00:00+01:00", "00:30", "2026-03-29T00:30:00+00:00", None),
        ("Europe/London", "2026-03-29T20:00:00+01:00", "02:30", "2026-03-29T02:30:00+01:00", None),
        # at 00:30 that day, 01:30 has not come (nor will): yesterday's
        ("Europe/London", "2026-03-29T00:30:00+00:00", "01:30", "2026-03-28T01:30:00+00:00", None),
        # New York, clocks back 02:00 EDT -> 01:00 EST on 2026-11-01.
        (NEW_YORK, "2026-11-01T20:00:00-05:00", "00:30", "2026-11-01T00:30:00-04:00", None),
        (
            NEW_YORK,
            "2026-11-01T20:00:00-05:00",
            "01:30",
            "2026-11-01T01:30:00-04:00",
            "UTC-04:00 (not UTC-05:00)",
        ),
        (
            NEW_YORK,
            "2026-11-01T20:00:00-05:00",
            "2026-11-01T01:30",
            "2026-11-01T01:30:00-04:00",
            "happened twice",
        ),
        # New York, clocks forward 02:00 EST -> 03:00 EDT on 2026-03-08.
        (NEW_YORK, "2026-03-08T20:00:00-04:00", "01:30", "2026-03-08T01:30:00-05:00", None),
        (NEW_YORK, "2026-03-08T20:00:00-04:00", "03:30", "2026-03-08T03:30:00-04:00", None),
        (
            NEW_YORK,
            "2026-03-09T00:30:00-04:00",
            "2026-03-07T23:00",
            "2026-03-07T23:00:00-05:00",
            None,
        ),
    ],
)
def test_a_wall_time_has_its_own_dates_offset(
    run: Run,
    run_json: RunJson,
    set_now: SetNow,
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    now: str,
    typed: str,
    started: str,
    note: str | None,
) -> None:
    monkeypatch.setenv("TZ", zone)
    set_now(at(now))
    result = run("start", "--at", typed)
    assert run_json("status")["started_at"] == started
    said = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    if note is None:
        assert said == []
    else:
        assert len(said) == 1 and note in said[0], result.stderr
    set_now(at(started) + timedelta(hours=2))
    run("stop")
    assert sum(m for _, m, _, _ in log_entries(run_json)) == 120  # the true elapsed time


@pytest.mark.parametrize(
    "zone,now,typed,gap",
    [
        ("Europe/London", "2026-03-29T20:00:00+01:00", "01:30", "from 01:00 to 02:00"),
        ("Europe/London", "2026-03-29T20:00:00+01:00", "2026-03-29T01:00", "from 01:00 to 02:00"),
        (NEW_YORK, "2026-03-08T20:00:00-04:00", "02:30", "from 02:00 to 03:00"),
        (NEW_YORK, "2026-03-10T20:00:00-04:00", "2026-03-08T02:59", "from 02:00 to 03:00"),
    ],
)
def test_a_wall_time_the_clocks_skipped_is_refused(
    refuse: Refuse,
    set_now: SetNow,
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    now: str,
    typed: str,
    gap: str,
) -> None:
    monkeypatch.setenv("TZ", zone)
    set_now(at(now))
    result = refuse("start", "--at", typed, needles=("--at", "did not exist", "forward", gap))
    assert "hint: give a time the clock showed that day" in result.stderr


def test_stopping_across_the_clocks_going_back_after_midnight(
    run: Run, run_json: RunJson, set_now: SetNow
) -> None:
    """Started 00:50 BST on the day the clocks went back, stopped at 01:20 (the first
    one), typed after midnight: 30 minutes, not 90."""
    set_now(at("2026-10-24T23:50:00+00:00"))  # 00:50 BST on 25 October
    run("start")
    set_now(at("2026-10-26T00:10:00+00:00"))  # the next night
    result = run("stop", "--at", "01:20")
    assert "note: 01:20 happened twice on 2026-10-25" in result.stderr
    assert log_entries(run_json) == [("2026-10-25", 30, None, None)]


# --- issue 20.3: switch ------------------------------------------------------


def test_switch_logs_the_running_timer_and_starts_the_next(
    run: Run, run_json: RunJson, set_now: SetNow, progress_file: Path
) -> None:
    from mldsplan.storage import store

    set_now(at("2026-11-25T19:00:00+00:00"))
    run("start", "bayes", "--note", "lecture 5")
    revision = store.load(progress_file).revision
    set_now(at("2026-11-25T20:15:00+00:00"))
    result = run("switch", "deep", "--note", "lab 3")
    assert result.stderr.splitlines() == [
        "logged 1 h 15 min on 2026-11-25 for bayesian",
        "timer started for deep-learning at 20:15",
    ]
    assert store.load(progress_file).revision == revision + 1  # one write
    assert log_entries(run_json) == [("2026-11-25", 75, "bayesian", "lecture 5")]
    status = run_json("status")
    assert (status["module"], status["note"]) == ("deep-learning", "lab 3")
    assert status["started_at"] == "2026-11-25T20:15:00+00:00"
    run("undo")  # one undo step: back to bayesian running, nothing logged
    assert log_entries(run_json) == []
    assert run_json("status")["module"] == "bayesian"


def test_switch_at_a_time_and_across_midnight(run: Run, run_json: RunJson, set_now: SetNow) -> None:
    set_now(at("2026-11-24T22:00:00+00:00"))
    run("start", "maths")
    set_now(at("2026-11-25T00:40:00+00:00"))
    run("switch", "--at", "23:30")  # yesterday's; the next has no module
    assert log_entries(run_json) == [("2026-11-24", 90, "maths", None)]
    status = run_json("status")
    assert status["module"] is None and status["started_at"] == "2026-11-24T23:30:00+00:00"
    run("stop")
    assert log_entries(run_json)[1:] == [
        ("2026-11-24", 30, None, None),
        ("2026-11-25", 40, None, None),
    ]


def test_switch_mistakes(refuse: Refuse, run: Run, set_now: SetNow) -> None:
    set_now(at("2026-11-25T19:00:00+00:00"))
    result = refuse("switch", "maths", needles=("no timer is running",))
    assert "hint: start one with: mldsplan start" in result.stderr
    run("start", "deep")
    refuse("switch", "nosuch", needles=("CODE",))
    refuse("switch", "--at", "2026-11-25T19:30", needles=("--at", "in the future"))
    refuse("switch", "--at", "18:30", needles=("--at", "before the timer started"))
    set_now(at("2026-11-26T12:00:00+00:00"))
    result = refuse("switch", needles=("more than 16 h",))
    assert "mldsplan stop --at YYYY-MM-DDTHH:MM" in result.stderr


# --- issue 20.4: time logged without a module --------------------------------


def test_a_bare_start_says_its_time_counts_against_no_module(run: Run, set_now: SetNow) -> None:
    set_now(at("2026-11-25T19:00:00+00:00"))
    started = run("start").stderr
    assert "timer started at 19:00 without a module" in started
    assert "not counted against any module" in started
    assert "not counted" not in run("switch", "maths").stderr
    run("stop")


def test_hours_says_what_was_logged_without_a_module(
    run: Run, run_json: RunJson, set_now: SetNow
) -> None:
    run("log", "2", "--module", "maths", "--on", "2026-11-24")
    assert "without a module" not in run("hours").stdout
    assert run_json("hours")["hours_without_module"] == 0
    run("log", "1.25", "--on", "2026-11-23")
    set_now(at("2026-11-25T19:00:00+00:00"))
    run("start")
    set_now(at("2026-11-25T20:30:00+00:00"))
    run("stop")
    out = run("hours").stdout
    assert "2.75 h logged without a module, not counted against any module" in out
    assert run_json("hours")["hours_without_module"] == pytest.approx(2.75)
