"""Exports in every format, the safety of what they write, and import back."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import subprocess
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from icalendar import Calendar

from conftest import SHIPPED, Run, assert_one_line_error
from mldsplan import store
from mldsplan.progress import Progress
from test_files import progresses


@pytest.fixture
def student(run: Run) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    run("complete", "programming", "--mark", "68", "--on", "2026-01-20")
    run("complete", "maths", "--on", "2026-01-20")
    run("log", "2.5", "--module", "bayesian", "--note", "lecture 4", "--on", "2026-11-20")
    run("defer", "agents")


def _hostile_programme(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(
        SHIPPED.read_text()
        .replace('title = "Applicable Maths"', 'title = "<script>alert(1)</script> Maths"')
        .replace('title = "Deep Learning"', 'title = "=HYPERLINK(\\"http://x\\")"')
    )
    return path


def test_markdown_has_summary_and_a_table_per_term(run: Run, student: None) -> None:
    out = run("export", "--format", "markdown").stdout
    assert out.startswith("# MSc in Machine Learning and Data Science — study plan")
    assert "- ECTS: 10 of 90 (11.1%)" in out
    assert "- Modules: 2 of 12" in out
    assert "## Year 1, term 1 (2025-10-01 to 2026-01-31)" in out
    assert "## Year 3, term 2 (2028-02-01 to 2028-05-31)" in out
    assert (
        "| programming | Programming for Data Science | 5 | 125 | done | 2026-01-20 | 68 |" in out
    )


def test_csv_rows_and_formula_neutralising(run: Run, student: None, tmp_path: Path) -> None:
    hostile = _hostile_programme(tmp_path)
    out = run("--programme", str(hostile), "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 14
    by_code = {r["code"]: r for r in rows}
    assert by_code["programming"]["mark"] == "68" and by_code["programming"]["status"] == "done"
    assert by_code["programming"]["term_start"] == "2025-10-01"
    assert by_code["agents"]["planned_year"] == "3"
    assert by_code["deep-learning"]["title"].startswith("'=")
    assert by_code["project"]["ects"] == "20" and by_code["project"]["hours"] == "500"


def test_ics_one_event_per_module_with_stable_uids(run: Run, student: None) -> None:
    first = run("export", "--format", "ics").stdout
    second = run("export", "--format", "ics").stdout
    calendar = Calendar.from_ical(first)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 15  # 14 modules and the programme's end
    by_uid = {str(e["UID"]): e for e in events}
    maths = by_uid["imperial-msc-mlds-maths@mldsplan"]
    assert maths.decoded("DTSTART") == date(2025, 10, 1)
    assert maths.decoded("DTEND") == date(2026, 2, 1)  # exclusive: the whole of 31 January
    assert "5 ECTS" in str(maths["DESCRIPTION"]) and "done" in str(maths["DESCRIPTION"])
    agents = by_uid["imperial-msc-mlds-agents@mldsplan"]
    assert agents.decoded("DTSTART") == date(2028, 2, 1)  # deferred a year
    end = by_uid["imperial-msc-mlds-programme-end@mldsplan"]
    assert end.decoded("DTSTART") == date(2027, 9, 30)
    assert sorted(by_uid) == sorted(
        str(e["UID"]) for e in Calendar.from_ical(second).walk("VEVENT")
    )


def test_ics_needs_a_start_month(run: Run) -> None:
    result = run("export", "--format", "ics", ok=False)
    assert_one_line_error(result, "start month")
    assert "mldsplan init --start YYYY-MM" in result.stderr


def test_html_is_self_contained_and_escaped(run: Run, student: None, tmp_path: Path) -> None:
    hostile = _hostile_programme(tmp_path)
    run("log", "1", "--note", "<img src=x onerror=alert(2)>", "--on", "2026-11-21")
    page = run("--programme", str(hostile), "export", "--format", "html", "--with-notes").stdout
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "http" not in page.replace("http://x", "")  # only the escaped hostile title
    assert page.count('<table class="plan">') == 1  # tests/test_dashboard.py checks the rest


def test_output_refuses_to_overwrite_without_force(run: Run, student: None, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine")
    assert_one_line_error(
        run("export", "--format", "markdown", "--output", str(target), ok=False), "already exists"
    )
    assert target.read_text() == "mine"
    run("export", "--format", "markdown", "--output", str(target), "--force")
    assert target.read_text().startswith("# MSc")


def test_a_failed_output_write_keeps_the_old_file(
    run: Run, student: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine")

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    result = run("export", "--format", "markdown", "--output", str(target), "--force", ok=False)
    assert_one_line_error(result, "No space left on device")
    assert target.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_unknown_format_is_a_usage_error_listing_the_formats(run: Run) -> None:
    result = run("export", "--format", "pdf", ok=False)
    assert result.exit_code == 2
    for name in ["markdown", "csv", "json", "toml", "ics", "html"]:
        assert name in result.stderr


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_import_restores_exactly_and_keeps_a_backup(
    run: Run, student: None, progress_file: Path, tmp_path: Path, fmt: str
) -> None:
    backup = tmp_path / f"backup.{fmt}"
    run("export", "--format", fmt, "--output", str(backup))
    saved = store.load(progress_file)
    run("uncomplete", "maths")
    changed = progress_file.read_bytes()
    run("import", str(backup))
    assert store.load(progress_file) == saved
    assert progress_file.with_name("progress.toml.bak").read_bytes() == changed


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (
            '{"kind": "mldsplan-export", "schema_version": 1, "programme": {"id": "other"}}',
            "for 'other'",
        ),
        (
            '{"kind": "mldsplan-export", "schema_version": 7, "programme": {"id": "imperial-msc-mlds"}}',
            "newer mldsplan",
        ),
        ('{"schema_version": 1}', "not an mldsplan export"),
        (
            '{"kind": "mldsplan-export", "schema_version": 1, "programme": {"id": "imperial-msc-mlds"},'
            ' "completions": {"maths": {"on": "2026-01-01", "mark": 130}}}',
            "completions.maths.mark",
        ),
        (
            '{"kind": "mldsplan-export", "schema_version": 1, "programme": {"id": "imperial-msc-mlds"},'
            ' "completions": {"nope": {"on": "2026-01-01"}}}',
            "unknown module 'nope'",
        ),
        (
            '{"kind": "mldsplan-export", "schema_version": 1, "programme": {"id": "imperial-msc-mlds"},'
            ' "log": [{"on": "2026-13-01", "hours": 1}]}',
            "log",
        ),
        ('{"kind": ', "line 1, column 10"),
    ],
)
def test_import_refuses_bad_exports_and_changes_nothing(
    run: Run, progress_file: Path, tmp_path: Path, content: str, needle: str
) -> None:
    run("complete", "eda", "--on", "2026-05-01")
    before = progress_file.read_bytes()
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert_one_line_error(run("import", str(path), ok=False), needle)
    assert progress_file.read_bytes() == before


def test_import_of_a_missing_file(run: Run, tmp_path: Path) -> None:
    assert_one_line_error(run("import", str(tmp_path / "nope.json"), ok=False), "cannot read")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(progresses)
def test_export_then_import_round_trips(
    run: Run, progress_file: Path, tmp_path: Path, record: Progress
) -> None:
    kept = {c: v for c, v in record.completions.items() if c not in record.deferrals}
    record = dataclasses.replace(record, completions=kept)
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_bytes(store.serialise(record))
    for fmt in ("json", "toml"):
        out = tmp_path / f"export.{fmt}"
        run("export", "--format", fmt, "--output", str(out), "--force")
        if fmt == "json":
            assert json.loads(out.read_text())["schema_version"] == 1
        else:
            assert tomllib.loads(out.read_text())["kind"] == "mldsplan-export"
        progress_file.write_bytes(store.serialise(Progress()))
        run("import", str(out))
        assert store.load(progress_file) == record


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@pytest.mark.browser
@pytest.mark.skipif(
    _chromium() is None, reason="no Chromium on this machine (.ci/run installs Debian's)"
)
def test_the_page_renders_in_a_real_browser(run: Run, student: None, tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    run("export", "--format", "html", "--output", str(page))
    browser = _chromium()
    assert browser is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "<title>MSc in Machine Learning and Data Science — study plan</title>" in dom
    assert "Research Project" in dom
    shot, blank = tmp_path / "plan.png", tmp_path / "blank.png"
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><title>x</title>")
    for source, target in ((page, shot), (empty, blank)):
        subprocess.run(
            [browser, *flags, f"--screenshot={target}", "--window-size=1000,1400", source.as_uri()],
            capture_output=True,
            timeout=120,
            check=True,
        )
    assert shot.read_bytes().startswith(b"\x89PNG")
    # A page with text, tables and a bar compresses far worse than a blank one.
    assert shot.stat().st_size > 3 * blank.stat().st_size


def test_exports_are_dated_by_today(run: Run, student: None) -> None:
    out = run("export", "--format", "html").stdout
    assert f"Made with mldsplan on {date.today()}" in out
