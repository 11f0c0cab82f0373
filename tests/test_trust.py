"""Issue 10: no command can destroy, hide or misreport the student's record.

Each test here failed on 0.1: exports over our own files, a cache trusted over
the file, dates taken on trust, imports of what is not an export, private data
written world-readable, a landed change reported as lost, and loose file types.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, SHIPPED, MadeWith, Refuse, Run, RunJson, assert_one_line_error, child_env
from mldsplan.domain.errors import SavedButError, StoreError
from mldsplan.domain.progress import Progress
from mldsplan.output.formats import neutralise
from mldsplan.storage import history, store, tomlfile
from mldsplan.storage.cache import Cache

FIXTURES = Path(__file__).parent / "fixtures"


def cli(*args: str, env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mldsplan", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def student(made_with: MadeWith, progress_file: Path) -> Path:
    made_with(
        ("init", "--start", "2025-10"),
        ("complete", "programming", "--on", "2026-01-10", "--mark", "68"),
        ("log", "2", "--module", "bayesian", "--on", "2026-11-20", "--note", "lecture"),
    )
    return progress_file


# --- exports never write over our own files --------------------------------


@pytest.mark.parametrize("which", ["file", "bak", "lock", "programme", "symlink", "hardlink"])
def test_export_never_writes_over_mldsplan_files(
    run: Run, student: Path, tmp_path: Path, which: str
) -> None:
    run("log", "1", "--on", "2026-11-21")  # makes a .bak
    programme = tmp_path / "programme.toml"
    shutil.copy(SHIPPED, programme)
    targets = {
        "file": student,
        "bak": student.with_name(student.name + ".bak"),
        "lock": student.with_name(student.name + ".lock"),
        "programme": programme,
        "symlink": tmp_path / "link.csv",
        "hardlink": tmp_path / "hard.csv",
    }
    (tmp_path / "link.csv").symlink_to(student)
    os.link(student, tmp_path / "hard.csv")
    before = {p: p.read_bytes() for p in (student, programme)}
    result = run(
        "--programme", str(programme), "export", "-f", "csv", "-o", str(targets[which]),
        "--force", ok=False,
    )  # fmt: skip
    assert_one_line_error(result, "--output")
    assert {p: p.read_bytes() for p in before} == before
    assert stat.S_IMODE(student.stat().st_mode) == 0o600


@pytest.mark.parametrize("special", ["/dev/null", "fifo", "symlink"])
def test_export_refuses_special_files_and_links(
    run: Run, student: Path, tmp_path: Path, special: str
) -> None:
    target = Path(special)
    if special == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    elif special == "symlink":
        target = tmp_path / "link.md"
        target.symlink_to(tmp_path / "elsewhere.md")
    result = run("export", "-f", "markdown", "-o", str(target), "--force", ok=False)
    assert_one_line_error(result, "--output")
    assert "stdout" in result.stderr  # the hint: omit --output
    assert Path("/dev/null").is_char_device()
    assert not (tmp_path / "elsewhere.md").exists()


@pytest.mark.parametrize("fmt,mode", [("json", 0o600), ("toml", 0o600), ("csv", 0o644)])
def test_exports_holding_the_log_are_private(
    run: Run, student: Path, tmp_path: Path, fmt: str, mode: int
) -> None:
    out = tmp_path / f"plan.{fmt}"
    run("export", "-f", fmt, "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == mode


# --- undo ------------------------------------------------------------------


def test_undo_puts_back_the_last_version_and_redo_redoes(
    run: Run, run_json: RunJson, student: Path
) -> None:
    run("complete", "maths", "--on", "2026-01-10")
    assert run_json("progress")["ects_done"] == 10
    run("undo")
    assert run_json("progress")["ects_done"] == 5
    run("redo")
    assert run_json("progress")["ects_done"] == 10


def test_undo_replaces_a_broken_file_and_keeps_it(
    run: Run, run_json: RunJson, student: Path
) -> None:
    good = run_json("log", "--list")
    run("log", "1", "--on", "2026-11-21")
    last = run_json("log", "--list")
    student.write_text("schema_version = [broken\n")
    result = run("progress", ok=False)
    assert_one_line_error(result, "line 1")
    assert "'mldsplan undo' puts back the last version mldsplan wrote" in result.stderr
    run("undo")  # the version the hand edit broke, then the one before it
    assert run_json("log", "--list") == last
    run("undo")
    assert run_json("log", "--list") == good
    broken = list(student.parent.glob(student.name + ".broken-*"))
    assert [p.read_text() for p in broken] == ["schema_version = [broken\n"]


def test_undo_without_a_backup_is_an_error(refuse: Refuse, run: Run) -> None:
    run("init")
    refuse("undo", needles=("no earlier version",))


# --- the cache is never trusted over the file ------------------------------


def test_a_cached_read_imports_neither_pydantic_nor_annotated_types(student: Path) -> None:
    env = child_env(student)
    assert cli("progress", "--json", env=env).returncode == 0  # validates, leaves markers
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['mldsplan', 'progress', '--json']\n"
        "try:\n"
        "    runpy.run_module('mldsplan', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('pydantic', 'annotated_types', 'rich') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=30
    )
    assert json.loads(done.stdout)["ects_done"] == 5
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_a_marker_for_a_bad_file_is_caught_by_check_and_by_the_next_write(
    run: Run, student: Path
) -> None:
    bad = student.read_bytes().replace(b"mark = 68.0", b"mark = 500.0")
    assert bad != student.read_bytes()
    student.write_bytes(bad)
    # An attacker (or a bug) plants a "validated" marker for these exact bytes, in the
    # cache the CLI reads (conftest's MLDSPLAN_CACHE_DIR), where it is found.
    cache = Cache(Path(os.environ["MLDSPLAN_CACHE_DIR"]))
    cache.remember("progress", bad)
    assert cache.knows("progress", bad)
    checked = run("check", ok=False)
    assert checked.exit_code == 1 and "completions.programming.mark" in checked.stdout
    for write in (["log", "1", "--on", "2026-11-21"], ["complete", "eda"]):
        assert_one_line_error(run(*write, ok=False), "completions.programming.mark")
    assert student.read_bytes() == bad
    # A cache folder others can write to is not used at all.
    cache.folder.chmod(0o770)
    assert not cache.knows("progress", bad)
    assert_one_line_error(run("progress", ok=False), "completions.programming.mark")


def test_check_never_uses_the_cache(run: Run, student: Path) -> None:
    cache = Path(os.environ["MLDSPLAN_CACHE_DIR"])  # where the CLI keeps its markers
    run("progress")
    assert cache.is_dir()  # a read uses it
    shutil.rmtree(cache)
    run("check")
    assert not cache.exists()


def test_a_rule_change_invalidates_markers_without_a_version_bump(
    student: Path, tmp_path: Path
) -> None:
    """A copy of the package with one rule edited does not honour the original's markers."""
    import mldsplan

    copy = tmp_path / "pkg" / "mldsplan"
    shutil.copytree(Path(mldsplan.__file__).parent, copy)
    shutil.copy(SHIPPED, copy / "data" / "programme.toml") if (copy / "data").exists() else None
    env = child_env(student)
    cache = Path(env["MLDSPLAN_CACHE_DIR"])
    assert cli("plan", "--json", env=env).returncode == 0
    markers = set(os.listdir(cache))
    rules = copy / "domain" / "constraints.py"
    source = rules.read_text()
    assert "MAX_MARK = 100.0" in source  # else the edit below changes nothing and proves nothing
    rules.write_text(source.replace("MAX_MARK = 100.0", "MAX_MARK = 101.0", 1))
    env_copy = {**env, "PYTHONPATH": str(copy.parent), "MLDSPLAN_PROGRAMME": str(SHIPPED)}
    assert cli("plan", "--json", env=env_copy).returncode == 0
    assert len(set(os.listdir(cache)) - markers) >= 1  # new markers, not the old ones reused


