"""Failing, resits, compensation and the classification method (issue 23).

The issue's three hand-checked examples are here, figures and all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import SHIPPED, Refuse, Run, RunJson, assert_one_line_error
from mldsplan.domain import marks
from mldsplan.domain.facts import Facts
from mldsplan.domain.progress import Attempt, Completion, Progress
from mldsplan.storage.programme_file import load_programme

DAY = "2026-01-12"


def programme_file(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = SHIPPED.read_text()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "programme.toml"
    path.write_text(text)
    return path


COMPENSATE_5 = ("max_ects = 0", "max_ects = 5")
TAUGHT_AND_PROJECT = ('method = "weighted"', 'method = "taught_and_project"')


# --- example 1: weighted, with a resit --------------------------------------


def test_example_weighted_with_a_resit(run: Run, run_json: RunJson) -> None:
    for code, mark in [("programming", 66), ("maths", 58), ("eda", 64), ("supervised", 71)]:
        run("complete", code, "--mark", str(mark), "--on", "2026-06-01")
    said = run("fail", "big-data", "--mark", "44", "--on", "2026-08-01").stderr
    assert "recorded a failed attempt at big-data: 44 on 2026-08-01" in said
    assert "1 attempt left" in said
    plan = {m["code"]: m for m in run_json("plan")["modules"]}
    assert plan["big-data"]["status"] == "failed"
    assert plan["big-data"]["attempts_left"] == 1
    assert "failed (1 attempt left)" in run("plan").stdout
    failed = run_json("grades")["failed"]
    assert [(f["code"], f["state"], f["marks"], f["attempts_left"]) for f in failed] == [
        ("big-data", "failed", [44], 1)
    ]
    assert "Failed   big-data at 44; 1 attempt left" in run("progress").stdout

    run("complete", "big-data", "--resit", "--mark", "56", "--on", "2026-09-20")
    data = run_json("grades")
    assert data["method"] == "weighted"
    assert data["marked_ects"] == 27.5
    assert data["average"] == pytest.approx(1722.5 / 27.5)
    assert round(data["average"], 2) == 62.64
    assert data["band"] == "merit"
    counted = {m["code"]: m["counted_mark"] for m in data["modules"]}
    assert counted["big-data"] == 50
    assert data["project_mark"] is None
    plan = {m["code"]: m for m in run_json("plan")["modules"]}
    assert plan["big-data"]["status"] == "done"
    assert plan["big-data"]["counted_mark"] == 50


def test_a_pass_after_a_failure_is_a_resit_without_the_flag(run: Run, run_json: RunJson) -> None:
    run("fail", "maths", "--mark", "30", "--on", "2026-01-01")
    said = run("complete", "maths", "--mark", "80", "--on", "2026-02-01").stderr
    assert "mark 80 (resit)" in said
    assert run_json("grades")["modules"][0]["counted_mark"] == 50


# --- example 2: compensation on, max_ects = 5 -------------------------------


def test_example_compensation_oldest_first_within_the_limit(
    run: Run, run_json: RunJson, tmp_path: Path
) -> None:
    other = str(programme_file(tmp_path, COMPENSATE_5))
    run("--programme", other, "fail", "maths", "--mark", "45", "--on", DAY)
    run("--programme", other, "fail", "programming", "--mark", "47", "--on", DAY)
    plan = {m["code"]: m["status"] for m in run_json("--programme", other, "plan")["modules"]}
    assert plan["maths"] == "compensated"
    assert plan["programming"] == "failed"
    assert run_json("--programme", other, "progress")["ects_done"] == 5
    data = run_json("--programme", other, "grades")
    assert data["compensated_ects"] == 5
    assert {f["code"]: f["state"] for f in data["failed"]} == {
        "maths": "compensated",
        "programming": "failed",
    }
    assert data["average"] == 45  # a compensated mark counts as it is
    assert data["band"] == "fail"
    text = " ".join(run("--programme", other, "grades").stdout.split())
    assert "45 (compensated)" in text
    assert "Compensated: 5 of at most 5 ECTS" in text


def test_a_compensated_module_has_no_hours_left(
    run: Run, run_json: RunJson, tmp_path: Path
) -> None:
    """It counts as passed: its hours leave the hours still to do (and so the week's plan)."""
    other = str(programme_file(tmp_path, COMPENSATE_5))
    before = run_json("--programme", other, "hours")["hours_remaining"]
    run("--programme", other, "fail", "maths", "--mark", "45", "--on", DAY)
    run("--programme", other, "fail", "programming", "--mark", "47", "--on", DAY)
    after = run_json("--programme", other, "hours")["hours_remaining"]
    assert after == before - 5 * 25  # maths' 125 h; programming, still failed, keeps its own


def test_compensation_in_the_domain_is_oldest_first_then_file_order() -> None:
    programme = load_programme(SHIPPED)
    on = programme.classification.compensation
    assert not on.on and on.floor == 40  # shipped: off
    from dataclasses import replace

    rules = replace(programme.classification, compensation=replace(on, max_ects=5))
    programme = replace(programme, classification=rules)
    record = Progress(
        failed_attempts={
            "programming": (Attempt(on=date(2026, 1, 13), mark=47),),
            "maths": (Attempt(on=date(2026, 1, 12), mark=45),),
            "eda": (Attempt(on=date(2026, 1, 1), mark=39),),  # below the floor
        }
    )
    found = marks.standings(programme, record)
    assert {c: s.state for c, s in found.items()} == {
        "programming": "failed",
        "maths": "compensated",
        "eda": "failed",
    }
    assert marks.ects_done(Facts(programme, record, date(2026, 11, 25))) == 5


def test_compensation_off_by_default(run: Run, run_json: RunJson) -> None:
    run("fail", "maths", "--mark", "45", "--on", DAY)
    assert run_json("progress")["ects_done"] == 0
    assert run_json("grades")["compensated_ects"] == 0


# --- example 3: taught_and_project ------------------------------------------


def taught_at(mark: float, project: float | None = None) -> Progress:
    programme = load_programme(SHIPPED)
    done = {
        m.code: Completion(on=date(2026, 1, 1), mark=mark)
        for m in programme.modules
        if m.code != "project"
    }
    if project is not None:
        done["project"] = Completion(on=date(2026, 1, 1), mark=project)
    return Progress(completions=done)


def test_example_taught_and_project_the_project_holds_back_distinction(tmp_path: Path) -> None:
    programme = load_programme(programme_file(tmp_path, TAUGHT_AND_PROJECT))
    result = marks.grades(Facts(programme, taught_at(72, project=65), date(2026, 11, 25)))
    assert result.method == "taught_and_project"
    assert result.average == pytest.approx(72)
    assert result.marked_ects == 70
    assert result.project_mark == 65
    assert result.band == "merit"
    hurdles = {h.band: h.hurdle for h in result.hurdles}
    assert hurdles == {
        "pass": None,
        "merit": None,
        "distinction": "the project's 65 is below 70",
    }
    # the same record, weighted: (72·70 + 65·20) / 90 = 70.44, distinction
    weighted = marks.grades(
        Facts(load_programme(SHIPPED), taught_at(72, project=65), date(2026, 11, 25))
    )
    assert weighted.average == pytest.approx((72 * 70 + 65 * 20) / 90)
    assert weighted.band == "distinction"


def test_example_taught_and_project_target_says_the_project_needs_70(
    tmp_path: Path,
) -> None:
    programme = load_programme(programme_file(tmp_path, TAUGHT_AND_PROJECT))
    result = marks.targets(Facts(programme, taught_at(72), date(2026, 11, 25)))
    assert result.method == "taught_and_project"
    assert result.average == pytest.approx(72)
    assert result.remaining_ects == 0
    needed = {t.band: (t.needed_average, t.project_needed, t.state) for t in result.targets}
    assert needed == {
        "pass": (None, 50, "secured"),
        "merit": (None, 60, "reachable"),
        "distinction": (None, 70, "reachable"),
    }
    assumed = marks.targets(Facts(programme, taught_at(72), date(2026, 11, 25)), {"project": 65})
    assert {t.band: t.state for t in assumed.targets}["distinction"] == "out_of_reach"


def test_taught_and_project_through_the_cli(run: Run, run_json: RunJson, tmp_path: Path) -> None:
    other = str(programme_file(tmp_path, TAUGHT_AND_PROJECT))
    run("complete", "maths", "--mark", "72", "--on", DAY)
    data = run_json("--programme", other, "target")
    assert data["method"] == "taught_and_project"
    assert data["project_mark"] is None
    assert [t["project_needed"] for t in data["targets"]] == [50, 60, 70]
    assert data["remaining_ects"] == 65
    assert "Project" in run("--programme", other, "target").stdout
    run("complete", "project", "--mark", "65", "--on", DAY)
    data = run_json("--programme", other, "grades")
    assert (data["average"], data["project_mark"], data["band"]) == (72, 65, "merit")
    text = run("--programme", other, "grades").stdout
    assert "Taught average 72.00 (merit)" in text
    assert "Not distinction (70): the project's 65 is below 70" in text


def test_a_failed_project_can_bring_at_most_the_cap(
    run: Run, run_json: RunJson, tmp_path: Path
) -> None:
    """Under taught_and_project, a failed project's resit counts at most 50: merit and
    distinction are out of reach, and pass is reachable (its resit must pass), not secured."""
    other = str(programme_file(tmp_path, TAUGHT_AND_PROJECT))
    run("complete", "maths", "--mark", "72", "--on", DAY)
    run("fail", "project", "--mark", "40", "--on", DAY)
    targets = {t["band"]: t for t in run_json("--programme", other, "target")["targets"]}
    assert (targets["pass"]["state"], targets["pass"]["project_needed"]) == ("reachable", 50)
    assert targets["merit"]["state"] == targets["distinction"]["state"] == "out_of_reach"
    hurdles = {h["band"]: h["hurdle"] for h in run_json("--programme", other, "grades")["hurdles"]}
    assert "the project failed; its resit counts at most 50" in hurdles["merit"]
    assert "the project failed; its resit needs 50" in hurdles["pass"]


# --- the rules of a record --------------------------------------------------


def test_attempts_beyond_the_programmes_are_refused(run: Run, refuse: Refuse) -> None:
    run("fail", "maths", "--mark", "30", "--on", "2026-01-01")
    said = run("fail", "maths", "--mark", "35", "--on", "2026-02-01").stderr
    assert "no attempts left at maths" in said
    result = refuse(
        "complete",
        "maths",
        "--mark",
        "60",
        needles=("maths allows 2 attempts, and 3 are recorded",),
    )
    assert "hint: an attempt recorded by mistake: mldsplan unfail CODE" in result.stderr
    refuse("fail", "maths", "--mark", "20", needles=("allows 2 attempts",))


def test_a_failed_mark_must_be_below_the_pass_mark(refuse: Refuse) -> None:
    refuse("fail", "maths", "--mark", "55", needles=("not below the pass mark 50",))


def test_a_failure_in_the_future_is_refused(refuse: Refuse) -> None:
    refuse("fail", "maths", "--mark", "40", "--on", "2099-01-01", needles=("in the future",))


def test_a_failure_after_the_pass_is_refused(run: Run, refuse: Refuse) -> None:
    run("complete", "maths", "--mark", "60", "--on", "2026-01-01")
    refuse("fail", "maths", "--mark", "40", "--on", "2026-02-01", needles=("comes before",))


def test_fail_takes_the_module_mark_from_the_assessments(run: Run, run_json: RunJson) -> None:
    run("assess", "add", "maths", "Exam", "--weight", "100")
    refuse_result = run("fail", "maths", ok=False)
    assert_one_line_error(refuse_result, "no module mark yet")
    run("assess", "mark", "maths", "Exam", "42")
    assert "maths: 42 on" in run("fail", "maths").stderr
    assert run_json("grades")["failed"][0]["marks"] == [42]


def test_a_module_mark_that_passes_is_not_a_failure(run: Run) -> None:
    run("assess", "add", "maths", "Exam", "--weight", "100")
    run("assess", "mark", "maths", "Exam", "62")
    assert_one_line_error(run("fail", "maths", ok=False), "not below the pass mark")


def test_unfail_removes_the_latest_failed_attempt(run: Run, run_json: RunJson) -> None:
    run("fail", "maths", "--mark", "30", "--on", "2026-01-01")
    run("fail", "maths", "--mark", "35", "--on", "2026-02-01")
    said = run("unfail", "maths").stderr
    assert "removed the failed attempt at maths of 2026-02-01 (mark 35)" in said
    assert run_json("grades")["failed"][0]["marks"] == [30]
    run("unfail", "maths")
    assert run_json("grades")["failed"] == []
    assert_one_line_error(run("unfail", "maths", ok=False), "maths has no failed attempt")


def test_unfail_then_undo(run: Run, run_json: RunJson) -> None:
    run("fail", "maths", "--mark", "30", "--on", "2026-01-01")
    run("unfail", "maths")
    run("undo")
    assert run_json("grades")["failed"][0]["marks"] == [30]


# --- the words: discretion, exit awards, the footer -------------------------


def test_borderline_is_discretion_not_a_result(run: Run, run_json: RunJson) -> None:
    run("complete", "maths", "--mark", "58", "--on", DAY)
    data = run_json("grades")
    assert data["band"] == "pass"
    assert "within 2.5 of merit: the board may consider promotion" in data["notes"]
    assert "Within 2.5 of merit: the board may consider promotion" in run("grades").stdout


def test_exit_awards_and_the_footer_say_what_is_assumed_once(run: Run) -> None:
    run("complete", "maths", "--mark", "58", "--on", DAY)
    text = " ".join(run("grades").stdout.split())
    assert "Exit award PG Certificate at 30 ECTS, if your programme offers them" in text
    assert text.count("Assumed, not published for this programme") == 1
    for rule in ["the bands", "the classification method (weighted)", "2 attempts", "off"]:
        assert rule in text
    target = " ".join(run("target").stdout.split())
    assert target.count("Assumed, not published for this programme") == 1


def test_the_page_shows_failed_with_attempts_left(run: Run, tmp_path: Path) -> None:
    run("fail", "maths", "--mark", "30", "--on", DAY)
    page = tmp_path / "page.html"
    run("export", "--format", "html", "--output", str(page))
    html = page.read_text()
    assert "failed<span" in html
    assert "1 attempt left" in html
    assert "the board may consider promotion" not in html


# --- check: the programme's new fields --------------------------------------


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("merit = 60", "merit = 75"), "bands must rise"),
        (("from = 40", "from = 50"), "classification.compensation.from: 50 is not below"),
        (("attempts = 2", "attempts = 0"), "classification.attempts"),
        (TAUGHT_AND_PROJECT, None),
        (
            (TAUGHT_AND_PROJECT[0] + "\n", TAUGHT_AND_PROJECT[1] + "\n"),
            None,
        ),
    ],
)
def test_check_validates_the_award_rules(
    run: Run, tmp_path: Path, change: tuple[str, str], needle: str | None
) -> None:
    path = programme_file(tmp_path, change)
    result = run("--programme", str(path), "check", ok=needle is None)
    if needle is not None:
        assert needle in result.stdout + result.stderr


