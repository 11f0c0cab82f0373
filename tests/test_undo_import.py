"""Undo says what it undoes (and a second undo what it redoes); an import never takes
the revision back (issue 20, points 5 and 6)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import Run
from mldsplan.domain.difference import MAX_PHRASES, difference
from mldsplan.domain.progress import (
    Assessment,
    Attempt,
    Completion,
    LogEntry,
    Progress,
    TermDates,
    Timer,
)
from mldsplan.storage import store

# --- the difference between two records, in words (in-process) -----------------

BASE = Progress(
    revision=4,
    start="2025-10",
    weekly_hours=21.0,
    completions={"maths": Completion(on=date(2026, 1, 10), mark=71.0)},
    assessments={
        "eda": (Assessment(name="Coursework 1", weight=30.0, due=date(2026, 12, 1), id="a1"),)
    },
    log=(LogEntry(date(2026, 11, 20), 2.0, "eda"),),
)
LONDON = ZoneInfo("Europe/London")


def said(before: Progress, after: Progress) -> str:
    return "; ".join(difference(before, after))


def test_only_the_revision_differs_says_nothing() -> None:
    assert difference(BASE, replace(BASE, revision=9)) == []


def test_the_issues_example() -> None:
    after = replace(
        BASE,
        completions={**BASE.completions, "eda": Completion(on=date(2026, 11, 24), mark=64.0)},
        log=(*BASE.log, LogEntry(date(2026, 11, 24), 2.0, "eda")),
    )
    assert said(BASE, after) == "completed eda (mark 64); logged 2 h on 2026-11-24 for eda"
    assert said(after, BASE) == (
        "removed the completion of eda; removed 2 h on 2026-11-24 for eda from the log"
    )


@pytest.mark.parametrize(
    ("changed", "words"),
    [
        ({"start": "2026-10"}, "the start 2025-10 -> 2026-10"),
        ({"start": None}, "cleared the start (was 2025-10)"),
        ({"weekly_hours": 15.5}, "weekly hours 21 -> 15.5"),
        ({"weekly_hours": None}, "cleared weekly hours (was 21)"),
        (
            {"completions": {"maths": Completion(on=date(2026, 1, 10), mark=75.0)}},
            "maths: mark 71 -> 75",
        ),
        (
            {"completions": {"maths": Completion(on=date(2026, 1, 12), mark=71.0, resit=True)}},
            "maths: completed on 2026-01-10 -> 2026-01-12, a resit",
        ),
        (
            {"completions": {"maths": Completion(on=date(2026, 1, 10))}},
            "maths: cleared mark (was 71)",
        ),
        ({"deferrals": {"agents": 2}}, "deferred agents by 2 years"),
        (
            {"term_dates": {"1.1": TermDates(start=date(2025, 10, 6), end=date(2025, 12, 12))}},
            "term 1.1: 2025-10-06 to 2025-12-12 (your own dates)",
        ),
        (
            {
                "assessments": {
                    "eda": (
                        Assessment(
                            name="CW1", weight=40.0, due=date(2026, 12, 1), mark=62.0, id="a1"
                        ),
                    )
                }
            },
            "eda: 'Coursework 1' renamed to 'CW1', weight 30% -> 40%, marked 62",
        ),
        (
            {
                "assessments": {
                    "eda": (Assessment(name="CW2", weight=30.0, due=date(2026, 12, 1), id="b2"),)
                }
            },
            "eda: added 'CW2' (30%, due 2026-12-01); eda: removed 'Coursework 1'",
        ),
        (
            {"assessments": {"eda": (Assessment(name="Coursework 1", weight=30.0, id="a1"),)}},
            "eda: 'Coursework 1' cleared due (was 2026-12-01)",
        ),
        (
            {"failed_attempts": {"eda": (Attempt(on=date(2026, 5, 1), mark=40.0),)}},
            "recorded a failed attempt at eda (mark 40 on 2026-05-01)",
        ),
        (
            {"timer": Timer(started_at=datetime(2026, 11, 25, 19, 0, tzinfo=LONDON))},
            "started the timer without a module at 2026-11-25 19:00",
        ),
    ],
)
def test_every_field_is_said(changed: dict[str, Any], words: str) -> None:
    assert said(BASE, replace(BASE, **changed)) == words


def test_the_timer_stopped_or_cancelled() -> None:
    running = replace(
        BASE, timer=Timer(started_at=datetime(2026, 11, 25, 18, 0, tzinfo=LONDON), module="eda")
    )
    stopped = replace(BASE, log=(*BASE.log, LogEntry(date(2026, 11, 25), 1.0, "eda")))
    assert said(running, stopped) == (
        "stopped the timer for eda started 2026-11-25 18:00; logged 1 h on 2026-11-25 for eda"
    )
    assert said(running, BASE) == "cancelled the timer for eda started 2026-11-25 18:00"


def test_many_changes_are_counted_not_listed() -> None:
    entries = tuple(
        LogEntry(date(2026, 11, 1) + timedelta(days=n), 2.625, "eda") for n in range(12)
    )
    assert said(BASE, replace(BASE, log=BASE.log + entries)) == (
        "logged 12 entries (31.5 h from 2026-11-01 to 2026-11-12)"
    )
    codes = ["programming", "eda", "supervised", "big-data"]
    many = {code: Completion(on=date(2026, 1, 20)) for code in codes}
    phrases = difference(Progress(), replace(BASE, completions=many, deferrals={"agents": 1}))
    assert phrases[2] == "completed 4 modules (programming, eda, supervised, big-data)"
    everything = replace(
        BASE,
        start="2026-10",
        weekly_hours=10.0,
        deferrals={"agents": 1, "project": 1},
        term_dates={"1.1": TermDates(start=date(2025, 10, 6), end=date(2025, 12, 12))},
        failed_attempts={"eda": (Attempt(on=date(2026, 5, 1), mark=40.0),)},
        log=(),
    )  # seven changes: the first five, then the other two counted
    phrases = difference(BASE, everything)
    assert len(phrases) == MAX_PHRASES
    assert phrases[-1] == "and 2 more changes"


# --- undo through the CLI --------------------------------------------------------


def test_undo_says_what_it_undoes_and_redo_what_it_redoes(run: Run, progress_file: Path) -> None:
    run("init", "--start", "2025-10")
    run("log", "2", "--module", "eda", "--on", "2026-11-24")
    run("complete", "eda", "--on", "2026-01-20", "--mark", "64")
    first = run("undo").stderr
    assert "undid: completed eda (mark 64)" in first
    assert "'mldsplan redo' redoes it" in first
    second = run("redo").stderr
    assert "redid: completed eda (mark 64)" in second
    assert "'mldsplan undo' goes back again" in second
    assert "undid: completed eda (mark 64)" in run("undo").stderr  # undoes it once more
    run("log", "1.5", "--module", "eda", "--on", "2026-11-25")
    assert "undid: logged 1.5 h on 2026-11-25 for eda" in run("undo").stderr
    assert "redid: logged 1.5 h on 2026-11-25 for eda" in run("redo").stderr


def test_undo_of_an_assessment_rename_says_rename(run: Run) -> None:
    run("init", "--start", "2025-10")
    run("assess", "add", "eda", "Coursework 1", "--weight", "30")
    run("assess", "edit", "eda", "Coursework 1", "--name", "CW1")
    assert "undid: eda: 'Coursework 1' renamed to 'CW1'" in run("undo").stderr


def test_undo_of_an_import_is_short(run: Run, tmp_path: Path) -> None:
    run("init", "--start", "2025-10")
    for day in range(10, 22):
        run("log", "2.5", "--module", "eda", "--on", f"2026-11-{day}")
    export = tmp_path / "export.json"
    run("export", "--format", "json", "--output", str(export))
    (tmp_path / "fresh").mkdir()
    fresh = tmp_path / "fresh" / "progress.toml"
    run("--file", str(fresh), "init", "--start", "2025-10")
    run("--file", str(fresh), "import", str(export))
    undone = run("--file", str(fresh), "undo").stderr
    assert "undid: logged 12 entries (30 h from 2026-11-10 to 2026-11-21)" in undone


# --- an import keeps the revision ------------------------------------------------


def _sequences(ics: str) -> set[int]:
    return {int(n) for n in re.findall(r"(?m)^SEQUENCE:(\d+)\r?$", ics)}


def test_the_ics_sequence_never_goes_back_after_export_and_import_into_a_fresh_file(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    run("init", "--start", "2025-10")
    for day in range(10, 16):
        run("log", "1", "--module", "eda", "--on", f"2026-11-{day}")
    before = _sequences(run("export", "--format", "ics").stdout)
    assert before == {7}
    export = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(export))
    fresh = tmp_path / "new-laptop" / "progress.toml"
    said = run("--file", str(fresh), "import", str(export)).stderr
    after = _sequences(run("--file", str(fresh), "export", "--format", "ics").stdout)
    assert after == {8}  # was {1}: calendar apps ignored the update
    assert "now revision 8" in said
    assert store.load(fresh).content() == store.load(progress_file).content()


def test_an_import_writes_above_the_files_revision_too(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    run("init", "--start", "2025-10")
    export = tmp_path / "old.toml"
    run("export", "--format", "toml", "--output", str(export))  # revision 1
    for day in range(10, 15):
        run("log", "1", "--module", "eda", "--on", f"2026-11-{day}")
    assert store.load(progress_file).revision == 6
    run("import", str(export))
    assert store.load(progress_file).revision == 7
    assert store.load(progress_file).log == ()


def test_an_import_of_the_same_record_at_a_later_revision_raises_the_revision(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    """The other copy's calendar has seen its revision: this copy must go above it."""
    run("init", "--start", "2025-10")
    export = tmp_path / "export.json"
    run("export", "--format", "json", "--output", str(export))
    export.write_text(export.read_text().replace('"revision": 1', '"revision": 40'))
    assert "now revision 41" in run("import", str(export)).stderr
    assert store.load(progress_file).revision == 41
    assert "nothing was written" in run("import", str(export)).stderr
    assert store.load(progress_file).revision == 41
    assert "undid: nothing but the revision" in run("undo").stderr
    assert store.load(progress_file).revision == 42


def test_an_import_says_what_it_takes_away(run: Run, tmp_path: Path) -> None:
    """Entries logged after the export are replaced by the import: it names them."""
    run("init", "--start", "2025-10")
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(backup))
    run("log", "1", "--on", "2026-11-11")
    said = run("import", str(backup)).stderr
    assert "changed: removed 1 h on 2026-11-11 from the log" in " ".join(said.split())
    assert "'mldsplan undo' takes the import back" in " ".join(said.split())


def test_counts_are_said_in_their_grammar(run: Run) -> None:
    """ "1 completion", "1 log entry": never "1 completions"."""
    run("init", "--start", "2025-10")
    run("complete", "maths", "--on", "2026-01-12")
    run("log", "1", "--on", "2026-11-20")
    assert "1 completion, 0 deferrals, 1 log entry" in run("check").stdout
    assert "removed 1 h on 2026-11-20 from the log" in run("log", "--remove", "1").stderr
    assert "(1 completion, 1 log entry)" in " ".join(run("undo").stderr.split())
