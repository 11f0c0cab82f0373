"""Programme and progress files: validation, bad files, the store's guarantees, round trips."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import NOW, SHIPPED, TODAY, Run, RunJson, assert_one_line_error
from mldsplan.domain import changes, terms, workload
from mldsplan.domain.constraints import MAX_DEFER_YEARS, is_line, name_key
from mldsplan.domain.dates import add_months
from mldsplan.domain.errors import FileFormatError, InputError
from mldsplan.domain.facts import Facts
from mldsplan.domain.progress import (
    Assessment,
    Completion,
    LogEntry,
    Opening,
    Progress,
    TermDates,
)
from mldsplan.domain.progress import Timer as StudyTimer
from mldsplan.domain.rules import LOG_BEFORE_START_MONTHS, record_problems
from mldsplan.paths import default_programme_path
from mldsplan.storage import store
from mldsplan.storage.cache import Cache
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)
CODES = PROGRAMME.codes
ECTS = {m.code: m.ects for m in PROGRAMME.modules}


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line that starts with `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


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
        "modules[3].ects: -5 must be more than 0",
    ),
    (
        "year = 2\nterm = 3\nects = 20\nmust_be_last",
        "year = 2\nterm = 4\nects = 20\nmust_be_last",
        "modules[13].term: year 2 term 4 is not in terms",
    ),
    ("total_ects = 90", "total_ects = 95", "total_ects: 95 but the terms add up to 90"),
    ("merit = 60", "merit = 45", "classification: bands must rise"),
    ("distinction = 70", "distinction = 170", "classification.distinction"),
    ("weekly_hours = 21", 'weekly_hours = "lots"', "weekly_hours: 'lots' is not a number"),
    ("module_count = 12", "module_count = 14", "module_count: 14 but the modules count 12"),
    ('part_of = "ethics"', 'part_of = "ethic"', "modules[0].part_of: no group 'ethic'"),
    ("entry_month = 10", "entry_month = 10\nsurprise = 1", "surprise: unknown field"),
    (
        "total_ects = 90",
        "total_ects = 90 90",
        f"line {_line_of(SHIPPED.read_text(), 'total_ects = 90')}, column 17",
    ),
    ('title = "Applicable Maths"', 'title = "Applicable\\u0007Maths"', "modules[2].title"),
    ('name = "PG Certificate"', 'name = "PG\\tCertificate"', "exit_awards[0].name"),
    ("weekly_hours = 21", 'weekly_hours = "21"', "weekly_hours: '21' is not a number"),
    ("must_be_last = true", 'must_be_last = "yes"', "modules[13].must_be_last"),
    (
        "year = 1\nterm = 1\nects = 12.5",
        "year = 1\nterm = 1\nects = 12.5\nextra = 1",
        "terms[0].extra",
    ),
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
        "line 2: your weekly hours (weekly_hours): 'many' is not a number",
    ),
    (
        b"schema_version = 1\n[completions.nonsense]\non = 2026-01-01\n",
        "the completion of 'nonsense' (completions.nonsense): unknown module",
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
        "log: line 1: hours 0 must be at least 0.01",
    ),
    (
        b"schema_version = 1\nlog = '''\n2026-01-01 3 nonsense\n'''\n",
        "the module of the log entry of 2026-01-01 (log[0].module): unknown module",
    ),
    (b'schema_version = 1\nstart = "2025-13"\n', "start"),
    # Schema 2: every field is strictly typed and named in the error; dates are strict.
    (
        b'schema_version = 2\nrevision = 0\n[completions.maths]\non = 2026-01-01\nmark = "71"\n',
        "line 5: maths's mark (completions.maths.mark): '71' is not a number",
    ),
    (
        b"schema_version = 2\nrevision = 0\n[completions.maths]\non = 2026-01-01\nmark = true\n",
        "line 5: maths's mark (completions.maths.mark): true is not a number",
    ),
    (
        b'schema_version = 2\nrevision = 0\n[completions.maths]\non = 2026-01-01\nresit = "no"\n',
        "line 5: maths's resit flag (completions.maths.resit): 'no' is not true or false",
    ),
    (
        b"schema_version = 2\nrevision = 0\nlog = '''\n2026-01-01 1_0 maths\n'''\n",
        "log: line 1: hours '1_0' is not a number like 1.5",
    ),
    (
        b"schema_version = 2\nrevision = 0\nlog = '''\n20261020 1 maths\n'''\n",
        "log: line 1: '20261020' is not a date as YYYY-MM-DD",
    ),
    (
        b"schema_version = 2\nrevision = 0\nlog = '''\n2026-02-30 1 maths\n'''\n",
        "log: line 1: '2026-02-30': no such day",
    ),
    (
        b"schema_version = 2\nrevision = -1\n",
        "line 2: the file's revision (revision): -1 is less than 0, the least allowed",
    ),
    (b"schema_version = 2\nrevision = 0\nweekly_hours = 0.5\n", "weekly_hours"),
    (b"schema_version = 2\nrevision = 0\nweekly_hours = 169\n", "weekly_hours"),
    (
        b'schema_version = 2\nrevision = 0\nstart = "2025-10"\n[completions.eda]\non = 2026-01-14\n',
        "eda's completion date (completions.eda.on): 2026-01-14 is before its term (year 1 term 2) starts on 2026-01-15",
    ),
    (
        b"schema_version = 2\nrevision = 0\nstart = \"2025-10\"\nlog = '''\n2025-03-31 1 -\n'''\n",
        "the log entry of 2025-03-31 (log[0].on): 2025-03-31 is more than 6 months before the cohort start 2025-10",
    ),
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
    from mldsplan.storage import tomlfile

    limit = len(SHIPPED.read_bytes()) + 100  # the programme is read under the same limit
    monkeypatch.setattr(tomlfile, "MAX_FILE_BYTES", limit)
    _write(progress_file, b"schema_version = 1\n" + b"# padding\n" * (limit // 10))
    assert_one_line_error(
        run("progress", ok=False), str(progress_file), f"more than the {limit} bytes allowed"
    )
    monkeypatch.setattr(tomlfile, "MAX_FILE_BYTES", 1000)
    assert_one_line_error(run("progress", ok=False), str(SHIPPED), "more than the 1000 bytes")


def test_a_folder_where_the_file_should_be(run: Run, progress_file: Path) -> None:
    progress_file.mkdir(parents=True)
    assert_one_line_error(run("progress", ok=False), "is a folder")


def test_a_folder_that_cannot_be_created(run: Run, tmp_path: Path) -> None:
    if not Path("/proc/self").exists():
        pytest.skip("no /proc here: no folder that even root cannot create")
    folder = Path("/proc/mldsplan-test/sub")  # /proc takes no new folders, not even root's
    result = run("--file", str(folder / "progress.toml"), "init", ok=False)
    assert_one_line_error(result, str(folder), "cannot create the folder")
    # A file in the way of the folder: one line that names the path and why.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    path = blocker / "sub" / "progress.toml"
    write = run("--file", str(path), "init", ok=False)
    assert_one_line_error(write, str(path.parent), "cannot create the folder", "Not a directory")
    read = run("--file", str(path), "progress", ok=False)
    assert_one_line_error(read, str(path), "cannot read", "Not a directory")
    assert blocker.read_text() == "not a folder"


def test_an_unreadable_progress_file(run: Run, progress_file: Path) -> None:
    content = b'schema_version = 2\nrevision = 3\nstart = "2025-10"\n'
    _write(progress_file, content)
    progress_file.chmod(0)
    try:
        if os.geteuid() == 0 or os.access(progress_file, os.R_OK):
            pytest.skip("root reads a file of mode 000; .ci/run runs this as nobody")
        # 0.2: `--file` gave Click's boxed "is not readable", exit 2 (issue 18.12)
        for args in (["progress"], ["complete", "maths"], ["--file", str(progress_file), "plan"]):
            assert_one_line_error(
                run(*args, ok=False), str(progress_file), "cannot read", "Permission denied"
            )
        checked = run("check", ok=False)
        assert checked.exit_code == 1 and "Permission denied" in checked.output
    finally:
        progress_file.chmod(0o600)
    assert progress_file.read_bytes() == content


def test_a_fifo_is_refused_as_a_progress_or_programme_file(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    progress_file.parent.mkdir(parents=True)
    os.mkfifo(progress_file)
    for args in (["progress"], ["complete", "maths"], ["init"]):
        assert_one_line_error(run(*args, ok=False), str(progress_file), "not a regular file")
    assert stat.S_ISFIFO(progress_file.stat().st_mode)
    programme = tmp_path / "programme.fifo"
    os.mkfifo(programme)
    result = run("--programme", str(programme), "plan", ok=False)
    assert_one_line_error(result, str(programme), "not a regular file")


def test_a_device_is_refused_as_a_progress_or_programme_file(run: Run) -> None:
    for args in (["--file", "/dev/zero", "progress"], ["--programme", "/dev/zero", "plan"]):
        assert_one_line_error(run(*args, ok=False), "/dev/zero", "not a regular file")
    assert_one_line_error(
        run("--file", "/dev/null", "init", ok=False), "/dev/null", "not a regular file"
    )


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
    leftover = progress_file.with_name(".progress.toml.mldsplan-abc123.tmp")
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
# What a name or note may be: the one definition in constraints (no controls, no ''').
line_text = (
    st.text(
        alphabet=st.characters(max_codepoint=0x2FFF, exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        max_size=40,
    )
    .map(str.strip)
    .filter(is_line)
)
notes = line_text
completions = st.builds(
    Completion,
    on=dates,
    mark=st.none() | st.floats(min_value=50, max_value=100, allow_nan=False),
    resit=st.booleans(),
)
entry_ids = st.text("0123456789abcdef", min_size=12, max_size=12)
entries = st.builds(
    LogEntry,
    on=dates,
    hours=st.floats(min_value=0.01, max_value=3, allow_nan=False),
    module=st.none() | st.sampled_from(CODES),
    note=st.none() | notes.filter(bool),
    id=entry_ids,
)
openings = st.builds(
    Opening,
    module=st.sampled_from(CODES),
    hours=st.floats(min_value=0.01, max_value=500, allow_nan=False),
    note=st.none() | notes.filter(bool),
    id=entry_ids,
)
stamp_texts = st.dictionaries(
    st.text("0123456789abcdef", min_size=8, max_size=8), st.integers(1, 10**6), min_size=1
).map(lambda v: " ".join(f"{n}:{c}" for n, c in sorted(v.items())))
term_dates = st.builds(
    lambda first, days: TermDates(start=first, end=first + timedelta(days=days)),
    dates,
    st.integers(0, 200),
)
assessments = st.lists(
    st.builds(
        Assessment,
        name=line_text.filter(bool),
        weight=st.floats(min_value=0.5, max_value=33, allow_nan=False),
        due=st.none() | dates,
        mark=st.none() | st.floats(min_value=0, max_value=100, allow_nan=False),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda a: name_key(a.name),
).map(tuple)
timers = st.builds(
    StudyTimer,
    started_at=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2026, 11, 1),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-9, minutes=-30))]
        ),
    ).map(lambda moment: moment.replace(microsecond=0)),
    module=st.none() | st.sampled_from(CODES),
    note=st.none() | notes.filter(bool),
)
progresses = st.builds(
    Progress,
    revision=st.integers(0, 10**9),
    start=st.none()
    | st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2000, 2030), st.integers(1, 12)),
    weekly_hours=st.none() | st.floats(min_value=1, max_value=168, allow_nan=False),
    completions=st.dictionaries(st.sampled_from(CODES), completions),
    deferrals=st.dictionaries(st.sampled_from(CODES), st.integers(1, 3)),
    term_dates=st.dictionaries(
        st.sampled_from(["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]), term_dates, max_size=2
    ),
    assessments=st.dictionaries(st.sampled_from(CODES), assessments, max_size=3),
    timer=st.none() | timers,
    windows=st.lists(st.sampled_from(["mon-fri 19:00-22:00", "sat 09:30-13:00"]), max_size=2).map(
        lambda w: tuple(dict.fromkeys(w))
    ),
    blocks=st.none() | st.sampled_from(["45-120", "30-60"]),
    remind_days=st.none() | st.lists(st.integers(0, 14), max_size=4).map(tuple),
    remind_timer_hours=st.none() | st.floats(min_value=1, max_value=24, allow_nan=False),
    reminders_sent=st.dictionaries(
        st.sampled_from(["deadline:abc/3", "block:2026-11-24T19:00", "timer:2026-11-24T08:00"]),
        dates,
        max_size=2,
    ),
    stamps=st.dictionaries(
        st.sampled_from(["start", "completions.eda", "log.0123456789ab", "timer"]),
        stamp_texts,
        max_size=3,
    ),
    log=st.lists(entries, max_size=8, unique_by=lambda e: e.id).map(tuple),
    opening=st.lists(openings, max_size=2, unique_by=lambda e: e.id).map(tuple),
).filter(lambda p: not {e.id for e in p.log} & {o.id for o in p.opening})


def _consistent(record: Progress) -> Progress:
    """The record less whatever breaks a rule: a record a student could have made."""
    if any(p.field.startswith("term_dates") for p in record_problems(record, PROGRAMME, TODAY)):
        record = replace(record, term_dates={})
    start = record.start_date()
    earliest = None if start is None else add_months(start, -LOG_BEFORE_START_MONTHS)
    planned = {p.module.code: (p.year, p.term) for p in terms.schedule(PROGRAMME, record)}
    kept = {}
    for code, done in record.completions.items():
        window = terms.window(PROGRAMME, record, *planned[code])
        if code not in record.deferrals and (window is None or done.on >= window.start):
            kept[code] = done
    log = tuple(e for e in record.log if earliest is None or e.on >= earliest)
    return replace(record, completions=kept, log=log)


# Every rule of mldsplan.domain.rules holds: what `import` accepts.
consistent_progresses = progresses.map(_consistent)


@settings(max_examples=150, deadline=None)
@given(progresses)
def test_load_of_dump_is_identity(progress: Progress) -> None:
    path = Path("mem.toml")
    assert store.parse(path, store.serialise(progress)) == progress


@settings(max_examples=100, deadline=None)
@given(consistent_progresses)
def test_the_consistent_records_break_no_rule(progress: Progress) -> None:
    assert record_problems(progress, PROGRAMME, TODAY) == []


# A student who started in October 2024: every module's term has begun by this day.
EVERY_TERM_BEGUN = date(2026, 5, 1)
assert all(
    w.start <= EVERY_TERM_BEGUN
    for m in PROGRAMME.modules
    if (w := terms.window(PROGRAMME, Progress(start="2024-10"), m.year, m.term)) is not None
)
# ...who has completed one module already (something the round trip must keep).
STARTED = changes.complete(
    changes.set_settings(Progress(), "2024-10", None),
    ["agents"],
    TODAY,
    on=date(2026, 1, 20),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(CODES), min_size=1, unique=True),
    st.dates(min_value=EVERY_TERM_BEGUN, max_value=TODAY),
    st.none() | st.floats(min_value=50, max_value=100),
    st.booleans(),
)
def test_complete_then_uncomplete_restores_the_file(
    codes: list[str], on: date, mark: float | None, resit: bool
) -> None:
    """On the domain and the file's bytes, as `complete` and `uncomplete` write them."""
    fresh = [c for c in codes if c != "agents"]
    assume(fresh and (mark is None or len(fresh) == 1))  # a mark goes with one module
    done = changes.complete(STARTED, fresh, TODAY, on=on, mark=mark, resit=resit)
    assert record_problems(done, PROGRAMME, TODAY, now=NOW) == []  # the CLI writes it
    assert sorted(done.completions) == sorted({"agents", *fresh})
    undone = changes.uncomplete(done, fresh)
    assert record_problems(undone, PROGRAMME, TODAY, now=NOW) == []
    assert undone == STARTED
    assert store.serialise(undone) == store.serialise(STARTED)


