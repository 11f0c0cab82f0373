"""Plan changes: deferring modules, the schedule everything reads, and planner warnings."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, Refuse, Run, RunJson
from mldsplan import planner
from mldsplan.programme import load_programme
from mldsplan.progress import Progress, defer, undefer
from mldsplan.terms import schedule

PROGRAMME = load_programme(SHIPPED)


def _terms(data: dict[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    return {(t["year"], t["term"]): t for t in data["terms"]}


def test_deferring_bayesian_moves_its_hours_a_year(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    run("init", "--start", "2025-10")
    original = progress_file.read_bytes()
    before = _terms(run_json("hours", "--on", "2025-10-01"))
    result = run("defer", "bayes")
    assert "bayesian: planned in year 2 term 3" in result.stderr
    after = _terms(run_json("hours", "--on", "2025-10-01"))
    assert after[(1, 3)]["hours_remaining"] == before[(1, 3)]["hours_remaining"] - 187.5
    assert after[(2, 3)]["hours_remaining"] == before[(2, 3)]["hours_remaining"] + 187.5
    bayesian = next(m for m in run_json("plan")["modules"] if m["code"] == "bayesian")
    assert (bayesian["year"], bayesian["term"]) == (1, 3)
    assert (bayesian["planned_year"], bayesian["planned_term"]) == (2, 3)
    progress = _terms(run_json("progress"))
    assert progress[(1, 3)]["ects"] == 7.5 and progress[(2, 3)]["ects"] == 27.5
    assert sum(t["ects"] for t in run_json("progress")["terms"]) == 90
    # exports follow the schedule
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    row = next(r for r in rows if r["code"] == "bayesian")
    assert (row["planned_year"], row["term_start"]) == ("2", "2027-06-01")
    run("defer", "bayesian", "--undo")
    assert progress_file.read_bytes() == original


def test_deferring_into_a_third_year(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("defer", "agents")
    data = run_json("hours", "--on", "2026-11-25")
    year3 = _terms(data)[(3, 2)]
    assert (year3["start"], year3["end"]) == ("2028-02-01", "2028-05-31")
    assert data["planned_end"] == "2028-05-31"
    assert data["programme_end"] == "2027-09-30"
    assert "Year 3, term 2" in run("plan").stdout
    warnings = run_json("plan")["warnings"]
    assert not any("registration" in w for w in warnings)
    assert any("project must come after every other module" in w for w in warnings)


def test_the_registration_warning_only_past_the_limit(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("defer", "deep-learning", "--years", "2")  # year 4 term 1 ends inside 48 months
    assert not any("registration" in w for w in run_json("plan")["warnings"])
    run("defer", "deep-learning")  # year 5
    assert any(
        "maximum registration period of 48 months" in w for w in run_json("plan")["warnings"]
    )


def test_ethics_parts_out_of_order_warn(run: Run, run_json: RunJson) -> None:
    run("defer", "ethics-2")
    assert any("parts are planned out of order" in w for w in run_json("plan")["warnings"])


def test_the_project_term_is_heavy_and_said_so(run: Run, run_json: RunJson) -> None:
    warnings = run_json("plan")["warnings"]
    assert warnings == [
        "year 2 term 3 is heavy: 500 h in 17.4 weeks is 28.7 h/week, more than 21 h/week"
    ]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["maths"], "completed"),
        (["nonsense"], "unknown module"),
        (["eda", "--years", "0"], "--years"),
        (["eda", "--years=-1"], "--years"),
        (["eda", "--years", "11"], "more than 10"),
        (["eda", "--undo"], "not deferred"),
    ],
)
def test_bad_deferrals_change_nothing(
    run: Run, args: list[str], needle: str, refuse: Refuse
) -> None:
    run("complete", "maths", "--on", "2026-01-01")
    refuse("defer", *args, needles=(needle,))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.sampled_from(PROGRAMME.codes), st.integers(1, 3)), max_size=15
    )
)
def test_any_defer_sequence_keeps_every_module_in_one_term(
    steps: list[tuple[bool, str, int]],
) -> None:
    record = Progress()
    for is_undo, code, years in steps:
        try:
            record = undefer(record, [code]) if is_undo else defer(record, PROGRAMME, [code], years)
        except Exception as exc:  # refusals are InputError and leave the record as it was
            assert type(exc).__name__ == "InputError"
    plan = schedule(PROGRAMME, record)
    assert sorted(p.module.code for p in plan) == sorted(PROGRAMME.codes)
    assert all((p.year, p.term) >= (p.module.year, p.module.term) for p in plan)
    summary = planner.progress_summary(PROGRAMME, record, date(2026, 1, 1))
    assert sum(t.ects for t in summary.terms) == pytest.approx(90)
