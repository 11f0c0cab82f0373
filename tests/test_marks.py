"""Marks: the ECTS-weighted average, the band, targets, and the rules as data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, Refuse, Run, RunJson, assert_one_line_error
from mldsplan.domain import marks as grades
from mldsplan.domain import workload
from mldsplan.domain.facts import Facts
from mldsplan.domain.progress import Completion, Progress
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)
ECTS = {m.code: m.ects for m in PROGRAMME.modules}
DAY = date(2026, 1, 1)


def record(**marks: float) -> Progress:
    return Progress(
        completions={c.replace("_", "-"): Completion(on=DAY, mark=m) for c, m in marks.items()}
    )


def test_weighted_average_over_mixed_ects(run: Run, run_json: RunJson) -> None:
    # 2.5, 5, 7.5 and 20 ECTS
    for code, mark in [("ethics-1", 80), ("maths", 60), ("supervised", 70), ("project", 65)]:
        run("complete", code, "--mark", str(mark), "--on", "2026-01-01")
    data = run_json("grades")
    expected = (80 * 2.5 + 60 * 5 + 70 * 7.5 + 65 * 20) / 35
    assert data["average"] == pytest.approx(expected)  # 66.43
    assert data["marked_ects"] == 35
    assert data["band"] == "merit"
    assert data["borderline"] is False


def test_needed_average_for_each_band(run: Run, run_json: RunJson) -> None:
    run("complete", "maths", "--mark", "74", "--on", "2026-01-01")
    run("complete", "supervised", "--mark", "66", "--on", "2026-01-01")
    data = run_json("target")
    weighted = 74 * 5 + 66 * 7.5
    needed = {t["band"]: t["needed_average"] for t in data["targets"]}
    for band, threshold in [("pass", 50), ("merit", 60), ("distinction", 70)]:
        assert needed[band] == pytest.approx((threshold * 90 - weighted) / 77.5)
    states = {t["band"]: t["state"] for t in data["targets"]}
    assert states == {"pass": "secured", "merit": "reachable", "distinction": "reachable"}


def test_a_resit_cap_changes_the_band(run: Run, run_json: RunJson) -> None:
    run("complete", "maths", "--mark", "64", "--on", "2026-01-01")
    run("complete", "programming", "--mark", "62", "--on", "2026-01-01")
    assert run_json("grades")["band"] == "merit"
    run("mark", "programming", "62", "--resit")
    data = run_json("grades")
    assert data["average"] == pytest.approx((64 * 5 + 50 * 5) / 10)
    assert data["band"] == "pass"
    programming = next(m for m in data["modules"] if m["code"] == "programming")
    assert programming["mark"] == 62 and programming["counted_mark"] == 50


def test_borderline_notice() -> None:
    result = grades.grades(Facts(PROGRAMME, record(maths=68, programming=68), date(2026, 11, 25)))
    assert result.band == "merit" and result.borderline and result.borderline_band == "distinction"
    assert not grades.grades(Facts(PROGRAMME, record(maths=67.4), date(2026, 11, 25))).borderline


def test_the_borderline_carries_its_bands_threshold() -> None:
    near_merit = grades.grades(Facts(PROGRAMME, record(maths=58), date(2026, 11, 25)))
    assert (near_merit.borderline_band, near_merit.borderline_threshold) == ("merit", 60)
    assert (
        grades.grades(Facts(PROGRAMME, record(maths=68), date(2026, 11, 25))).borderline_threshold
        == 70
    )
    clear = grades.grades(Facts(PROGRAMME, record(maths=64), date(2026, 11, 25)))
    assert clear.borderline_band is None and clear.borderline_threshold is None
    assert (
        grades.grades(Facts(PROGRAMME, Progress(), date(2026, 11, 25))).borderline_threshold is None
    )  # no marks


@given(st.floats(min_value=0, max_value=100))
@settings(max_examples=200, deadline=None)
def test_a_borderline_threshold_is_its_bands(mark: float) -> None:
    result = grades.grades(Facts(PROGRAMME, record(maths=mark), date(2026, 11, 25)))
    bands = dict(PROGRAMME.classification.bands)
    expected = bands[result.borderline_band] if result.borderline_band else None
    assert result.borderline_threshold == expected
    if expected is not None:
        margin = PROGRAMME.classification.borderline_margin
        assert expected - margin <= mark < expected


def test_a_resit_is_capped_only_above_the_cap() -> None:
    result = grades.grades(
        Facts(
            PROGRAMME,
            Progress(
                completions={
                    "eda": Completion(on=DAY, mark=62, resit=True),
                    "maths": Completion(on=DAY, mark=50, resit=True),  # at the cap: counted whole
                    "programming": Completion(on=DAY, mark=80),
                }
            ),
            date(2026, 11, 25),
        )
    )
    capped = {m.code: (m.capped, m.counted_mark) for m in result.modules}
    assert capped == {"eda": (True, 50), "maths": (False, 50), "programming": (False, 80)}


def test_ects_done_by_day_is_cumulative_per_completion_day() -> None:
    progress = Progress(
        completions={
            "maths": Completion(on=date(2026, 1, 20)),
            "programming": Completion(on=date(2026, 1, 20), mark=70),
            "eda": Completion(on=date(2026, 5, 20)),
            "ethics-1": Completion(on=date(2025, 12, 1)),
        }
    )
    points = [
        (p.on, p.ects)
        for p in grades.ects_done_by_day(Facts(PROGRAMME, progress, date(2026, 11, 25)))
    ]
    assert points == [
        (date(2025, 12, 1), 2.5),
        (date(2026, 1, 20), 12.5),
        (date(2026, 5, 20), 17.5),
    ]
    assert points[-1][1] == grades.ects_done(Facts(PROGRAMME, progress, date(2026, 11, 25)))
    assert grades.ects_done_by_day(Facts(PROGRAMME, Progress(), date(2026, 11, 25))) == []


def test_a_term_is_complete_once_every_module_planned_in_it_is_done() -> None:
    done = ("ethics-1", "maths", "eda")
    progress = Progress(
        start="2025-10",
        completions={code: Completion(on=DAY) for code in done},
        deferrals={"programming": 1},  # year 1 term 1 keeps ethics-1 and maths, both done
    )
    terms = workload.progress_summary(Facts(PROGRAMME, progress, date(2026, 11, 25))).terms
    complete = {(t.year, t.term): t.complete for t in terms}
    assert complete[1, 1] is True  # what is planned there is done
    assert complete[1, 2] is False  # eda done, supervised not
    assert complete[2, 1] is False  # programming, moved here, not done
    assert all(t.complete == (t.ects_done == t.ects) for t in terms)


def test_exactly_at_a_threshold_is_that_band() -> None:
    assert (
        grades.grades(Facts(PROGRAMME, record(maths=70), date(2026, 11, 25))).band == "distinction"
    )
    assert grades.grades(Facts(PROGRAMME, record(maths=69.999), date(2026, 11, 25))).band == "merit"


def test_nothing_remaining_secures_or_loses_each_band() -> None:
    everything = {m.code.replace("-", "_"): 65.0 for m in PROGRAMME.modules}
    result = grades.targets(Facts(PROGRAMME, record(**everything), date(2026, 11, 25)))
    assert result.remaining_ects == 0
    assert [(t.band, t.needed_average, t.state) for t in result.targets] == [
        ("pass", None, "secured"),
        ("merit", None, "secured"),
        ("distinction", None, "out_of_reach"),
    ]


def test_secured_when_exactly_the_pass_mark_is_needed_and_out_of_reach_above_100() -> None:
    # 47.5 ECTS at 70 and unsupervised assumed at 50: the needed merit average follows SPEC §4
    half = {c.replace("-", "_"): 70.0 for c in PROGRAMME.codes[:9]}
    assert sum(ECTS[c.replace("_", "-")] for c in half) == 47.5
    result = grades.targets(
        Facts(PROGRAMME, record(**half), date(2026, 11, 25)), assume={"unsupervised": 50.0}
    )
    merit = next(t for t in result.targets if t.band == "merit")
    assert merit.needed_average == pytest.approx((60 * 90 - 70 * 47.5 - 50 * 7.5) / 35)
    low = grades.targets(Facts(PROGRAMME, record(**dict.fromkeys(half, 50.0)), date(2026, 11, 25)))
    assert next(t for t in low.targets if t.band == "distinction").state == "reachable"
    very_low = grades.targets(
        Facts(PROGRAMME, record(**dict.fromkeys(half, 50.0)), date(2026, 11, 25)),
        assume={"project": 50.0},
    )
    assert next(t for t in very_low.targets if t.band == "distinction").state == "out_of_reach"
    exact = grades.targets(Facts(PROGRAMME, record(programming=50.0), date(2026, 11, 25)))
    assert next(t for t in exact.targets if t.band == "pass").needed_average == pytest.approx(50)
    assert next(t for t in exact.targets if t.band == "pass").state == "secured"


def test_assume_adds_planned_marks_without_recording(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    run("complete", "maths", "--mark", "60", "--on", "2026-01-01")
    before = progress_file.read_bytes()
    data = run_json("target", "--assume", "project=75", "--assume", "AGE=65")
    assert data["assumed"] == {"project": 75, "agents": 65}
    assert data["marked_ects"] == 32.5
    assert progress_file.read_bytes() == before


@pytest.mark.parametrize(
    ("assume", "needle"),
    [
        ("maths=70", "already has a mark"),
        ("nonsense=70", "unknown module"),
        ("project", "is not CODE=MARK"),
        ("project=", "is not CODE=MARK"),
        ("project=lots", "is not a number"),
        ("project=120", "120 must be at least 0 and at most 100"),
    ],
)
def test_bad_assumptions(run: Run, assume: str, needle: str) -> None:
    run("complete", "maths", "--mark", "60", "--on", "2026-01-01")
    assert_one_line_error(run("target", "--assume", assume, ok=False), needle)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["maths", "120"], "MARK"),
        (["maths", "40"], "below the pass mark"),
        (["eda", "70"], "not completed"),
    ],
)
def test_bad_marks_change_nothing(run: Run, args: list[str], needle: str, refuse: Refuse) -> None:
    run("complete", "maths", "--mark", "60", "--on", "2026-01-01")
    refuse("mark", *args, needles=(needle,))


def test_a_mark_that_is_not_a_number(run: Run) -> None:
    run("complete", "maths", "--on", "2026-01-01")
    assert run("mark", "maths", "seventy", ok=False).exit_code == 2


def test_unmarked_completions_are_listed_and_left_out(run: Run, run_json: RunJson) -> None:
    run("complete", "maths", "--on", "2026-01-01")
    run("complete", "eda", "--mark", "72", "--on", "2026-05-01")
    data = run_json("grades")
    assert data["unmarked"] == ["maths"] and data["average"] == 72
    assert "not in the average" in run("grades").stdout


def test_no_marks_yet(run_json: RunJson) -> None:
    data = run_json("grades")
    assert data["average"] is None and data["band"] is None


def test_exit_awards_by_ects(run: Run, run_json: RunJson) -> None:
    run("complete", "ethics-1", "programming", "maths", "eda", "supervised", "--on", "2026-05-01")
    awards = {a["name"]: a["reached"] for a in run_json("grades")["exit_awards"]}
    assert awards == {"PG Certificate": False, "PG Diploma": False}
    run("complete", "big-data", "--on", "2026-09-01")
    awards = {a["name"]: a["reached"] for a in run_json("grades")["exit_awards"]}
    assert awards == {"PG Certificate": True, "PG Diploma": False}


def test_rules_live_in_the_programme_file(run: Run, run_json: RunJson, tmp_path: Path) -> None:
    other = tmp_path / "strict.toml"
    other.write_text(SHIPPED.read_text().replace("distinction = 70", "distinction = 75"))
    run("complete", "maths", "--mark", "72", "--on", "2026-01-01")
    assert run_json("--programme", str(other), "grades")["band"] == "merit"


marks = st.floats(min_value=50, max_value=100, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(PROGRAMME.codes), marks, min_size=1))
def test_average_lies_between_the_lowest_and_highest_mark(given_marks: dict[str, float]) -> None:
    result = grades.grades(
        Facts(
            PROGRAMME,
            record(**{c.replace("-", "_"): m for c, m in given_marks.items()}),
            date(2026, 11, 25),
        )
    )
    assert result.average is not None
    assert min(given_marks.values()) - 1e-9 <= result.average <= max(given_marks.values()) + 1e-9


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(PROGRAMME.codes), marks), st.sampled_from([0, 1, 2]))
def test_getting_the_needed_average_everywhere_lands_on_the_threshold(
    given_marks: dict[str, float], band_index: int
) -> None:
    result = grades.targets(
        Facts(
            PROGRAMME,
            record(**{c.replace("-", "_"): m for c, m in given_marks.items()}),
            date(2026, 11, 25),
        )
    )
    target = result.targets[band_index]
    if target.needed_average is None:
        return
    final = grades.weighted_mean(
        [
            (given_marks[m.code], m.ects)
            if m.code in given_marks
            else (target.needed_average, m.ects)
            for m in PROGRAMME.modules
        ]
    )
    assert final == pytest.approx(target.threshold)


def test_a_bad_rule_is_a_load_error(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "bad-rules.toml"
    other.write_text(
        SHIPPED.read_text().replace("borderline_margin = 2.5", "borderline_margin = -1")
    )
    assert_one_line_error(
        run("--programme", str(other), "grades", ok=False), "classification.borderline_margin"
    )


def test_progress_shows_the_average_where_marks_are_set(run: Run) -> None:
    assert "Marks" not in run("progress").stdout
    run("complete", "maths", "--mark", "74", "--on", "2026-01-01")
    assert "Marks    average 74.00 (distinction) over 5 ECTS" in run("progress").stdout


def test_a_module_assumed_twice_is_refused(run: Run) -> None:
    run("complete", "maths", "--mark", "60", "--on", "2026-01-01")
    result = run("target", "--assume", "project=70", "--assume", "PROJ=75", ok=False)
    assert_one_line_error(result, "--assume", "project is given twice")


def test_the_target_table(run: Run, run_json: RunJson) -> None:
    assert "No marks yet; 90 ECTS still to mark" in run("target").stdout
    run("complete", "maths", "--mark", "74", "--on", "2026-01-01")
    run("complete", "supervised", "--mark", "66", "--on", "2026-01-01")
    args = ("target", "--assume", "project=75")
    data = run_json(*args)
    lines = run(*args).stdout.splitlines()
    weighted = 74 * 5 + 66 * 7.5 + 75 * 20
    assert lines[0] == (
        f"Average {weighted / 32.5:.2f} over 32.5 ECTS including assumed project=75;"
        " 57.5 ECTS still to mark"
    )
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["Band"])
    assert lines[header].split() == ["Band", "Threshold", "Needed", "State"]
    rows = [line.split() for line in lines[header + 2 : header + 5]]
    expected = []
    for band, threshold in [("pass", 50), ("merit", 60), ("distinction", 70)]:
        needed = (threshold * 90 - weighted) / 57.5
        state = "secured" if needed <= 50 else "reachable" if needed <= 100 else "out of reach"
        expected.append([band, f"{threshold}", f"{needed:.2f}", *state.split()])
    assert rows == expected
    assert [r[:3] for r in rows] == [
        [t["band"], f"{t['threshold']:g}", f"{t['needed_average']:.2f}"] for t in data["targets"]
    ]
    assert "secured: reached if you pass every remaining module" in lines


def test_an_average_is_never_shown_across_a_band_threshold(run: Run) -> None:
    """69.995 is merit: it reads 69.99 beside distinction at 70, never "70.00 (merit)"."""
    run("init", "--start", "2025-10")
    run("complete", "eda", "--mark", "69.99", "--on", "2026-04-28")
    run("complete", "supervised", "--mark", "70", "--on", "2026-04-28")
    text = " ".join(run("grades").stdout.split())
    assert "69.99 (merit)" in text and "70.00 (merit)" not in text
    assert "the average 69.99 is below 70" in text