def test_check_wants_exactly_one_project(run: Run, tmp_path: Path) -> None:
    path = programme_file(tmp_path, TAUGHT_AND_PROJECT, ("project = true\n", ""))
    result = run("--programme", str(path), "check", ok=False)
    assert "needs exactly one module with project = true (0 have it)" in result.stdout
    path = programme_file(
        tmp_path,
        TAUGHT_AND_PROJECT,
        ('code = "agents"\n', 'code = "agents"\nproject = true\n'),
    )
    result = run("--programme", str(path), "check", ok=False)
    assert "(2 have it: agents, project)" in result.stdout


def test_a_weighted_programme_needs_no_project(run: Run, tmp_path: Path) -> None:
    path = programme_file(tmp_path, ("project = true\n", ""))
    run("--programme", str(path), "check")


def test_target_counts_a_failed_modules_resit_at_most_the_cap(run: Run, run_json: RunJson) -> None:
    """maths failed (5 ECTS): its resit brings at most 50, so the other 85 ECTS need more."""
    run("fail", "maths", "--mark", "42", "--on", DAY)
    needed = {t["band"]: t["needed_average"] for t in run_json("target")["targets"]}
    assert round(needed["merit"], 4) == round((60 * 90 - 50 * 5) / 85, 4)  # 60.5882, not 60
    assumed = run_json("target", "--assume", "maths=80")
    assert assumed["average"] == 50  # an assumed resit is capped too


def test_a_failure_before_its_term_starts_is_refused(run: Run, refuse: Refuse) -> None:
    """big-data is year 1 term 3 (from 2026-05-01): no result can come before it."""
    run("init", "--start", "2025-10")
    refuse(
        "fail",
        "big-data",
        "--mark",
        "30",
        "--on",
        "2026-01-01",
        needles=("--on: 2026-01-01 is before its term (year 1 term 3) starts on 2026-05-01",),
    )


def test_a_failed_mark_at_the_pass_mark_says_why_in_a_whole_sentence(refuse: Refuse) -> None:
    refuse("fail", "maths", "--mark", "55", needles=("a failed attempt's mark is below it",))
