"""Programme and progress files: validation, bad files, the store's guarantees, round trips."""

from __future__ import annotations

import marshal
import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, Run, RunJson, assert_one_line_error
from mldsplan import store
from mldsplan.errors import FileFormatError
from mldsplan.programme import default_programme_path, load_programme
from mldsplan.progress import Completion, LogEntry, Progress

CODES = load_programme(SHIPPED).codes


def test_the_shipped_programme_is_found_and_valid() -> None:
    programme = load_programme(default_programme_path())
    assert default_programme_path().read_bytes() == SHIPPED.read_bytes()
    assert len(programme.modules) == 14
    assert programme.counted_modules == 12
    assert programme.total_ects == 90
    assert sum(m.ects for m in programme.modules) == 90
    assert programme.weekly_hours == 21 and programme.hours_per_ects == 25
    # every per-module ECTS but the project's is assumed, and says so
    assert [m.code for m in programme.modules if not m.assumed] == ["project"]


def _programme_with(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = SHIPPED.read_text()
    assert old in text
    path = tmp_path / "bad-programme.toml"
    path.write_text(text.replace(old, new, count))
    return path


BAD_PROGRAMMES = [
    ('code = "maths"', 'code = "programming"', "modules[2].code: duplicate module code"),
    (
        'ects = 7.5\nassumed = true\n\n[[modules]]\ncode = "big-data"',
        'ects = 5\nassumed = true\n\n[[modules]]\ncode = "big-data"',
        "terms[1].ects: year 1 term 2 is 12.5 ECTS but its modules add up to 10",
    ),
    (
        'code = "eda"\ntitle = "Exploratory Data Analytics and Visualisation"\nyear = 1\nterm = 2\nects = 5',
        'code = "eda"\ntitle = "Exploratory Data Analytics and Visualisation"\nyear = 1\nterm = 2\nects = -5',
        "modules[3].ects: Input should be greater than 0",
    ),
    (
        "year = 2\nterm = 3\nects = 20\nmust_be_last",
        "year = 2\nterm = 4\nects = 20\nmust_be_last",
        "modules[13].term: year 2 term 4 is not in terms",
    ),
    ("total_ects = 90", "total_ects = 95", "total_ects: 95 but the terms add up to 90"),
    ("merit = 60", "merit = 45", "classification: bands must rise"),
    ("distinction = 70", "distinction = 170", "classification.distinction"),
    ("weekly_hours = 21", 'weekly_hours = "lots"', "weekly_hours: Input should be a valid number"),
    ("module_count = 12", "module_count = 14", "module_count: 14 but the modules count 12"),
    ('part_of = "ethics"', 'part_of = "ethic"', "modules[0].part_of: no group 'ethic'"),
    ("entry_month = 10", "entry_month = 10\nsurprise = 1", "surprise: unknown field"),
    ("total_ects = 90", "total_ects = 90 90", "line 20, column 17"),
]


@pytest.mark.parametrize(("old", "new", "needle"), BAD_PROGRAMMES)
def test_a_bad_programme_names_the_file_and_field(
    run: Run, tmp_path: Path, progress_file: Path, old: str, new: str, needle: str
) -> None:
    path = _programme_with(tmp_path, old, new)
    result = run("--programme", str(path), "complete", "maths", ok=False)
    assert_one_line_error(result, str(path), needle)
    assert not progress_file.exists()
    checked = run("--programme", str(path), "check", ok=False)
    assert checked.exit_code == 1
    assert needle in checked.stdout


def test_check_reports_every_problem_at_once(run: Run, tmp_path: Path) -> None:
    text = (
        SHIPPED.read_text()
        .replace("total_ects = 90", "total_ects = 95")
        .replace("merit = 60", "merit = 45")
    )
    path = tmp_path / "two-problems.toml"
    path.write_text(text)
    result = run("--programme", str(path), "check", ok=False)
    assert result.stdout.count("problem:") == 2


def _write(progress_file: Path, content: bytes) -> None:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_bytes(content)


BAD_PROGRESS = [
    (b"", "the file is empty"),
    (b"schema_version = 1\n[completions.maths]\non = 2026-01-", "line 3"),
    (b"schema_version = 1\nstart = \n", "line 2, column"),
    (b'schema_version = 1\nstart = "2025-10\xff"\n', "line 2, column 17: not UTF-8"),
    (b"\xef\xbb\xbfschema_version = 1\n", "byte-order mark"),
    (b"schema_version = 1\x00\n", "NUL byte"),
    (
        b'schema_version = 1\nweekly_hours = "many"\n',
        "weekly_hours: Input should be a valid number",
    ),
    (
        b"schema_version = 1\n[completions.nonsense]\non = 2026-01-01\n",
        "completions.nonsense: unknown module",
    ),
    (
        b"schema_version = 1\n[completions.maths]\non = 2026-01-01\nmark = 120\n",
        "completions.maths.mark",
    ),
    (
        b"schema_version = 1\n[completions.maths]\non = 2026-01-01\nmark = 30\n",
        "below the pass mark",
    ),
    (b"schema_version = 99\n", "schema_version: 99 was written by a newer mldsplan"),
    (b'start = "2025-10"\n', "schema_version: required field is missing"),
    (b'schema_version = "one"\n', "schema_version"),
    (
        b"schema_version = 1\nlog = '''\n2026-01-01 0 maths\n'''\n",
        "log: line 1: hours 0 must be more than 0",
    ),
    (
        b"schema_version = 1\nlog = '''\n2026-01-01 3 nonsense\n'''\n",
        "log[0].module: unknown module",
    ),
    (b'schema_version = 1\nstart = "2025-13"\n', "start"),
]


@pytest.mark.parametrize(("content", "needle"), BAD_PROGRESS)
def test_a_bad_progress_file_is_an_error_and_never_overwritten(
    run: Run, progress_file: Path, content: bytes, needle: str
) -> None:
    _write(progress_file, content)
    for args in (["progress"], ["complete", "maths"], ["init", "--start", "2025-10"]):
        result = run(*args, ok=False)
        assert_one_line_error(result, str(progress_file), needle)
        assert progress_file.read_bytes() == content
    assert not progress_file.with_name("progress.toml.bak").exists()
    assert run("check", ok=False).exit_code == 1


def test_a_huge_file_is_refused(
    run: Run, progress_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mldsplan import tomlfile

    monkeypatch.setattr(tomlfile, "MAX_FILE_BYTES", 1000)
    _write(progress_file, b"schema_version = 1\n" + b"# padding\n" * 200)
    assert_one_line_error(run("progress", ok=False), "more than the 1000 allowed")


def test_a_folder_where_the_file_should_be(run: Run, progress_file: Path) -> None:
    progress_file.mkdir(parents=True)
    assert_one_line_error(run("progress", ok=False), "is a folder")


def test_a_hand_edit_in_the_documented_format_is_read(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    _write(
        progress_file,
        b'schema_version = 1\nstart = "2025-10"\nweekly_hours = 18\n'
        b"log = '''\n2026-11-23 2 maths a note with spaces\n2026-11-24 1.5 -\n'''\n"
        b"[completions.maths]\non = 2026-01-20\nmark = 68\n",
    )
    data = run_json("progress")
    assert data["ects_done"] == 5 and data["weekly_hours"] == 18
    week = run_json("week", "--on", "2026-11-25")
    assert week["logged_hours"] == 3.5


def test_stale_temp_files_go_with_the_next_write(run: Run, progress_file: Path) -> None:
    run("init")
    leftover = progress_file.with_name(".progress.toml.abc123.tmp")
    leftover.write_text("half a file")
    run("complete", "maths", "--on", "2026-01-20")
    assert not leftover.exists()


def test_the_lock_times_out_with_a_clear_error(
    run: Run, progress_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    run("init")
    before = progress_file.read_bytes()
    monkeypatch.setenv("MLDSPLAN_LOCK_TIMEOUT", "0.2")
    with FileLock(f"{progress_file}.lock"):
        result = run("complete", "maths", ok=False)
    assert_one_line_error(result, f"another mldsplan is writing to {progress_file}", "0.2 s")
    assert progress_file.read_bytes() == before
    monkeypatch.setenv("MLDSPLAN_LOCK_TIMEOUT", "soon")
    assert_one_line_error(run("complete", "maths", ok=False), "MLDSPLAN_LOCK_TIMEOUT")
    assert progress_file.read_bytes() == before


def test_missing_parent_folders_are_created(run: Run, tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "progress.toml"
    run("--file", str(deep), "init")
    assert deep.exists()


# --- Hypothesis ------------------------------------------------------------

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 11, 1))
notes = (
    st.text(
        alphabet=st.characters(max_codepoint=0x2FFF, exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda s: "'''" not in s)
)
completions = st.builds(
    Completion,
    on=dates,
    mark=st.none() | st.floats(min_value=50, max_value=100, allow_nan=False),
    resit=st.booleans(),
)
entries = st.builds(
    LogEntry,
    on=dates,
    hours=st.floats(min_value=0.01, max_value=3, allow_nan=False),
    module=st.none() | st.sampled_from(CODES),
    note=st.none() | notes.filter(bool),
)
progresses = st.builds(
    Progress,
    start=st.none()
    | st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2000, 2030), st.integers(1, 12)),
    weekly_hours=st.none() | st.floats(min_value=0.5, max_value=100, allow_nan=False),
    completions=st.dictionaries(st.sampled_from(CODES), completions),
    deferrals=st.dictionaries(st.sampled_from(CODES), st.integers(1, 3)),
    log=st.lists(entries, max_size=8).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(progresses)
def test_load_of_dump_is_identity(progress: Progress) -> None:
    path = Path("mem.toml")
    assert store.parse(path, store.serialise(progress)) == progress


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))
def test_complete_then_uncomplete_restores_the_file(
    run: Run, progress_file: Path, codes: list[str]
) -> None:
    run("init", "--start", "2025-10")
    run("complete", "agents", "--on", "2026-01-01")  # something already there
    before = progress_file.read_bytes()
    fresh = [c for c in codes if c != "agents"]
    if fresh:
        run("complete", *fresh, "--on", "2026-02-01")
        run("uncomplete", *fresh)
    assert progress_file.read_bytes() == before
    progress_file.unlink()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["complete", "uncomplete"]), st.sampled_from(CODES)), max_size=12
    )
)
def test_no_sequence_of_commands_leaves_ects_outside_the_total(
    run: Run, run_json: RunJson, progress_file: Path, steps: list[tuple[str, str]]
) -> None:
    for command, code in steps:
        run(command, code, ok=False)
        done = run_json("progress")["ects_done"]
        assert 0 <= done <= 90
    if progress_file.exists():
        progress_file.unlink()


