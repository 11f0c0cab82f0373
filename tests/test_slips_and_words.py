"""Issue 20 points 9, 11 and 14: slips that were accepted silently, and words that say
what the student means."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import NOW, Refuse, Run, RunJson, assert_one_line_error

# --- 9: completing a module with unmarked assessments ---------------------------


def test_completing_with_unmarked_assessments_warns_and_list_shows_the_mark(
    run: Run, run_json: RunJson
) -> None:
    run("init", "--start", "2026-10")
    run("assess", "add", "programming", "Essay", "--weight", "30")
    run("assess", "add", "programming", "Exam", "--weight", "70")
    run("assess", "mark", "programming", "essay", "60")
    done = run("complete", "programming", "--mark", "64")
    assert (
        "warning: programming has 1 unmarked assessment: 'Exam' (70%); the mark 64 counts"
        in done.stderr
    )
    listed = run("assess", "list", "programming").stdout
    assert "Completed on 2026-11-25; mark 64" in listed
    assert "needed on the rest" not in listed
    module = run_json("assess", "list", "programming")["modules"][0]
    assert (module["completed_on"], module["recorded_mark"], module["targets"]) == (
        "2026-11-25",
        64,
        [],
    )


def test_completing_a_fully_marked_module_says_nothing_more(run: Run) -> None:
    run("init", "--start", "2026-10")
    run("assess", "add", "programming", "Exam", "--weight", "100")
    run("assess", "mark", "programming", "Exam", "70")
    assert "warning" not in run("complete", "programming").stderr


# --- 11: the student's own term dates win over assumed ones ---------------------


def test_a_handbook_entered_in_order_moves_the_assumed_neighbour(
    run: Run, run_json: RunJson
) -> None:
    run("init", "--start", "2026-10")
    said = run("calendar", "set", "1.1", "--from", "2026-10-05", "--to", "2027-01-16").stderr
    assert "year 1 term 2's assumed dates now start on 2027-01-17" in said
    terms = {(t["year"], t["term"]): t for t in run_json("calendar")["terms"]}
    assert (terms[1, 2]["start"], terms[1, 2]["source"]) == ("2027-01-17", "programme")
    run("calendar", "set", "1.2", "--from", "2027-01-18", "--to", "2027-04-30")
    back = run("calendar", "reset", "1.1").stderr
    assert "back to the programme's dates" in back


def test_resetting_says_the_assumed_neighbour_is_back(run: Run) -> None:
    run("init", "--start", "2026-10")
    run("calendar", "set", "1.1", "--from", "2026-10-05", "--to", "2027-01-16")
    said = run("calendar", "reset", "1.1").stderr
    assert "year 1 term 2's assumed dates now start on 2027-01-15 again" in said


def test_overlapping_own_dates_names_both_terms(run: Run, refuse: Refuse) -> None:
    run("init", "--start", "2026-10")
    run("calendar", "set", "1.2", "--from", "2027-01-11", "--to", "2027-04-30")
    refuse(
        "calendar",
        *("set", "1.1", "--from", "2026-10-05", "--to", "2027-01-16"),
        needles=(
            "year 1 term 1 (your dates 2026-10-05 to 2027-01-16) overlaps or is not before"
            " year 1 term 2 (your dates 2027-01-11 to 2027-04-30)",
        ),
    )


def test_an_assumed_term_gives_way_but_never_to_nothing(run: Run, refuse: Refuse) -> None:
    run("init", "--start", "2026-10")
    refuse(
        "calendar",
        *("set", "1.1", "--from", "2026-10-05", "--to", "2027-06-16"),
        needles=("leaves no room for year 1 term 2 (assumed 2027-01-15 to 2027-04-30)",),
    )


def test_resetting_a_term_the_calendar_does_not_have(run: Run, refuse: Refuse) -> None:
    run("init", "--start", "2026-10")
    refuse(
        "calendar",
        "reset",
        "7.1",
        needles=("there is no year 7 term 1 in your calendar (it runs to year 2 term 3)",),
    )
    refuse("calendar", "reset", "1.1", needles=("1.1 has no dates of your own",))


# --- 14: the words -------------------------------------------------------------


def test_check_names_places_as_the_student_does(run: Run, progress_file: Path) -> None:
    run("init", "--start", "2026-10")
    run("complete", "programming", "--on", "2026-11-20")
    run("log", "2", "--module", "maths", "--on", "2026-11-24")
    text = progress_file.read_text().replace("2026-11-24 2", "2027-11-24 2")
    progress_file.write_text(text.replace("on = 2026-11-20", "on = 2026-09-01"))
    report = run("check", ok=False).stdout
    # A date after today reads (issue 28.4): check says it as a note.
    assert "note: the study log holds entries of 2027-11-24, after today (2026-11-25)" in report
    assert "programming's completion date (completions.programming.on): 2026-09-01" in report


def test_a_hand_edited_mark_names_file_line_and_field(run: Run, progress_file: Path) -> None:
    run("init", "--start", "2026-10")
    run("complete", "programming", "--mark", "64")
    text = progress_file.read_text().replace("mark = 64.0", "mark = 173.0")
    progress_file.write_text(text)
    line = text.splitlines().index("mark = 173.0") + 1
    result = run("progress", ok=False)
    assert_one_line_error(
        result,
        f"{progress_file}: line {line}: programming's mark (completions.programming.mark):"
        " 173 is more than 100, the most allowed",
    )
    assert "Input should be" not in result.stderr


def test_an_assessment_in_a_hand_edit_is_named_by_its_name(run: Run, progress_file: Path) -> None:
    run("init", "--start", "2026-10")
    run("assess", "add", "eda", "Essay", "--weight", "30")
    progress_file.write_text(progress_file.read_text().replace("weight = 30.0", 'weight = "x"'))
    assert_one_line_error(
        run("progress", ok=False),
        "the weight of eda's assessment 'Essay' (assessments.eda[0].weight): 'x' is not a number",
    )


def test_assess_edit_says_what_changed(run: Run) -> None:
    run("init", "--start", "2026-10")
    run("assess", "add", "eda", "Essay", "--weight", "30", "--due", "2027-03-01")
    said = run("assess", "edit", "eda", "essay", "--weight", "40", "--name", "Report").stderr
    assert "eda 'Essay': renamed to 'Report'; weight 30% -> 40%" in said
    said = run("assess", "edit", "eda", "Report", "--due", "none").stderr
    assert "eda 'Report': cleared due (was 2027-03-01)" in said


def test_a_module_without_assessments_has_no_mark_so_far(run: Run) -> None:
    run("init", "--start", "2026-10")
    listed = run("assess", "list", "eda").stdout
    assert "Mark so far" not in listed and "needed on the rest" not in listed
    assert "No assessments entered yet: mldsplan assess add eda NAME --weight W" in listed


def test_progress_points_to_the_command_that_shows_the_warning(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2026-10")
    assert "warning: year 1 term 1: 42.89 h needed a week to finish on time" in run("hours").stdout
    data = run_json("progress")
    assert data["warnings_shown_by"] == ["mldsplan hours"]
    assert "1 plan warning: see mldsplan hours" in run("progress").stdout


def test_modules_of_an_ended_term_are_overdue_in_plan(
    run: Run, run_json: RunJson, set_now: Callable[[datetime], None]
) -> None:
    run("init", "--start", "2026-10")
    run("complete", "programming", "--on", "2026-11-20")
    set_now(datetime(2027, 2, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    status = {m["code"]: m["status"] for m in run_json("plan")["modules"]}
    assert (status["maths"], status["programming"], status["eda"]) == ("overdue", "done", "todo")
    assert "overdue" in run("hours").stdout  # as `hours` says of the term


def test_progress_lists_unmarked_assessments_past_due(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2026-10")
    run("assess", "add", "maths", "Sheet", "--weight", "20", "--due", "2026-11-20")
    run("assess", "add", "maths", "Exam", "--weight", "80", "--due", "2026-12-20")
    data = run_json("progress")
    assert [d["name"] for d in data["overdue_assessments"]] == ["Sheet"]
    assert data["next_deadline"]["name"] == "Exam"
    shown = run("progress").stdout
    assert "Overdue  maths Sheet (20%) was due 2026-11-20, 5 days overdue; no mark yet" in shown
    run("assess", "mark", "maths", "Sheet", "70")
    assert run_json("progress")["overdue_assessments"] == []


assert NOW.date().isoformat() == "2026-11-25"  # the dates above are written for this day
