"""Issue 29, point 3 and its leftovers on the store's side: the names of the files kept
beside a progress file in one module, `load_for` taking the rules as `update` does, the
programme path resolved in one place, the facts `init`, `defer` and `fail` say taken
from the domain, and every dotted name in pyproject.toml pointing at something real.
"""

from __future__ import annotations

import importlib
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import NOW, REPO, SHIPPED, Run
from mldsplan.domain.errors import FileFormatError
from mldsplan.domain.facts import latest_entry_month
from mldsplan.domain.progress import Progress
from mldsplan.domain.rules import Problem
from mldsplan.storage import own_files, store
from mldsplan.storage.programme_file import load_programme

# --- the names of the files kept beside a progress file ----------------------


def test_every_file_the_store_names_is_recognised_as_its_own(tmp_path: Path) -> None:
    path = tmp_path / "p[1].toml"
    made = [
        own_files.sibling(path, own_files.BACKUP),
        own_files.sibling(path, own_files.LOCK),
        own_files.sibling(path, own_files.REDO),
        own_files.migrated_backup(path, 3),
        own_files.version_path(path, 7),
        own_files.in_flight_path(path, 8, 7),
        own_files.broken_name(path, NOW),
    ]
    assert [p.name for p in made] == [
        "p[1].toml.bak",
        "p[1].toml.lock",
        "p[1].toml.redo",
        "p[1].toml.v3.bak",
        "p[1].toml.history-7",
        "p[1].toml.history-8.after-7",
        "p[1].toml.broken-20261125T200000",
    ]
    for name in [p.name for p in made] + [path.name]:
        assert own_files.is_own_name(path.name, name), name
        temp = f"{own_files.temp_prefix(tmp_path / name)}x1y2z3{own_files.TEMP_SUFFIX}"
        assert own_files.is_own_name(path.name, temp), temp
        assert not own_files.is_own_name("p1.toml", name), name
    assert own_files.history_name(".history-8.after-7") == (8, 7)
    assert own_files.history_name(".history-8") == (8, None)
    assert own_files.history_name(".history-x") is None
    assert own_files.history_name(".history-8.after-") is None


def test_a_broken_file_is_never_kept_over_another(tmp_path: Path) -> None:
    path = tmp_path / "progress.toml"
    first = own_files.broken_name(path, NOW)
    first.write_text("kept before")
    second = own_files.broken_name(path, NOW)
    assert second.name == "progress.toml.broken-20261125T200000-2"


def test_own_and_temporary_files_are_listed_by_name(tmp_path: Path) -> None:
    path = tmp_path / "progress.toml"
    for name in [
        "progress.toml",
        "progress.toml.bak",
        "progress.toml.history-2",
        ".progress.toml.redo.mldsplan-abc.tmp",
        ".progress.toml.mldsplan-def.tmp",
        "progress.toml.sync-conflict-20261125-093012-ABCDEF7.toml",
        ".other.toml.mldsplan-ghi.tmp",
    ]:
        (tmp_path / name).write_text("x")
    assert sorted(p.name for p in own_files.own_files(path)) == [
        ".progress.toml.mldsplan-def.tmp",
        ".progress.toml.redo.mldsplan-abc.tmp",
        "progress.toml",
        "progress.toml.bak",
        "progress.toml.history-2",
    ]
    assert sorted(p.name for p in own_files.temp_files(path)) == [
        ".progress.toml.mldsplan-def.tmp",
        ".progress.toml.redo.mldsplan-abc.tmp",
    ]
    assert store.own_files is own_files.own_files  # what commands call through the store


# --- load_for takes the rules as update does ------------------------------------


def test_load_for_checks_the_record_against_the_rules_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "progress.toml"
    seen: list[tuple[Progress, Progress | None]] = []

    def none_broken(record: Progress, entered: Progress | None) -> list[Problem]:
        seen.append((record, entered))
        return []

    assert store.load_for(path, none_broken) == Progress()
    assert seen == [(Progress(), None)]  # a record read as it is: nothing entered

    def broken(record: Progress, entered: Progress | None) -> list[Problem]:
        return [Problem("start", "is not a month"), Problem("weekly_hours", "is too many")]

    with pytest.raises(FileFormatError) as refused:
        store.load_for(path, broken)
    assert refused.value.message == f"{path}: start: is not a month"
    assert refused.value.problems == [
        f"{path}: start: is not a month",
        f"{path}: weekly_hours: is too many",
    ]
    assert refused.value.reason == "record_rules"


