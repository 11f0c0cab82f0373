"""Issue 31's points 5, 7, 8, 11 and 12: what `target` says after a failed module, one
number format everywhere, 60 columns, the page/markdown/CSV showing what the terminal
shows, and CSV files a spreadsheet opens right."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import pytest

import realistic
from conftest import Run
from test_dashboard import Page


@pytest.fixture
def record(run: Run, progress_file: Path) -> None:
    realistic.make(run, progress_file)


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("MLDSPLAN_FORCE_TERMINAL", "1")


def _page(run: Run) -> Page:
    result = run("export", "--format", "html", "--with-notes")
    return Page(result.stdout)


# --- 5: target after a failed module ----------------------------------------


def test_target_says_what_its_figure_averages_over_and_the_resit_cap(
    run: Run, record: None
) -> None:
    said = run("target").stdout
    # 77.5 ECTS are still to mark, but big-data's 5 are a resit counted at most 50:
    # (60 * 90 - 68.2 * 12.5 - 50 * 5) / 72.5 = 59.28 for merit
    assert "59.28" in said
    words = " ".join(said.split())
    assert "Needed: the average on the 72.5 ECTS not yet marked" in words
    assert "big-data's resit (5 ECTS) counts at most 50, the pass mark" in words
    data = json.loads(run("target", "--json").stdout)
    assert data["open_ects"] == 72.5 and data["resits"] == ["big-data"]
    marks = _page(run).words("marks")
    assert "the average on the 77.5" not in marks  # false: the resit's 5 are not in it
    assert "Needed: the average on the 72.5 ECTS not yet marked" in marks
    assert "counts at most 50, the pass mark" in marks


def test_target_without_a_failed_module_says_the_plain_average(run: Run) -> None:
    run("init", "--start", "2025-10")
    run("complete", "supervised", "--mark", "71", "--on", "2026-04-24")
    words = " ".join(run("target").stdout.split())
    assert "Needed: the average on the 82.5 ECTS not yet marked." in words or (
        "Needed: the average on the 82.5 ECTS not yet marked" in words
    )
    assert "resit" not in words.split("Needed:")[1].split("secured")[0]


# --- 7: one number format -----------------------------------------------------

_ONE_DECIMAL_ZERO = re.compile(r"\b\d+\.0\b")  # "51.0", "59.0 weeks", "7.0 h a week"


def test_one_number_format_in_warnings_reports_and_the_page(run: Run, record: None) -> None:
    texts = {
        name: run(*args).stdout + run(*args).stderr
        for name, args in {
            "progress": ("progress",),
            "hours": ("hours",),
            "week": ("week",),
            "status": ("status",),
            "markdown": ("export", "-f", "markdown"),
        }.items()
    }
    page = _page(run)
    texts["page"] = " ".join(page.text)
    for name, text in texts.items():
        assert not _ONE_DECIMAL_ZERO.findall(text), (name, _ONE_DECIMAL_ZERO.findall(text))
    # the figures the terminal shows to two decimals, the page shows the same
    hours = " ".join(texts["hours"].split())
    weeks = re.search(r"At 18 h/week (\S+) weeks", hours)
    needed = re.search(r"term 1: (\S+) h needed a week to finish on time", hours)
    pace = re.search(r"Your pace: (\S+) h/week over the last", hours)
    assert weeks and needed and pace, hours
    assert weeks[1] == "76.78" and needed[1] == "38.26"  # 76.8 and 38.3 before
    progress = page.words("progress")
    assert f"{weeks[1]} weeks" in progress and f"pace of {pace[1]} h/week" in progress
    assert f"{needed[1]} h needed a week to finish on time" in page.words("warnings")
    assert "38.26" in page.words("term-load")


# --- 8: 60 columns ----------------------------------------------------------------

_UNIT_FIRST = re.compile(r"^\s+(h|h/week|ECTS|weeks?|days?)(?![\w/])")


def _lines_fit(text: str, width: int = 60) -> None:
    """Each line within `width`, and no number at a line's end with its unit on the next."""
    lines = text.splitlines()
    for line in lines:  # a word longer than a line (a long path) has a line of its own
        assert len(line) <= width or len(line.split()) == 1, line
    for before, line in itertools.pairwise(lines):
        assert not (before.rstrip()[-1:].isdigit() and _UNIT_FIRST.match(line)), (before, line)