def _without_revision(raw: bytes) -> bytes:
    return re.sub(rb"(?m)^revision = \d+\n", b"", raw)


def test_complete_then_uncomplete_restores_the_file_through_the_cli(
    run: Run, progress_file: Path
) -> None:
    run("init", "--start", "2024-10")
    run("complete", "agents", "--on", "2026-01-20")  # something already there
    before = progress_file.read_bytes()
    assert store.parse(progress_file, before).content() == STARTED.content()
    run("complete", "maths", "project", "bayesian", "--on", "2026-11-01")
    run("uncomplete", "maths", "project", "bayesian")
    after = progress_file.read_bytes()
    # The record says what it said; its stamps keep the removals, so a merge carries them.
    assert _without_stamps(_without_revision(after)) == _without_stamps(_without_revision(before))
    revisions = [store.parse(progress_file, raw).revision for raw in (before, after)]
    assert revisions[1] == revisions[0] + 2
    tombstones = store.parse(progress_file, after).stamps
    assert {f"completions.{c}" for c in ("maths", "project", "bayesian")} <= tombstones.keys()


def _without_stamps(raw: bytes) -> bytes:
    return raw.split(b"\n[stamps]\n")[0]


def _modules_done(done: set[str]) -> int:
    units: dict[str, bool] = {}
    for m in PROGRAMME.modules:
        units[m.part_of or m.code] = units.get(m.part_of or m.code, True) and m.code in done
    return sum(units.values())


