"""The foundation: init, plan, complete, uncomplete, progress, check, and their errors."""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import (
    NOW,
    SHIPPED,
    TODAY,
    MadeWith,
    Refuse,
    Run,
    RunJson,
    assert_one_line_error,
    child_env,
    mldsplan_command,
)
from mldsplan.domain import terms
from mldsplan.domain.progress import Progress
from mldsplan.domain.results import JSON_SCHEMA_VERSION
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)
YEAR_ONE = [m.code for m in PROGRAMME.modules if m.year == 1]
OCTOBER_2025 = Progress(start="2025-10")


def test_no_command_shows_progress_of_a_new_student(run: Run, progress_file: Path) -> None:
    result = run()
    assert "0 of 90" in result.stdout
    assert "2,250 h left" in result.stdout
    assert "107.14 weeks at 21 h/week" in result.stdout
    assert not progress_file.exists(), "a read command must not create the file"


def test_progress_json_of_a_new_student(run_json: RunJson) -> None:
    data = run_json("progress")
    assert data["ects_total"] == 90
    assert data["ects_done"] == 0
    assert data["ects_remaining"] == 90
    assert data["percent"] == 0
    assert data["modules_total"] == 12
    assert data["modules_done"] == 0
    assert data["hours_per_ects"] == 25
    assert data["weekly_hours"] == 21
    assert data["hours_remaining"] == 2250
    assert data["weeks_remaining"] == pytest.approx(2250 / 21)
    assert [(t["year"], t["term"], t["ects"]) for t in data["terms"]] == [
        (1, 1, 12.5),
        (1, 2, 12.5),
        (1, 3, 15),
        (2, 1, 15),
        (2, 2, 15),
        (2, 3, 20),
    ]
    assert data["programme_end"] is None
    assert data["schema_version"] == JSON_SCHEMA_VERSION == 2  # the output's, not the file's
    for key in ("balance", "term_balance", "average", "band", "next_deadline", "timer"):
        assert data[key] is None, key
    assert data["marked_ects"] == 0


def test_progress_json_with_marks_and_a_log(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("complete", "maths", "--mark", "74", "--on", "2026-01-10")
    run("complete", "eda", "--mark", "61", "--on", "2026-04-10")
    run("log", "3", "--on", "2026-11-24")
    data = run_json("progress")
    assert data["average"] == pytest.approx((74 * 5 + 61 * 5) / 10)
    assert data["band"] == "merit" and data["marked_ects"] == 10
    assert data["balance"]["since"] == "2026-11-24" and data["balance"]["logged_hours"] == 3
    term = terms.window(PROGRAMME, OCTOBER_2025, 2, 1)
    assert term is not None and term.start <= TODAY <= term.end
    # the first entry is in this term: the term's balance runs from it, not the term start
    assert data["term_balance"] == data["balance"]
    assert data["term_balance"]["target_hours"] == pytest.approx(21 * 2 / 7)


def test_year_one_numbers(run: Run, run_json: RunJson, set_now: Callable[[datetime], None]) -> None:
    run("init", "--start", "2025-10")
    run("complete", *YEAR_ONE, "--on", "2026-09-30")
    data = run_json("progress")
    assert data["ects_done"] == 40
    assert data["ects_remaining"] == 50
    assert data["percent"] == pytest.approx(100 * 40 / 90)
    assert data["hours_remaining"] == 50 * 25
    assert data["weeks_remaining"] == pytest.approx(1250 / 21)
    assert [t["ects_done"] for t in data["terms"]] == [12.5, 12.5, 15, 0, 0, 0]
    # Ethics counts once, and only when all three parts are done.
    assert data["modules_done"] == 6
    assert data["programme_end"] == "2027-09-30"
    # ethics-3 is in year 2 term 2: it can be completed only once that term has begun.
    ethics_3 = PROGRAMME.module("ethics-3")
    term = terms.window(PROGRAMME, OCTOBER_2025, ethics_3.year, ethics_3.term)
    assert term is not None
    set_now(datetime.combine(term.start + timedelta(days=7), NOW.timetz()))
    run("complete", "ethics-3", "--on", str(term.start + timedelta(days=1)))
    assert run_json("progress")["modules_done"] == 7


def test_finish_date_is_today_plus_the_ceiling_of_the_days(run_json: RunJson) -> None:
    data = run_json("progress")
    assert data["finish_date"] == (TODAY + timedelta(days=750)).isoformat()  # 7*2250/21


def test_init_creates_a_private_file_and_updates_settings(run: Run, progress_file: Path) -> None:
    result = run("init")
    assert progress_file.exists()
    assert stat.S_IMODE(progress_file.stat().st_mode) == 0o600
    assert "created" in result.stderr and result.stdout == ""
    run("init", "--start", "2025-10")
    run("init", "--weekly-hours", "18")
    text = progress_file.read_text()
    assert 'start = "2025-10"' in text and "weekly_hours = 18.0" in text
    again = run("init")
    assert "nothing changed" in again.stderr


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--start", "2025-13"], ("--start", "not a month as YYYY-MM")),
        (["--start", "October"], ("--start",)),
        (["--start", "1969-10"], ("--start", "outside the years 1970-2199")),
        (["--weekly-hours", "0"], ("--weekly-hours",)),
        (["--weekly-hours", "-3"], ("--weekly-hours",)),
        (["--weekly-hours", "0.5"], ("--weekly-hours", "at least 1")),
        (["--weekly-hours", "168.5"], ("--weekly-hours", "at most 168")),
        (["--weekly-hours", "500"], ("--weekly-hours",)),
    ],
)
def test_init_refuses_bad_settings(
    run: Run, args: list[str], needles: tuple[str, ...], refuse: Refuse
) -> None:
    run("init", "--start", "2025-10")
    refuse("init", *args, needles=needles)


