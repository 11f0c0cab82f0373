"""Issue 18: undo, the backup and the export guard lose no version under any kill,
fault or file name, and say what is on disk.

Each test here failed on 0.2 (99161c5). Faults are injected at every file
operation (`faults.Injector`): in-process for I/O errors and interrupts, in a
child process for SIGKILL. After each, the file holds the old version or the
new one, whole; the message says which; and once the next locked command has
run, `.bak` holds the version before the file's, so `undo` loses nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import Run, RunJson, assert_one_line_error
from faults import CHILD, Injector
from mldsplan.storage import store

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
NEWEST = "NEWEST"


def child(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a fresh process (conftest's environment, clock included)."""
    return subprocess.run(
        [sys.executable, "-m", "mldsplan", *args], capture_output=True, text=True, timeout=timeout
    )


def armed(at: int, when: str, action: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A fresh process whose Nth file operation fails (or is killed) as `action` says."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(TESTS), str(at), when, action, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def siblings(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def temps(path: Path) -> list[str]:
    return sorted(n for n in os.listdir(path.parent) if n.endswith(".tmp"))


# --- 1. a killed undo, then a second undo ---------------------------------


def test_a_killed_undo_then_undo_again_loses_no_version(run: Run, progress_file: Path) -> None:
    """0.2: the newest record was only in `.redo`, and the second undo wrote over it."""
    run("init")
    run("log", "1", "--on", "2026-11-20")
    run("log", "2", "--on", "2026-11-21", "--note", NEWEST)
    kill_after_rename = (
        "import os, signal, sys\n"
        "real = os.replace\n"
        "def replace(src, dst):\n"
        "    real(src, dst)\n"
        f"    if os.fspath(dst) == {str(progress_file)!r}:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.replace = replace\n"
        "import runpy\n"
        "sys.argv = ['mldsplan', 'undo']\n"
        "runpy.run_module('mldsplan', run_name='__main__')\n"
    )
    killed = subprocess.run([sys.executable, "-c", kill_after_rename], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert NEWEST not in progress_file.read_text()  # the undo had landed
    again = run("redo")
    assert "finished an interrupted change" in again.stderr
    assert NEWEST in progress_file.read_text()  # redo put the newest version back
    assert not siblings(progress_file, ".redo").exists()


def test_temporary_files_of_a_killed_undo_are_cleaned(run: Run, progress_file: Path) -> None:
    run("log", "1", "--on", "2026-11-20")
    left = [
        progress_file.parent / f".{progress_file.name}{s}.mldsplan-k1ll3d00.tmp"
        for s in ("", ".redo", ".bak", ".broken-20261125T200000")
    ]
    for temp in left:
        temp.write_text("a killed write's")
    run("log", "1", "--on", "2026-11-21")
    assert temps(progress_file) == []


# --- 2, 5 and the injection at every file operation ------------------------


class Scenario:
    """Files before a command, the command, and what it writes when nothing fails."""

    def __init__(self, name: str, files: dict[str, bytes], args: tuple[str, ...]) -> None:
        self.name, self.files, self.args = name, files, args
        self.new = b""

    def lay(self, progress_file: Path) -> None:
        folder = progress_file.parent
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name, content in self.files.items():
            (folder / name).write_bytes(content)


def _scenario(name: str, run: Run, progress_file: Path, tmp_path: Path) -> Scenario:
    run("init", "--start", "2025-10")
    run("complete", "programming", "--on", "2026-01-10", "--mark", "68")
    run("log", "2", "--module", "bayesian", "--on", "2026-11-20", "--note", "lecture")
    args: tuple[str, ...] = ("log", "1", "--on", "2026-11-21", "--note", NEWEST)
    if name == "undo":
        run(*args)
        args = ("undo",)
    elif name == "import":
        exported = tmp_path / "export.json"
        run("complete", "maths", "--on", "2026-01-10", "--mark", "71")
        run("export", "--format", "json", "--output", str(exported))
        run("undo")
        args = ("import", str(exported))
    elif name == "v1":
        progress_file.write_bytes((FIXTURES / "progress-v1.toml").read_bytes())
        siblings(progress_file, ".bak").unlink()
    folder = progress_file.parent
    files = {n: (folder / n).read_bytes() for n in os.listdir(folder) if n.startswith("progress")}
    files.pop("progress.toml.lock", None)
    scenario = Scenario(name, files, args)
    scenario.lay(progress_file)
    run(*args)
    scenario.new = progress_file.read_bytes()
    return scenario


def _assert_nothing_lost(
    scenario: Scenario, progress_file: Path, result_code: int, stderr: str, run: Run
) -> None:
    old = scenario.files["progress.toml"]
    old_backup = scenario.files.get("progress.toml.bak")
    current = progress_file.read_bytes()
    assert current in (old, scenario.new), "the file is the old version or the new one, whole"
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    landed = current == scenario.new
    if result_code != -signal.SIGKILL:
        said_saved = result_code == 0 or "saved" in stderr or "put back" in stderr
        assert said_saved == landed, (landed, result_code, stderr)
    if not landed:
        assert not siblings(progress_file, ".bak").exists() or (
            siblings(progress_file, ".bak").read_bytes() == old_backup
        ), "a write that did not land leaves the previous .bak as it was"
    run("init")  # any locked command finishes or reverses what was interrupted
    backup = siblings(progress_file, ".bak")
    expected = old if landed else old_backup
    assert (backup.read_bytes() if backup.exists() else None) == expected
    assert not siblings(progress_file, ".redo").exists()
    if scenario.name == "v1" and landed:
        assert siblings(progress_file, ".v1.bak").read_bytes() == old
    run("log", "0.5", "--on", "2026-11-22")
    assert temps(progress_file) == []


SCENARIOS = ["log", "undo", "import", "v1"]


def _operations(scenario: Scenario, progress_file: Path, run: Run) -> list[str]:
    """The file operations the scenario's command makes when nothing fails, in order."""
    counter = Injector()
    scenario.lay(progress_file)
    with pytest.MonkeyPatch.context() as patch:
        counter.install(patch.setattr)
        run(*scenario.args)
    assert "replace" in counter.ops and len(counter.ops) >= 5, counter.ops
    return counter.ops


@pytest.mark.parametrize("action", ["eio", "full", "interrupt"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_fault_at_every_file_operation_loses_no_version(
    run: Run, progress_file: Path, tmp_path: Path, name: str, action: str
) -> None:
    scenario = _scenario(name, run, progress_file, tmp_path)
    ops = _operations(scenario, progress_file, run)
    for at in range(1, len(ops) + 1):
        for when in ("before", "after"):
            scenario.lay(progress_file)
            with pytest.MonkeyPatch.context() as patch:
                Injector(at, when, action).install(patch.setattr)
                result = run(*scenario.args, ok=False)
            code = 130 if result.exit_code == 130 else int(result.exit_code or 0)
            try:
                _assert_nothing_lost(scenario, progress_file, code, result.stderr, run)
            except AssertionError as exc:
                raise AssertionError(f"{action} {when} op {at} ({ops[at - 1]}): {exc}") from exc


@pytest.mark.slow
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_sigkill_at_every_file_operation_loses_no_version(
    run: Run, progress_file: Path, tmp_path: Path, name: str
) -> None:
    scenario = _scenario(name, run, progress_file, tmp_path)
    ops = _operations(scenario, progress_file, run)
    for at in range(1, len(ops) + 1):
        for when in ("before", "after"):
            scenario.lay(progress_file)
            done = armed(at, when, "kill", *scenario.args)
            assert done.returncode == -signal.SIGKILL, done.stderr
            try:
                _assert_nothing_lost(scenario, progress_file, done.returncode, done.stderr, run)
            except AssertionError as exc:
                raise AssertionError(f"kill {when} op {at} ({ops[at - 1]}): {exc}") from exc


def test_a_full_disk_keeps_the_undo_point(run: Run, progress_file: Path) -> None:
    """0.2: `.bak` already held the file when the write failed: undo lost the last change."""
    run("log", "1", "--on", "2026-11-20", "--note", "first")
    run("log", "1", "--on", "2026-11-21", "--note", "second")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "_commit", _full_disk_after_staging(store._commit, progress_file))
        result = run("log", "1", "--on", "2026-11-22", ok=False)
    assert_one_line_error(result, "No space left on device")
    assert "hint: the file is unchanged" in result.stderr
    run("undo")
    assert "second" not in progress_file.read_text()  # the last good change is undone
    assert "first" in progress_file.read_text()


def _full_disk_after_staging(real: Callable[..., None], path: Path) -> Callable[..., None]:
    def commit(target: Path, content: bytes, old: bytes | None) -> None:
        real_write = store.write_atomic

        def write_atomic(where: Path, data: bytes, mode: int = 0o600, **kw: bool) -> None:
            if where == target:
                raise OSError(28, "No space left on device")
            real_write(where, data, mode, **kw)

        store.write_atomic = write_atomic  # type: ignore[assignment]
        try:
            real(target, content, old)
        finally:
            store.write_atomic = real_write  # type: ignore[assignment]

    return commit


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(5, "Input/output error")])
def test_undo_says_nothing_was_put_back_when_nothing_was(
    run: Run, progress_file: Path, error: BaseException
) -> None:
    """0.2 said '...was put back, but then: Landed' for a file byte for byte unchanged."""
    run("log", "1", "--on", "2026-11-20")
    run("log", "1", "--on", "2026-11-21")
    before = progress_file.read_bytes()
    redo = siblings(progress_file, ".redo")

    def fsync_folder(folder: Path) -> None:
        if redo.exists():
            raise error

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "_fsync_folder", fsync_folder)
        result = run("undo", ok=False)
    assert progress_file.read_bytes() == before
    assert "put back" not in result.stderr and "Landed" not in result.stderr
    if isinstance(error, KeyboardInterrupt):
        assert result.stderr.strip() == "Error: interrupted; nothing was changed"
    else:
        assert_one_line_error(result, "cannot write", "Input/output error")
        assert "hint: the file is unchanged" in result.stderr