Step = tuple[str, str]  # (command, code)
Report = tuple[float, float, int, dict[tuple[int, int], list[float]]]


def _follow_the_model(steps: list[Step], attempt: Any, report: Any) -> None:
    """Each command succeeds exactly when a plain model says so; ECTS follow the model.

    `attempt(command, code)` runs one and says whether it succeeded; `report()` gives
    ECTS done, ECTS remaining, modules done, and each term's [ECTS, ECTS done].
    """
    done: set[str] = set()
    deferred: dict[str, int] = {}
    for command, code in steps:
        if command == "complete":
            allowed = code not in deferred
        elif command == "uncomplete":
            allowed = code in done
        else:
            allowed = code not in done and deferred.get(code, 0) < MAX_DEFER_YEARS
        assert attempt(command, code) == allowed, (command, code)
        if allowed and command == "complete":
            done.add(code)
        elif allowed and command == "uncomplete":
            done.remove(code)
        elif allowed:
            deferred[code] = deferred.get(code, 0) + 1
        by_term: dict[tuple[int, int], list[float]] = {}
        for m in PROGRAMME.modules:
            at = by_term.setdefault((m.year + deferred.get(m.code, 0), m.term), [0.0, 0.0])
            at[0] += m.ects
            at[1] += m.ects if m.code in done else 0
        ects = sum(ECTS[c] for c in done)
        assert report() == (ects, PROGRAMME.total_ects - ects, _modules_done(done), by_term)


