"""Issue 20, points 8, 10, 15 and 16: a missing progress file says so, negative numbers
reach our own checks, `-h` and global options after the command, and the first five
minutes (`mldsplan` with no file, `init`'s questions in a terminal, `plan --codes`)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import SHIPPED, Refuse, Run, child_env, command_tree, mldsplan_command
from mldsplan.cli import click_classes, questions
from mldsplan.cli.app import app


def _codes() -> list[tuple[str, str]]:
    modules = tomllib.loads(SHIPPED.read_text())["modules"]
    return [(m["code"], m["title"]) for m in modules]


@pytest.fixture
def folder(progress_file: Path) -> Path:
    """The progress file's folder exists, the file not yet (as after a typo in its name)."""
    progress_file.parent.mkdir()
    return progress_file.parent


def _stderr_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# --- 8. a progress file that does not exist -----------------------------------


READS = [
    ("progress",),
    ("plan",),
    ("hours",),
    ("week",),
    ("grades",),
    ("target",),
    ("calendar",),
    ("status",),
    ("due",),
    ("assess", "list"),
    ("log", "--list"),
]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_a_read_without_a_file_works_and_says_so_in_one_line(
    run: Run, progress_file: Path, folder: Path, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.stdout
    lines = _stderr_lines(result)
    assert lines == [f"no progress file at {progress_file} yet; 'mldsplan init' creates one"]
    assert not progress_file.exists()


def test_json_stays_one_object_on_stdout_and_the_note_goes_to_stderr(
    run: Run, progress_file: Path, folder: Path
) -> None:
    result = run("progress", "--json")
    assert json.loads(result.stdout)["ects_done"] == 0
    assert f"no progress file at {progress_file} yet" in result.stderr


def test_a_mistyped_folder_is_called_a_likely_typo(run: Run, tmp_path: Path) -> None:
    typo = tmp_path / "Documnets" / "progress.toml"
    result = run("--file", str(typo), "progress")
    assert _stderr_lines(result) == [
        f"no progress file at {typo}, and its folder {typo.parent} does not exist:"
        " is the path mistyped?"
    ]
    assert not typo.parent.exists()


def test_a_first_write_says_where_it_created_the_file(run: Run, tmp_path: Path) -> None:
    """A write to a mistyped path is seen at once: the file (and folder) it made are named."""
    typo = tmp_path / "Documnets" / "progress.toml"
    result = run("--file", str(typo), "log", "1")
    assert f"created {typo} and its folder {typo.parent}" in _stderr_lines(result)
    again = run("--file", str(typo), "log", "1")
    assert not any(line.startswith("created") for line in _stderr_lines(again))


def test_a_missing_file_named_by_file_gets_an_init_that_names_it(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "my progress.toml"
    result = run("--file", str(path), "plan")
    assert _stderr_lines(result) == [
        f"no progress file at {path} yet; 'mldsplan --file '{path}' init' creates one"
    ]


def test_no_note_for_check_for_writes_or_for_a_file_that_exists(
    run: Run, progress_file: Path
) -> None:
    assert "no progress file yet" in run("check").stdout  # check says it its own way
    assert "no progress file at" not in run("check").stderr
    result = run("log", "1")
    assert "no progress file" not in result.stderr and progress_file.exists()
    assert _stderr_lines(run("progress")) == []


def test_no_note_after_an_error(run: Run) -> None:
    result = run("week", "--on", "2026-13-01", ok=False)
    assert result.exit_code == 1
    assert "no progress file" not in result.stderr


# --- 10. negative numbers -----------------------------------------------------


def test_negative_hours_and_marks_say_what_is_wrong_with_the_value(
    run: Run, refuse: Refuse
) -> None:
    refuse("log", "-1", needles=("HOURS: -1 must be",))
    refuse("log", "-2.5", "--module", "maths", needles=("HOURS: -2.5 must be",))
    refuse("log", "--on", "2026-11-24", "-.5", needles=("HOURS: -0.5 must be",))
    run("assess", "add", "unsupervised", "Group project", "--weight", "30")
    refuse("assess", "mark", "unsupervised", "Group project", "-1", needles=("MARK: -1 must be",))
    run("complete", "maths")
    refuse("mark", "maths", "-5", needles=("MARK: -5 must be",))


def test_a_mistyped_option_beside_a_negative_number_is_still_a_usage_error(run: Run) -> None:
    for args, typo in (
        (("log", "-1", "--modul", "maths"), "--modul"),
        (("log", "--lst"), "--lst"),
        (("log", "--remove", "-1", "--undo", "-2", "--lisst"), "--lisst"),
    ):
        result = run(*args, ok=False)
        assert result.exit_code == 2
        assert f"No such option: {typo}" in result.output


def test_every_number_argument_may_be_negative() -> None:
    """Every command with a number among its arguments reads `-1` as that number."""

    def commands(group: Any) -> Any:
        for command in group.commands.values():
            if hasattr(command, "commands"):
                yield from commands(command)
            else:
                yield command

    numeric = [
        c
        for c in commands(command_tree())
        if any(
            p.param_type_name == "argument"
            and p.type.name in {"float", "integer", "hours"}  # hours: options.hours
            for p in c.params
        )
    ]
    assert {c.name for c in numeric} >= {"log", "mark"}
    assert all(isinstance(c, click_classes.Numbers) for c in numeric), [c.name for c in numeric]


# --- 15. -h, and global options after the command -----------------------------


def _command_paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _command_paths(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def test_dash_h_is_help_everywhere(run: Run) -> None:
    paths = _command_paths(command_tree())
    assert len(paths) > 20
    for path in paths:
        short, long = run(*path, "-h"), run(*path, "--help")
        assert short.stdout == long.stdout, path
        assert "Usage: mldsplan" in short.stdout


@pytest.mark.parametrize(
    ("args", "fixed"),
    [
        (("progress", "--file", "X"), "mldsplan --file X progress"),
        (("assess", "list", "--programme=p.toml"), "mldsplan --programme=p.toml assess list"),
        (
            ("--file", "a.toml", "log", "2", "--file", "my file.toml"),
            "mldsplan --file a.toml --file 'my file.toml' log 2",
        ),
        (("hours", "--version"), "mldsplan --version"),
    ],
)
def test_a_global_option_after_the_command_says_where_it_goes(
    run: Run, progress_file: Path, args: tuple[str, ...], fixed: str
) -> None:
    result = run(*args, ok=False)
    assert result.exit_code == 2
    option = [a for a in args if a.split("=")[0] in click_classes.GLOBAL_OPTIONS][-1].split("=")[0]
    assert result.stderr.strip() == f"Error: {option} goes before the command: {fixed}"
    assert not progress_file.exists()


# --- 16. the first five minutes -----------------------------------------------


def test_mldsplan_with_no_file_ends_with_how_to_start(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    result = run()  # MLDSPLAN_FILE in a folder not made yet: is it mistyped?
    assert "is the path mistyped?" in result.stderr
    progress_file.parent.mkdir()
    result = run()
    assert "0 of 90" in result.stdout
    assert result.output.rstrip().splitlines()[-1] == (
        f"no progress file at {progress_file} yet; 'mldsplan init' creates one"
    )


def test_plan_codes_lists_each_module_on_a_plain_line(run: Run) -> None:
    result = run("plan", "--codes")
    lines = result.stdout.splitlines()
    assert [line.split(None, 1) for line in lines] == [list(pair) for pair in _codes()]
    assert len({line.index(title) for line, (_, title) in zip(lines, _codes(), strict=True)}) == 1
    assert result.stderr == ""  # the record is not read: no note about a missing file


def test_plan_codes_is_plain_text_only(refuse: Refuse) -> None:
    refuse("plan", "--codes", "--json", needles=("--codes",))


def test_plan_codes_does_not_load_rich_or_the_record(progress_file: Path) -> None:
    probe = (
        "import sys\nfrom mldsplan.cli.app import app\n"
        "try:\n    app(['plan', '--codes'], prog_name='mldsplan')\n"
        "except SystemExit:\n    pass\n"
        "print('rich' in sys.modules, 'mldsplan.storage.store' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=child_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "False False", done.stdout


def _init(monkeypatch: pytest.MonkeyPatch, answers: str, terminal: bool = True) -> Any:
    monkeypatch.setattr(questions, "interactive", lambda: terminal)
    return CliRunner().invoke(app, ["init"], input=answers)


def test_init_in_a_terminal_asks_records_and_shows_the_plan(
    monkeypatch: pytest.MonkeyPatch, progress_file: Path
) -> None:
    result = _init(monkeypatch, "2025-10\n18\nMATHS, programming for data science, sup\n")
    assert result.exit_code == 0, result.output
    assert "Start month (YYYY-MM) [2026-10]:" in result.stdout
    assert "Study hours a week [21]:" in result.stdout
    assert "Modules already done" in result.stdout
    assert "project        Research Project" in result.stdout  # the codes, to choose from
    assert "Year 1, term 1" in result.stdout  # then the plan
    record = tomllib.loads(progress_file.read_text())
    assert record["start"] == "2025-10" and record["weekly_hours"] == 18
    assert set(record["completions"]) == {"maths", "programming", "supervised"}
    assert "completed supervised (7.5 ECTS) on 2026-11-25" in result.stderr


def test_init_suggests_the_last_october_and_keeps_the_programmes_hours(
    monkeypatch: pytest.MonkeyPatch, progress_file: Path
) -> None:
    result = _init(monkeypatch, "\n\n\n")
    assert result.exit_code == 0, result.output
    record = tomllib.loads(progress_file.read_text())
    assert record["start"] == "2026-10"
    assert "weekly_hours" not in record and not record.get("completions")


def test_init_asks_again_after_a_wrong_answer(
    monkeypatch: pytest.MonkeyPatch, progress_file: Path
) -> None:
    answers = "10-2025\n2025-10\nmany\n20\nnosuch\neda\n"  # eda: year 1 term 2, done by now
    result = _init(monkeypatch, answers)
    assert result.exit_code == 0, result.output
    assert "Error: '10-2025' is not a month as YYYY-MM" in result.stdout
    assert (
        "Error: 'many' is not a duration (type hours as 1.5, 1.5h, 90m, 1h30 or 1:30)"
        in result.stdout
    )
    assert "Error: unknown module 'nosuch'" in result.stdout
    record = tomllib.loads(progress_file.read_text())
    assert (record["start"], record["weekly_hours"], list(record["completions"])) == (
        "2025-10",
        20,
        ["eda"],
    )


def test_init_re_asks_for_modules_the_start_leaves_in_the_future(
    monkeypatch: pytest.MonkeyPatch, progress_file: Path
) -> None:
    result = _init(monkeypatch, "2026-10\n\neda\n\n")
    assert result.exit_code == 0, result.output
    assert "Error: eda's completion date" in result.stdout
    assert "completions" not in tomllib.loads(progress_file.read_text())


def test_init_without_a_terminal_or_with_options_never_asks(
    monkeypatch: pytest.MonkeyPatch, run: Run, progress_file: Path
) -> None:
    result = run("init")  # CliRunner's stdin is not a terminal
    assert "Start month" not in result.output and progress_file.exists()
    result = _init(monkeypatch, "", terminal=True)  # a terminal, but the file exists...
    assert "Start month" in result.stdout  # ...asks, with the record's answers as defaults
    monkeypatch.setattr(questions, "interactive", lambda: True)
    result = CliRunner().invoke(app, ["init", "--weekly-hours", "15"], input="")
    assert result.exit_code == 0, result.output
    assert "Start month" not in result.output


def _read_until(fd: int, needle: bytes, seen: bytearray, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while needle not in seen:
        assert time.monotonic() < end, (needle, bytes(seen))
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            seen += chunk
    assert needle in seen, (needle, bytes(seen))


def test_init_in_a_real_terminal_asks_and_records(progress_file: Path) -> None:
    """The installed command on a pseudo-terminal, the clock and zone set."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin and stdout are the terminal
        os.execve(sys.executable, [*mldsplan_command(), "init"], child_env(COLUMNS="100"))
    seen = bytearray()
    try:
        for prompt, answer in (
            (b"[2026-10]: ", b"2025-10\n"),
            (b"[21]: ", b"\n"),
            (b"empty for none): ", b"Applicable Maths\n"),
        ):
            _read_until(fd, prompt, seen)
            os.write(fd, answer)
        _read_until(fd, b"Year 2, term 3", seen)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, bytes(seen)
    record = tomllib.loads(progress_file.read_text())
    assert record["start"] == "2025-10" and list(record["completions"]) == ["maths"]


def test_init_with_stdin_not_a_terminal_does_not_block(progress_file: Path) -> None:
    """stdout a terminal, stdin a pipe that stays open: init must not wait for it."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [*mldsplan_command(), "init"],
        stdin=subprocess.PIPE,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    os.close(follower)
    try:
        assert child.wait(timeout=20) == 0
    finally:
        if child.poll() is None:
            child.kill()
        assert child.stdin is not None and child.stderr is not None
        child.stdin.close()
        stderr = child.stderr.read().decode()
        child.stderr.close()
        os.close(leader)
    assert f"created {progress_file}" in stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("mark", "eda", "abc"), "Invalid value for 'MARK': 'abc' is not a valid float."),
        (("calendar", "set", "1.2", "--from", "2026-01-19"), "Missing option '--to'."),
        (("export", "--format", "pdf"), "'pdf' is not one of"),
        (("nosuch",), "No such command 'nosuch'."),
    ],
)
def test_a_usage_error_is_one_error_line_and_a_hint(
    run: Run, args: tuple[str, ...], words: str
) -> None:
    """Exit 2, like every usage error, in the shape of every other error: no box."""
    result = run(*args, ok=False)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {words}" or (lines[0].startswith("Error: ") and words in lines[0])
    assert (
        len(lines) == 2
        and lines[1].startswith("hint: '")
        and " -h' shows what it takes" in lines[1]
    )