# --- 3. the export guard behind a symlink ----------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "progress.toml",
        "progress.toml.bak",
        "progress.toml.lock",
        "progress.toml.redo",
        "progress.toml.v1.bak",
        "progress.toml.broken-20261125T200000",
        ".progress.toml.mldsplan-abcd1234.tmp",
        ".progress.toml.bak.mldsplan-abcd1234.tmp",
    ],
)
def test_export_never_writes_over_a_symlinked_files_real_files(
    run: Run, progress_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    run("log", "1", "--on", "2026-11-20")
    run("log", "1", "--on", "2026-11-21")
    link = tmp_path / "elsewhere" / "link.toml"
    link.parent.mkdir()
    link.symlink_to(progress_file)
    monkeypatch.setenv("MLDSPLAN_FILE", str(link))
    target = progress_file.parent / name
    if name.endswith(".redo"):  # as a killed write leaves it: a whole copy of the file
        target.write_bytes(progress_file.read_bytes())
    elif not target.exists():
        target.write_text("kept")
    before = {
        n: (progress_file.parent / n).read_bytes()
        for n in os.listdir(progress_file.parent)
        if (progress_file.parent / n).is_file()
    }
    result = run("export", "--format", "csv", "--output", str(target), "--force", ok=False)
    assert_one_line_error(result, "mldsplan's own file")
    after = {
        n: (progress_file.parent / n).read_bytes()
        for n in os.listdir(progress_file.parent)
        if (progress_file.parent / n).is_file()
    }
    assert after == before
    run("undo")  # the backup is whole


def test_export_over_the_real_lock_cannot_let_two_writers_in(
    run: Run, progress_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("log", "1", "--on", "2026-11-20")
    link = tmp_path / "link.toml"
    link.symlink_to(progress_file)
    monkeypatch.setenv("MLDSPLAN_FILE", str(link))
    lock = siblings(progress_file, ".lock")
    inode = lock.stat().st_ino
    run("export", "-f", "csv", "-o", str(lock), "--force", ok=False)
    assert lock.stat().st_ino == inode  # the lock file is the one a waiting writer holds


# --- 4. names with glob characters -----------------------------------------


def test_a_neighbours_name_with_glob_characters(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    in_flight = folder / ".p1.toml.mldsplan-inflight.tmp"  # p1.toml's writer is mid-write
    in_flight.write_text("p1's new record")
    ours = folder / ".p[1].toml.mldsplan-crashed0.tmp"
    ours.write_text("a crashed write of p[1].toml's")
    monkeypatch.setenv("MLDSPLAN_FILE", str(folder / "p[1].toml"))
    run("log", "1", "--on", "2026-11-20")
    run("log", "1", "--on", "2026-11-21")
    assert in_flight.exists(), "another file's temporary file is never touched"
    assert not ours.exists(), "our own temporary files are cleaned"


def test_own_names_are_matched_literally() -> None:
    assert store.is_own_name("p[1].toml", "p[1].toml.bak")
    assert store.is_own_name("p[1].toml", ".p[1].toml.redo.mldsplan-x.tmp")
    assert not store.is_own_name("p[1].toml", "p1.toml.bak")
    assert not store.is_own_name("p[1].toml", ".p1.toml.mldsplan-x.tmp")
    assert not store.is_own_name("progress.toml", ".progress.toml.x.mldsplan-x.tmp")
    assert store.is_own_name("progress.toml", "progress.toml.v12.bak")
    assert not store.is_own_name("progress.toml", "progress.toml.vx.bak")


# --- 6. Ctrl-C just after the commit ---------------------------------------


def _interrupted_after(
    hook: str, progress_file: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    code = (
        "import os, signal, sys, time\n"
        "from mldsplan.storage import store\n"
        f"{hook}\n"
        "import runpy\n"
        f"sys.argv = ['mldsplan', *{list(args)!r}]\n"
        "runpy.run_module('mldsplan', run_name='__main__')\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


INTERRUPT = "os.kill(os.getpid(), signal.SIGINT); time.sleep(0.05)"

HOOKS = {
    # the signal arrives just after the rename, before the store returns
    "rename": (
        "real = os.replace\n"
        "def replace(src, dst):\n"
        "    real(src, dst)\n"
        "    if os.fspath(dst).endswith('progress.toml'):\n"
        f"        {INTERRUPT}\n"
        "os.replace = replace"
    ),
    # ... after the store returned, while the confirmation is printed
    "confirmation": (
        "real = store.update\n"
        "def update(*a, **k):\n"
        "    result = real(*a, **k)\n"
        f"    {INTERRUPT}\n"
        "    return result\n"
        "store.update = update"
    ),
    # ... while the interpreter shuts down (0.2 printed a traceback from atexit)
    "shutdown": f"import atexit\natexit.register(lambda: ({INTERRUPT.replace('; ', ', ')}))",
}


@pytest.mark.parametrize("when", list(HOOKS))
def test_ctrl_c_after_the_commit_says_the_change_was_saved(
    run: Run, progress_file: Path, when: str
) -> None:
    run("log", "1", "--on", "2026-11-20")
    done = _interrupted_after(
        HOOKS[when], progress_file, "log", "2", "--on", "2026-11-21", "--note", NEWEST
    )
    assert NEWEST in progress_file.read_text()
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert "nothing was changed" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert "logged 2 h on 2026-11-21" in done.stderr


def test_ctrl_c_before_the_commit_still_stops_the_command(run: Run, progress_file: Path) -> None:
    run("log", "1", "--on", "2026-11-20")
    before = progress_file.read_bytes()
    hook = (
        "real = store._commit\n"
        "def commit(*a, **k):\n"
        f"    {INTERRUPT}\n"
        "    return real(*a, **k)\n"
        "store._commit = commit"
    )
    done = _interrupted_after(hook, progress_file, "log", "2", "--on", "2026-11-21")
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "Error: interrupted; nothing was changed"
    assert progress_file.read_bytes() == before


# --- 7. --at across a daylight-saving change -------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "at", "minutes"),
    [
        ("Europe/London", datetime(2026, 3, 29, 10, 0), "00:30", 510),  # spring forward
        ("Europe/London", datetime(2026, 10, 25, 10, 0), "00:30", 630),  # fall back
        ("America/New_York", datetime(2026, 3, 8, 8, 30), "00:30", 420),
        ("America/New_York", datetime(2026, 11, 1, 8, 30), "00:30", 540),
    ],
)
def test_at_is_resolved_for_its_own_date_across_a_dst_change(
    run: Run,
    set_now: Callable[[datetime], None],
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    now: datetime,
    at: str,
    minutes: int,
) -> None:
    monkeypatch.setenv("TZ", zone)
    set_now(now.replace(tzinfo=ZoneInfo(zone)))
    run("start", "maths", "--at", at)
    stopped = run("stop")
    hours, rest = divmod(minutes, 60)
    duration = f"{hours} h" + (f" {rest} min" if rest else "")
    assert f"logged {duration} on {now.date()}" in stopped.stderr


@pytest.mark.parametrize(
    ("zone", "day"), [("Europe/London", (2026, 10, 25)), ("America/New_York", (2026, 11, 1))]
)
def test_a_time_that_happened_twice_is_taken_the_first_time(
    run: Run,
    set_now: Callable[[datetime], None],
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    day: tuple[int, int, int],
) -> None:
    monkeypatch.setenv("TZ", zone)
    set_now(datetime(*day, 10, 0, tzinfo=ZoneInfo(zone)))
    started = run("start", "--at", "01:30")
    assert "happened twice" in started.stderr and "taken as the first" in started.stderr
    stopped = run("stop")
    # 01:30 the first time is 8 h 30 min plus the hour the clocks went back before 10:00
    assert "logged 9 h 30 min" in stopped.stderr


@pytest.mark.parametrize(
    ("zone", "day", "at"),
    [("Europe/London", (2026, 3, 29), "01:30"), ("America/New_York", (2026, 3, 8), "02:30")],
)
def test_a_time_that_never_happened_is_a_clear_error(
    run: Run,
    set_now: Callable[[datetime], None],
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    day: tuple[int, int, int],
    at: str,
) -> None:
    monkeypatch.setenv("TZ", zone)
    set_now(datetime(*day, 10, 0, tzinfo=ZoneInfo(zone)))
    result = run("start", "--at", at, ok=False)
    assert_one_line_error(result, "--at", "did not exist", "clocks went forward")


# --- 8. undoing a broken file ----------------------------------------------


def test_undoing_a_broken_file_never_reuses_its_revision(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    for day in range(10, 23):
        run("log", "1", "--on", f"2026-11-{day}")
    revision = store.load(progress_file).revision
    assert revision == 13
    progress_file.write_text(progress_file.read_text() + "\n[broken\n")
    result = run("undo")
    assert store.load(progress_file).revision == revision + 1
    assert "again redoes" not in result.stderr
    assert "the damaged file is kept as" in result.stderr


def test_undoing_a_file_that_does_not_validate_reads_its_revision(
    run: Run, progress_file: Path
) -> None:
    for day in range(10, 15):
        run("log", "1", "--on", f"2026-11-{day}")
    progress_file.write_text(
        progress_file.read_text()
        .replace("revision = 5", "revision = 40")
        .replace("weekly_hours", "weekly_hourz")
        + 'weekly_hours = "x"\n'
    )
    run("undo")
    assert store.load(progress_file).revision == 41


# --- 12. unreadable files (as a user the file system refuses) ---------------
# (the progress file's own case is test_files.test_an_unreadable_progress_file)

as_non_root = pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads a file of mode 000; .ci/run runs these as nobody"
)


@as_non_root
def test_an_unreadable_programme_or_import_is_one_error_line(run: Run, tmp_path: Path) -> None:
    locked = tmp_path / "locked.toml"
    locked.write_text("schema_version = 1\n")
    locked.chmod(0)
    try:
        assert_one_line_error(run("--programme", str(locked), "plan", ok=False), "cannot read")
        assert_one_line_error(run("import", str(locked), ok=False), "cannot read")
        checked = run("--programme", str(locked), "check", ok=False)
        assert checked.exit_code == 1 and "Permission denied" in checked.output
    finally:
        locked.chmod(0o600)


# --- 14. paths in messages, 17. what is not a regular file -------------------


def test_a_path_with_control_characters_never_reaches_the_terminal(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "\x1b]0;owned\x07"
    monkeypatch.setenv("MLDSPLAN_FILE", str(folder / "progress.toml"))
    result = run("init")
    assert "created" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;owned\\x07" in result.stderr


def test_undo_on_what_is_not_a_regular_file_creates_nothing_beside_it(
    run: Run, tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = run("--file", str(fifo), "undo", ok=False)
    assert_one_line_error(result, "is not a regular file")
    assert "bak" not in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["fifo"]


def test_check_shows_a_path_with_control_characters_escaped(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "\x1b[2J\u202e"
    monkeypatch.setenv("MLDSPLAN_FILE", str(folder / "progress.toml"))
    run("log", "1", "--on", "2026-11-20")
    checked = run("check")
    assert "\x1b" not in checked.output and "\u202e" not in checked.output
    assert "\\x1b[2J\\u202e" in checked.stdout


# --- a .redo that is not ours is never renamed, removed or written over -------


@pytest.mark.parametrize("kind", ["link to the backup", "other content", "folder"])
def test_a_redo_that_is_not_ours_is_left_alone_and_nothing_changes(
    run: Run, progress_file: Path, kind: str
) -> None:
    run("log", "1", "--on", "2026-11-20")
    run("log", "1", "--on", "2026-11-21")
    redo, backup = siblings(progress_file, ".redo"), siblings(progress_file, ".bak")
    if kind == "link to the backup":
        redo.symlink_to(backup.name)
    elif kind == "other content":
        redo.write_text("my notes, kept here by hand\n")
    else:
        redo.mkdir()
    before = {
        n: (progress_file.parent / n).read_bytes() for n in ("progress.toml", "progress.toml.bak")
    }
    for args in (("log", "1", "--on", "2026-11-22"), ("undo",)):
        assert_one_line_error(run(*args, ok=False), str(redo), "nothing was changed")
    after = {
        n: (progress_file.parent / n).read_bytes() for n in ("progress.toml", "progress.toml.bak")
    }
    assert after == before
    assert redo.is_symlink() == (kind == "link to the backup")
    if kind == "other content":
        assert redo.read_text() == "my notes, kept here by hand\n"


def test_a_backup_folder_is_named_even_with_a_redo_beside_it(run: Run, progress_file: Path) -> None:
    run("log", "1", "--on", "2026-11-20")
    siblings(progress_file, ".redo").write_bytes(b"x")
    backup = siblings(progress_file, ".bak")
    backup.mkdir()
    assert_one_line_error(
        run("log", "1", "--on", "2026-11-21", ok=False), str(backup), "is a folder"
    )


def test_import_names_the_export_only_for_a_rule_the_export_breaks(
    run: Run, progress_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("log", "1", "--on", "2026-11-20")
    exported = tmp_path / "export.json"
    run("export", "-f", "json", "-o", str(exported))
    monkeypatch.setenv("MLDSPLAN_LOCK_TIMEOUT", "soon")
    result = run("import", str(exported), ok=False)
    assert_one_line_error(result, "MLDSPLAN_LOCK_TIMEOUT")
    assert not result.stderr.startswith(f"Error: {exported}"), result.stderr