# What each command asks of the domain; store.update then refuses a result that breaks
# a rule, and writes nothing when nothing changed.
CHANGES = {
    "complete": lambda record, code: changes.complete(record, [code], TODAY),
    "uncomplete": lambda record, code: changes.uncomplete(record, [code]),
    "defer": lambda record, code: changes.defer(record, [code], 1),
}
steps = st.lists(
    st.tuples(st.sampled_from(sorted(CHANGES)), st.sampled_from(CODES)), max_size=12
) | st.lists(st.just(("defer", "eda")), max_size=MAX_DEFER_YEARS + 2)  # up to the limit


@settings(max_examples=400, deadline=None)
@given(steps)
def test_every_command_sequence_follows_a_model_of_the_record(steps: list[Step]) -> None:
    """On the domain: the changes, the rules every write checks, the progress report."""
    record = Progress()

    def attempt(command: str, code: str) -> bool:
        nonlocal record
        try:
            after = CHANGES[command](record, code)
        except InputError:
            return False
        if record_problems(after, PROGRAMME, TODAY, now=NOW):
            return False
        record = after
        return True

    def report() -> Report:
        summary = workload.progress_summary(Facts(PROGRAMME, record, TODAY, NOW))
        terms = {(t.year, t.term): [t.ects, t.ects_done] for t in summary.terms if t.ects}
        return summary.ects_done, summary.ects_remaining, summary.modules_done, terms

    _follow_the_model(steps, attempt, report)


