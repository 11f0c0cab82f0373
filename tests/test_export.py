"""Exports in every format, the safety of what they write, and import back."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from icalendar import Calendar

from conftest import (
    NOW,
    SHIPPED,
    TODAY,
    MadeWith,
    Refuse,
    Run,
    RunJson,
    assert_one_line_error,
)
from mldsplan.domain import terms
from mldsplan.domain.progress import SCHEMA_VERSION, Progress
from mldsplan.domain.rules import record_problems
from mldsplan.storage import exchange, store
from mldsplan.storage.programme_file import load_programme
from test_files import consistent_progresses

PROGRAMME = load_programme(SHIPPED)
FIXTURES = Path(__file__).parent / "fixtures"
STUDENT = Progress(start="2025-10", deferrals={"agents": 1})


def _window(year: int, term: int) -> terms.TermWindow:
    found = terms.window(PROGRAMME, STUDENT, year, term)
    assert found is not None
    return found


@pytest.fixture
def student(made_with: MadeWith) -> None:
    made_with(
        ("init", "--start", "2025-10", "--weekly-hours", "18"),
        ("complete", "programming", "--mark", "68", "--on", "2026-01-20"),
        ("complete", "maths", "--on", "2026-01-20"),
        ("log", "2.5", "--module", "bayesian", "--note", "lecture 4", "--on", "2026-11-20"),
        ("defer", "agents"),
    )


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
    first, agents = _window(1, 1), _window(3, 2)
    assert f"## Year 1, term 1 ({first.start} to {first.end})" in out
    assert f"## Year 3, term 2 ({agents.start} to {agents.end})" in out
    assert "## Year 1, term 1 (2025-10-01 to 2026-01-14)" in out
    assert (
        "| programming | Programming for Data Science | 5\\* | 125 | done | 2026-01-20 | 68 |"
        in out
    )


def test_csv_rows_and_formula_neutralising(run: Run, student: None, tmp_path: Path) -> None:
    hostile = _hostile_programme(tmp_path)
    out = run("--programme", str(hostile), "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 14
    by_code = {r["code"]: r for r in rows}
    assert by_code["programming"]["mark"] == "68" and by_code["programming"]["status"] == "done"
    assert by_code["programming"]["term_start"] == str(_window(1, 1).start)
    assert by_code["agents"]["term_start"] == str(_window(3, 2).start)
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
    first = _window(1, 1)
    assert maths.decoded("DTSTART") == first.start
    assert maths.decoded("DTEND") == first.end + timedelta(days=1)  # exclusive: all of the end
    assert "5 ECTS" in str(maths["DESCRIPTION"]) and "done" in str(maths["DESCRIPTION"])
    agents = by_uid["imperial-msc-mlds-agents@mldsplan"]
    assert agents.decoded("DTSTART") == _window(3, 2).start  # deferred a year
    end = by_uid["imperial-msc-mlds-programme-end@mldsplan"]
    assert end.decoded("DTSTART") == terms.programme_end(PROGRAMME, _window(1, 1).start)
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
    restored = store.load(progress_file)
    assert restored.content() == saved.content()
    assert restored.revision == store.parse(progress_file, changed).revision + 1  # a write
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
        ('{"kind": ', "is not an mldsplan export (json or toml)"),
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


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("json", 0o600), ("toml", 0o600), ("markdown", 0o644), ("csv", 0o644)],
)
def test_output_file_modes(run: Run, student: None, tmp_path: Path, fmt: str, mode: int) -> None:
    """A json or toml export is the whole record (notes, marks): private to the student."""
    target = tmp_path / f"plan.{fmt}"
    run("export", "--format", fmt, "--output", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == mode
    target.chmod(0o644)
    run("export", "--format", fmt, "--output", str(target), "--force")
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_output_refuses_mldsplans_own_files(
    run: Run, student: None, progress_file: Path, tmp_path: Path
) -> None:
    own = [
        progress_file,
        progress_file.with_name("progress.toml.bak"),
        progress_file.with_name("progress.toml.lock"),
        SHIPPED,
    ]
    for path in own:
        before = path.read_bytes() if path.exists() else None
        result = run("export", "--format", "json", "--output", str(path), "--force", ok=False)
        assert_one_line_error(result, "--output", "mldsplan's own file")
        assert (path.read_bytes() if path.exists() else None) == before
    # the same file by another name is still the progress file
    alias = tmp_path / "alias.toml"
    os.link(progress_file, alias)
    before = progress_file.read_bytes()
    result = run("export", "--format", "toml", "--output", str(alias), "--force", ok=False)
    assert_one_line_error(result, "--output", "mldsplan's own file")
    assert progress_file.read_bytes() == before


def test_output_refuses_symlinks_and_special_files(run: Run, student: None, tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("mine")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = run("export", "--format", "markdown", "--output", str(link), "--force", ok=False)
    assert_one_line_error(result, "--output", "is a symlink")
    assert real.read_text() == "mine" and link.is_symlink()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "--format", "markdown", "--output", str(fifo), "--force", ok=False)
    assert_one_line_error(result, "--output", "not a regular file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_to_a_folder_even_with_force(run: Run, student: None, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for force in ([], ["--force"]):
        result = run("export", "--format", "markdown", "--output", str(folder), *force, ok=False)
        assert_one_line_error(result, "--output", f"{folder} is a folder")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.md", "# MSc in Machine Learning and Data Science — study plan\n"),
        ("plan.csv", "code,title,ects\nmaths,Applicable Maths,5\n"),
        ("plan.ics", "BEGIN:VCALENDAR\nEND:VCALENDAR\n"),
        ("plan.html", "<!DOCTYPE html><title>x</title>"),
        ("list.json", "[1, 2, 3]"),
        ("other.toml", 'kind = "something-else"\n'),
        ("empty.json", ""),
    ],
)
def test_import_of_what_is_not_an_export(
    run: Run, progress_file: Path, tmp_path: Path, name: str, content: str
) -> None:
    run("complete", "eda", "--on", "2026-05-01")
    before = progress_file.read_bytes()
    path = tmp_path / name
    path.write_text(content)
    assert_one_line_error(
        run("import", str(path), ok=False), str(path), "is not an mldsplan export (json or toml)"
    )
    assert progress_file.read_bytes() == before


EXPORT_HEAD = (
    '{"kind": "mldsplan-export", "schema_version": 2, "programme": {"id": "imperial-msc-mlds"}'
)


def test_import_takes_a_date_after_today_from_another_computer(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    """An export made on a computer already on tomorrow imports here (issue 28.4)."""
    path = tmp_path / "ahead.json"
    path.write_text(f'{EXPORT_HEAD}, "log": [{{"on": "2026-11-26", "hours": 1}}]}}')
    run("import", str(path))
    assert "2026-11-26 1" in progress_file.read_text()


@pytest.mark.parametrize(
    ("log", "needle"),
    [
        ('[{"on": "2026-13-01", "hours": 1}]', "log: entry 0: '2026-13-01': no such day"),
        (
            '[{"on": "20261101", "hours": 1}]',
            "log: entry 0: '20261101' is not a date as YYYY-MM-DD",
        ),
        ('[{"on": 20261101, "hours": 1}]', "log: entry 0: date 20261101 is not a date"),
        ('[{"on": "2026-11-01", "hours": true}]', "log: entry 0: hours True is not a number"),
        (
            '[{"on": "2026-11-01", "hours": 30}]',
            "log: entry 0: hours 30 must be at least 0.01 and at most 24",
        ),
        ('[{"on": "2026-11-01", "hours": 0}]', "log: entry 0: hours 0 must be at least 0.01"),
        ('[{"on": "2026-11-01"}]', "log: entry 0: hours None is not a number"),
        (
            '[{"on": "2026-11-01", "hours": 1, "minutes": 5}]',
            "log: entry 0: expected a table with on, hours, module, note",
        ),
        ('[{"on": "2026-11-01", "hours": 1, "module": "Maths!"}]', "log: entry 0: module"),
        ('[{"on": "2026-11-01", "hours": 1, "note": 7}]', "log: entry 0: note 7 is not text"),
        (
            '[{"on": "2026-11-01", "hours": 1, "module": "nope"}]',
            "the module of the log entry of 2026-11-01 (log[0].module): unknown module",
        ),
        (
            '[{"on": "3001-12-01", "hours": 1}]',
            "log: entry 0: 3001-12-01 is outside",
        ),
        (
            '[{"on": "2026-11-01", "hours": 20}, {"on": "2026-11-01", "hours": 5}]',
            "the log of 2026-11-01 (log): 2026-11-01 adds up to 25 h logged, more than 24",
        ),
        ('{"2026-11-01": 1}', "log: expected the study log as text, one entry a line"),
        ('"2026-11-01 lots -"', "log: line 1: hours 'lots' is not a number like 1.5"),
    ],
)
def test_import_refuses_bad_log_entries(
    run: Run, progress_file: Path, tmp_path: Path, log: str, needle: str
) -> None:
    run("complete", "eda", "--on", "2026-05-01")
    before = progress_file.read_bytes()
    path = tmp_path / "bad-log.json"
    path.write_text(f'{EXPORT_HEAD}, "log": {log}}}')
    assert_one_line_error(run("import", str(path), ok=False), str(path), needle)
    assert progress_file.read_bytes() == before


def test_import_refuses_hours_given_as_text(run: Run, progress_file: Path, tmp_path: Path) -> None:
    run("complete", "eda", "--on", "2026-05-01")
    before = progress_file.read_bytes()
    path = tmp_path / "text-hours.json"
    path.write_text(f'{EXPORT_HEAD}, "log": [{{"on": "2026-11-01", "hours": "1"}}]}}')
    assert_one_line_error(run("import", str(path), ok=False), str(path), "log: entry 0: hours")
    assert progress_file.read_bytes() == before


def test_import_of_a_missing_file(run: Run, tmp_path: Path) -> None:
    assert_one_line_error(run("import", str(tmp_path / "nope.json"), ok=False), "cannot read")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(consistent_progresses)
def test_export_then_import_round_trips(tmp_path: Path, record: Progress) -> None:
    """On storage: what `export` writes in each format, `import` reads back as the same
    record, and the rules every write checks accept it."""
    for fmt in exchange.FORMATS:
        out = tmp_path / f"export.{fmt}"
        out.write_bytes(exchange.export(fmt, PROGRAMME, record))
        if fmt == "json":
            assert json.loads(out.read_text())["schema_version"] == SCHEMA_VERSION
        else:
            assert tomllib.loads(out.read_text())["kind"] == "mldsplan-export"
        imported = exchange.read_export(out, PROGRAMME.id)
        assert imported.content() == record.content()
        assert record_problems(imported, PROGRAMME, TODAY, now=NOW) == []


@pytest.mark.parametrize(
    "record",
    [
        Progress(),
        store.parse(FIXTURES / "progress-v2.toml", (FIXTURES / "progress-v2.toml").read_bytes()),
    ],
    ids=["empty", "every-field"],
)
@pytest.mark.parametrize("fmt", exchange.FORMATS)
def test_export_then_import_round_trips_through_the_cli(
    run: Run, progress_file: Path, tmp_path: Path, record: Progress, fmt: str
) -> None:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_bytes(store.serialise(record))
    out = tmp_path / f"export.{fmt}"
    run("export", "--format", fmt, "--output", str(out))
    progress_file.write_bytes(store.serialise(Progress()))
    run("import", str(out))
    imported = store.load(progress_file)
    assert imported.content() == record.content()
    # a write goes one above the export's revision (the file's is 0), so a calendar that
    # has seen the export's SEQUENCE sees a later one; importing what is there writes nothing
    assert record.revision > 0 or record.content() == Progress().content()
    assert imported.revision == (
        0 if record.content() == Progress().content() else record.revision + 1
    )


def _flags(profile: Path) -> list[str]:
    """Headless Chromium as this closed network needs it: no background connections."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@pytest.mark.slow  # three Chromium runs (~2 s)