def test_init_accepts_the_weekly_hours_limits(run: Run, run_json: RunJson) -> None:
    for hours in (1, 168):
        run("init", "--weekly-hours", str(hours))
        assert run_json("progress")["weekly_hours"] == hours


def test_a_start_that_makes_the_record_impossible_is_refused(run: Run, refuse: Refuse) -> None:
    run("init", "--start", "2025-10")
    run("complete", "maths", "--on", "2025-10-20")  # maths is in year 1 term 1
    refuse("init", "--start", "2026-10", needles=("--start", "2026-10", "before its term"))
    run("init", "--start", "2025-09")  # an earlier start keeps the completion possible


def test_plan_json_keys_and_status(run: Run, run_json: RunJson) -> None:
    run("complete", "supervised", "--mark", "71", "--on", "2026-05-01")
    modules = run_json("plan")["modules"]
    assert len(modules) == 14
    keys = {
        "code",
        "title",
        "year",
        "term",
        "ects",
        "hours",
        "part_of",
        "status",
        "completed_on",
        "mark",
        "planned_year",
        "planned_term",
    }
    assert all(keys <= set(m) for m in modules)
    by_code = {m["code"]: m for m in modules}
    assert by_code["supervised"]["status"] == "done"
    assert by_code["supervised"]["completed_on"] == "2026-05-01"
    assert by_code["supervised"]["mark"] == 71
    assert by_code["supervised"]["hours"] == 187.5
    assert by_code["maths"]["status"] == "todo" and by_code["maths"]["mark"] is None
    assert by_code["ethics-2"]["part_of"] == "ethics"
    assert by_code["project"]["part_of"] is None and by_code["project"]["ects"] == 20
    assert all((m["planned_year"], m["planned_term"]) == (m["year"], m["term"]) for m in modules)


def test_plan_table_shows_every_term_and_status(run: Run) -> None:
    run("init", "--start", "2025-10")
    run("complete", "maths", "--on", "2026-01-10")
    out = run("plan").stdout
    for year, term in [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]:
        assert f"Year {year}, term {term}" in out
    first = terms.window(PROGRAMME, OCTOBER_2025, 1, 1)
    assert first is not None
    assert f"{first.start} to {first.end}" in out
    assert "2025-10-01 to 2026-01-14" in out  # the shipped calendar's first term
    assert "done" in out and "todo" in out


def test_code_matching_any_case_and_prefix(run: Run, run_json: RunJson) -> None:
    run("complete", "DEEP", "Prog", "--on", "2026-01-01")
    done = {m["code"] for m in run_json("plan")["modules"] if m["status"] == "done"}
    assert done == {"deep-learning", "programming"}


def test_unknown_code_suggests_the_closest(run: Run, progress_file: Path) -> None:
    result = run("complete", "deep-lerning", ok=False)
    assert_one_line_error(result, "unknown module 'deep-lerning'")
    assert "hint: did you mean deep-learning?" in result.stderr
    assert not progress_file.exists()


def test_ambiguous_prefix_lists_the_matches(run: Run) -> None:
    result = run("complete", "ethics", ok=False)
    assert_one_line_error(result, "ethics-1, ethics-2, ethics-3")


def test_complete_is_all_or_nothing(run: Run, refuse: Refuse) -> None:
    run("init")
    refuse("complete", "maths", "nonsense", needles=("nonsense",))