def test_a_cache_folder_others_can_write_is_not_used(student: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-cache"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    env = child_env(student, MLDSPLAN_CACHE_DIR=str(shared))
    assert cli("progress", "--json", env=env).returncode == 0
    assert list(shared.iterdir()) == []


def test_the_cache_never_follows_a_planted_link(student: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache2")
    cache.folder.mkdir(mode=0o700)
    victim = tmp_path / "victim"
    victim.write_text("private")
    content = b"schema_version = 2\n"
    marker = cache._key("progress", content)
    marker.symlink_to(victim)
    cache.remember("progress", content)
    assert victim.read_text() == "private"
    assert not cache.knows("progress", content)  # a link is not a marker


# --- dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args,needle",
    [
        (["complete", "maths", "--on", "1999-01-01"], "before its term"),
        (["complete", "project", "--on", "2025-11-01"], "before its term"),
        (["log", "1", "--on", "2020-01-01"], "more than 6 months before"),
        (["log", "1", "--on", "20261020"], "not a date as YYYY-MM-DD"),
        (["log", "1", "--on", "2026W443"], "not a date as YYYY-MM-DD"),
        (["log", "1", "--on", "2026-02-30"], "no such day"),
        (["week", "--on", "0001-01-08"], "outside the years"),
        (["hours", "--on", "9999-12-31"], "outside the years"),
        (["init", "--weekly-hours", "0.005"], "at least 1"),
        (["init", "--start", "2030-10"], "completions.programming.on"),
    ],
)
def test_dates_and_numbers_are_checked(
    refuse: Refuse, student: Path, args: list[str], needle: str
) -> None:
    refuse(*args, needles=(needle,))


def test_check_reports_hand_edited_dates(run: Run, student: Path) -> None:
    text = student.read_text().replace("2026-11-20 2.0", "2027-11-20 2.0")
    text = text.replace("on = 2026-01-10", "on = 1999-01-10")
    student.write_text(text)
    result = run("check", ok=False)
    # A date after today reads (issue 28.4): check says it as a note.
    assert (
        "note: the study log holds entries of 2027-11-20, after today (2026-11-25)" in result.stdout
    )
    assert (
        "programming's completion date (completions.programming.on): 1999-01-10 is before its term"
        in result.stdout
    )


# --- strict file types -----------------------------------------------------


@pytest.mark.parametrize(
    "old,new,field",
    [
        ("mark = 68.0", 'mark = "71"', "completions.programming.mark"),
        ("mark = 68.0", "mark = true", "completions.programming.mark"),
        ("resit = false", 'resit = "no"', "completions.programming.resit"),
        ("2026-11-20 2.0 bayesian", "2026-11-20 1_0 bayesian", "log: line 1"),
        ("\nrevision = ", "\nrevision = -1\n# was ", "revision"),
    ],
)
def test_hand_edits_are_checked_as_strictly_as_commands(
    run: Run, student: Path, old: str, new: str, field: str
) -> None:
    student.write_text(student.read_text().replace(old, new, 1))
    assert_one_line_error(run("progress", ok=False), field)
    assert field in run("check", ok=False).stdout


def test_a_deferral_of_a_completed_module_is_refused_in_the_file(run: Run, student: Path) -> None:
    student.write_text(student.read_text() + "\n[deferrals]\nprogramming = 1\n")
    assert_one_line_error(run("progress", ok=False), "programming")
    assert (
        "the deferral of 'programming' (deferrals.programming): programming is completed; a completed module cannot"
        in run("check", ok=False).stdout
    )


def test_programme_text_with_control_characters_is_refused(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "programme.toml"
    bad.write_text(
        SHIPPED.read_text().replace(
            'title = "Applicable Maths"', "title = \"Maths\\r=cmd|' /C calc'!A0\""
        )
    )
    assert_one_line_error(run("--programme", str(bad), "plan", ok=False), "title")


def test_csv_cells_carry_no_line_breaks() -> None:
    assert neutralise("Maths\r=cmd") == "Maths =cmd"
    assert neutralise("=1+1") == "'=1+1"


# --- import ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "ics", "html", "markdown"])
def test_import_of_a_non_export_says_so(run: Run, student: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"plan.{fmt}"
    run("export", "-f", fmt, "-o", str(out))
    before = student.read_bytes()
    result = run("import", str(out), ok=False)
    assert_one_line_error(result, "is not an mldsplan export (json or toml)")
    assert student.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    ["[]", "[" * 100_000 + "]" * 100_000, '{"kind": "mldsplan-export", "x": ' + "9" * 5000 + "}"],
    ids=["list", "deep", "huge-int"],
)
def test_import_of_hostile_json_is_a_clear_error(
    run: Run, student: Path, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    assert_one_line_error(run("import", str(path), ok=False), "is not an mldsplan export")


def test_import_round_trips_everything(
    run: Run, run_json: RunJson, student: Path, tmp_path: Path
) -> None:
    run("assess", "add", "bayesian", "CW1", "--weight", "25", "--due", "2026-12-01")
    run("calendar", "set", "2.2", "--from", "2027-01-18", "--to", "2027-04-23")
    for fmt in ("json", "toml"):
        out = tmp_path / f"x.{fmt}"
        run("export", "-f", fmt, "-o", str(out), "--force")
        plan = run_json("assess", "list")
        calendar = run_json("calendar")
        student.unlink()
        run("import", str(out))
        assert run_json("assess", "list") == plan
        assert run_json("calendar") == calendar


# --- write paths -----------------------------------------------------------


def test_the_size_limit_holds_on_write(student: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tomlfile, "MAX_FILE_BYTES", len(student.read_bytes()) + 10)
    before = student.read_bytes()
    big = "x" * 150
    with pytest.raises(StoreError, match="more than"):
        store.update(student, lambda p: _with_note(p, big))
    assert student.read_bytes() == before


def _with_note(progress: Progress, note: str) -> Progress:
    from mldsplan.domain.changes import add_log

    return add_log(progress, 1, NOW.date(), NOW.date(), None, note)


def test_a_failed_backup_is_a_failed_write(student: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync_fails(folder: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store, "_fsync_folder", fsync_fails)
    before = student.read_bytes()
    with pytest.raises(StoreError, match=r"Input/output"):
        store.update(student, lambda p: _with_note(p, "lost"))
    assert student.read_bytes() == before


def test_temp_cleanup_leaves_another_files_temps_alone(run: Run, student: Path) -> None:
    other = student.parent / f".{student.name}.x.mldsplan-abc123.tmp"
    other.write_text("someone else's write")
    ours = student.parent / f".{student.name}.mldsplan-abc123.tmp"
    ours.write_text("a crashed write of ours")
    run("log", "1", "--on", "2026-11-21")
    assert other.exists() and not ours.exists()


def test_a_symlinked_progress_file_is_written_through(
    run: Run, run_json: RunJson, student: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(student)
    monkeypatch.setenv("MLDSPLAN_FILE", str(link))
    run("complete", "maths", "--on", "2026-01-10")
    assert link.is_symlink()
    assert "[completions.maths]" in student.read_text()


def test_a_dangling_symlink_is_an_error_not_a_new_record(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(tmp_path / "gone.toml")
    monkeypatch.setenv("MLDSPLAN_FILE", str(link))
    assert_one_line_error(run("progress", ok=False), "does not exist")
    assert_one_line_error(run("log", "1", ok=False), "does not exist")
    assert not (tmp_path / "gone.toml").exists()


@pytest.mark.parametrize("flag", ["--file", "--programme"])
def test_special_files_are_refused_without_hanging(
    tmp_path: Path, progress_file: Path, flag: str
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    env = child_env(progress_file)
    for path in (str(fifo), "/dev/urandom" if flag == "--programme" else "/dev/zero"):
        done = cli(flag, path, "progress", env=env, timeout=20)
        assert done.returncode == 1, done.stderr
        assert "not a regular file" in done.stderr


def test_a_note_of_invalid_bytes_is_a_clear_error(progress_file: Path) -> None:
    env = child_env(progress_file)
    done = subprocess.run(
        [sys.executable, "-m", "mldsplan", "log", "1", "--note", b"\xff\xfe"],  # type: ignore[list-item]
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: --note:")
    assert "internal error" not in done.stderr


def test_the_resit_message_tells_the_truth(refuse: Refuse, student: Path) -> None:
    result = refuse("mark", "programming", "45", "--resit", needles=("below the pass mark",))
    assert "with --resit" not in result.stderr


def test_constrained_types_are_plain_module_names() -> None:
    """No names are injected at run time: a module's annotations resolve from its imports."""
    code = (
        "import typing, mldsplan.domain.progress as p, mldsplan.domain.programme as q\n"
        "typing.get_type_hints(p.Progress); typing.get_type_hints(q.Programme)\n"
        "import sys; print('pydantic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_an_interrupted_undo_keeps_both_versions(
    run: Run, student: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("log", "1", "--on", "2026-11-21")
    newest = student.read_bytes()
    real_replace = os.replace

    def interrupt_after_the_file(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        if Path(dst) == student:
            raise KeyboardInterrupt

    monkeypatch.setattr(store.os, "replace", interrupt_after_the_file)
    with pytest.raises(SavedButError, match="put back"):
        store.step(student, NOW, history.Step(back=True))
    backup = student.with_name(student.name + ".bak")
    assert backup.read_bytes() == newest  # the version undone is still on disk: redo redoes it
    assert history.read(history.versions(student)[-1].path) == newest
    assert "2026-11-21" not in student.read_text()


def test_undo_never_lowers_the_revision(run: Run, run_json: RunJson, student: Path) -> None:
    def revision() -> int:
        return int(student.read_text().split("revision = ")[1].split()[0])

    run("log", "1", "--on", "2026-11-21")
    before = revision()
    run("undo")
    assert revision() == before + 1
    run("log", "1", "--on", "2026-11-22")
    assert revision() == before + 2