@pytest.mark.browser
@pytest.mark.skipif(
    _chromium() is None, reason="no Chromium on this machine (.ci/run installs Debian's)"
)
def test_the_page_renders_in_a_real_browser(run: Run, student: None, tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    run("export", "--format", "html", "--output", str(page))
    browser = _chromium()
    assert browser is not None
    flags = _flags(tmp_path / "profile")
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
    assert f"Made with mldsplan on {TODAY}" in out


@pytest.fixture
def resat(made_with: MadeWith) -> None:
    """A record with a capped resit, assessments (one marked) and a hostile log note."""
    made_with(
        ("init", "--start", "2025-10", "--weekly-hours", "18"),
        ("complete", "programming", "--mark", "68", "--on", "2026-01-20"),
        ("complete", "maths", "--mark", "56", "--resit", "--on", "2026-02-20"),
        ("complete", "eda", "--mark", "75", "--on", "2026-05-02"),
        ("log", "0.8333333333", "--module", "bayesian", "--note", "=SUM(A1)", "--on", "2026-11-20"),
        ("log", "1.25", "--on", "2026-11-21"),
        ("assess", "add", "bayesian", "CW1", "--weight", "30", "--due", "2026-12-01"),
        ("assess", "add", "bayesian", "=CW0", "--weight", "20", "--due", "2026-11-10"),
        ("assess", "mark", "bayesian", "=CW0", "70"),
    )


def _table(text: str) -> list[dict[str, str]]:
    """One rectangular table: every row as long as the header, no blank row."""
    assert not text.startswith("\ufeff")  # no byte-order mark (README: "Spreadsheets")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and all(len(row) == len(rows[0]) for row in rows), rows
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_modules_table_alone_with_the_counted_mark(
    run: Run, run_json: RunJson, resat: None
) -> None:
    """Issue 21.5: one table per file, typed columns, and a plain weighted average of
    `counted_mark` by `ects` is mldsplan's average (the resit cap applied)."""
    out = run("export", "--format", "csv").stdout
    assert out == run("export", "--format", "csv", "--table", "modules").stdout
    rows = _table(out)
    assert len(rows) == 14 and all(r["year"].isdigit() for r in rows)
    by_code = {r["code"]: r for r in rows}
    assert (by_code["maths"]["mark"], by_code["maths"]["counted_mark"]) == ("56", "50")
    assert by_code["maths"]["resit"] == "yes" and by_code["programming"]["resit"] == "no"
    assert by_code["programming"]["counted_mark"] == "68"
    assert by_code["bayesian"]["counted_mark"] == "" and by_code["bayesian"]["resit"] == ""
    marked = [r for r in rows if r["counted_mark"]]
    weighted = sum(float(r["counted_mark"]) * float(r["ects"]) for r in marked)
    average = weighted / sum(float(r["ects"]) for r in marked)
    assert average == pytest.approx(run_json("grades")["average"])  # 64.33, not 66.33


def test_csv_assessments_and_log_tables(run: Run, resat: None, tmp_path: Path) -> None:
    assessments = _table(run("export", "-f", "csv", "--table", "assessments").stdout)
    assert [
        (a["code"], a["assessment"], a["weight"], a["due"], a["mark"]) for a in assessments
    ] == [
        ("bayesian", "CW1", "30", "2026-12-01", ""),
        ("bayesian", "'=CW0", "20", "2026-11-10", "70"),  # neutralised
    ]
    assert all(a["id"] for a in assessments)
    log = _table(run("export", "-f", "csv", "--table", "log").stdout)
    assert log == [
        {"date": "2026-11-20", "hours": "0.833333", "module": "bayesian", "note": "'=SUM(A1)"},
        {"date": "2026-11-21", "hours": "1.25", "module": "", "note": ""},
    ]
    # the log holds notes: owner-only, as the json and toml exports are
    run("export", "-f", "csv", "--table", "log", "--output", str(tmp_path / "log.csv"))
    run("export", "-f", "csv", "--output", str(tmp_path / "modules.csv"))
    assert stat.S_IMODE((tmp_path / "log.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "modules.csv").stat().st_mode) == 0o644


def test_table_and_only_belong_to_their_formats(refuse: Refuse, resat: None) -> None:
    refuse("export", "-f", "markdown", "--table", "log", needles=("--table", "csv"))
    refuse("export", "-f", "csv", "--only", "deadlines", needles=("--only", "ics"))


def _events(ics: str) -> dict[str, Any]:
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}


def test_ics_what_a_calendar_app_shows(run: Run, resat: None) -> None:
    """Issue 21.6: months-long events leave the student free, a marked assessment has no
    alarm, and a resit's cap is in its module's description; two parsers agree."""
    import vobject

    ics = run("export", "--format", "ics").stdout
    events = _events(ics)
    maths = events["maths: Applicable Maths"]
    assert str(maths["TRANSP"]) == "TRANSPARENT"
    assert "mark 56, counted 50 (resit)" in str(maths["DESCRIPTION"])
    assert "mark 68" in str(events["programming: Programming for Data Science"]["DESCRIPTION"])
    assert "counted" not in str(events["programming: Programming for Data Science"]["DESCRIPTION"])
    modules = [e for name, e in events.items() if not name.startswith("Due:")]
    assert len(modules) == 15 and all(str(e["TRANSP"]) == "TRANSPARENT" for e in modules)
    unmarked, marked = events["Due: bayesian CW1 (30%)"], events["Due: bayesian =CW0 (20%)"]
    assert str(unmarked["TRANSP"]) == "OPAQUE"
    assert len(unmarked.walk("VALARM")) == 1 and marked.walk("VALARM") == []
    parsed = vobject.readOne(ics)
    by_summary = {str(v.summary.value): v for v in parsed.vevent_list}
    assert by_summary["maths: Applicable Maths"].transp.value == "TRANSPARENT"
    assert by_summary["maths: Applicable Maths"].description.value.endswith(
        "mark 56, counted 50 (resit)"
    )
    assert "valarm" not in by_summary["Due: bayesian =CW0 (20%)"].contents
    assert "valarm" in by_summary["Due: bayesian CW1 (30%)"].contents


def test_ics_only_deadlines(run: Run, resat: None) -> None:
    import vobject

    full = _events(run("export", "--format", "ics").stdout)
    ics = run("export", "--format", "ics", "--only", "deadlines").stdout
    events = _events(ics)
    assert sorted(events) == [
        "Due: bayesian =CW0 (20%)",
        "Due: bayesian CW1 (30%)",
        "MSc in Machine Learning and Data Science: programme ends",
    ]
    for name, event in events.items():  # the same events as in the whole calendar
        assert str(event["UID"]) == str(full[name]["UID"])
        assert event.decoded("DTSTART") == full[name].decoded("DTSTART")
    assert len(vobject.readOne(ics).vevent_list) == 3
