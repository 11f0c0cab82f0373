"""SPEC §5 as evidence: concurrency, kills, write faults, bad files, fuzzing, migrations,
`check`, and shell completion, with real files and real processes where that is the point."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, TODAY, Run, assert_one_line_error, child_env
from mldsplan.domain import terms
from mldsplan.domain.errors import MldsplanError
from mldsplan.domain.progress import (
    SCHEMA_VERSION,
    Assessment,
    Attempt,
    Completion,
    LogEntry,
    Opening,
    Progress,
    TermDates,
)
from mldsplan.domain.progress import Timer as StudyTimer
from mldsplan.domain.rules import record_problems
from mldsplan.storage import document, store
from mldsplan.storage.programme_file import load_programme

CORPUS = Path(__file__).parent / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
PROGRAMME = load_programme(SHIPPED)
CODES = PROGRAMME.codes


def mldsplan() -> list[str]:
    """The installed entry point beside this interpreter (what a student runs)."""
    script = Path(sys.executable).with_name("mldsplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mldsplan"]


# --- 1. concurrency --------------------------------------------------------


@pytest.mark.slow
def test_fifty_concurrent_writers_lose_nothing_and_readers_see_whole_files(
    progress_file: Path,
) -> None:
    env = child_env(progress_file, MLDSPLAN_LOCK_TIMEOUT="120")  # 56 starts on a slow CI
    subprocess.run(
        [*mldsplan(), "init", "--start", "2024-10"], env=env, check=True, capture_output=True
    )
    first = date(2026, 1, 1)
    # With a 2024 start every module's term has begun by this day (and by TODAY).
    assert all(
        w.start <= date(2026, 11, 1) <= TODAY
        for y, t in {(m.year, m.term) for m in PROGRAMME.modules}
        if (w := terms.window(PROGRAMME, Progress(start="2024-10"), y, t)) is not None
    )
    writers = [[*mldsplan(), "complete", code, "--on", "2026-11-01"] for code in CODES]
    writers += [
        [*mldsplan(), "log", "1.5", "--on", str(first + timedelta(days=i)), "--note", f"writer {i}"]
        for i in range(50 - len(CODES))
    ]
    readers = [[*mldsplan(), "progress", "--json"] for _ in range(6)]
    running = [
        subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in writers + readers
    ]
    reader_outputs = []
    for process, command in zip(running, writers + readers, strict=True):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, (command, err)
        if command in readers:
            reader_outputs.append(out)
    for out in reader_outputs:  # every reader saw a whole, valid file
        data = json.loads(out)
        assert 0 <= data["ects_done"] <= 90
        assert data["on"] == str(TODAY)  # the tests' clock, not the machine's
    final = store.load(progress_file)
    assert sorted(final.completions) == sorted(CODES)
    assert sorted(e.note or "" for e in final.log) == sorted(f"writer {i}" for i in range(36))


def test_a_stale_lock_file_from_a_killed_process_does_not_block(progress_file: Path) -> None:
    env = child_env(progress_file)
    subprocess.run([*mldsplan(), "init"], env=env, check=True, capture_output=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock; "
            "FileLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)",
            f"{progress_file}.lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    assert Path(f"{progress_file}.lock").exists()
    done = subprocess.run(
        [*mldsplan(), "complete", "maths", "--on", "2026-01-20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# --- 2. kills --------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_old_or_the_new_file(progress_file: Path) -> None:
    env = child_env(progress_file)
    subprocess.run([*mldsplan(), "init"], env=env, check=True, capture_output=True)
    rng = random.Random(20261125)

    def command(i: int) -> list[str]:
        day = date(2020, 1, 1) + timedelta(days=i)
        return [*mldsplan(), "log", "0.5", "--on", str(day), "--note", f"kill {i}"]

    durations = []
    for i in range(3):  # how long one whole write takes here
        begin = time.perf_counter()
        subprocess.run(command(300 + i), env=env, check=True, capture_output=True)
        durations.append(time.perf_counter() - begin)
    span = max(durations)
    landed = 0
    for i in range(200):
        before = store.load(progress_file)
        process = subprocess.Popen(
            command(i), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3 * span, 1.1 * span))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = store.load(progress_file)  # parses: never a partial file
        wanted = LogEntry(date(2020, 1, 1) + timedelta(days=i), 0.5, None, f"kill {i}")
        new = after.log[len(before.log) :]
        assert after.log[: len(before.log)] == before.log, i
        assert new in ((), (wanted._replace(id=new[0].id),) if new else ()), i
        assert after.completions == before.completions
        landed += after.log != before.log
    subprocess.run(command(400), env=env, check=True, capture_output=True)
    leftovers = list(progress_file.parent.glob(".progress.toml.*.tmp"))
    assert leftovers == [], leftovers
    print(f"{landed} of 200 killed writes had landed")


# --- 3. faults -------------------------------------------------------------


def _fail_with(error: BaseException) -> Any:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise error

    return fail


FAULTS = [
    (
        "fsync",
        lambda m: m.setattr(os, "fsync", _fail_with(OSError(errno.EIO, "Input/output error"))),
        "Input/output error",
    ),
    (
        "rename",
        lambda m: m.setattr(
            os, "replace", _fail_with(OSError(errno.EXDEV, "Invalid cross-device link"))
        ),
        "Invalid cross-device link",
    ),
    (
        "permission denied",
        lambda m: m.setattr(
            tempfile,
            "mkstemp",
            _fail_with(PermissionError(errno.EACCES, "Permission denied")),
        ),
        "Permission denied",
    ),
    (
        "read-only folder",
        lambda m: m.setattr(
            tempfile, "mkstemp", _fail_with(OSError(errno.EROFS, "Read-only file system"))
        ),
        "Read-only file system",
    ),
]


_real_fdopen = os.fdopen


class _FullDisk:
    """os.fdopen whose files open for writing fail as on a full disk (after the temp file
    exists); files opened for reading are the real thing."""

    def __new__(cls, fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "r" in mode:
            return _real_fdopen(fd, mode, *args, **kwargs)
        return super().__new__(cls)

    def __init__(self, fd: int, *_args: object, **_kwargs: object) -> None:
        self.fd = fd

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *_exc: object) -> None:
        os.close(self.fd)

    def write(self, _data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    ("name", "install", "needle"),
    [
        *FAULTS,
        ("no space", lambda m: m.setattr(os, "fdopen", _FullDisk), "No space left on device"),
    ],
)
def test_a_failed_write_changes_nothing(
    run: Run, progress_file: Path, name: str, install: Any, needle: str
) -> None:
    run("complete", "maths", "--on", "2026-01-20")
    before = progress_file.read_bytes()
    with pytest.MonkeyPatch.context() as faulty:  # the autouse isolation stays in place
        install(faulty)
        result = run("complete", "eda", "--on", "2026-05-01", ok=False)
    assert_one_line_error(result, needle)
    assert "hint: the file is unchanged" in result.stderr
    assert progress_file.read_bytes() == before
    assert list(progress_file.parent.glob(".progress.toml.*.tmp")) == []


def test_an_interrupt_during_the_write_changes_nothing(run: Run, progress_file: Path) -> None:
    run("complete", "maths", "--on", "2026-01-20")
    before = progress_file.read_bytes()
    with pytest.MonkeyPatch.context() as faulty:
        faulty.setattr(os, "replace", _fail_with(KeyboardInterrupt()))
        result = run("complete", "eda", "--on", "2026-05-01", ok=False)
    assert result.exit_code == 130
    assert result.stderr.strip() == "Error: interrupted; nothing was changed"
    assert progress_file.read_bytes() == before
    assert list(progress_file.parent.glob(".progress.toml.*.tmp")) == []


def _fail_after_the_rename_of(target: Path, error: BaseException) -> Any:
    """store._fsync_folder that fails once `target` holds new bytes (after its rename)."""
    real = store._fsync_folder
    old = target.read_bytes()

    def fsync_folder(folder: Path) -> None:
        if target.read_bytes() != old:
            raise error
        real(folder)

    return fsync_folder


def _interrupt_right_after_the_rename_to(target: Path) -> Any:
    """os.replace that is interrupted the instant it has put the new `target` in place."""
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        real(src, dst)
        if Path(dst) == target:
            raise KeyboardInterrupt

    return replace


@pytest.mark.parametrize(
    ("where", "error", "needle"),
    [
        ("rename", KeyboardInterrupt(), "KeyboardInterrupt"),
        ("fsync", KeyboardInterrupt(), "KeyboardInterrupt"),
        ("fsync", OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
    ids=["SIGINT-at-the-rename", "SIGINT-at-the-fsync", "EIO-at-the-fsync"],
)
def test_a_failure_after_the_rename_says_the_change_was_saved(
    run: Run, progress_file: Path, where: str, error: BaseException, needle: str
) -> None:
    run("complete", "maths", "--on", "2026-01-20")
    before = store.load(progress_file)
    with pytest.MonkeyPatch.context() as faulty:
        if where == "rename":
            faulty.setattr(os, "replace", _interrupt_right_after_the_rename_to(progress_file))
        else:
            faulty.setattr(store, "_fsync_folder", _fail_after_the_rename_of(progress_file, error))
        result = run("complete", "eda", "--on", "2026-05-01", ok=False)
    assert_one_line_error(result, f"the change was saved to {progress_file}", needle)
    assert "nothing was changed" not in result.stderr
    assert "hint: do not repeat the command" in result.stderr
    after = store.load(progress_file)
    assert sorted(after.completions) == ["eda", "maths"]
    assert after.revision == before.revision + 1


@pytest.mark.parametrize(
    "error", [KeyboardInterrupt(), OSError(errno.EIO, "Input/output error")], ids=["SIGINT", "EIO"]
)
def test_a_failure_after_the_old_version_is_staged_is_not_called_saved(
    run: Run, progress_file: Path, error: BaseException
) -> None:
    """The version being replaced is staged as `.redo` before the file changes: a failure
    then has not saved the change, and the previous `.bak` is as it was (issue 18.2)."""
    run("complete", "maths", "--on", "2026-01-20")
    run("complete", "programming", "--on", "2026-01-20")  # so that a .bak exists to keep
    backup = progress_file.with_name("progress.toml.bak")
    redo = progress_file.with_name("progress.toml.redo")
    before, backup_before = progress_file.read_bytes(), backup.read_bytes()

    def fsync_folder(folder: Path) -> None:  # fails once the staged copy is in place
        if redo.exists():
            raise error

    with pytest.MonkeyPatch.context() as faulty:
        faulty.setattr(store, "_fsync_folder", fsync_folder)
        result = run("complete", "eda", "--on", "2026-05-01", ok=False)
    assert progress_file.read_bytes() == before, "the change did not land"
    assert backup.read_bytes() == backup_before, "undo still reverts the last good change"
    assert "the change was saved" not in result.stderr, result.stderr
    if isinstance(error, KeyboardInterrupt):
        assert result.exit_code == 130
        assert result.stderr.strip() == "Error: interrupted; nothing was changed"
    else:
        assert_one_line_error(result, "cannot write", "Input/output error")
        assert "hint: the file is unchanged" in result.stderr
    assert list(progress_file.parent.glob(".progress.toml.*.tmp")) == []


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    """A real 64 KiB tmpfs (needs root, as on the CI machine)."""
    where = tmp_path / "small"
    where.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield where
    subprocess.run(["umount", str(where)], check=False)


@pytest.fixture
def read_only_view(tmp_path: Path) -> Any:
    """(a folder, a read-only bind mount of it) (needs root, as on the CI machine)."""
    source, view = tmp_path / "source", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    if not (
        _mount("--bind", str(source), str(view)) and _mount("-o", "remount,ro,bind", str(view))
    ):
        subprocess.run(["umount", str(view)], check=False)
        pytest.skip("cannot make a read-only bind mount here (needs root)")
    yield source, view
    subprocess.run(["umount", str(view)], check=False)


def test_a_really_full_disk_changes_nothing(run: Run, small_disk: Path) -> None:
    path = small_disk / "progress.toml"
    run("--file", str(path), "init", "--start", "2025-10")
    run("--file", str(path), "complete", "maths", "--on", "2026-01-20")
    before = path.read_bytes()
    filler = small_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    with pytest.raises(OSError) as full:
        while True:
            os.write(fd, b"x" * 512)
    os.close(fd)
    assert full.value.errno == errno.ENOSPC
    result = run(
        "--file", str(path), "log", "2", "--note", "n" * 150, "--on", "2026-11-20", ok=False
    )
    assert_one_line_error(result, "No space left on device")
    assert path.read_bytes() == before
    assert list(small_disk.glob(".progress.toml.*.tmp")) == []


def test_a_really_read_only_folder_changes_nothing(
    run: Run, read_only_view: tuple[Path, Path]
) -> None:
    source, view = read_only_view
    run("--file", str(source / "progress.toml"), "init")
    before = (source / "progress.toml").read_bytes()
    result = run("--file", str(view / "progress.toml"), "complete", "maths", ok=False)
    assert_one_line_error(result, "Read-only file system")
    assert (view / "progress.toml").read_bytes() == before
    assert run("--file", str(view / "progress.toml"), "progress", "--json").exit_code == 0


# --- 4. bad files ----------------------------------------------------------

PROGRESS_CORPUS = {
    "empty.toml": "the file is empty",
    "truncated.toml": "line 5",
    "nul-byte.toml": "NUL byte",
    "invalid-utf8.toml": "not UTF-8",
    "bom.toml": "byte-order mark",
    "wrong-types.toml": "weekly_hours",
    "unknown-module.toml": "the completion of 'statistics' (completions.statistics): unknown module",
    "mark-120.toml": "completions.maths.mark",
    "newer-schema.toml": f"schema_version: 5 was written by a newer mldsplan (this one reads up to {SCHEMA_VERSION})",
    "bad-log-line.toml": "log: line 2",
    # A date after today is fine (another computer's clock may be ahead); 2999 is not.
    "future-completion.toml": "is outside the years",
}
PROGRAMME_CORPUS = {
    "duplicate-codes.toml": "duplicate module code 'maths'",
    "term-totals-disagree.toml": "terms[0].ects: year 1 term 1 is 12.5 ECTS but its modules add up to 15",
    "negative-ects.toml": "modules[1].ects: -5 must be more than 0",
    "wrong-types.toml": "weekly_hours: '21h' is not a number",
    "syntax-error.toml": "line 3, column",
    "empty.toml": "the file is empty",
    "missing-fields.toml": "name: required field is missing",
    # One small programme per consistency rule (mldsplan.domain.programme.consistency_problems).
    "rule-no-terms.toml": "terms: at least one term is needed",
    "rule-no-modules.toml": "modules: at least one module is needed",
    "rule-group-twice.toml": "groups[0].code: code 'ethics' is used twice",
    "rule-term-starts-missing.toml": "term_starts: give terms 1 to 2, once each",
    "rule-term-starts-order.toml": "term_starts: term 1 starts the year (months = 0, day = 1)",
    "rule-unequal-terms.toml": "terms_per_year: 5 equal terms do not make a year",
    "rule-term-twice.toml": "terms[0]: year 1 term 1 is listed twice",
    "rule-term-past-terms-per-year.toml": "terms[1].term: 3 is more than terms_per_year",
    "rule-term-after-the-end.toml": "terms[1]: year 2 term 1 is after the programme ends",
    "rule-exit-award-too-big.toml": "exit_awards[0].ects: more than total_ects",
    "rule-registration-too-short.toml": "max_registration_months: shorter than duration_months",
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in (CORPUS / "progress").iterdir()) == sorted(PROGRESS_CORPUS)
    assert sorted(p.name for p in (CORPUS / "programme").iterdir()) == sorted(PROGRAMME_CORPUS)


@pytest.mark.parametrize(("name", "needle"), sorted(PROGRESS_CORPUS.items()))
def test_broken_progress_files(run: Run, progress_file: Path, name: str, needle: str) -> None:
    content = (CORPUS / "progress" / name).read_bytes()
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_bytes(content)
    for args in (["progress"], ["plan", "--json"], ["log", "1"], ["complete", "eda"]):
        assert_one_line_error(run(*args, ok=False), str(progress_file), needle)
    assert progress_file.read_bytes() == content
    assert sorted(p.name for p in progress_file.parent.iterdir() if p.is_file()) == [
        "progress.toml",
        *(["progress.toml.lock"] if (progress_file.parent / "progress.toml.lock").exists() else []),
    ]


@pytest.mark.parametrize(("name", "needle"), sorted(PROGRAMME_CORPUS.items()))
def test_broken_programme_files(run: Run, progress_file: Path, name: str, needle: str) -> None:
    path = CORPUS / "programme" / name
    for args in (["progress"], ["complete", "maths"]):
        assert_one_line_error(run("--programme", str(path), *args, ok=False), str(path), needle)
    assert not progress_file.exists()
    checked = run("--programme", str(path), "check", ok=False)
    assert checked.exit_code == 1
    first = checked.stdout.splitlines()[0]
    assert first.startswith(f"problem: {path}: ") and needle in first, first


def test_check_skips_the_record_against_a_broken_programme(run: Run, progress_file: Path) -> None:
    run("complete", "maths", "--on", "2026-01-20")
    path = CORPUS / "programme" / "duplicate-codes.toml"
    result = run("--programme", str(path), "check", ok=False)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == f"skipped: {progress_file}: cannot check it against a broken programme"
    assert all(line.startswith("problem: ") for line in lines[:-1])


def test_a_huge_progress_file(run: Run, progress_file: Path) -> None:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    with progress_file.open("wb") as handle:
        handle.write(b"schema_version = 1\n")
        handle.write(b"# " + b"x" * (33 * 1024 * 1024) + b"\n")
    assert_one_line_error(run("progress", ok=False), str(progress_file), "more than the")


toml_scalars = (
    st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.booleans()
    | st.dates()
)
toml_keys = st.sampled_from(
    [
        "schema_version",
        "start",
        "weekly_hours",
        "completions",
        "deferrals",
        "log",
        "maths",
        "on",
        "mark",
        "resit",
        "hours",
        "id",
        "name",
        "terms",
        "modules",
        "ects",
        "year",
        "term",
        "code",
        "title",
        "classification",
        "revision",
        "term_dates",
        "assessments",
        "timer",
        "started_at",
        "weight",
        "due",
        "term_starts",
        "months",
        "day",
    ]
) | st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=8)
toml_documents = st.recursive(
    st.dictionaries(toml_keys, toml_scalars, max_size=6),
    lambda inner: st.dictionaries(
        toml_keys,
        inner | toml_scalars | st.lists(toml_scalars, max_size=3) | st.lists(inner, max_size=3),
        max_size=6,
    ),
    max_leaves=25,
)


def _only_our_error(load: Any, *args: Any) -> None:
    try:
        load(*args)
    except MldsplanError as exc:
        assert exc.message and "\n" not in exc.message
    # anything else propagates and fails the test


def _both_loaders_only_raise_our_error(tmp_path: Path, raw: bytes) -> None:
    """`raw` as a progress file and as a programme file."""
    _only_our_error(store.parse, Path("fuzz.toml"), raw)
    path = tmp_path / "fuzz-programme.toml"
    path.write_bytes(raw)
    _only_our_error(load_programme, path)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_raise_our_error(tmp_path: Path, raw: bytes) -> None:
    _both_loaders_only_raise_our_error(tmp_path, raw)


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(toml_documents, st.sampled_from([None, *range(1, SCHEMA_VERSION + 1)]))
def test_arbitrary_toml_documents_only_raise_our_error(
    tmp_path: Path, document: dict[str, Any], version: int | None
) -> None:
    if version is not None:
        document = {**document, "schema_version": version}
    raw = tomli_w.dumps(document).encode()
    _both_loaders_only_raise_our_error(tmp_path, raw)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(["programming", "maths", "x"]),
        st.fixed_dictionaries(
            {"on": st.dates() | st.text(max_size=5)},
            optional={
                "mark": st.floats() | st.text(max_size=3),
                "resit": st.booleans() | st.integers(),
            },
        ),
    )
)
def test_arbitrary_completions_only_raise_our_error(completions: dict[str, Any]) -> None:
    raw = tomli_w.dumps(
        {"schema_version": SCHEMA_VERSION, "revision": 0, "completions": completions}
    ).encode()
    _only_our_error(store.parse, Path("fuzz.toml"), raw)


# --- 5. schema migrations --------------------------------------------------

GOLDEN = {
    1: Progress(
        start="2025-10",
        weekly_hours=18.0,
        completions={
            "programming": Completion(on=date(2026, 1, 20), mark=68.0, resit=False),
        },
        deferrals={"bayesian": 1},
        # Schema 4's ids, made by the migration from each line and its occurrence:
        # the same on every computer (logformat.entry_id).
        log=(
            LogEntry(date(2026, 11, 23), 1.5, None, None, "613cb53420f8"),
            LogEntry(date(2026, 11, 24), 2.5, "bayesian", "lecture 4", "f9e4432d8e23"),
        ),
    ),
}
GOLDEN[2] = replace(
    GOLDEN[1],
    revision=5,
    term_dates={"2.1": TermDates(start=date(2026, 10, 5), end=date(2027, 1, 10))},
    assessments={
        "unsupervised": (
            Assessment(name="Coursework 1", weight=20.0, due=date(2026, 11, 2), mark=68.0),
            Assessment(name="Group project", weight=30.0, due=date(2026, 12, 7)),
        )
    },
    timer=StudyTimer(
        started_at=datetime(2026, 11, 25, 19, 15, tzinfo=UTC),
        module="unsupervised",
        note="chapter 3",
    ),
)


# Schema 3: ids (0.2's calendar UIDs, kept on a rename) and failed attempts.
GOLDEN[3] = replace(
    GOLDEN[2],
    revision=7,
    assessments={
        "unsupervised": (
            Assessment(
                name="Coursework 1",
                weight=20.0,
                due=date(2026, 11, 2),
                mark=68.0,
                id="48a5766bb888",
            ),
            Assessment(name="Final report", weight=30.0, due=date(2026, 12, 7), id="dc87d6accf6f"),
        )
    },
    failed_attempts={"big-data": (Attempt(on=date(2026, 6, 10), mark=44.0),)},
)


# Schema 4: opening hours, windows, reminders, stamps and a tombstone (eda's completion).
GOLDEN[4] = replace(
    GOLDEN[3],
    revision=12,
    windows=("mon-fri 19:00-22:00", "sat 09:30-13:00"),
    blocks="45-120",
    remind_days=(7, 1),
    remind_timer_hours=5.0,
    assessments={
        "unsupervised": (
            GOLDEN[3].assessments["unsupervised"][0],
            replace(GOLDEN[3].assessments["unsupervised"][1], mark=58.0),
        )
    },
    reminders_sent={"deadline:dc87d6accf6f:1": date(2026, 12, 7)},
    stamps={
        "assessments.unsupervised.dc87d6accf6f.mark": "1a2b3c4d:3 5e6f7a8b:9",
        "completions.eda": "5e6f7a8b:8",
        "log.0a1b2c3d4e5f": "5e6f7a8b:2",
        "start": "1a2b3c4d:1",
    },
    log=(
        *GOLDEN[3].log,
        LogEntry(
            date(2026, 11, 24), 2.5, "bayesian", "cafe0123beef is a note, not an id", "9c8b7a6f5e4d"
        ),
    ),
    opening=(Opening("unsupervised", 60.0, "before mldsplan", "0a1b2c3d4e5f"),),
)


def test_every_golden_fixture_loads_and_migrates_to_the_current_model() -> None:
    fixtures = sorted(FIXTURES.glob("progress-v*.toml"))
    assert [int(p.stem.split("-v")[1]) for p in fixtures] == list(
        range(1, store.SCHEMA_VERSION + 1)
    )
    assert store.SCHEMA_VERSION == 4
    for path in fixtures:
        version = int(path.stem.split("-v")[1])
        record = store.parse(path, path.read_bytes())
        assert record.schema_version == store.SCHEMA_VERSION
        assert record == GOLDEN[version]
        assert record_problems(record, PROGRAMME, TODAY) == []
        assert store.parse(path, store.serialise(record)) == record  # and writes back whole


def test_migration_gives_each_assessment_the_id_of_its_old_calendar_uid() -> None:
    """mldsplan 0.2 exported these deadlines with UID unsupervised-<hash of the name>."""
    path = FIXTURES / "progress-v2.toml"
    record = store.parse(path, path.read_bytes())
    assert [a.id for a in record.assessments["unsupervised"]] == ["48a5766bb888", "dc87d6accf6f"]


def test_a_v1_file_migrates_on_the_first_write_and_is_kept_once(
    run: Run, progress_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    original = (FIXTURES / "progress-v1.toml").read_bytes()
    progress_file.write_bytes(original)
    real = document.MIGRATIONS[2]
    calls = []

    def v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
        calls.append(document["schema_version"])
        return real(document)

    monkeypatch.setitem(document.MIGRATIONS, 2, v1_to_v2)
    kept = progress_file.with_name("progress.toml.v1.bak")
    run("progress")  # a read migrates in memory and writes nothing
    assert progress_file.read_bytes() == original and not kept.exists()
    run("complete", "maths", "--on", "2026-01-21")
    assert calls and set(calls) == {1}
    assert kept.read_bytes() == original
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    migrated = store.load(progress_file)
    assert migrated.schema_version == 4 and migrated.revision == 1
    assert migrated.content() == replace(
        GOLDEN[1], completions={**GOLDEN[1].completions, "maths": Completion(on=date(2026, 1, 21))}
    )
    text = progress_file.read_text()
    assert "schema_version = 4" in text and "revision = 1" in text
    run("uncomplete", "maths")  # later writes keep the first copy as it was
    assert kept.read_bytes() == original
    assert store.load(progress_file).revision == 2


def test_revision_counts_every_write_and_only_writes(run: Run, progress_file: Path) -> None:
    run("init")
    assert store.load(progress_file).revision == 1
    run("complete", "maths", "--on", "2026-01-21")
    run("log", "1", "--on", "2026-11-20")
    run("complete", "maths")  # nothing changes: no write
    run("progress")
    assert store.load(progress_file).revision == 3
    run("undo")  # puts back the content before the last write, as a newer revision
    restored = store.load(progress_file)
    assert restored.revision == 4 and restored.log == ()


# --- 6. check --------------------------------------------------------------


def test_check_reports_every_problem_in_both_files(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    bad_programme = tmp_path / "programme.toml"
    bad_programme.write_text(
        SHIPPED.read_text()
        .replace("total_ects = 90", "total_ects = 95")
        .replace("merit = 60", "merit = 45")
    )
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_text("schema_version = 1\nweekly_hours = -1\nstart = 'soon'\n")
    result = run("--programme", str(bad_programme), "check", ok=False)
    assert result.exit_code == 1
    assert result.stdout.count("problem:") == 4, result.stdout


def test_check_finds_every_record_problem(run: Run, progress_file: Path) -> None:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_text(
        "schema_version = 1\nlog = '''\n2026-01-01 20 maths\n2026-01-01 5 -\n2026-01-02 1 stats\n'''\n"
        "[completions.maths]\non = 2026-01-01\nmark = 40\n[completions.nope]\non = 2026-01-01\n"
        "[deferrals]\nghost = 1\n"
    )
    result = run("check", ok=False)
    problems = [line for line in result.stdout.splitlines() if line.startswith("problem:")]
    assert len(problems) == 5, result.stdout
    assert "2 problems" not in result.stderr and "5 problems found" in result.stderr


def test_check_says_ok(run: Run) -> None:
    result = run("check")
    assert result.stdout.startswith("ok: ") and "problem" not in result.stdout


# --- 8. shell completion ---------------------------------------------------


def _complete(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = child_env(tmp_path / "p.toml", **env_extra)
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mldsplan"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_bash_completion_of_module_codes_without_pydantic_or_rich(tmp_path: Path) -> None:
    result = _complete(
        {
            "_MLDSPLAN_COMPLETE": "complete_bash",
            "COMP_WORDS": "mldsplan complete ma",
            "COMP_CWORD": "2",
        },
        tmp_path,
    )
    assert result.stdout.split() == ["maths"]
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in {"pydantic", "rich"}}


def test_zsh_and_fish_completion(tmp_path: Path) -> None:
    zsh = _complete(
        {"_MLDSPLAN_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "mldsplan defer e"}, tmp_path
    )
    assert "eda" in zsh.stdout and "ethics-1" in zsh.stdout
    fish = _complete(
        {
            "_MLDSPLAN_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": "mldsplan export --format ",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
        tmp_path,
    )
    assert fish.stdout.split() == ["markdown", "csv", "json", "toml", "ics", "html"]


def test_completion_reads_another_programme(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(SHIPPED.read_text().replace('code = "maths"', 'code = "matrices"'))
    result = _complete(
        {
            "_MLDSPLAN_COMPLETE": "complete_bash",
            "COMP_WORDS": "mldsplan log --module ma",
            "COMP_CWORD": "3",
            "MLDSPLAN_PROGRAMME": str(other),
        },
        tmp_path,
    )
    assert result.stdout.split() == ["matrices"]