def test_a_unit_never_starts_a_line(run: Run, record: None, narrow: None) -> None:
    from mldsplan.output.visible import units_held

    assert units_held("over-committed by 195.33 h") == "over-committed by 195.33\xa0h"
    assert units_held("12 hours") == "12 hours"  # "h" of "hours" is no unit alone
    for args in (("week",), ("progress",), ("hours",), ("status",), ("check",)):
        result = run(*args)
        _lines_fit(result.stdout)
        _lines_fit(result.stderr)


def test_a_conflict_copy_with_spaces_in_its_path_wraps_at_words(
    run: Run, tmp_path: Path, narrow: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a path of words: the test's own folder is one long word
    folder = Path("My Drive") / "Study records for the MSc on this computer"
    progress = folder / "progress.toml"
    monkeypatch.setenv("MLDSPLAN_FILE", str(progress))
    run("init", "--start", "2025-10")
    copy = folder / "progress.sync-conflict-20261125-101010-ABCDEFG.toml"
    copy.write_bytes(progress.read_bytes())
    said = run("status").stderr
    assert "conflict copy" in said
    _lines_fit(said)
    joined = " ".join(line.strip() for line in said.splitlines())
    assert str(copy) in joined  # broken only at its own spaces


def test_plan_codes_wraps_titles_under_themselves(run: Run, narrow: None) -> None:
    out = run("plan", "--codes").stdout
    _lines_fit(out)
    assert "               Intelligence (Part 1)" in out


def test_merge_conflicts_wrap(run: Run, tmp_path: Path, narrow: None) -> None:
    run("init", "--start", "2025-10")
    run("complete", "maths", "--on", "2026-01-10")
    theirs = tmp_path / "theirs.toml"
    progress = Path(__import__("os").environ["MLDSPLAN_FILE"])
    theirs.write_bytes(progress.read_bytes())
    run("mark", "maths", "66")
    run("--file", str(theirs), "mark", "maths", "62")
    result = run("merge", str(theirs), ok=False)
    assert result.exit_code == 1
    assert result.stdout.startswith("conflict: maths's completion")
    assert len(result.stdout.splitlines()) > 1
    _lines_fit(result.stdout)


def test_export_without_a_format_lists_the_formats_on_one_line(run: Run) -> None:
    result = run("export", ok=False)
    assert result.exit_code == 2
    assert "\\n" not in result.stderr and "\\t" not in result.stderr
    assert "Choose from: markdown, csv, json, toml, ics, html" in result.stderr


def test_help_at_60_columns_shows_every_option_whole(run: Run, narrow: None) -> None:
    out = run("--help").stdout
    assert "--install-completion" in out and "…" not in out


def test_due_at_60_columns_keeps_its_headers_apart(run: Run, record: None, narrow: None) -> None:
    run("assess", "edit", "bayesian", "exam", "--due", "2026-11-20", "--weight", "50")
    run("assess", "add", "bayesian", "Reading quiz on variational inference", "--weight", "10")
    out = run("due", "--days", "60").stdout
    _lines_fit(out)
    head = out.splitlines()[:2]
    assert head[0].split() == ["Due", "Left", "Code", "Weight"]
    assert head[1].strip() == "Assessment: under each row"  # not "Weight / Assessment"


def test_init_wraps_its_questions(
    monkeypatch: pytest.MonkeyPatch, progress_file: Path, narrow: None
) -> None:
    from typer.testing import CliRunner

    from mldsplan.cli import questions
    from mldsplan.cli.app import app

    monkeypatch.setattr(questions, "interactive", lambda: True)
    result = CliRunner().invoke(app, ["init"], input="2025-10\n\n\n")
    assert result.exit_code == 0, result.output
    _lines_fit(result.stdout.replace("\r", ""))
    assert "nothing is written until the end" in " ".join(result.stdout.split())


# --- 11: the page, markdown and CSV show what the terminal shows ---------------------


def test_the_page_shows_what_the_terminal_shows(run: Run, record: None) -> None:
    page = _page(run)
    progress = page.words("progress")
    hours = " ".join(run("hours").stdout.split())
    for balance in re.findall(r"Balance (?:since \S+|this term): ([^()]+\([^)]*\))", hours):
        assert balance in progress
    assert "Balance since 2025-12-24" in progress
    needed = re.search(r"Needed a week to finish on time: (\S+) h", hours)
    assert needed and f"Needed a week to finish on time {needed[1]} h" in progress
    assert "Timer running bayesian" in progress
    load = page.words("term-load")
    assert "Hours by module" in load
    for code, logged, budget in re.findall(
        r"^(\S+)\s+([\d.,]+)\s+([\d.,]+)\s+\d+%$", run("hours").stdout, re.M
    ):
        assert f"{code} {logged} {budget}" in load
    without = re.search(r"([\d.,]+) h logged without a module", hours)
    assert without and f"{without[1]} h logged without a module" in load
    assert "Failed: big-data (5 ECTS), failed at 42; 1 attempt left" in page.words("marks")


def test_modules_in_progress_are_one_list(run: Run, record: None) -> None:
    grades = json.loads(run("grades", "--json").stdout)
    provisional = [p["code"] for p in grades["provisional"]]
    page = _page(run)
    listed = page.words("in-progress")
    assert provisional == ["unsupervised"]
    assert "unsupervised" in listed
    assert "bayesian" not in listed  # assessments entered, none marked: not in progress
    assert "none yet" not in listed and "with 0% of the module marked" not in listed
    assert "Mark so far 68.00" in listed and "from the 20% of the module marked" in listed


def test_markdown_shows_the_average_this_week_and_the_assumed_ects(run: Run, record: None) -> None:
    md = run("export", "-f", "markdown").stdout
    assert "- Average: 68.20 (merit) over 12.5 ECTS marked" in md
    assert "- This week: 6.5 of 18 h" in md
    assert "- Balance since 2025-12-24: " in md
    assert "h/week needed" in md
    assert "- Failed: big-data (5 ECTS), failed at 42; 1 attempt left" in md
    assert "- Timer: bayesian" in md
    assert "| 2.5\\* |" in md and "\\* ECTS assumed (not published per module)." in md
    assert "## Hours by module" in md and "h logged without a module" in md


def test_csv_has_the_failed_attempts(run: Run, record: None) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("export", "-f", "csv", "--table", "attempts").stdout))
    )
    assert rows == [
        {
            "code": "big-data",
            "date": "2026-06-10",
            "mark": "42",
            "attempts_left": "1",
            "state": "failed",
        }
    ]


# --- 12: spreadsheets ----------------------------------------------------------------


def test_excel_csv_has_a_byte_order_mark_and_the_log_is_by_date(
    run: Run, record: None, tmp_path: Path
) -> None:
    plain = tmp_path / "log.csv"
    excel = tmp_path / "log-excel.csv"
    run("export", "-f", "csv", "--table", "log", "-o", str(plain))
    run("export", "-f", "csv", "--table", "log", "--excel", "-o", str(excel))
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    rows = list(csv.DictReader(io.StringIO(plain.read_text(encoding="utf-8"))))
    assert len(rows) == realistic.ENTRIES
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)  # file order before
    assert any("Café" in r["note"] for r in rows)
    result = run("export", "-f", "markdown", "--excel", ok=False)
    assert result.exit_code == 1 and "--excel" in result.stderr


def test_the_readme_is_true_about_spreadsheets() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "--excel" in readme
    text = " ".join(readme.split())
    # "... LibreOffice, Numbers and Google Sheets read as they are" was false for LibreOffice
    sentence = text[: text.index("read as they are")].rsplit(".", 1)[-1]
    assert "LibreOffice" not in sentence and "Excel" not in sentence
