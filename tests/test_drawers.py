"""Output's drawers: each report loads only its own, and shared words have one home."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, TODAY, Run, child_env
from mldsplan.domain import workload
from mldsplan.domain.facts import Facts
from mldsplan.domain.progress import Completion, Progress
from mldsplan.output.wording import resit_mark, resit_note
from mldsplan.storage.programme_file import load_programme

PROBE = """
import sys
from mldsplan.cli.app import app
try:
    app(sys.argv[1:], prog_name="mldsplan")
except SystemExit:
    pass
sys.stderr.write("output loaded: " + " ".join(sorted(
    m.removeprefix("mldsplan.output.") for m in sys.modules if m.startswith("mldsplan.output.")
)) + " rich=" + str("rich" in sys.modules))
"""

SHARED = {"layout", "visible", "wording"}  # what any terminal report may load besides its own

# each command, and the one output module that draws it (None: no drawer, JSON or a file)
DRAWN_BY: dict[tuple[str, ...], str | None] = {
    ("plan",): "plan_view",
    ("calendar",): "plan_view",
    ("progress",): "progress_view",
    ("hours",): "progress_view",
    ("week",): "progress_view",
    ("status",): "progress_view",
    ("log", "--list"): "progress_view",
    ("grades",): "marks_view",
    ("target",): "marks_view",
    ("due",): "marks_view",
    ("assess", "list"): "marks_view",
    ("history",): "file_view",
    ("check",): "file_view",
    ("progress", "--json"): None,
    ("grades", "--json"): None,
    ("export", "-f", "markdown"): None,
}


def test_each_report_loads_only_its_own_drawer(run: Run, progress_file: Path) -> None:
    """A terminal report loads its drawer and the layout engine, no other report's, and
    into a pipe no Rich (it would style nothing); a `--json` run or a file export loads no
    drawer. The probe can fail: `plan` would show progress_view if the drawers still sat in
    one module (and test_layout's probe sees Rich in a styled `plan`)."""
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    run("complete", "programming", "--mark", "56", "--resit", "--on", "2026-01-20")
    run("log", "2", "--module", "maths")
    running = {
        argv: subprocess.Popen(
            [sys.executable, "-c", PROBE, *argv],
            env=child_env(progress_file),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in DRAWN_BY
    }
    for argv, process in running.items():
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, (argv, stderr)
        tail = stderr.rsplit("output loaded: ", 1)[-1]
        names, rich = tail.rsplit(" rich=", 1)
        loaded = set(names.split())
        drawer = DRAWN_BY[argv]
        views = {m for m in loaded if m.endswith("_view")}
        if drawer is None:
            assert not views and "layout" not in loaded and rich == "False", (argv, tail)
        else:
            assert views == {drawer}, (argv, tail)
            assert loaded <= SHARED | {drawer}, (argv, tail)
            assert rich == "False", (argv, tail)  # a pipe: nothing styled, Rich not needed


PROGRAMME = load_programme(SHIPPED)


def _programming(record: Progress) -> workload.PlanModule:
    plan = workload.plan(Facts(PROGRAMME, record, TODAY))
    return next(m for m in plan.modules if m.code == "programming")


@pytest.mark.parametrize(
    ("mark", "resit", "table", "text", "calendar"),
    [
        (68.0, False, "68", "68", "mark 68"),
        (56.0, True, "56 (resit 50)", "56 (resit, counts 50)", "mark 56, counted 50 (resit)"),
        (50.0, True, "50 (resit 50)", "50 (resit, counts 50)", "mark 50 (resit)"),
        (None, False, "", "", ""),
    ],
)
def test_a_resit_is_worded_in_one_place(
    mark: float | None, resit: bool, table: str, text: str, calendar: str
) -> None:
    """The three forms of a module's mark with its resit (terminal, markdown and page,
    calendar), from the domain's `resit` and `capped`, never re-decided here."""
    done = Completion(on=TODAY, mark=mark, resit=resit)
    m = _programming(replace(Progress(start="2025-10"), completions={"programming": done}))
    assert m.resit is resit
    assert resit_mark(m, "table") == table
    assert resit_mark(m, "text") == text
    assert resit_mark(m, "calendar") == calendar
    if resit:
        assert resit_note(m) == "resit, counts 50"


REPORTS = [
    ("plan",),
    ("progress",),
    ("hours",),
    ("week",),
    ("grades",),
    ("target",),
    ("log", "--list"),
    ("calendar",),
    ("assess", "list"),
    ("due", "--days", "60"),
    ("status",),
    ("history",),
    ("schedule",),
]


@pytest.mark.parametrize("columns", [None, "60", "97"])
def test_unstyled_lines_are_richs_own(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    """Where Rich would style nothing the layout writes the lines itself: byte for byte what
    Rich's console writes (wide characters, no-break spaces and shortened words included)."""
    from mldsplan.output import layout

    run("init", "--start", "2025-10", "--weekly-hours", "18")
    run("complete", "programming", "--mark", "56", "--resit", "--on", "2026-01-20")
    run("fail", "supervised", "--mark", "30", "--on", "2026-06-01")
    run(
        "log",
        "2",
        "--module",
        "maths",
        "--note",
        "線形代数の復習 and a long-winded-unbreakable-word",
    )
    run(
        "assess",
        "add",
        "big-data",
        "Groupe de café ☕ projet",
        "--weight",
        "40",
        "--due",
        "2026-12-04",
    )
    run("available", "set", "weekdays 19:00-22:00")
    run("start", "bayesian", "--at", "2026-11-25T18:55")
    if columns is not None:
        monkeypatch.setenv("MLDSPLAN_FORCE_TERMINAL", "1")
        monkeypatch.setenv("COLUMNS", columns)
    for command in REPORTS:
        monkeypatch.setattr(layout, "styled", lambda: False)
        ours = run(*command).stdout
        monkeypatch.setattr(layout, "styled", lambda: True)  # Rich's console, unstyled here
        richs = run(*command).stdout
        assert ours == richs, command
        assert ours.strip(), command


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_a_texts_cells_are_richs(text: str) -> None:
    """The layout's width of a text (measured without Rich where each character takes
    one cell) is Rich's, for any text: wide, combining, control and no-break characters."""
    from rich.cells import cell_len

    from mldsplan.output.layout import NBSP, _cells

    assert _cells(text) == cell_len(text)
    assert _cells(text + NBSP + "ab") == cell_len(text + NBSP + "ab")