def test_complete_is_idempotent_and_updates_only_what_is_given(run: Run, run_json: RunJson) -> None:
    run("complete", "maths", "--on", "2026-01-20", "--mark", "74")
    again = run("complete", "maths")
    assert "nothing changed" in again.stderr
    run("complete", "maths", "--on", "2026-01-22")
    maths = next(m for m in run_json("plan")["modules"] if m["code"] == "maths")
    assert maths["completed_on"] == "2026-01-22" and maths["mark"] == 74


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--mark", "120"], ("--mark", "120 must be at least 0 and at most 100")),
        (["--mark", "-1"], ("--mark",)),
        (["--mark", "45"], ("--mark: 45 is below the pass mark 50",)),
        (["--on", (TODAY + timedelta(days=1)).isoformat()], ("--on", "in the future")),
        (["--on", "2026-02-30"], ("--on", "no such day")),
        (["--on", "20261020"], ("--on", "not a date as YYYY-MM-DD")),
        (["--on", "2026W443"], ("--on", "not a date as YYYY-MM-DD")),
        (["--on", "1969-12-31"], ("--on", "outside the years 1970-2199")),
        (["--on", "yesterday"], ("--on",)),
    ],
)
def test_complete_refuses_bad_values(
    run: Run, args: list[str], needles: tuple[str, ...], refuse: Refuse
) -> None:
    run("complete", "eda", "--on", "2026-05-01")
    refuse("complete", "maths", *args, needles=needles)


def test_a_pass_mark_refusal_hints_at_resits(run: Run, refuse: Refuse) -> None:
    result = refuse("complete", "maths", "--mark", "45", needles=("below the pass mark",))
    assert "hint: record a failed attempt with: mldsplan fail CODE --mark M" in result.stderr


def test_a_mark_is_for_one_module_at_a_time(run: Run, refuse: Refuse) -> None:
    run("init")
    refuse(
        "complete",
        "maths",
        "eda",
        "--mark",
        "70",
        needles=("--mark", "give one module at a time"),
    )


def test_a_completion_before_its_term_starts_is_refused(run: Run, refuse: Refuse) -> None:
    run("init", "--start", "2025-10")
    eda = PROGRAMME.module("eda")
    term = terms.window(PROGRAMME, OCTOBER_2025, eda.year, eda.term)
    assert term is not None
    before = str(term.start - timedelta(days=1))
    refuse("complete", "eda", "--on", before, needles=(before, "before its term", str(term.start)))
    run("complete", "eda", "--on", str(term.start))


def test_a_mark_that_is_not_a_number_is_a_usage_error(run: Run) -> None:
    result = run("complete", "maths", "--mark", "lots", ok=False)
    assert result.exit_code == 2
    assert "--mark" in result.stderr


def test_uncomplete_removes_the_record(run: Run, run_json: RunJson, refuse: Refuse) -> None:
    run("complete", "maths", "--on", "2026-01-20")
    run("uncomplete", "maths")
    assert run_json("progress")["ects_done"] == 0
    refuse("uncomplete", "maths", needles=("not completed",))


def test_every_write_keeps_the_previous_version(run: Run, progress_file: Path) -> None:
    run("init")
    first = progress_file.read_bytes()
    run("complete", "maths", "--on", "2026-01-20")
    assert progress_file.with_name("progress.toml.bak").read_bytes() == first


def test_resit_is_recorded(run: Run, run_json: RunJson) -> None:
    run("complete", "big-data", "--mark", "52", "--resit", "--on", "2026-09-01")
    big = next(m for m in run_json("plan")["modules"] if m["code"] == "big-data")
    assert big["mark"] == 52 and big["resit"] is True and big["counted_mark"] == 50


def test_check_says_ok_on_good_files(run: Run) -> None:
    run("complete", "maths", "--on", "2026-01-20")
    result = run("check")
    assert "problem" not in result.stdout
    assert result.stdout.count("ok:") == 2


def test_version(run: Run) -> None:
    from mldsplan import __version__

    assert run("--version").stdout.strip() == f"mldsplan {__version__}"


COMMANDS = [
    "init",
    "plan",
    "complete",
    "uncomplete",
    "mark",
    "fail",
    "unfail",
    "progress",
    "hours",
    "log",
    "week",
    "grades",
    "target",
    "defer",
    "export",
    "import",
    "check",
    "undo",
    "redo",
    "history",
    "merge",
    "merge-driver",
    "due",
    "start",
    "stop",
    "cancel",
    "switch",
    "status",
    "calendar",
    "assess",
    "remind",
    "available",
    "busy",
    "schedule",
]


