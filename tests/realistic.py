"""A realistic record for the page's and paper's checks: a year and two months in, 321 log
entries with notes (some long, one a URL), marks, a failed attempt, assessments and a
running timer, as a student who logs most days has after a year."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from typer.testing import Result

ENTRIES = 321
NOTES = (
    "lecture",
    "problem sheet",
    "reading: chapter 4 of Bishop, Pattern Recognition and Machine Learning",
    "coursework, first draft",
    "revision for the quiz",
    "read https://www.example.org/courses/bayesian-methods/lecture-notes/week-07/mcmc.pdf",
    "Reparameterisation, identifiability and hyperparameters: variational autoencoders",
    "",
    "lab",
    "Café with the study group: Gibbs sampling",
)
MODULES = ("programming", "maths", "supervised", "eda", "big-data", "bayesian", "unsupervised", "-")


_MADE: dict[str, dict[Path, bytes]] = {}  # what the first make left, by folder role


def make(run: Callable[..., Result], progress: Path) -> None:
    """Write the record to `progress` through the CLI, the log lines added to its file (the
    first time; after that the files it left are put in place byte for byte)."""
    config = Path(os.environ["MLDSPLAN_CONFIG_DIR"])
    folders = {"data": progress.parent, "config": config}
    if _MADE:
        for role, files in _MADE.items():
            for name, content in files.items():
                target = folders[role] / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                target.chmod(0o600)
        return
    _make(run, progress)
    for role, folder in folders.items():
        _MADE[role] = {
            p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }


def _make(run: Callable[..., Result], progress: Path) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    run("complete", "programming", "maths", "ethics-1", "--on", "2026-01-12")
    run("complete", "supervised", "--mark", "71", "--on", "2026-04-24")
    run("complete", "eda", "--mark", "64", "--on", "2026-04-28")
    run("fail", "big-data", "--mark", "42", "--on", "2026-06-10")
    run("assess", "add", "unsupervised", "Coursework 1", "--weight", "20", "--due", "2026-11-02")
    run("assess", "mark", "unsupervised", "coursework 1", "68")
    run("assess", "add", "unsupervised", "Group project", "--weight", "30", "--due", "2026-12-04")
    run("assess", "add", "unsupervised", "Final project", "--weight", "50", "--due", "2027-01-11")
    run(
        "assess",
        "add",
        "bayesian",
        "Essay on hierarchical models",
        "--weight",
        "40",
        "--due",
        "2026-12-14",
    )
    run("assess", "add", "bayesian", "Exam", "--weight", "60", "--due", "2027-01-18")
    run("log", "1.5", "--module", "bayesian", "--note", "lecture 8", "--on", "2026-11-25")
    chance = random.Random(31)
    day = date(2026, 11, 25)  # the tests' today; back from it, most days an entry
    lines = []
    for i in range(ENTRIES - 1):
        day -= timedelta(days=chance.choice((0, 1, 1, 1, 2)))
        hours = chance.choice((0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3))
        recent = ("bayesian", "unsupervised", "-")
        module = chance.choice(recent) if day >= date(2026, 9, 1) else MODULES[i % len(MODULES)]
        note = NOTES[i % len(NOTES)]
        lines.append(f"{day} {hours} {module} {i:012x} {note}".rstrip())
    chance.shuffle(lines)  # the file's order is the order they were typed in, not the dates'
    text = progress.read_text(encoding="utf-8")
    head, rest = text.split("log = '''\n", 1)
    body, tail = rest.split("'''\n", 1)
    progress.write_text(
        head + "log = '''\n" + body + "\n".join(lines) + "\n'''\n" + tail, encoding="utf-8"
    )
    run("start", "bayesian", "--note", "essay plan")
