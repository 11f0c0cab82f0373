"""Issue 29: every report works out its costly facts once (`domain.facts.Facts`).

Each report command and each export is run in-process on a 2,000-entry record while
the costly derivations are counted: the standings (`marks.standings`), the schedule
(`terms.schedule`) and a walk of the log (`facts.index_log`, and `loadrule.logged_by_module`,
which walks it too). The record's load is not counted: the rules it checks
(`domain.rules`) run once per command before any report, as `test_rules_once.py` shows.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mldsplan.commands.session import Session
from mldsplan.domain import loadrule, marks, terms
from mldsplan.domain.progress import SCHEMA_VERSION
from mldsplan.paths import module_codes

CODES = module_codes(None)  # the shipped programme's, in its order

REPORTS = [
    ("plan",),
    ("progress",),
    ("progress", "--json"),
    ("hours",),
    ("week",),
    ("grades",),
    ("target",),
    ("due",),
    ("assess", "list"),
    ("calendar",),
    ("status",),
    ("export", "-f", "html"),
    ("export", "-f", "markdown"),
    ("export", "-f", "csv"),
    ("export", "-f", "ics"),
]


def record(path: Path, entries: int = 2000) -> None:
    """Half the modules done (one a resit), one failed, assessments due around now, and
    `entries` log lines over two years, not in date order."""
    first = date(2025, 10, 1)
    lines = [
        f"{first + timedelta(days=(i * 37) % 420)} {0.25 + i % 3 * 0.25} {CODES[i % 14]}"
        f" session {i}"
        for i in range(entries)
    ]
    completions = "".join(
        f"\n[completions.{code}]\non = 2026-0{1 + i % 6}-15\nmark = {55 + 3 * i}.0\n"
        f"resit = {'true' if i == 1 else 'false'}\n"
        for i, code in enumerate(CODES[:6])
    )
    failed = f"\n[[failed_attempts.{CODES[7]}]]\non = 2026-06-20\nmark = 35.0\n"
    assessments = "".join(
        f'\n[[assessments.{code}]]\nid = "cw"\nname = "Coursework"\nweight = 40.0\n'
        f'due = 2026-11-{20 + i}\nmark = 65.0\n\n[[assessments.{code}]]\nid = "exam"\n'
        f'name = "Exam"\nweight = 60.0\ndue = 2026-12-0{1 + i}\n'
        for i, code in enumerate(CODES[8:11])
    )
    log = "log = '''\n" + "\n".join(lines) + "\n'''\n"
    path.write_text(
        f'schema_version = {SCHEMA_VERSION}\nrevision = 1\nstart = "2025-10"\n'
        f"{log}{completions}{failed}{assessments}"
    )


COUNTED: list[tuple[Any, str]] = [
    (marks, "standings"),
    (terms, "schedule"),
    (loadrule, "logged_by_module"),
]


WHERE_USED = [
    "mldsplan.domain.workload",
    "mldsplan.domain.studytime",
    "mldsplan.domain.weekplan",
    "mldsplan.domain.assessments",
    "mldsplan.domain.calendar",
    "mldsplan.commands.reports",
    "mldsplan.commands.files",
    "mldsplan.output.formats",
    "mldsplan.output.dashboard",
]


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Calls of each costly derivation outside the record's load, under every name it is
    imported by in our modules."""
    import importlib

    for name in WHERE_USED:  # imported now, so that each name they import is counted
        importlib.import_module(name)
    seen: Counter[str] = Counter()
    loading = [False]
    targets = list(COUNTED)
    facts = sys.modules.get("mldsplan.domain.facts")
    if facts is None:
        try:
            import mldsplan.domain.facts as facts
        except ImportError:  # before the snapshot existed
            facts = None
    if facts is not None:
        targets.append((facts, "index_log"))
    for owner, name in targets:
        original = getattr(owner, name)

        def counted(*args: Any, _f: Callable[..., Any] = original, _n: str = name) -> Any:
            if not loading[0]:
                seen[_n] += 1
            return _f(*args)

        for module in [m for k, m in sys.modules.items() if k.startswith("mldsplan")]:
            for attr, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attr, counted)
    load = Session.load

    def load_uncounted(self: Session) -> Any:
        loading[0] = True
        try:
            return load(self)
        finally:
            loading[0] = False

    monkeypatch.setattr(Session, "load", load_uncounted)
    yield seen


@pytest.mark.parametrize("command", REPORTS, ids=" ".join)
def test_each_costly_fact_is_worked_out_at_most_once(
    command: tuple[str, ...], run: Any, progress_file: Path, counts: Counter[str]
) -> None:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    record(progress_file)
    run("status")  # the load's cache warmed; nothing counted from it
    counts.clear()
    result = run(*command)
    assert result.stdout
    walks = counts["index_log"] + counts["logged_by_module"]
    assert counts["standings"] <= 1 and counts["schedule"] <= 1 and walks <= 1, dict(counts)
    if command in {("progress",), ("export", "-f", "html")}:  # the counting itself works
        assert (counts["standings"], counts["schedule"], walks) == (1, 1, 1), dict(counts)
