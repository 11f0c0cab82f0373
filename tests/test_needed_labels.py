"""Issue 30, point 4's last sentence: "needed this week" (the week's plan) and "needed a week
to finish on time" (`required_weekly_hours`, and a term's needed load) are two questions,
each labelled, with the same words and numbers in `week`, `hours` and `progress`."""

from __future__ import annotations

from conftest import Run, RunJson
from mldsplan.domain.labels import NEEDED_A_WEEK, NEEDED_THIS_WEEK
from mldsplan.domain.numbers import hours_text


def _lines(text: str, label: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(label)]


def test_each_needed_figure_has_its_label_and_one_number_everywhere(
    run: Run, run_json: RunJson
) -> None:
    run("init", "--start", "2025-10")
    run("log", "2.5", "--module", "bayesian", "--on", "2026-11-24")
    run("assess", "add", "unsupervised", "Group project", "--weight", "30", "--due", "2026-12-04")
    hours, week, progress = run_json("hours"), run_json("week"), run_json("progress")
    # The numbers: one definition each.
    assert progress["required_weekly_hours"] == hours["required_weekly_hours"]
    assert progress["week_plan"]["plan_total_hours"] == week["plan_total_hours"]
    assert hours["required_weekly_hours"] != week["plan_total_hours"]  # two questions
    a_week = f"{NEEDED_A_WEEK}: {hours_text(hours['required_weekly_hours'])} h"
    this_week = (
        f"{NEEDED_THIS_WEEK}: {hours_text(week['plan_total_hours'])}"
        f" of {hours_text(week['available_hours'])} h"
    )
    # The words: each figure labelled, the same label in every command that shows it.
    shown = {name: run(name).stdout for name in ("hours", "week", "progress")}
    assert [line.startswith(a_week) for line in _lines(shown["hours"], NEEDED_A_WEEK)] == [True]
    assert [line.startswith(a_week) for line in _lines(shown["progress"], NEEDED_A_WEEK)] == [True]
    for name in ("week", "progress"):
        found = _lines(shown[name], NEEDED_THIS_WEEK)
        assert [line.startswith(this_week) for line in found] == [True], name
    # A term's needed load is "needed a week to finish on time" too, with the table's number.
    loads = {f"{t['year']}.{t['term']}": t["weekly_load"] for t in hours["terms"]}
    (warning,) = hours["warnings"]
    assert warning.startswith(
        f"year 2 term 1: {hours_text(loads['2.1'])} h {NEEDED_A_WEEK.lower()}"
    )
    row = next(line for line in shown["hours"].splitlines() if line.startswith("2.1 "))
    assert hours_text(loads["2.1"]) in row.split()