def test_parse_errors_name_the_file() -> None:
    with pytest.raises(FileFormatError, match=re.escape("x.toml: the file is empty")):
        store.parse(Path("x.toml"), b"  \n")


def test_the_cache_gives_exactly_what_validation_gives(
    run: Run, progress_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "17.5")
    run("complete", "maths", "--mark", "68.5", "--on", "2026-01-20")
    run("complete", "big-data", "--mark", "55", "--resit", "--on", "2026-09-01")
    run("log", "2", "--module", "eda", "--note", "café ☕ notes", "--on", "2026-11-20")
    run("defer", "agents")
    cache_dir = Path(os.environ["MLDSPLAN_CACHE_DIR"])
    assert list(cache_dir.glob("progress1-*.marshal")), "writes leave the new content cached"
    cached = store.load(progress_file)
    monkeypatch.setenv("MLDSPLAN_CACHE_DIR", str(tmp_path / "empty-cache"))
    assert store.load(progress_file) == cached
    monkeypatch.setenv("MLDSPLAN_CACHE_DIR", str(cache_dir))
    for damage in (b"\x00garbage", marshal.dumps({"wrong": "shape"})):
        for entry in cache_dir.glob("*.marshal"):  # damaged entries are ignored, not trusted
            entry.write_bytes(damage)
        assert store.load(progress_file) == cached
        assert load_programme(SHIPPED).codes == CODES