def test_a_command_sequence_through_the_cli_follows_the_model(run: Run, run_json: RunJson) -> None:
    """One sequence with every kind of step, allowed and refused, as the student types it."""
    sequence = [
        ("defer", "eda"),
        ("complete", "eda"),  # refused: deferred
        ("uncomplete", "maths"),  # refused: not completed
        ("complete", "maths"),
        ("defer", "maths"),  # refused: completed
        ("complete", "ethics-1"),
        ("complete", "ethics-2"),
        ("complete", "ethics-3"),  # Ethics counts as one module once its three parts are done
        ("uncomplete", "maths"),
        ("defer", "eda"),  # a second year later
        ("complete", "maths"),
        ("uncomplete", "ethics-2"),
    ]

    def attempt(command: str, code: str) -> bool:
        result = run(command, code, ok=False)
        assert result.exit_code in (0, 1), result.output
        return result.exit_code == 0

    def report() -> Report:
        data = run_json("progress")
        terms = {(t["year"], t["term"]): [t["ects"], t["ects_done"]] for t in data["terms"]}
        terms = {k: v for k, v in terms.items() if v[0]}
        return data["ects_done"], data["ects_remaining"], data["modules_done"], terms

    _follow_the_model(sequence, attempt, report)


def test_parse_errors_name_the_file() -> None:
    with pytest.raises(FileFormatError, match=re.escape("x.toml: the file is empty")):
        store.parse(Path("x.toml"), b"  \n")


