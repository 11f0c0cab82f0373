"""How reports look: fitted to a terminal's width, nothing cut, nothing padded (SPEC §6).

Values are taken from the `--json` output of the same state and looked for
in the text, formatted as the report formats them. The CliRunner is not a
terminal: `MLDSPLAN_FORCE_TERMINAL=1` makes the layout engine lay out for COLUMNS as on one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from conftest import TODAY, MadeWith, Run, RunJson, child_env
from mldsplan.domain.numbers import hours_text
from mldsplan.domain.results import JSON_SCHEMA_VERSION

WIDTHS = [60, 80, 120]
NOTE = "lecture 4 on variational inference, with the worked examples from the notes"


@pytest.fixture(autouse=True)
def student(made_with: MadeWith) -> None:
    """A second-year student: marks (one a resit), study log, deferrals, plan warnings."""
    assert str(TODAY) == "2026-11-25"  # the data below is dated for this day
    made_with(
        ("init", "--start", "2025-10", "--weekly-hours", "17.5"),
        ("complete", "programming", "--mark", "72.5", "--on", "2026-01-20"),
        ("complete", "maths", "--mark", "64", "--on", "2026-02-10"),
        ("complete", "ethics-1", "--on", "2026-01-05"),
        ("complete", "eda", "--mark", "55", "--resit", "--on", "2026-05-20"),
        ("log", "2.5", "--module", "bayesian", "--on", "2026-11-23", "--note", NOTE),
        ("log", "1.25", "--on", "2026-11-24"),
        ("log", "3", "--module", "supervised", "--on", "2026-06-01"),
        ("defer", "agents", "bayesian"),
    )


def terminal(run: Run, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    """A report as a terminal `width` columns wide shows it."""
    with monkeypatch.context() as env:
        env.setenv("COLUMNS", str(width))
        env.setenv("MLDSPLAN_FORCE_TERMINAL", "1")
        return run(*args).stdout


def assert_fits(text: str, width: int) -> None:
    """No line is wider than the terminal, unless it is one word that cannot be broken."""
    for line in text.splitlines():
        assert len(line) <= width or len(line.split()) == 1, (width, line)


def assert_whole(text: str, *values: str) -> None:
    """Each value stands whole in the text: not cut, not run into other digits or letters."""
    for value in values:
        pattern = rf"(?<![\w.,]){re.escape(value)}(?![\w.,]|…)"
        assert re.search(pattern, text), (value, text)


def row(text: str, *first: str) -> list[str]:
    """The words on the first line that starts with the words `first`."""
    for line in text.splitlines():
        words = line.split()
        if words[: len(first)] == list(first):
            return words
    raise AssertionError(f"no line starts with {first}:\n{text}")


def flat(text: str) -> str:
    return " ".join(text.split())


def g(value: float) -> str:
    return f"{value:g}"


@pytest.mark.parametrize("width", WIDTHS)
def test_plan(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    text = terminal(run, monkeypatch, width, "plan")
    data = run_json("plan")
    assert_fits(text, width)
    for m in data["modules"]:
        words = row(text, m["code"])
        assert g(m["ects"]) + "*" * m["assumed"] in words
        assert hours_text(m["hours"]) in words
        assert m["status"] in words
        if m["completed_on"]:
            assert m["completed_on"] in words
        if m["mark"] is not None:
            assert g(m["mark"]) in words
        if m["resit"]:
            assert_whole(text, g(m["counted_mark"]))
        if m["term_start"]:
            heading = flat(text).split(f"Year {m['planned_year']}, term {m['planned_term']} ")[1]
            assert heading.startswith(f"({m['term_start']} to {m['term_end']})")
    for warning in data["warnings"]:
        assert f"warning: {warning}" in flat(text)


@pytest.mark.parametrize("width", WIDTHS)
def test_progress(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    text = terminal(run, monkeypatch, width, "progress")
    d = run_json("progress")
    assert_fits(text, width)
    assert_whole(
        text,
        d["on"],
        g(d["ects_done"]),
        g(d["ects_total"]),
        f"{d['percent']:.1f}",
        str(d["modules_done"]),
        str(d["modules_total"]),
        hours_text(d["hours_remaining"]),
        hours_text(d["weeks_remaining"]),
        g(d["weekly_hours"]),
        d["finish_date"],
        d["programme_end"],
        d["planned_end"],
        hours_text(d["this_week"]["logged_hours"]),
        f"{d['average']:.2f}",
        g(d["marked_ects"]),
        d["balance"]["since"],
    )
    assert f"({d['band']})" in text
    for t in d["terms"]:
        words = row(text, str(t["year"]), str(t["term"]))
        assert t["start"] in words and g(t["ects"]) in words and g(t["ects_done"]) in words
        assert_whole(text, t["end"])


def test_progress_continues_a_value_under_the_value(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = terminal(run, monkeypatch, 60, "progress").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Hours    "))
    assert lines[at + 1].startswith(" " * 9) and lines[at + 1][9] != " ", lines[at : at + 2]


@pytest.mark.parametrize("width", WIDTHS)
def test_hours(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    on = ("--on", "2026-11-25")
    text = terminal(run, monkeypatch, width, "hours", *on)
    d = run_json("hours", *on)
    assert_fits(text, width)
    assert_whole(
        text,
        hours_text(d["hours_remaining"]),
        g(d["weekly_hours"]),
        hours_text(d["weeks_remaining"]),
        d["finish_date"],
        d["on"],
        d["programme_end"],
        hours_text(d["required_weekly_hours"]),
        d["planned_end"],
        hours_text(d["pace"]["recent_weekly_hours"]),
        hours_text(d["pace"]["overall_weekly_hours"]),
        d["pace"]["first_entry"],
        str(d["pace"]["recent_days"]),
    )
    assert "finish_date_at_recent_pace" not in d["pace"]
    for key, label in (
        ("balance", f"Balance since {d['balance']['since']}"),
        ("term_balance", "Balance this term"),
    ):
        b = d[key]
        assert b is not None
        assert f"{label}: " in flat(text)
        assert_whole(text, hours_text(b["logged_hours"]), hours_text(b["target_hours"]))
        assert hours_text(abs(b["difference"])) in flat(text)
    for t in d["terms"]:
        words = row(text, f"{t['year']}.{t['term']}", t["start"])
        assert hours_text(t["hours_remaining"]) in words
        load = t["weekly_load"]
        assert ("-" if load is None else hours_text(load)) in words
        assert_whole(text, t["end"])
    for m in d["modules"]:
        words = row(text, m["code"])
        assert hours_text(m["logged_hours"]) in words and hours_text(m["budget_hours"]) in words
    for warning in d["warnings"]:
        assert f"warning: {warning}" in flat(text)


@pytest.mark.parametrize("width", WIDTHS)
def test_week(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    on = ("--on", "2026-11-25")
    text = terminal(run, monkeypatch, width, "week", *on)
    d = run_json("week", *on)
    assert_fits(text, width)
    assert_whole(
        text,
        d["week_start"],
        d["week_end"],
        hours_text(d["logged_hours"]),
        g(d["target_hours"]),
        hours_text(d["remaining_hours"]),
    )
    for day in d["days"]:
        words = row(text, date.fromisoformat(day["date"]).strftime("%a"), day["date"])
        assert words[2] == (hours_text(day["hours"]) if day["hours"] else "-")
    for w in d["recent_weeks"]:
        assert row(text, w["week_start"])[-2:] == [hours_text(w["logged_hours"]), "h"]


@pytest.mark.parametrize("width", WIDTHS)
def test_grades(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    text = terminal(run, monkeypatch, width, "grades")
    d = run_json("grades")
    assert_fits(text, width)
    assert_whole(text, f"{d['average']:.2f}", g(d["marked_ects"]), g(d["total_ects"]))
    assert_whole(text, f"{d['marked_percent']:.1f}", *d["unmarked"])
    for m in d["modules"]:
        words = row(text, m["code"])
        for value in (
            g(m["ects"]),
            g(m["mark"]),
            g(m["counted_mark"]),
            f"{100 * m['weight']:.1f}%",
        ):
            assert value in words, (value, words)
    for award in d["exit_awards"]:
        assert_whole(text, g(award["ects"]))


@pytest.mark.parametrize("width", WIDTHS)
def test_target(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    text = terminal(run, monkeypatch, width, "target")
    d = run_json("target")
    assert_fits(text, width)
    assert_whole(text, f"{d['average']:.2f}", g(d["marked_ects"]), g(d["remaining_ects"]))
    for t in d["targets"]:
        needed = t["needed_average"]
        assert row(text, t["band"])[1:3] == [
            g(t["threshold"]),
            "-" if needed is None else f"{needed:.2f}",
        ]


@pytest.mark.parametrize("width", WIDTHS)
def test_log_list(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    text = terminal(run, monkeypatch, width, "log", "--list")
    entries = run_json("log", "--list")["entries"]
    assert_fits(text, width)
    for n, e in enumerate(entries, start=1):
        words = row(text, str(n), e["on"])
        assert words[2:4] == [hours_text(e["hours"]), e["module"] or "-"]
        if e["note"]:
            assert e["note"] in flat(text)


@pytest.mark.parametrize("width", WIDTHS)
def test_check(run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    text = terminal(run, monkeypatch, width, "check")
    plan = run_json("plan")
    assert_fits(text, width)
    modules = plan["modules"]
    completions = sum(m["status"] == "done" for m in modules)
    deferrals = sum(m["deferred_years"] > 0 for m in modules)
    entries = len(run_json("log", "--list")["entries"])
    assert f"{completions} completions, {deferrals} deferrals, {entries} log entries" in flat(text)
    for warning in plan["warnings"]:
        assert f"warning: {warning}" in flat(text)


@pytest.mark.parametrize("width", [60, 61, 67, 80])
@pytest.mark.parametrize("command", [("plan",), ("hours", "--on", "2026-11-25"), ("check",)])
def test_warnings_wrap_between_words(
    run: Run,
    run_json: RunJson,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
    command: tuple[str, ...],
) -> None:
    warnings = run_json("plan")["warnings"]
    assert warnings
    text = terminal(run, monkeypatch, width, *command)
    words = {w for line in text.splitlines() for w in line.split()}
    for warning in warnings:
        assert set(warning.split()) <= words, warning  # e.g. never "bay" / "esian"
        assert f"warning: {warning}" in flat(text)
    # Each warning's own lines: "warning: " and then lines under its text, never past the
    # edge; one line when it fits, more when it does not (one here never does).
    lines, indent = text.splitlines(), " " * len("warning: ")
    assert any(len(f"warning: {w}") > width for w in warnings)
    for warning in warnings:
        first = next(
            i
            for i, line in enumerate(lines)
            if line.startswith("warning: ") and warning.startswith(line[len(indent) :].rstrip())
        )
        block = [lines[first]]
        for line in lines[first + 1 :]:
            if not (line.startswith(indent) and line[len(indent)] != " "):
                break
            block.append(line)
        assert " ".join(line[len(indent) :].strip() for line in block) == warning, block
        assert all(len(line.rstrip()) <= width for line in block), block
        assert (len(block) > 1) == (len(f"warning: {warning}") > width), (width, block)


REPORTS = [
    ("plan",),
    ("progress",),
    ("hours", "--on", "2026-11-25"),
    ("week", "--on", "2026-11-25"),
    ("grades",),
    ("target",),
    ("log", "--list"),
    ("check",),
    ("calendar",),
    ("assess", "list"),
    ("due",),
    ("status",),
]


@pytest.mark.parametrize("command", REPORTS)
def test_output_that_is_not_a_terminal_is_neither_padded_nor_wrapped(
    run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")  # a terminal's width says nothing about a pipe
    text = run(*command).stdout
    assert text.endswith("\n")
    for line in text.splitlines():
        assert line == line.rstrip(), repr(line)
        assert not line.startswith(" " * 9), repr(line)  # no continuation lines
    plan = run_json("plan")
    if command[0] in {"plan", "hours", "check"}:
        for warning in plan["warnings"]:
            assert f"warning: {warning}" in text.splitlines()
    if command[0] == "plan":
        for m in plan["modules"]:
            assert m["title"] in text  # on one line, whole
    if command[0] == "log":
        assert NOTE in text


RICH_PROBE = """
import sys
from mldsplan.cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    sys.stderr.write("rich imported: %s" % any(m.split(".")[0] == "rich" for m in sys.modules))
"""


def test_json_output_does_not_import_rich() -> None:
    """Each report's --json in a fresh interpreter of its own, all started at once; and
    the probe can fail: a human report styled for a terminal (plan's table with
    FORCE_COLOR) does import Rich."""
    probes = {(*command, "--json"): False for command in REPORTS if command != ("check",)} | {
        ("plan",): True
    }
    running = {
        argv: subprocess.Popen(
            [sys.executable, "-c", RICH_PROBE, *argv],
            env=child_env(FORCE_COLOR="1") if probes[argv] else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in probes
    }
    for argv, process in running.items():
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, (argv, stderr)
        assert stderr.endswith(f"rich imported: {probes[argv]}"), (argv, stderr)
        if "--json" in argv:
            data: dict[str, Any] = json.loads(stdout)
            assert data["schema_version"] == JSON_SCHEMA_VERSION, argv


def test_a_squeezed_table_shortens_words_before_it_cuts_a_date(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Left to itself Rich would squeeze both prose columns alike and cut the dates."""
    from mldsplan.output.layout import Col, screen

    monkeypatch.setenv("MLDSPLAN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "60")
    code = "a-module-code-of-forty-characters-length"
    with screen() as out:
        out.table(
            [Col("Code"), Col("Title", wrap=True), Col("Dates", wrap=True)],
            [[code, "A Title Long Enough To Need Shortening", "2026-02-01 to 2026-05-31"]],
        )
    text = capsys.readouterr().out
    assert_fits(text, 60)
    assert row(text, code)[-1] == "2026-02-01"
    assert_whole(text, "2026-05-31")


@pytest.fixture
def assessed(run: Run) -> None:
    run("assess", "add", "unsupervised", "Coursework 1", "--weight", "20", "--due", "2026-11-02")
    run("assess", "mark", "unsupervised", "coursework 1", "68")
    run("assess", "add", "unsupervised", "Group project", "--weight", "30", "--due", "2026-12-04")
    run("assess", "add", "deep-learning", "Quiz", "--weight", "10", "--due", "2026-12-03")
    run("calendar", "set", "2.2", "--from", "2027-01-18", "--to", "2027-04-23")
    run("start", "unsupervised", "--at", "19:15")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_new_reports(
    run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, assessed: None, width: int
) -> None:
    calendar = terminal(run, monkeypatch, width, "calendar")
    assert_fits(calendar, width)
    for t in run_json("calendar")["terms"]:
        words = row(calendar, str(t["year"]), str(t["term"]))
        assert t["start"] in words and t["end"] in words and hours_text(t["weeks"]) in words
    listing = terminal(run, monkeypatch, width, "assess", "list")
    assert_fits(listing, width)
    for m in run_json("assess", "list")["modules"]:
        assert_whole(listing, m["code"])
        for a in m["assessments"]:
            assert f"{a['weight']:g}%" in row(listing, *a["name"].split()[:1])
            if a["due"]:
                assert_whole(listing, a["due"])
        for t in m["targets"]:
            if t["needed_average"] is not None:
                assert_whole(listing, f"{t['needed_average']:.2f}")
    due = terminal(run, monkeypatch, width, "due")
    assert_fits(due, width)
    for d in run_json("due")["deadlines"]:
        words = row(due, d["due"])
        assert d["code"] in words and f"{d['weight']:g}%" in words
    status = terminal(run, monkeypatch, width, "status")
    assert_fits(status, width)
    assert "Timer: unsupervised" in status and "(since 19:15)" in status


# --- issue 21: messages, narrow reports, plain words, a closed pipe -----------------------


def test_no_word_is_cut_and_no_range_is_split_at_any_width(
    run: Run, monkeypatch: pytest.MonkeyPatch, assessed: None
) -> None:
    """No report shortens a word with "…" (a title takes its own line instead), and a date
    range or "in 9 days" stays on one line."""
    for width in WIDTHS:
        for command in REPORTS:
            text = terminal(run, monkeypatch, width, *command)
            assert "…" not in text, (width, command, text)
            assert not re.search(r"\d{4}-\d\d-\d\d to$|^\s*days\)?$|\bin \d+$", text, re.M), (
                width,
                command,
                text,
            )


def test_plan_gives_a_long_title_its_own_line_at_60(
    run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = terminal(run, monkeypatch, 60, "plan")
    lines = text.splitlines()
    words = text.split()
    for m in run_json("plan")["modules"]:
        assert set(m["title"].split()) <= set(words), m["title"]  # every word whole
    # year 1 term 1: the title under its code, indented, and no Title column in the row
    at = next(i for i, line in enumerate(lines) if line.startswith("ethics-1 "))
    assert lines[at + 1].startswith("  Ethics in Data Science"), lines[at : at + 2]
    # a term with nothing completed shows no Completed or Mark column
    head = lines[next(i for i, line in enumerate(lines) if line.startswith("Year 2, term 1")) + 1]
    assert "Completed" not in head and "Mark" not in head, head


@pytest.mark.parametrize("width", WIDTHS)
def test_hours_flags_terms_and_explains_the_flags_below(
    run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    from mldsplan.domain.workload import HEAVY_FACTOR

    on = ("--on", "2026-11-25")
    text = terminal(run, monkeypatch, width, "hours", *on)
    d = run_json("hours", *on)
    for t in d["terms"]:
        words = row(text, f"{t['year']}.{t['term']}")
        assert words[1:4] == [t["start"], "to", t["end"]], words  # the range on one line
        flag = "overdue" if t["overdue"] else "heavy" if t["heavy"] else None
        assert (words[-1] == flag) if flag else words[-1] not in {"overdue", "heavy"}, words
    legend = (
        f"heavy: needs more than your {hours_text(d['weekly_hours'])} h/week"
        f" + {HEAVY_FACTOR - 1:.0%}"
    )
    assert legend in flat(text)
    assert "overdue: the term has ended with hours left" in flat(text)
    assert "over your" not in text
    assert row(text, "Module") == ["Module", "Logged", "Budget", "Used"]


@pytest.mark.parametrize("width", WIDTHS)
def test_due_keeps_days_left_whole(
    run: Run, run_json: RunJson, monkeypatch: pytest.MonkeyPatch, assessed: None, width: int
) -> None:
    from mldsplan.domain.numbers import days_left

    text = terminal(run, monkeypatch, width, "due")
    for d in run_json("due")["deadlines"]:
        line = next(line for line in text.splitlines() if line.startswith(d["due"]))
        assert days_left(d["days_left"]) in line, line
        assert d["name"] in flat(text)


def test_words_that_say_what_they_mean(
    run: Run, monkeypatch: pytest.MonkeyPatch, assessed: None
) -> None:
    listing = terminal(run, monkeypatch, 120, "assess", "list")
    assert "of 100% entered" not in listing
    assert "Mark so far 68.00 from the 20% of the module marked" in listing
    assert "assessments entered so far: 50% of the module" in listing
    progress = flat(terminal(run, monkeypatch, 120, "progress"))
    said = "ethics-1, ethics-2 and ethics-3 count as one module, done when all 3 are"
    assert progress.count(said) == 1, progress
    assert "calendar week" not in progress


@pytest.mark.parametrize(
    "command", [("assess", "add"), ("assess", "edit"), ("calendar", "set"), ("log",)]
)
@pytest.mark.parametrize("width", WIDTHS)
def test_help_keeps_each_example_a_whole_command_line(
    run: Run, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], width: int
) -> None:
    import shlex

    monkeypatch.setenv("COLUMNS", str(width))
    lines = [line.strip() for line in run(*command, "--help").stdout.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("Example:"))
    example = [lines[at].removeprefix("Example:").strip()] if lines[at] != "Example:" else []
    for line in lines[at + 1 :]:  # the example's lines, up to the paragraph's end
        if not line:
            break
        example.append(line)
    assert all(len(line) <= width - 2 for line in example), example
    # each line but the last continues with `\`: pasted into a shell, one command
    assert all(line.endswith(" \\") for line in example[:-1]), example
    assert not example[-1].endswith("\\"), example
    words = shlex.split("\n".join(example))
    assert words[: 1 + len(command)] == ["mldsplan", *command], words


def _stderr(run: Run, monkeypatch: pytest.MonkeyPatch, width: int | None, *args: str) -> str:
    with monkeypatch.context() as env:
        env.setenv("COLUMNS", str(width or 60))
        if width:
            env.setenv("MLDSPLAN_FORCE_TERMINAL", "1")
        return run(*args, ok=False).stderr


@pytest.mark.parametrize("width", [60, 80, 100])
def test_messages_wrap_between_words_in_a_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    messages = [
        ("assess", "add", "unstructurd", "Coursework 1", "--weight", "5"),
        ("complete", "unsupervised", "--mark", "30"),
        ("undo",),  # its confirmation: "... 'mldsplan redo' redoes it, ..."
    ]
    for args in messages:
        piped = _stderr(run, monkeypatch, None, *args)
        if args == ("undo",):  # undid, then redid, and the same undo again in a terminal
            _stderr(run, monkeypatch, None, "redo")
        text = _stderr(run, monkeypatch, width, *args)
        text, piped = (re.sub(r"\d+", "N", t) for t in (text, piped))  # undo's revision
        assert flat(text) == flat(piped)
        # piped: one line a message; in a terminal: lines no wider than it, broken only
        # at spaces (the piped lines' words are all whole), indented after the first
        words = set(piped.split())
        for line in text.splitlines():
            assert len(line) <= width or len(line.split()) == 1, (width, line)  # a long path
            assert set(line.split()) <= words, (line, piped)
        kinds = [line.split(" ", 1)[0] for line in piped.splitlines()]
        out = text.splitlines()
        firsts = [line for line in out if not line.startswith(" ")]
        assert [line.split(" ", 1)[0] for line in firsts] == kinds, (text, piped)
        for line in out:
            if line.startswith(" "):
                assert line.startswith("  ") and line[len(line) - len(line.lstrip())] != " "


def test_a_long_message_wraps_under_its_text(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _stderr(run, monkeypatch, 60, "complete", "unsupervised", "--mark", "30")
    lines = text.splitlines()
    assert len(lines) > 1 and lines[0].startswith("Error: "), text
    for line in lines[1:]:
        assert line.startswith(("hint: ", " " * len("Error: "), " " * len("hint: "))), line
    piped = _stderr(run, monkeypatch, None, "complete", "unsupervised", "--mark", "30")
    assert len(piped.splitlines()) == len([x for x in lines if not x.startswith(" ")])


def test_a_closed_pipe_ends_quietly(progress_file: Any) -> None:
    """`mldsplan plan | head -1`: no "Broken pipe" error; the status of a SIGPIPE (141)."""
    from conftest import child_env, mldsplan_command

    for args in (("plan",), ("log", "--list"), ("plan", "--codes")):
        process = subprocess.Popen(
            [*mldsplan_command(), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(progress_file),
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before anything is written
        stderr = process.stderr.read().decode()
        process.stderr.close()
        assert process.wait(timeout=60) == 141, (args, stderr)
        assert stderr == "", (args, stderr)
