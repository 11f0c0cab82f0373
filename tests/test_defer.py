"""Plan changes: deferring modules, the schedule everything reads, and planner warnings."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW, SHIPPED, TODAY, Refuse, Run, RunJson
from mldsplan.domain import terms
from mldsplan.domain import workload as planner
from mldsplan.domain.changes import defer, undefer
from mldsplan.domain.errors import InputError
from mldsplan.domain.facts import Facts
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.progress import Completion, Progress
from mldsplan.domain.rules import record_problems
from mldsplan.storage import store
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)
OCTOBER_2025 = Progress(start="2025-10")
HOURS = {m.code: PROGRAMME.hours(m) for m in PROGRAMME.modules}


def _window(year: int, term: int) -> terms.TermWindow:
    found = terms.window(PROGRAMME, OCTOBER_2025, year, term)
    assert found is not None
    return found


def _at_the_start(set_now: Callable[[datetime], None]) -> None:
    """The clock on the first day of an October 2025 cohort."""
    set_now(datetime.combine(_window(1, 1).start, NOW.timetz()))


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
    assert (row["planned_year"], row["term_start"]) == ("2", str(_window(2, 3).start))
    assert row["term_start"] == "2027-05-01"
    run("defer", "bayesian", "--undo")
    back = store.load(progress_file)
    assert back.content() == store.parse(progress_file, original).content()
    assert back.revision == store.parse(progress_file, original).revision + 2


def test_deferring_into_a_third_year(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("defer", "agents")
    data = run_json("hours", "--on", "2026-11-25")
    year3 = _terms(data)[(3, 2)]
    window = _window(3, 2)
    assert (year3["start"], year3["end"]) == (str(window.start), str(window.end))
    assert (year3["start"], year3["end"]) == ("2028-01-15", "2028-04-30")
    assert data["planned_end"] == str(window.end)
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


def test_a_new_student_gets_no_warnings(
    run: Run, run_json: RunJson, set_now: Callable[[datetime], None]
) -> None:
    assert run_json("plan")["warnings"] == []
    _at_the_start(set_now)
    run("init", "--start", "2025-10")
    assert run_json("plan")["warnings"] == []
    data = run_json("hours")
    assert data["warnings"] == []
    # Some terms are heavy at 21 h/week (more than +10 %), yet each needs no more than
    # the programme's own load for it: marked in the table, not warned about.
    expected = {}
    for t in PROGRAMME.terms:
        window = _window(t.year, t.term)
        expected[(t.year, t.term)] = t.ects * PROGRAMME.hours_per_ects / window.weeks > 21 * 1.1
    assert {k: t["heavy"] for k, t in _terms(data).items()} == expected
    assert expected[(2, 1)] and not expected[(2, 3)]


def test_a_deferral_into_a_full_term_warns(
    run: Run, run_json: RunJson, set_now: Callable[[datetime], None]
) -> None:
    _at_the_start(set_now)
    run("init", "--start", "2025-10")
    result = run("defer", "maths")  # from year 1 term 1 into year 2 term 1
    window = _window(2, 1)
    todo = sum(HOURS[m.code] for m in PROGRAMME.modules if (m.year, m.term) == (2, 1))
    needed = (todo + HOURS["maths"]) / window.weeks
    assert needed > 21 * 1.1 and needed > todo / window.weeks * 1.1
    warning = (
        f"year 2 term 1: {hours_text(needed)} h needed a week to finish on time,"
        " more than your 21 h/week"
    )
    assert run_json("plan")["warnings"] == [warning]
    assert f"warning: {warning}" in result.stderr
    assert _terms(run_json("hours"))[(2, 1)]["heavy"] is True


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["maths"], "completed"),
        (["nonsense"], "unknown module"),
        (["eda", "--years", "0"], "--years"),
        (["eda", "--years=-1"], "--years"),
        (["eda", "--years", "11"], "11 must be at least 1 and at most 10"),
        (["eda", "--undo"], "not deferred"),
    ],
)
def test_bad_deferrals_change_nothing(
    run: Run, args: list[str], needle: str, refuse: Refuse
) -> None:
    run("complete", "maths", "--on", "2026-01-01")
    refuse("defer", *args, needles=(needle,))


def test_a_module_that_runs_every_other_year(
    run: Run, run_json: RunJson, refuse: Refuse, tmp_path: Path
) -> None:
    text = SHIPPED.read_text()
    block = 'code = "agents"\ntitle = "Learning Agents"\nyear = 2\nterm = 2\nects = 7.5\n'
    assert block in text
    other = tmp_path / "biennial.toml"
    other.write_text(text.replace(block, block + "runs_every_years = 2\n"))
    assert load_programme(other).module("agents").runs_every_years == 2
    run("--programme", str(other), "init", "--start", "2025-10")
    refuse(
        "--programme",
        str(other),
        "defer",
        "agents",
        needles=("--years", "runs every 2 years; defer it by a multiple"),
    )
    run("--programme", str(other), "defer", "agents", "--years", "2")
    agents = next(
        m for m in run_json("--programme", str(other), "plan")["modules"] if m["code"] == "agents"
    )
    assert (agents["planned_year"], agents["planned_term"]) == (4, 2)
    # the shipped programme runs agents every year: one year is fine there
    run("defer", "agents", "--undo")
    run("defer", "agents")
    # ... and a record deferred by one year does not fit the biennial programme
    checked = run("--programme", str(other), "check", ok=False)
    assert checked.exit_code == 1
    assert (
        "the deferral of 'agents' (deferrals.agents): agents runs every 2 years; defer it by a multiple"
        in checked.stdout
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.sampled_from(PROGRAMME.codes), st.integers(-1, 4)),
        max_size=15,
    )
)
def test_any_defer_sequence_follows_a_model_of_the_rules(
    steps: list[tuple[bool, str, int]],
) -> None:
    """Each step is taken or refused as a plain model of the rules says; the schedule and
    the per-term ECTS follow the deferrals recorded."""
    record = Progress(completions={"maths": Completion(on=date(2026, 1, 1))})
    model: dict[str, int] = {}
    for is_undo, code, years in steps:
        if is_undo:
            allowed = code in model
        else:
            allowed = years >= 1 and code != "maths" and model.get(code, 0) + years <= 10
        before = record
        try:
            record = undefer(record, [code]) if is_undo else defer(record, [code], years)
            if record_problems(record, PROGRAMME, TODAY):  # as the store refuses it
                record = before
                raise InputError("breaks a rule")
        except Exception as exc:  # refusals are InputError and leave the record as it was
            assert type(exc).__name__ == "InputError"
            assert not allowed, (is_undo, code, years, model)
            assert record is before
            continue
        assert allowed, (is_undo, code, years, model)
        if is_undo:
            del model[code]
        else:
            model[code] = model.get(code, 0) + years
    assert record.deferrals == model
    assert record_problems(record, PROGRAMME, TODAY) == []
    planned = {p.module.code: (p.year, p.term) for p in terms.schedule(PROGRAMME, record)}
    assert planned == {m.code: (m.year + model.get(m.code, 0), m.term) for m in PROGRAMME.modules}
    summary = planner.progress_summary(Facts(PROGRAMME, record, date(2026, 1, 1)))
    by_term: dict[tuple[int, int], float] = {}
    for m in PROGRAMME.modules:
        key = (m.year + model.get(m.code, 0), m.term)
        by_term[key] = by_term.get(key, 0) + m.ects
    assert {(t.year, t.term): t.ects for t in summary.terms if t.ects} == by_term