# --- the programme path, resolved in one place ----------------------------------


def test_without_a_shipped_programme_check_says_so_through_the_session(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mldsplan.paths.shipped_programme", lambda: None)
    result = run("check", ok=False)
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "problem: the shipped programme file data/programme.toml is missing from this"
    )
    refused = run("plan", ok=False)
    assert "the shipped programme file data/programme.toml is missing" in refused.stderr


def test_the_programme_the_run_reads_is_the_one_an_export_guards(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shipped = tmp_path / "installed" / "programme.toml"
    shipped.parent.mkdir()
    shutil.copy(SHIPPED, shipped)
    monkeypatch.setattr("mldsplan.paths.shipped_programme", lambda: shipped)
    before = shipped.read_bytes()
    refused = run("export", "-f", "json", "-o", str(shipped), ok=False)
    assert "is mldsplan's own file" in refused.stderr
    assert shipped.read_bytes() == before
    other = tmp_path / "mine.toml"
    shutil.copy(SHIPPED, other)
    refused = run("--programme", str(other), "export", "-f", "json", "-o", str(other), ok=False)
    assert "is mldsplan's own file" in refused.stderr
    # with --programme, the shipped file is not this run's programme: an export may go there
    run("--programme", str(other), "export", "-f", "json", "-o", str(shipped), "--force")
    assert shipped.read_bytes() != before


# --- the facts commands say, from the domain ---------------------------------------


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 11, 25), "2026-10"),
        (date(2026, 10, 1), "2026-10"),
        (date(2026, 9, 30), "2025-10"),
        (date(2027, 1, 3), "2026-10"),
    ],
)
def test_init_suggests_the_latest_entry_month(today: date, start: str) -> None:
    programme = load_programme(SHIPPED)
    assert programme.entry_month == 10
    assert latest_entry_month(programme, today) == start
    assert latest_entry_month(replace(programme, entry_month=None), today) == (
        f"{today.year}-{today.month:02d}"
    )


def test_fail_and_defer_say_their_counts_and_the_compensation(run: Run, tmp_path: Path) -> None:
    text = SHIPPED.read_text()
    assert "max_ects = 0" in text
    other = tmp_path / "programme.toml"
    other.write_text(text.replace("max_ects = 0", "max_ects = 5"))
    said = run("--programme", str(other), "fail", "maths", "--mark", "45", "--on", "2026-01-12")
    assert said.stderr.splitlines()[1:2] == [
        "maths is compensated (a mark of 40 or more, within the programme's"
        " compensation limit): it counts as passed, its mark as it is"
    ]
    said = run("fail", "eda", "--mark", "30", "--on", "2026-01-12")
    assert said.stderr.splitlines()[-1] == (
        "1 attempt left; once you pass: mldsplan complete eda --resit --mark M"
    )
    said = run("defer", "agents")
    assert "agents: planned in year 3 term 2 (1 year later)" in said.stderr
    said = run("defer", "agents")
    assert "agents: planned in year 4 term 2 (2 years later)" in said.stderr


def test_two_unmarked_assessments_are_counted_in_words(run: Run) -> None:
    run("init", "--start", "2026-10")
    run("assess", "add", "programming", "Essay", "--weight", "30")
    run("assess", "add", "programming", "Exam", "--weight", "70")
    done = run("complete", "programming", "--mark", "64")
    assert "warning: programming has 2 unmarked assessments: " in done.stderr


# --- pyproject.toml names only what exists -------------------------------------------


def test_every_dotted_name_in_pyproject_is_real() -> None:
    text = (REPO / "pyproject.toml").read_text()
    names = set(re.findall(r"\bmldsplan(?:\.[A-Za-z_]\w*)+(?::[A-Za-z_]\w*)?", text))
    assert "mldsplan.launch:entry" in names
    assert len(names) >= 2
    for name in sorted(names):
        module, _, attribute = name.partition(":")
        parts = module.split(".")
        found: object = None
        for i in range(len(parts), 0, -1):  # the longest importable prefix, then attributes
            try:
                found = importlib.import_module(".".join(parts[:i]))
            except ModuleNotFoundError:
                continue
            for part in parts[i:] + ([attribute] if attribute else []):
                assert hasattr(found, part), f"pyproject.toml names {name}, which does not exist"
                found = getattr(found, part)
            break
        assert found is not None, f"pyproject.toml names {name}, which does not exist"
