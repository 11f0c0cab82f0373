"""Each rule about a record is defined once, in `domain.rules`; each limit once, in
`domain.constraints`, and an argument is checked against the very limit the file has."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from conftest import Refuse, Run
from mldsplan.domain import changes
from mldsplan.domain.constraints import Hours, Mark, Weight, Years, limit_problem
from mldsplan.domain.progress import Completion, LogEntry, Progress
from mldsplan.domain.rules import record_problems
from mldsplan.storage.programme_file import load_programme

SRC = Path(__file__).parents[1] / "src" / "mldsplan"
PROGRAMME = load_programme(Path(__file__).parents[1] / "data" / "programme.toml")
TODAY = date(2026, 11, 25)
STARTED = Progress(start="2025-10")


@pytest.mark.parametrize(
    "words",
    [
        "below the pass mark",
        "a completed module cannot be deferred",
        "defer it by a multiple",
        "weights add up",
        "already has an assessment",
        "adds up to",
        "before its term",
    ],
)
def test_a_rule_is_worded_in_one_place(words: str) -> None:
    """The words of each record rule are written once in the source: no second check."""
    where = [p.relative_to(SRC) for p in SRC.rglob("*.py") if words in p.read_text()]
    assert [str(p) for p in where] == ["domain/rules.py"], where


# A change builds the new record without checking the record rules; the store runs
# them. Each case: the change, the field the rule names, the argument it blames.
BREAKING = [
    (lambda r: changes.complete(r, ["maths"], TODAY, mark=40), "completions.maths.mark", "mark"),
    (
        lambda r: changes.complete(r, ["maths"], TODAY, on=date(2026, 12, 1)),
        "completions.maths.on",
        "on",
    ),
    (
        lambda r: changes.defer(changes.complete(r, ["maths"], TODAY), ["maths"], 1),
        "deferrals.maths",
        "codes",
    ),
    (lambda r: changes.add_log(changes.add_log(r, 20, TODAY, TODAY), 5, TODAY, TODAY), "log", None),
    (lambda r: changes.add_log(r, 1, date(2026, 11, 26), TODAY), "log[0].on", "on"),
    (
        lambda r: changes.add_assessment(
            changes.add_assessment(r, "eda", "Essay", 60, None), "eda", "Exam", 50, None
        ),
        "assessments.eda",
        "weight",
    ),
    (
        lambda r: changes.add_assessment(
            changes.add_assessment(r, "eda", "Essay", 10, None), "eda", "essay", 10, None
        ),
        "assessments.eda[1].name",
        "name",
    ),
]


@pytest.mark.parametrize(("change", "field", "argument"), BREAKING)
def test_a_change_leaves_the_record_rules_to_the_rules(
    change: object, field: str, argument: str | None
) -> None:
    after = change(STARTED)  # type: ignore[operator]
    problems = record_problems(after, PROGRAMME, TODAY, entered=STARTED)
    assert [(p.field, p.argument) for p in problems][:1] == [(field, argument)], problems


def test_the_store_says_the_rule_naming_the_argument(run: Run, refuse: Refuse) -> None:
    refuse("complete", "maths", "--mark", "40", needles=("--mark: 40 is below the pass mark 50",))
    run("log", "20")
    result = refuse("log", "5", needles=("adds up to 25 h logged, more than 24",))
    assert "log --list" in result.stderr  # the hint of the rule's reason


def test_a_module_mark_below_the_pass_mark_is_blamed_on_the_assessments(
    run: Run, refuse: Refuse
) -> None:
    run("assess", "add", "maths", "Exam", "--weight", "100")
    run("assess", "mark", "maths", "Exam", "30")
    refuse("complete", "maths", needles=("the module mark from its assessments: 30 is below",))


# The argument's limit and the file's limit are one: what the file refuses, the
# argument refuses, on either side of every bound.
FIELDS = [(Mark, st.floats(-1, 101)), (Weight, st.floats(-1, 101)), (Hours, st.floats(0, 170))]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_an_argument_has_the_files_limits(data: st.DataObject) -> None:
    field, values = data.draw(st.sampled_from(FIELDS))
    value = data.draw(values | st.sampled_from([0.0, 1.0, 100.0, 168.0, 100.00000000000001]))
    try:
        TypeAdapter(field).validate_python(value)
        valid = True
    except ValidationError:
        valid = False
    assert (limit_problem(value, field) is None) == valid


@pytest.mark.parametrize("years", [0, 1, 10, 11])
def test_a_number_of_years_has_the_files_limits(years: int) -> None:
    valid = 1 <= years <= 10
    assert (limit_problem(years, Years) is None) == valid
    if not valid:
        assert limit_problem(years, Years) == f"{years} must be at least 1 and at most 10"


def test_a_record_the_rules_accept_is_kept_whole() -> None:
    record = Progress(
        start="2025-10",
        completions={"maths": Completion(on=date(2025, 12, 1), mark=71)},
        log=(LogEntry(on=TODAY, hours=2, module="eda"),),
    )
    assert record_problems(record, PROGRAMME, TODAY) == []


def test_a_failed_attempt_must_be_below_the_pass_mark_and_not_in_the_future() -> None:
    from mldsplan.domain.progress import Attempt

    record = Progress(
        start="2025-10",
        failed_attempts={
            "maths": (Attempt(on=date(2026, 1, 12), mark=45),),
            "eda": (
                Attempt(on=date(2026, 2, 12), mark=50),
                Attempt(on=TODAY.replace(day=26), mark=3),
            ),
        },
    )
    # Entered by a command (against an empty record): the future date is refused too.
    assert [str(p) for p in record_problems(record, PROGRAMME, TODAY, entered=Progress())] == [
        "the mark of eda's failed attempt of 2026-02-12 (failed_attempts.eda[0].mark): 50 is not below the pass mark 50; a failed attempt's mark is below it",
        "eda's failed attempt of 2026-11-26 (failed_attempts.eda[1].on): 2026-11-26 is in the future (today is 2026-11-25)",
    ]


def test_a_broken_file_without_a_bak_gets_a_hint_that_works(
    run: Run, refuse: Refuse, progress_file: Path
) -> None:
    """The .bak hint only when there is a .bak; else the one that works: fix it, or check."""
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_text("schema_version = 3\nrevision = 0\nresit = flase\n")
    result = refuse("progress", needles=("progress.toml",))
    assert ".bak" not in result.stderr and "mldsplan check" in result.stderr


def test_a_broken_rule_blames_only_what_the_student_typed(run: Run, refuse: Refuse) -> None:
    """`defer eda` breaks two rules; it names the one about the typed CODE, not --on."""
    run("init", "--start", "2025-10")
    run("complete", "eda", "--mark", "64", "--on", "2026-04-28")
    run("complete", "supervised", "--on", "2026-04-24")
    result = refuse("defer", "eda", needles=("CODE: eda is completed",))
    assert "--on" not in result.stderr
    result = refuse(
        "calendar",
        "set",
        "1.2",
        "--from",
        "2026-04-25",
        "--to",
        "2026-06-30",
        needles=("supervised's completion date (completions.supervised.on): 2026-04-24",),
    )
    assert "--on" not in result.stderr


def test_a_future_date_in_a_file_reads_but_a_command_may_not_enter_one(
    run: Run, refuse: Refuse, progress_file: Path
) -> None:
    """Issue 28.4: entered on a computer already on tomorrow, read on one still on today."""
    run("log", "1", "--module", "eda")
    text = progress_file.read_text().replace("2026-11-25 1.0 eda", "2026-11-26 1.0 eda")
    progress_file.write_text(text)
    assert run("progress").exit_code == 0
    checked = run("check")
    assert "note:" in checked.stdout and "2026-11-26" in checked.stdout, checked.stdout
    run("log", "--remove", "1")  # every command works on it
    run("undo")
    refuse("log", "1", "--on", "2026-11-26", needles=("--on", "in the future"))
