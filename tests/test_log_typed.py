"""Issue 31 points 2-4: the log typed the way people type it. Durations as `90m`, `1h30`,
`1:30`; the module as a second argument; short options; `log --edit N`; the listing by
date, numbered as `--remove N` and `--edit N` take them."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st

from conftest import Refuse, Run, RunJson, child_env, mldsplan_command
from mldsplan.cli.app import app
from mldsplan.domain import changes, studytime
from mldsplan.domain.durations import DurationError, parse_hours
from mldsplan.domain.progress import LogEntry, Progress

FORMS_HINT = "hint: type hours as 1.5, 1.5h, 90m, 1h30 or 1:30"

# --- point 2: durations ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("90m", 1.5), ("1h30", 1.5), ("1h", 1.0), ("1:30", 1.5), ("1.5h", 1.5), ("1.5", 1.5)],
)
def test_log_takes_durations_as_people_type_them(
    run_json: RunJson, typed: str, hours: float
) -> None:
    assert run_json("log", typed)["entry"]["hours"] == hours


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_way_of_writing_hours_and_minutes_is_the_same_hours(h: int, m: int) -> None:
    exact = (h * 60 + m) / 60
    typed = [f"{h}:{m:02d}", f"{h}h{m}", f"{h}h{m:02d}m", f"{h} h {m} min", f"{h * 60 + m}m"]
    assert {parse_hours(t) for t in typed} == {exact}


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1:75", "'1:75' has 75 minutes; the minutes must be below 60"),
        ("1h60", "'1h60' has 60 minutes; the minutes must be below 60"),
        ("abc", "'abc' is not a duration"),
        ("1:5", "'1:5' is not a duration"),
        ("1..5", "'1..5' is not a duration"),
        ("", "'' is not a duration"),
    ],
)
def test_the_reading_says_why_it_refuses(typed: str, reason: str) -> None:
    with pytest.raises(DurationError) as refused:
        parse_hours(typed)
    assert str(refused.value) == reason


def _usage_error(run: Run, progress_file: Path, *args: str) -> list[str]:
    before = progress_file.read_bytes()
    result = run(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and progress_file.read_bytes() == before
    return result.stderr.splitlines()


def test_minutes_of_60_or_more_are_refused_with_the_reason(run: Run, progress_file: Path) -> None:
    run("init")
    assert _usage_error(run, progress_file, "log", "1:75") == [
        "Error: Invalid value for 'HOURS': '1:75' has 75 minutes; the minutes must be below 60",
        FORMS_HINT,
    ]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("log", "abc"), "'HOURS'"),
        (("log", "--edit", "1", "--hours", "abc"), "'--hours'"),
        (("init", "--weekly-hours", "abc"), "'--weekly-hours'"),
        (("hours", "--weekly-hours", "abc"), "'--weekly-hours'"),
        (("week", "--weekly-hours", "abc"), "'--weekly-hours'"),
    ],
)
def test_a_word_for_hours_names_the_argument_and_shows_the_forms(
    run: Run, progress_file: Path, args: tuple[str, ...], named: str
) -> None:
    run("log", "2")
    said = _usage_error(run, progress_file, *args)
    assert said == [f"Error: Invalid value for {named}: 'abc' is not a duration", FORMS_HINT]


def test_weekly_hours_take_durations_everywhere(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2026-10", "--weekly-hours", "17h30")
    assert run_json("progress")["weekly_hours"] == 17.5
    assert run_json("hours", "--weekly-hours", "20h")["weekly_hours"] == 20
    assert run_json("week", "--weekly-hours", "12:30")["target_hours"] == 12.5


def test_a_negative_duration_still_meets_the_records_limit(run: Run, refuse: Refuse) -> None:
    run("init")
    refuse("log", "-90m", needles=("HOURS",))


def test_the_file_keeps_plain_numbers(run: Run, progress_file: Path) -> None:
    run("log", "1h30", "--on", "2026-11-20")
    assert "2026-11-20 1.5 -" in progress_file.read_text()


def test_the_installed_command_takes_a_duration_and_a_module(progress_file: Path) -> None:
    done = subprocess.run(
        [*mldsplan_command(), "log", "90m", "bayesian", "--json"],
        capture_output=True,
        text=True,
        env=child_env(progress_file),
        check=True,
    )
    entry = json.loads(done.stdout)["entry"]
    assert (entry["hours"], entry["module"]) == (1.5, "bayesian")


# --- point 3: log HOURS [MODULE], short options --------------------------------


def test_the_module_is_an_optional_second_argument(run_json: RunJson) -> None:
    assert run_json("log", "2", "bayes")["entry"]["module"] == "bayesian"
    assert run_json("log", "2", "--module", "bayes")["entry"]["module"] == "bayesian"
    assert run_json("log", "2", "bayes", "--module", "bayesian")["entry"]["module"] == "bayesian"
    assert run_json("log", "2")["entry"]["module"] is None


def test_two_different_modules_are_a_usage_error(run: Run, progress_file: Path) -> None:
    run("init")
    said = _usage_error(run, progress_file, "log", "2", "bayesian", "--module", "maths")
    assert said[0] == (
        "Error: Invalid value for 'MODULE': 'bayesian' and --module 'maths' name two modules;"
        " give one"
    )


def test_short_options_module_and_note(run_json: RunJson, run: Run) -> None:
    entry = run_json("log", "2", "-m", "deep", "-n", "lab 3")["entry"]
    assert (entry["module"], entry["note"]) == ("deep-learning", "lab 3")
    run("start", "maths", "-n", "chapter 1", "--at", "19:00")
    assert run_json("status")["note"] == "chapter 1"
    run("switch", "-n", "chapter 2")
    assert run_json("status")["note"] == "chapter 2"


def _commands(command: object, path: str = "mldsplan") -> list[tuple[str, object]]:
    found = [(path, command)]
    for name, inner in getattr(command, "commands", {}).items():
        found += _commands(inner, f"{path} {name}")
    return found


SHORT = {"-m": "--module", "-n": "--note", "-o": "--output", "-f": "--format", "-h": "--help"}


def test_short_options_mean_one_thing_across_every_command() -> None:
    checked = set()
    for path, command in _commands(typer.main.get_command(app)):
        params = command.get_params(typer.main.get_command(app).make_context("mldsplan", []))  # type: ignore[attr-defined]
        for param in params:
            if param.param_type_name != "option":
                continue
            shorts = [o for o in param.opts if not o.startswith("--")]
            longs = [o for o in param.opts if o.startswith("--")]
            for short in shorts:
                assert short in SHORT and SHORT[short] in longs, (path, param.opts)
            for long in longs:
                wanted = [s for s, lo in SHORT.items() if lo == long]
                assert set(wanted) <= set(shorts), (path, param.opts)
                checked |= set(wanted)
    assert checked == set(SHORT)


# --- point 4: log --edit N, the listing by date ----------------------------------


def test_the_listing_is_by_date_and_remove_takes_its_numbers(run: Run, run_json: RunJson) -> None:
    run("log", "1", "--on", "2026-11-20", "--note", "third")
    run("log", "2", "--on", "2026-11-01", "--note", "first")
    run("log", "3", "--on", "2026-11-20", "--note", "fourth")
    run("log", "4", "--on", "2026-11-10", "--note", "second")
    listed = run_json("log", "--list")["entries"]
    assert [e["note"] for e in listed] == ["first", "second", "third", "fourth"]
    assert [line.split()[0] for line in run("log", "--list").stdout.splitlines()[2:]] == [
        "1",
        "2",
        "3",
        "4",
    ]
    removed = run_json("log", "--remove", "2")
    assert (removed["number"], removed["entry"]["note"]) == (2, "second")
    assert [e["note"] for e in run_json("log", "--list")["entries"]] == ["first", "third", "fourth"]
    # --undo removes the last one logged, and says its number in the listing
    undone = run_json("log", "--undo")
    assert (undone["number"], undone["entry"]["note"]) == (3, "fourth")


def test_logging_says_the_entrys_number_in_the_listing(run: Run, run_json: RunJson) -> None:
    run("log", "1", "--on", "2026-11-20")
    assert run_json("log", "2", "--on", "2026-11-01")["number"] == 1


def test_edit_changes_one_entry_in_one_write(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    run("log", "2", "maths", "--on", "2026-11-01", "--note", "chapter 2")
    run("log", "1", "--on", "2026-11-10")
    revision = run_json("log", "--list")
    done = run("log", "--edit", "1", "--hours", "1h15", "--on", "2026-11-12", "-m", "deep")
    assert done.stderr.splitlines() == [
        'changed entry 1 to 1.25 h on 2026-11-12 for deep-learning "chapter 2"'
        ' (was 2 h on 2026-11-01 for maths "chapter 2"); it is now entry 2'
    ]
    entries = run_json("log", "--list")["entries"]
    assert entries[1] == {
        "on": "2026-11-12",
        "hours": 1.25,
        "module": "deep-learning",
        "note": "chapter 2",
        "opening": False,
    }
    # one write: one undo puts the whole entry back
    assert "undid: " in run("undo").stderr
    assert run_json("log", "--list") == revision


def test_edit_clears_the_note_and_the_module(run: Run, run_json: RunJson) -> None:
    run("log", "2", "maths", "--note", "chapter 2")
    edited = run_json("log", "--edit", "1", "--note", "", "--module", "none")
    assert (edited["action"], edited["entry"]["module"], edited["entry"]["note"]) == (
        "edited",
        None,
        None,
    )


def test_edit_is_judged_by_the_record_rules(run: Run, refuse: Refuse) -> None:
    run("log", "22", "--on", "2026-11-20")
    run("log", "3", "--on", "2026-11-21")
    refuse("log", "--edit", "2", "--on", "2026-11-20", needles=("2026-11-20",))
    refuse("log", "--edit", "2", "--on", "2026-12-01", needles=("--on",))
    refuse("log", "--edit", "2", "--hours", "25", needles=("--hours",))
    refuse("log", "--edit", "3", "--hours", "1", needles=("--edit", "no entry 3"))
    refuse("log", "--edit", "1", needles=("--edit", "nothing to change"))


def test_edit_keeps_the_entry_in_its_place_and_its_identity() -> None:
    log = (
        LogEntry(date(2026, 11, 20), 1.0, None, "b"),
        LogEntry(date(2026, 11, 1), 2.0, "maths", "a"),
    )
    record = Progress(start="2026-10", log=log)
    position = studytime.log_position(record.log, 1)  # listing's first: the file's second
    assert position == 2
    after = changes.edit_log(record, position, hours=3.0)
    assert after.log == (log[0], log[1]._replace(hours=3.0))


@given(st.lists(st.integers(1, 30), max_size=12))
def test_the_listing_order_is_by_date_and_stable(days: list[int]) -> None:
    log = [LogEntry(date(2026, 11, d), 1.0, None, str(i)) for i, d in enumerate(days)]
    order = studytime.log_order(log)
    assert sorted(order) == list(range(len(log)))
    listed = [log[i] for i in order]
    assert listed == sorted(log, key=lambda e: (e.on, int(e.note or 0)))
    for number in range(1, len(log) + 1):
        position = studytime.log_position(log, number)
        assert position is not None and log[position - 1] == listed[number - 1]


def test_hours_by_option_too_and_two_amounts_are_a_usage_error(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    assert run_json("log", "--hours", "45m", "-m", "maths")["entry"]["hours"] == 0.75
    said = _usage_error(run, progress_file, "log", "2", "--hours", "3")
    assert said[0] == (
        "Error: Invalid value for '--hours': HOURS and --hours give two amounts (2 and 3); give one"
    )


def test_edit_takes_its_hours_by_option(run: Run, progress_file: Path) -> None:
    run("log", "2")
    said = _usage_error(run, progress_file, "log", "--edit", "1", "3")
    assert said[0] == "Error: Invalid value for 'HOURS': --edit takes the new hours as --hours"


def test_inits_question_takes_a_duration() -> None:
    from mldsplan.commands.records import answer_weekly_hours
    from mldsplan.domain.errors import InputError

    assert answer_weekly_hours("17h30") == 17.5
    with pytest.raises(InputError, match="the minutes must be below 60"):
        answer_weekly_hours("17:60")