def test_the_cache_holds_markers_and_gives_exactly_what_validation_gives(
    run: Run, progress_file: Path
) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "17.5")
    run("complete", "maths", "--mark", "68.5", "--on", "2026-01-20")
    run("complete", "big-data", "--mark", "55", "--resit", "--on", "2026-09-01")
    run("log", "2", "--module", "eda", "--note", "café ☕ notes", "--on", "2026-11-20")
    run("defer", "agents")
    run("progress")  # a read remembers the bytes it validated
    cache_dir = Path(os.environ["MLDSPLAN_CACHE_DIR"])
    markers = list(cache_dir.iterdir())
    assert {p.name.split("-")[0] for p in markers} == {"progress", "programme"}
    assert all(p.stat().st_size == 0 for p in markers), "a marker holds no values"
    cache = Cache(cache_dir)
    good = progress_file.read_bytes()
    assert cache.knows("progress", good) and cache.knows("programme", SHIPPED.read_bytes())
    assert store.load(progress_file, cache) == store.load(progress_file)
    assert load_programme(SHIPPED, cache) == load_programme(SHIPPED)
    # A marker vouches for its exact bytes only: an edit is validated in full.
    bad = good.replace(b"mark = 68.5", b"mark = 120.0")
    assert bad != good
    progress_file.write_bytes(bad)
    with pytest.raises(FileFormatError, match=r"completions\.maths\.mark"):
        store.load(progress_file, cache)
