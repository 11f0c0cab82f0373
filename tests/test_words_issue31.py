"""Issue 31 point 6: wording that misled. The overdue term against an assessment that is
not late; `stop --at` a time still to come; a forgotten timer and its fix; `defer` of a
module past the project; usage errors naming the command typed and the argument's
metavar; an unknown option before the command; assessment names by a unique beginning."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import Refuse, Run, RunJson, child_env, mldsplan_command

LONDON = ZoneInfo("Europe/London")
SetNow = Callable[[datetime], None]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_an_overdue_term_is_said_of_the_module_not_of_its_next_assessment(run: Run) -> None:
    run("init", "--start", "2025-10")  # year 1 has ended; programming is still to do
    run("assess", "add", "programming", "cw1", "--weight", "30", "--due", "2026-12-04")
    week = _flat(run("week").stdout)
    assert "programming" in week
    assert "its term ended; cw1, 2026-12-04 (in 9 days)" in week
    assert "overdue: cw1" not in week
    assert "its term ended; this term ends 2027-01-14 (in 50 days)" in week
    assert "deep-learning 24.76 - 24.76 term ends 2027-01-14 (in 50 days)" in week


def test_stop_at_a_time_still_to_come_today_says_so(
    run: Run, refuse: Refuse, set_now: SetNow
) -> None:
    set_now(datetime(2026, 11, 25, 11, 46, tzinfo=LONDON))
    run("start", "deep", "--at", "11:00")
    said = refuse("stop", "--at", "12:30").stderr.splitlines()
    assert said == [
        "Error: --at: 12:30 today is still to come (it is 11:46), and yesterday's 12:30 is"
        " before the timer started (2026-11-25 11:00)",
        "hint: give a time from 11:00 to 11:46, or leave out --at for now",
    ]
    refuse("switch", "maths", "--at", "12:30", needles=("12:30 today is still to come",))
    # a time of the day before the start, today: said as before
    refuse("stop", "--at", "10:30", needles=("2026-11-25 10:30 is before the timer started",))
    # a date-time in the future: in the future
    refuse("stop", "--at", "2026-11-25T12:30", needles=("is in the future",))


def test_a_timer_at_24_hours_is_probably_forgotten_with_the_fix(run: Run, set_now: SetNow) -> None:
    set_now(datetime(2026, 11, 24, 11, 46, tzinfo=LONDON))
    run("start", "deep")
    set_now(datetime(2026, 11, 25, 11, 46, tzinfo=LONDON))
    fix = (
        "probably forgotten (more than 16 h): stop it when you ended with"
        " mldsplan stop --at YYYY-MM-DDTHH:MM, or drop it: mldsplan cancel"
    )
    status = _flat(run("status").stdout)
    assert status.startswith("Timer: deep-learning, 24 h 0 min (since 2026-11-24 11:46)")
    assert fix in status
    assert fix in _flat(run("progress").stdout)
    assert fix in _flat(run("week").stdout)
    set_now(datetime(2026, 11, 25, 3, 46, tzinfo=LONDON))
    assert "probably forgotten" not in run("status").stdout  # 16 h: stop still takes it


def test_a_timer_started_further_back_than_stop_takes_is_warned_at_once(
    run: Run, run_json: RunJson
) -> None:
    run("init")
    said = run("start", "deep", "--at", "2026-11-24T20:00").stderr
    assert _flat(said) == _flat(
        "timer started for deep-learning at 2026-11-24 20:00\n"
        "warning: that is 24 h ago, more than the 16 h a timer may run: stop it with"
        " mldsplan stop --at YYYY-MM-DDTHH:MM (when you ended), or cancel it and log the"
        " time: mldsplan log HOURS --on DATE"
    )
    assert run_json("status")["running"] is True
    run("cancel")
    assert "warning" not in run("start", "deep", "--at", "2026-11-25T04:00").stderr  # 16 h


def test_deferring_a_module_past_the_project_suggests_deferring_the_project(run: Run) -> None:
    run("init", "--start", "2026-10")
    said = run("defer", "agents").stderr.splitlines()
    assert (
        "warning: project must come after every other module, but agents is planned no earlier"
        in said
    )
    assert said[-1] == "hint: take project later too: mldsplan defer project"
    run("defer", "agents", "--years", "2")
    assert run("defer", "agents").stderr.splitlines()[-1] == (
        "hint: take project later too: mldsplan defer project --years 4"
    )
    run("defer", "project", "--years", "4")
    assert "hint" not in run("plan").stderr


def test_a_missing_option_value_hints_at_the_commands_own_help(run: Run) -> None:
    result = run("due", "--days", ok=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: Option '--days' requires an argument.",
        "hint: 'mldsplan due -h' shows what it takes",
    ]
    nested = run("assess", "add", "maths", "cw", "--weight", ok=False).stderr.splitlines()
    assert nested[1] == "hint: 'mldsplan assess add -h' shows what it takes"


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (("uncomplete",), "CODE..."),
        (("complete",), "CODE..."),
        (("mark",), "CODE"),
        (("assess", "mark", "maths"), "NAME"),
        (("import",), "FILE"),
        (("merge",), "OTHER"),
    ],
)
def test_a_missing_argument_is_named_as_the_help_names_it(
    run: Run, args: tuple[str, ...], missing: str
) -> None:
    result = run(*args, ok=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"Error: Missing argument '{missing}'."
    assert missing in run(*args[:-1] if args[-1] == "maths" else args, "-h").stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--on", "2026-12-01", "log", "2"),
            ["Error: --on goes after the command: mldsplan log 2 --on 2026-12-01"],
        ),
        (
            ("--json", "progress"),
            ["Error: --json goes after the command: mldsplan progress --json"],
        ),
        (
            ("--bogus", "progress"),
            [
                "Error: No such option: --bogus",
                "hint: 'mldsplan -h' shows the options before the command",
            ],
        ),
        (
            ("--file",),
            [
                "Error: Option '--file' requires an argument.",
                "hint: 'mldsplan -h' shows what it takes",
            ],
        ),
    ],
)
def test_an_option_before_the_command_is_one_error_line(
    progress_file: Path, args: tuple[str, ...], said: list[str]
) -> None:
    """Through the installed command: the root's own parsing is not under CliRunner's
    catch, and Typer's box would be drawn there."""
    done = subprocess.run(
        [*mldsplan_command(), *args],
        capture_output=True,
        text=True,
        env=child_env(progress_file),
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == said
    assert "--version" not in done.stderr and "╭" not in done.stderr
    assert not progress_file.exists()


def test_assessment_names_take_a_unique_beginning(
    run: Run, run_json: RunJson, refuse: Refuse
) -> None:
    run("assess", "add", "maths", "Coursework 1", "--weight", "20")
    run("assess", "add", "maths", "Coursework 2", "--weight", "30")
    run("assess", "add", "maths", "Exam", "--weight", "50")
    assert run("assess", "mark", "maths", "ex", "70").stderr == "maths: 'Exam' marked 70\n"
    refuse(
        "assess",
        "mark",
        "maths",
        "course",
        "60",
        needles=("NAME: 'course' begins several assessments of maths: Coursework 1, Coursework 2",),
    )
    run("assess", "edit", "maths", "ex", "--weight", "45")
    run("assess", "edit", "maths", "coursework 2", "--weight", "35")
    assert run("assess", "remove", "maths", "COURSEWORK 1").stderr == (
        "maths: removed 'Coursework 1'\n"
    )
    names = {
        a["name"]: a["weight"]
        for a in run_json("assess", "list", "maths")["modules"][0]["assessments"]
    }
    assert names == {"Coursework 2": 35, "Exam": 45}
    refuse("assess", "mark", "maths", "quiz", "60", needles=("has no assessment 'quiz'",))
