"""The html export: a student's dashboard, self-contained, escaped, readable on a phone."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import SHIPPED, TODAY, MadeWith, Run, RunJson
from mldsplan.domain import studytime, workload
from mldsplan.domain.facts import Facts
from mldsplan.domain.progress import Completion, LogEntry, Progress
from mldsplan.output import dashboard, progress_view
from mldsplan.storage.programme_file import load_programme
from test_export import _chromium, _flags

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}  # a Wednesday; the chart's weeks run from Monday 2026-09-07


@pytest.fixture
def student(made_with: MadeWith) -> None:
    made_with(
        ("init", "--start", "2025-10", "--weekly-hours", "18"),
        ("complete", "programming", "--mark", "70", "--on", "2026-01-20"),
        ("complete", "maths", "--on", "2026-01-20"),
        ("complete", "eda", "--mark", "55", "--resit", "--on", "2026-05-20"),
        ("log", "9", "--module", "bayesian", "--on", "2026-09-08"),
        ("log", "20", "--module", "bayesian", "--on", "2026-11-17"),
        ("log", "2.5", "--module", "bayesian", "--note", "lecture 4", "--on", "2026-11-24"),
        ("log", "1", "--on", "2026-06-01", "--note", "before the chart's weeks"),
        ("defer", "agents"),
    )


class Page(HTMLParser):
    """Every start tag with its attributes, the text, and the text inside each id'd element."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.inside: dict[str, list[str]] = {}
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag in VOID:
            return
        self.open.append(values.get("id", ""))
        if values.get("id"):
            self.inside.setdefault(values["id"], [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.open and tag not in VOID:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for name in filter(None, self.open):
            self.inside[name].append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def section_ids(self) -> list[str]:
        return [a["id"] for a in self.all("section")]

    def words(self, element_id: str) -> str:
        return " ".join(" ".join(self.inside[element_id]).split())


def export_html(run: Run, *args: str) -> str:
    result = run("export", "--format", "html", *args)
    assert result.stderr == ""
    out: str = result.stdout
    return out


def test_page_shows_every_section_in_order(run: Run, student: None) -> None:
    page = Page(export_html(run))
    assert page.section_ids() == [
        "progress",
        "this-week",
        "warnings",
        "ects-over-time",
        "study-hours",
        "term-load",
        "marks",
        "plan",
        "log",
    ]  # no deadlines: there are no assessments in the data yet
    assert "15 of 90 ECTS done (16.7%)" in page.words("progress")
    # 75 ECTS x 25 h, less the 31.5 h logged to bayesian, as the terminal writes it
    assert "1,843.5 h" in page.words("progress")
    finish = TODAY + timedelta(days=math.ceil(7 * 1843.5 / 18))
    assert f"At your 18 h/week target 102.42 weeks; finish {finish}" in page.words("progress")
    assert "This week 2.5 of 18 h" in page.words("progress")
    assert "agents is planned no earlier" in page.words("warnings")
    assert "Average 60.00 (merit)" in page.words("marks")  # (70 x 5 + 50 x 5 [resit cap]) / 10
    assert "distinction (70) 71.25 reachable" in page.words("marks")  # (70 x 90 - 600) / 80
    assert "Y2 T1 2026-10-01 to 2027-01-14 375" in page.words("term-load")
    assert "Made with mldsplan on 2026-11-25." in " ".join(page.text)


def test_the_plan_is_one_table_with_a_body_per_term(run: Run, student: None) -> None:
    text = export_html(run)
    page = Page(text)
    assert [a.get("class") for a in page.all("table")].count("plan") == 1
    plan = page.words("plan")
    for heading in [
        "Year 1, term 1 · 2025-10-01 to 2026-01-14 · 10 of 12.5 ECTS done",
        "Year 3, term 2 · 2028-01-15 to 2028-04-30 · 0 of 7.5 ECTS done",
    ]:
        assert heading in plan
    assert text.count('<tr><th scope="colgroup" colspan="7">') == 7  # 7 planned terms
    assert "moved from year 2" in plan
    assert "resit, counts 50" in plan
    codes = [a for a in page.all("span") if a.get("class") == "code"]
    assert len(codes) >= 14
    assert '<span class="code">deep-learning</span>' in text  # nowrap: never broken at '-'


def test_charts_are_inline_svg_with_a_text_alternative(run: Run, student: None) -> None:
    text = export_html(run)
    page = Page(text)
    charts = page.all("svg")
    assert len(charts) == 2
    for svg in charts:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert page.words(title_id) and page.words(desc_id)
    assert "15 of 90 ECTS completed by 2026-11-25; the plan has 40 ECTS done" in page.words(
        "ects-over-time"
    )
    hours = page.words("study-hours")
    assert "31.5 h logged in the last 12 weeks" in hours  # 9 + 20 + 2.5; June is older
    assert "the 18 h target was reached in 1 of 11 full weeks." in hours  # logging since June
    # the figures behind the bars, one row a week, oldest first
    assert "2026-09-07 9 18" in hours and "2026-11-16 20 18" in hours
    assert "2026-11-23 2.5 18" in hours
    assert len(re.findall(r"\d{4}-\d\d-\d\d [\d.]+ 18\b", hours)) == 12
    assert "2026-01-20 10" in page.words("ects-over-time")
    assert len([a for a in page.all("rect") if "hbar" in a.get("class", "")]) == 12


def test_no_external_resources_and_no_script(run: Run, student: None) -> None:
    text = export_html(run, "--with-notes")
    page = Page(text)
    tags = {name for name, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base"}
    for _, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            if name in {"src", "href", "xlink:href", "action", "srcset"}:
                assert not value.lower().startswith(("http:", "https:", "//")), value
    assert "http://" not in text and "https://" not in text
    assert "@import" not in text and "url(" not in text


def test_log_notes_only_with_with_notes_and_always_escaped(
    run: Run, student: None, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(
        SHIPPED.read_text().replace(
            'title = "Applicable Maths"', 'title = "<script>alert(1)</script> Maths"'
        )
    )
    run("log", "1", "--note", "<script>alert(2)</script>", "--on", "2026-11-21")
    plain = run("--programme", str(hostile), "export", "--format", "html").stdout
    noted = run("--programme", str(hostile), "export", "--format", "html", "--with-notes").stdout
    for text in (plain, noted):
        assert "<script" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Maths" in text  # titles escaped
        assert not Page(text).all("script")
    assert "alert(2)" not in plain and "lecture 4" not in plain and "Note</th>" not in plain
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in noted and "lecture 4" in noted
    assert "<script>alert(2)</script>" in Page(noted).words("log")


def test_other_formats_ignore_with_notes(run: Run, student: None) -> None:
    for fmt in ("csv", "markdown", "json"):
        assert (
            run("export", "--format", fmt).stdout
            == run("export", "--format", fmt, "--with-notes").stdout
        )


def test_deadlines_are_listed_when_there_are_any(run: Run, student: None) -> None:
    assert "deadlines" not in Page(export_html(run)).section_ids()
    run("assess", "add", "bayesian", "Coursework <1>", "--weight", "30", "--due", "2026-12-04")
    run("assess", "add", "deep", "Quiz 3", "--weight", "10", "--due", "2026-11-30")
    run("assess", "add", "deep", "marked", "--weight", "10", "--due", "2026-11-01")
    run("assess", "mark", "deep", "marked", "60")  # past and marked: not listed
    run("assess", "add", "deep", "late", "--weight", "10", "--due", "2026-11-02")
    text = export_html(run)
    page = Page(text)
    assert "deadlines" in page.section_ids()
    # days left beside every deadline; the module under the name too, for narrow screens
    assert page.words("deadlines").startswith(
        "Upcoming deadlines Due Left What Module"
        " 2026-11-02 23 days overdue , no mark late (10%) deep-learning deep-learning"
        " 2026-11-30 in 5 days Quiz 3 (10%) deep-learning deep-learning"
        " 2026-12-04 in 9 days Coursework <1> (30%) bayesian bayesian"
    )
    # the one past due without a mark is highlighted, in words as well as colour
    section = text[text.index('<section id="deadlines"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(r"<tr( class=\"overdue\")?><td class=\"d\">(\S+)</td>", section)
    assert [(day, bool(late)) for late, day in rows] == [
        ("2026-11-02", True),
        ("2026-11-30", False),
        ("2026-12-04", False),
    ]
    assert "assess mark CODE NAME MARK" in page.words("deadlines")


def test_the_finish_dates_at_the_target_and_at_the_recent_pace_are_each_labelled(
    run: Run, run_json: RunJson, student: None
) -> None:
    hours = run_json("hours")
    # the last 28 days, 29 October to 25 November: 20 + 2.5 h in 4 weeks
    assert hours["pace"]["recent_weekly_hours"] == pytest.approx(22.5 / 4)
    at_pace = TODAY + timedelta(days=math.ceil(7 * 1843.5 / (22.5 / 4)))
    assert hours["pace_finish_date"] == str(at_pace)  # the domain's figure, not the page's
    progress = Page(export_html(run)).words("progress")
    assert f"At your 18 h/week target 102.42 weeks; finish {hours['finish_date']}" in progress
    assert f"At your recent pace of 5.63 h/week finish {at_pace} over the last 28 days" in progress
    assert "At your pace" not in progress  # the target's date, once labelled as the pace's


def test_the_recent_pace_line_without_recent_study(run: Run) -> None:
    run("init", "--start", "2025-10")
    assert "At your recent pace nothing logged yet: mldsplan log HOURS" in Page(
        export_html(run)
    ).words("progress")
    run("log", "2", "--on", "2026-11-23")  # this week: the recent span starts at the entry
    assert "h/week finish 20" in Page(export_html(run)).words("progress")
    assert "since your first log entry, 2026-11-23" in Page(export_html(run)).words("progress")
    run("log", "--remove", "1")
    run("log", "2", "--on", "2026-09-01")  # nothing in the last 28 days
    assert "At your recent pace of 0 h/week no finish date over the last 28 days" in Page(
        export_html(run)
    ).words("progress")


def test_a_pace_too_slow_for_the_calendar_has_no_finish_date() -> None:
    on = date(2026, 11, 25)
    crawl = Progress(log=(LogEntry(on - timedelta(days=27), 0.01),))  # 0.0025 h/week
    assert workload.hours_summary(Facts(PROGRAMME, crawl, on)).pace_finish_date is None
    steady = Progress(log=(LogEntry(on - timedelta(days=27), 84.0),))  # 21 h/week
    result = workload.hours_summary(Facts(PROGRAMME, steady, on))
    assert result.pace_finish_date == result.finish_date  # the target is 21 h/week too


def test_each_module_in_progress_shows_its_mark_so_far_and_what_the_rest_needs(
    run: Run, run_json: RunJson, student: None
) -> None:
    run("assess", "add", "unsupervised", "Coursework 1", "--weight", "20", "--due", "2026-11-02")
    run("assess", "mark", "unsupervised", "coursework 1", "68")
    run("assess", "add", "unsupervised", "Group project", "--weight", "30", "--due", "2026-12-04")
    run("assess", "add", "unsupervised", "Final project", "--weight", "50", "--due", "2027-01-11")
    run("assess", "add", "bayesian", "Essay", "--weight", "40")
    run("assess", "add", "programming", "Exam", "--weight", "100")  # completed: not in progress
    listed = {m["code"]: m for m in run_json("assess", "list")["modules"]}
    shown = Page(export_html(run)).words("in-progress")
    assert "programming" not in shown and listed["programming"]["targets"] == []
    # (100 x 50 - 20 x 68) / 80 = 45.5 needed for a pass, as `assess list` says
    assert (
        "unsupervised Unsupervised Learning Mark so far 68.00 , from the 20% of the module marked."
        " Band Needed on the rest State pass (50) 45.50 reachable merit (60) 58.00 reachable"
        " distinction (70) 70.50 reachable"
    ) in shown
    # bayesian has an assessment but no mark yet: not in progress (`marks.in_progress`, the
    # modules `grades` shows a provisional mark for)
    assert "bayesian" not in shown
    assert [p["code"] for p in run_json("grades")["provisional"]] == ["unsupervised"]
    for t in listed["unsupervised"]["targets"]:
        state = t["state"].replace("_", " ")
        assert f"{t['band']} ({t['threshold']:g}) {t['needed_average']:.2f} {state}" in shown


def test_weeks_before_the_first_log_entry_are_not_missed(run: Run) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "10")
    run("log", "2", "--on", "2026-11-24")  # this week: no full week since
    hours = Page(export_html(run)).words("study-hours")
    assert "no full week since your first log entry yet" in hours and "of 11" not in hours
    run("log", "12", "--on", "2026-11-11")  # a Wednesday: its week and the next count
    hours = Page(export_html(run)).words("study-hours")
    assert "the 10 h target was reached in 1 of 2 full weeks since your first log entry" in hours


def test_the_page_prints_with_headings_kept_with_what_follows(run: Run, student: None) -> None:
    text = export_html(run)
    style = text[text.index("<style>") : text.index("</style>")]
    printed = style[style.index("@media print{") :]
    rules = {
        selector.strip(): rule
        for selector, rule in re.findall(
            r"([^{}]+)\{([^{}]*)\}", printed.removeprefix("@media print{")
        )
    }
    kept = [rule for selector, rule in rules.items() if "h2" in selector.split(",")]
    assert any("break-after:avoid" in rule for rule in kept), rules
    for part in ("tr", "figure", "div.module"):
        assert any(
            part in selector.split(",") and "break-inside:avoid" in rule
            for selector, rule in rules.items()
        ), part


def test_without_a_start_month_the_page_still_renders(run: Run) -> None:
    run("complete", "maths", "--on", "2026-01-20")
    page = Page(export_html(run))
    assert "set your start month to see the plan" in page.words("ects-over-time")
    assert "Nothing to plan" in page.words("this-week")
    assert "mldsplan init --start YYYY-MM" in page.words("progress")
    assert len(page.all("svg")) == 2 and "log" not in page.section_ids()


def test_this_week_has_a_bar_per_module_of_need_against_logged(
    run: Run, run_json: RunJson, student: None
) -> None:
    text = export_html(run)
    page = Page(text)
    week = page.words("this-week")
    plan = run_json("progress")["week_plan"]
    assert plan["plan"] and plan["over_committed_hours"] > 0
    assert week.startswith("This week 2026-11-23 to 2026-11-29")
    assert (
        f"Needs {dashboard.hours_text(plan['plan_total_hours'])} of 18 h"
        f" Over-committed by {dashboard.hours_text(plan['over_committed_hours'])} h." in week
    )
    for r in plan["plan"]:
        shown = (
            f"{r['code']} {dashboard.hours_text(r['logged_hours'])} of"
            f" {dashboard.hours_text(r['need_hours'])} h logged,"
            f" {dashboard.hours_text(r['left_hours'])} h left"
        )
        assert shown in week, shown
        assert r["due"] in week and f"(in {r['days_left']} days)" in week
    overdue = [r["code"] for r in plan["plan"] if r["overdue"]]
    # The module's term ended (issue 31.6: the module is late, not its next deadline).
    assert "bayesian" in overdue and week.count("its term ended; this term ends") == len(overdue)
    # bayesian: 2.5 h logged this week against its need, on the bar as on the label
    bayesian = next(r for r in plan["plan"] if r["code"] == "bayesian")
    assert bayesian["logged_hours"] == 2.5
    bars = [a for a in page.all("div") if a.get("class") == "bar need"]
    assert len(bars) == len(plan["plan"])
    top = max(r["need_hours"] for r in plan["plan"])
    for r, bar in zip(plan["plan"], bars, strict=True):
        assert bar["style"] == f"width:{100 * r['need_hours'] / top:.1f}%"
        assert bar["aria-hidden"] == "true"  # the words beside it say the same
    at = [r["code"] for r in plan["plan"]].index("bayesian")
    fills = re.findall(r'<div class="bar need"[^>]*><span style="width:([\d.]+)%"></span>', text)
    assert float(fills[at]) == pytest.approx(100 * 2.5 / bayesian["need_hours"], abs=0.05)


def test_this_week_names_the_driving_deadline_and_what_is_spare(
    run: Run, run_json: RunJson, student: None
) -> None:
    run("init", "--weekly-hours", "150")
    run("assess", "add", "unsupervised", "Group <project>", "--weight", "30", "--due", "2027-01-10")
    week = Page(export_html(run)).words("this-week")
    plan = run_json("progress")["week_plan"]
    assert plan["plan"][0]["code"] == "unsupervised" and plan["spare_hours"] > 0
    spare = dashboard.hours_text(plan["spare_hours"])
    assert f"{spare} h spare: get ahead on unsupervised , whose deadline is soonest." in week
    assert "Group <project>, 2027-01-10 (in 46 days)" in week  # escaped, then read back


def test_log_lists_the_charts_weeks_newest_first(run: Run, student: None) -> None:
    log = Page(export_html(run)).words("log")
    assert log.index("2026-11-24") < log.index("2026-11-17") < log.index("2026-09-08")
    assert "2026-06-01" not in log and "1 earlier entry not shown" in log


@pytest.mark.parametrize(
    "value", [0, 0.25, 1, 2.5, 18, 125, 999.95, 1000, 1625, 1022.5, 123456.78, 2000.04]
)
def test_hours_text_is_the_terminals(value: float) -> None:
    assert dashboard.hours_text(value) == progress_view.hours_text(value)


def test_dashboard_imports_neither_rich_nor_typer() -> None:
    code = (
        "import sys, mldsplan.output.dashboard, mldsplan.output.formats\n"
        "bad = [m for m in ('typer', 'rich', 'jinja2') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- the figures the page draws come from the domain ----------------------

PROGRAMME = load_programme(SHIPPED)


def test_the_ects_timeline_is_done_by_day_and_the_plan_by_term_end() -> None:
    progress = Progress(
        start="2025-10",
        completions={
            "programming": Completion(on=date(2026, 1, 20), mark=70),
            "maths": Completion(on=date(2026, 1, 20)),
        },
    )

    def timeline(record: Progress, on: date) -> workload.EctsTimeline:
        terms = workload.progress_summary(Facts(PROGRAMME, record, on)).terms
        return workload.ects_timeline(Facts(PROGRAMME, record, on), terms)

    may = timeline(progress, date(2026, 5, 1))
    assert [(p.on, p.ects) for p in may.done] == [(date(2026, 1, 20), 10)]
    planned = [(p.on, p.ects) for p in may.planned]
    assert planned[:3] == [
        (date(2026, 1, 14), 12.5),
        (date(2026, 4, 30), 25),
        (date(2026, 9, 30), 40),
    ]
    assert planned[-1][1] == PROGRAMME.total_ects
    assert may.planned_by_today == 25  # the two terms ended by 1 May 2026
    assert timeline(progress, date(2026, 4, 30)).planned_by_today == 25  # a term's last day
    assert timeline(progress, date(2025, 12, 1)).planned_by_today == 0  # before any term ends
    undated = timeline(Progress(), date(2026, 5, 1))
    assert undated.planned == [] and undated.planned_by_today is None


def test_study_weeks_sum_the_weeks_and_count_the_full_ones_that_reached_the_target() -> None:
    on = date(2026, 11, 25)  # a Wednesday: 12 weeks run from Monday 2026-09-07
    log = (
        LogEntry(date(2026, 6, 1), 1.0),  # before the weeks
        LogEntry(date(2026, 9, 8), 10.0),  # the first week: reached
        LogEntry(date(2026, 11, 17), 6.0),
        LogEntry(date(2026, 11, 18), 4.0),  # exactly the target, over two days
        LogEntry(date(2026, 11, 24), 12.0),  # this week: reached, but not a full week
    )
    weeks = studytime.study_weeks(Facts(PROGRAMME, Progress(weekly_hours=10.0, log=log), on), 12)
    assert len(weeks.weeks) == 12 and weeks.weeks[0].week_start == date(2026, 9, 7)
    assert [i for i, w in enumerate(weeks.weeks) if w.target_reached] == [0, 10, 11]
    assert weeks.weeks_reached == 2
    assert weeks.total_hours == 32 and weeks.average_hours == pytest.approx(32 / 12)
    assert [e.on for e in weeks.entries] == [
        date(2026, 11, 24),
        date(2026, 11, 18),
        date(2026, 11, 17),
        date(2026, 9, 8),
    ]
    assert weeks.entries_before == 1


def test_study_weeks_count_the_full_weeks_from_the_first_log_entrys_week() -> None:
    on = date(2026, 11, 25)  # a Wednesday; the full weeks run from 2026-09-07 to 2026-11-16

    def counted(*days: date) -> int:
        log = tuple(LogEntry(day, 1.0) for day in days)
        return studytime.study_weeks(Facts(PROGRAMME, Progress(log=log), on), 12).weeks_counted

    assert counted() == 0
    assert counted(date(2026, 11, 24)) == 0  # this week is not a full week
    assert counted(date(2026, 11, 22)) == 1  # a Sunday: its week counts
    assert counted(date(2026, 11, 11), date(2026, 11, 24)) == 2
    assert counted(date(2026, 6, 1)) == 11  # before the chart: every full week
    assert counted(date(2026, 12, 1)) == 0  # after `on`: not yet


def test_a_week_reaches_its_target_through_float_noise() -> None:
    log = tuple(LogEntry(date(2026, 11, day), 0.7) for day in (23, 24, 25))
    week = studytime.study_week(Facts(PROGRAMME, Progress(log=log), date(2026, 11, 25)), 2.1)
    assert week.logged_hours < 2.1  # 2.0999999999999996
    assert week.target_reached
    assert not studytime.study_week(
        Facts(PROGRAMME, Progress(log=log), date(2026, 11, 25)), 2.2
    ).target_reached


# --- in a real browser -----------------------------------------------------

_MEASURE = """<!DOCTYPE html>
<meta charset="utf-8"><title>measure</title>
<style>body{margin:0}iframe{border:0;width:WIDTHpx;height:900px}</style>
<iframe id="page" src="PAGE"></iframe>
<pre id="result">pending</pre>
<script>
window.addEventListener("load", () => {
  const doc = document.getElementById("page").contentDocument;
  const svgs = [...doc.querySelectorAll("svg")].map((svg) => {
    const box = svg.getBoundingClientRect();
    const drawn = svg.getBBox();
    return {width: box.width, height: box.height, shapes: svg.querySelectorAll(
      "rect,line,polyline,circle,path").length, drawnWidth: drawn.width, drawnHeight: drawn.height};
  });
  const wrapped = [...doc.querySelectorAll("span.code, .d")].filter(
    (el) => el.offsetParent !== null && el.getClientRects().length > 1).map((el) => el.textContent);
  const right = doc.documentElement.clientWidth;
  const sticking = [...doc.querySelectorAll("main *")].filter(
    (el) => el.getBoundingClientRect().right > right + 0.5).map((el) => el.outerHTML.slice(0, 80));
  const log = doc.querySelector("#log table");
  const notes = [...doc.querySelectorAll("#log tbody td:last-child")].filter((td) => td.textContent).map(
    (td) => {
      const text = td.firstChild;
      const words = [];
      for (const m of text.data.matchAll(/[^ ]+/g)) {
        const range = doc.createRange();
        range.setStart(text, m.index);
        range.setEnd(text, m.index + m[0].length);
        words.push([m[0], range.getClientRects().length]);
      }
      const box = td.getBoundingClientRect();
      return {share: box.width / log.getBoundingClientRect().width,
        lines: Math.round(box.height / parseFloat(getComputedStyle(td).lineHeight)), words: words};
    });
  document.getElementById("result").textContent = JSON.stringify({
    scrollWidth: doc.documentElement.scrollWidth,
    clientWidth: doc.documentElement.clientWidth,
    svgs: svgs,
    wrapped: wrapped,
    sticking: sticking,
    notes: notes,
  });
});
</script>
"""


URL_NOTE = (
    "read https://www.example.org/courses/bayesian-methods/lecture-notes/week-07/"
    "markov-chain-monte-carlo.pdf before the quiz"
)
LONG_WORDS = "Reparameterisation, identifiability and hyperparameters: variational autoencoders"


@pytest.mark.slow  # three Chromium runs per width (~2 s each)
@pytest.mark.browser
@pytest.mark.skipif(
    _chromium() is None, reason="no Chromium on this machine (.ci/run installs Debian's)"
)
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_dashboard_fits_a_phone_and_a_desktop(
    run: Run, student: None, tmp_path: Path, width: int
) -> None:
    browser = _chromium()
    assert browser is not None
    run("log", "1", "--module", "bayesian", "--on", "2026-11-20", "--note", URL_NOTE)
    run("log", "1", "--module", "bayesian", "--on", "2026-11-19", "--note", LONG_WORDS)
    run("assess", "add", "bayesian", "Essay", "--weight", "40", "--due", "2026-11-02")
    run("assess", "add", "unsupervised", "Coursework 1", "--weight", "20", "--due", "2026-12-02")
    long_title = tmp_path / "long-title.toml"
    long_title.write_text(
        SHIPPED.read_text().replace(
            'title = "Programming for Data Science"', f'title = "{"Programming" * 8} (no spaces)"'
        )
    )
    page = tmp_path / "dashboard.html"
    run("--programme", str(long_title), "export", "-f", "html", "--with-notes", "-o", str(page))
    wrapper = tmp_path / "measure.html"
    wrapper.write_text(
        _MEASURE.replace("WIDTH", str(width)).replace("PAGE", page.name), encoding="utf-8"
    )
    flags = _flags(tmp_path / "profile")
    dom = subprocess.run(
        [
            browser,
            *flags,
            "--allow-file-access-from-files",  # the wrapper reads the page in its iframe
            f"--window-size={width},1000",
            "--virtual-time-budget=5000",
            "--dump-dom",
            wrapper.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = Page(dom).words("result")
    assert found != "pending", dom[-2000:]
    measured = json.loads(found)
    assert measured["clientWidth"] == width
    assert measured["scrollWidth"] <= width, measured["sticking"]  # no sideways scrolling
    assert measured["sticking"] == []  # nor anything sticking out of its card
    assert len(measured["svgs"]) == 2
    for svg in measured["svgs"]:
        assert svg["width"] > 200 and svg["height"] > 100, svg
        assert svg["shapes"] > 5 and svg["drawnWidth"] > 100 and svg["drawnHeight"] > 50, svg
    assert measured["wrapped"] == []  # codes and dates stay on one line
    notes = {"".join(w for w, _ in n["words"]): n for n in measured["notes"]}
    url, prose = notes[URL_NOTE.replace(" ", "")], notes[LONG_WORDS.replace(" ", "")]
    if width <= 375:  # a log row is a card: its note takes the card's whole width
        assert url["share"] > 0.9 and prose["share"] > 0.9, measured["notes"]
        link = next(rects for word, rects in url["words"] if "://" in word)
        assert link <= 3 and url["lines"] <= 5, url  # a URL wraps, in a few lines (14 before)
    else:  # a table row: the note is a column
        assert url["share"] < 0.9, measured["notes"]
    for word, rects in prose["words"]:
        assert rects == 1, (word, prose)  # no word broken in the middle
    shot, blank = tmp_path / "page.png", tmp_path / "blank.png"
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><title>x</title>")
    for source, target in ((page, shot), (empty, blank)):
        subprocess.run(
            [
                browser,
                *flags,
                f"--screenshot={target}",
                f"--window-size={width},1600",
                source.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    assert shot.read_bytes().startswith(b"\x89PNG")
    # A page with text, tables and charts compresses far worse than a blank one.
    assert shot.stat().st_size > 3 * blank.stat().st_size


@pytest.fixture
def readme_tour(run: Run) -> None:
    """The README tour's record: a typical one, a year and two months in."""
    run("init", "--start", "2025-10")
    run("complete", "programming", "maths", "ethics-1", "--on", "2026-01-12")
    run("complete", "supervised", "--mark", "71", "--on", "2026-04-24")
    run("complete", "eda", "--mark", "64", "--on", "2026-04-28")
    run("log", "2.5", "--module", "bayesian", "--note", "lecture 4", "--on", "2026-11-24")
    run("log", "1.5", "--module", "unsupervised", "--on", "2026-11-23")
    run("assess", "add", "unsupervised", "Coursework 1", "--weight", "20", "--due", "2026-11-02")
    run("assess", "mark", "unsupervised", "coursework 1", "68")
    run("assess", "add", "unsupervised", "Group project", "--weight", "30", "--due", "2026-12-04")
    run("assess", "add", "unsupervised", "Final project", "--weight", "50", "--due", "2027-01-11")


def _pdf_pages(pdf: Path) -> int:
    """pdfinfo's count when poppler is installed, else the PDF's page objects."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
        found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
        assert found, info.stdout
        return int(found.group(1))
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf.read_bytes()))


@pytest.mark.slow  # one Chromium run each (~2 s)
@pytest.mark.browser
@pytest.mark.skipif(
    _chromium() is None, reason="no Chromium on this machine (.ci/run installs Debian's)"
)
@pytest.mark.parametrize("notes", [False, True])
@pytest.mark.parametrize(("paper", "size"), [("Letter", (612, 792)), ("A4", (595, 842))])
def test_a_typical_record_prints_on_three_pages(
    run: Run, readme_tour: None, tmp_path: Path, paper: str, size: tuple[int, int], notes: bool
) -> None:
    browser = _chromium()
    assert browser is not None
    text = export_html(run, *(["--with-notes"] if notes else []))
    # Letter is headless Chromium's paper; A4 as a browser set to it prints
    page = tmp_path / "plan.html"
    page.write_text(
        text if paper == "Letter" else text.replace("</style>", "@page{size:A4}</style>"),
        encoding="utf-8",
    )
    pdf = tmp_path / "plan.pdf"
    subprocess.run(
        [
            browser,
            *_flags(tmp_path / "profile"),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    box = re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
    assert box and (round(float(box[1])), round(float(box[2]))) == size
    assert 1 <= _pdf_pages(pdf) <= 3  # 5 Letter pages before


def test_this_week_shows_the_study_blocks_by_day_with_windows(
    run: Run, run_json: RunJson, student: None
) -> None:
    """Issue 30.6: the page's "This week" card holds the week's blocks, as `schedule`
    places them, by day: the day, the time range, the module and what it serves."""
    from datetime import datetime

    assert "Study blocks" not in Page(export_html(run)).words("this-week")  # no windows
    assert "week-blocks" not in Page(export_html(run)).inside
    run("assess", "add", "bayesian", "Coursework <2>", "--weight", "25", "--due", "2026-11-27")
    run("available", "set", "mon-fri 19:00-22:00", "sat 09:30-13:00")
    page = Page(export_html(run))
    blocks = run_json("schedule")["blocks"]
    assert len(blocks) > 2
    shown = page.words("week-blocks")
    assert shown.startswith("Study blocks")
    days: list[str] = []
    at = 0
    for b in blocks:
        start, end = datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])
        day = f"{start:%a} {start.day} {start:%b}"
        if day not in days:
            days.append(day)
            at = shown.index(day, at)  # each day once, in order, before its blocks
        serves = (
            f"{b['assessment']}, due {b['due']}" if b["assessment"] else f"term ends {b['due']}"
        )
        line = f"{start:%H:%M}-{end:%H:%M} {b['code']} {serves}"
        at = shown.index(line, at)  # in time order, under its day
    assert sum(shown.count(d) for d in days) == len(days)
    assert "Coursework <2>, due 2026-11-27" in shown  # escaped, then read back
    day_heads = [a for a in page.all("h4") if a.get("class") == "block-day"]
    assert len(day_heads) == len(days)