def test_help_lists_every_command(run: Run) -> None:
    """Each command is a row of the Commands panel, by name (not inside another word)."""
    out = run("--help").stdout
    panel = out[out.index("Commands") :]
    rows = [line for line in panel.splitlines() if line.startswith("│")]
    listed = [line.strip("│ ").split()[0] for line in rows]
    assert sorted(listed) == sorted(COMMANDS)


def test_json_goes_to_stdout_and_messages_to_stderr(run: Run) -> None:
    result = run("complete", "maths", "--on", "2026-01-20")
    assert result.stdout == "" and "completed maths" in result.stderr


def test_debug_shows_the_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLDSPLAN_DEBUG", "1")
    result = run("complete", "nonsense", ok=False)
    assert result.exception is not None and type(result.exception).__name__ == "InputError"


def test_one_invocation_leaves_nothing_to_the_next(
    run: Run, run_json: RunJson, tmp_path: Path
) -> None:
    """conftest's runner parses every invocation with one command tree, built once: what
    one invocation was given (--file, --programme, --on) is not there in the next."""
    other, programme = tmp_path / "other.toml", tmp_path / "programme.toml"
    programme.write_text(
        SHIPPED.read_text().replace(
            'name = "MSc in Machine Learning and Data Science"', 'name = "Another MSc"'
        )
    )
    given = ("--file", str(other), "--programme", str(programme))
    run(*given, "log", "1", "--on", "2026-11-20")
    run("log", "2")
    assert [(e["on"], e["hours"]) for e in run_json("log", "--list")["entries"]] == [
        (str(TODAY), 2)
    ]
    assert run_json("progress")["programme_name"] == "MSc in Machine Learning and Data Science"
    assert run_json(*given, "progress")["programme_name"] == "Another MSc"
    assert [(e["on"], e["hours"]) for e in run_json(*given, "log", "--list")["entries"]] == [
        ("2026-11-20", 1)
    ]


@pytest.mark.parametrize("time", ["made", "put back"])
def test_made_with_gives_what_its_commands_write(
    made_with: MadeWith, run: Run, progress_file: Path, tmp_path: Path, time: str
) -> None:
    """conftest's setup helper: the first time it runs the commands, the second time it
    puts their files back; either way the folder is what the commands write."""
    commands = (
        ("init", "--start", "2025-10"),
        ("complete", "maths", "--mark", "61", "--on", "2026-01-20"),
        ("log", "1.5", "--module", "bayesian", "--on", "2026-11-20", "--note", "week 8"),
    )
    made_with(*commands)
    elsewhere = tmp_path / "elsewhere" / "progress.toml"
    for args in commands:
        run("--file", str(elsewhere), *args)

    def folder(path: Path) -> dict[str, tuple[bytes, int]]:
        # A log entry's id and a stamp's computer id are random: alike but for them.
        return {
            p.name: (_without_ids(p.read_bytes()), stat.S_IMODE(p.stat().st_mode))
            for p in path.parent.iterdir()
        }

    assert folder(progress_file) == folder(elsewhere)
    assert stat.S_IMODE(progress_file.parent.stat().st_mode) == stat.S_IMODE(
        elsewhere.parent.stat().st_mode
    )
    assert sorted(folder(progress_file)) == [
        "progress.toml",
        "progress.toml.bak",
        "progress.toml.history-1",
        "progress.toml.history-2",
        "progress.toml.history-3",
        "progress.toml.lock",
    ]


def test_python_dash_m_and_another_programme_by_env(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        SHIPPED.read_text().replace(
            'name = "MSc in Machine Learning and Data Science"', 'name = "Another MSc"'
        )
    )
    env = child_env(tmp_path / "p.toml", MLDSPLAN_PROGRAMME=str(other))
    result = subprocess.run(
        [*mldsplan_command(), "progress"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Another MSc" in result.stdout
    assert f"progress on {TODAY}" in result.stdout  # the child reads the tests' clock


def test_an_unexpected_failure_is_still_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from mldsplan.domain import workload as planner

    def broken(*_args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(planner, "progress_summary", broken)
    result = run("progress", ok=False)
    assert_one_line_error(result, "internal error: ZeroDivisionError: a bug")
    assert "MLDSPLAN_DEBUG=1" in result.stderr


def _without_ids(raw: bytes) -> bytes:
    import re

    raw = re.sub(rb" [0-9a-f]{12}(?=[ \n])", b" ID", raw)
    return re.sub(rb"[0-9a-f]{8}:", b"COMPUTER:", raw)
