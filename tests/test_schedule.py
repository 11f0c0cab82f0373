"""`available`, `busy` and `schedule` (SPEC §3/§4 "Study blocks", issue 30).

The worked example is checked figure by figure: a real busy calendar (a weekly
repeating event, an EXDATE, a moved occurrence, an all-day event, a transparent one, a
cancelled one, and an event in UTC across the clock change) read by `storage.busy`,
the free time of the windows, and the blocks by hand. The busy expansion is checked
against vobject's (an independent parser and rrule expansion) on generated calendars.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run, RunJson, assert_one_line_error, child_env
from mldsplan.domain.blocks import Demand, free_time, minute, moment, place, placed_minutes
from mldsplan.domain.windows import parse_window
from mldsplan.storage.busy import parse
from test_layout import assert_fits, terminal

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 10, 19)  # the week the clocks go back (Sunday 25 October, 02:00)

EXAMPLE_ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
X-WR-TIMEZONE:Europe/London
BEGIN:VEVENT
UID:gym
DTSTART;TZID=Europe/London:20260907T210000
DTEND;TZID=Europe/London:20260907T220000
RRULE:FREQ=WEEKLY;BYDAY=MO
SUMMARY:Gym
END:VEVENT
BEGIN:VEVENT
UID:choir
DTSTART;TZID=Europe/London:20260901T190000
DTEND;TZID=Europe/London:20260901T203000
RRULE:FREQ=WEEKLY
SUMMARY:Choir
END:VEVENT
BEGIN:VEVENT
UID:choir
RECURRENCE-ID;TZID=Europe/London:20261020T190000
DTSTART;TZID=Europe/London:20261022T190000
DTEND;TZID=Europe/London:20261022T200000
SUMMARY:Choir (moved to Thursday)
END:VEVENT
BEGIN:VEVENT
UID:team
DTSTART;TZID=Europe/London:20260902T200000
DTEND;TZID=Europe/London:20260902T210000
RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z
EXDATE;TZID=Europe/London:20261021T200000
SUMMARY:Team call
END:VEVENT
BEGIN:VEVENT
UID:conf
DTSTART;VALUE=DATE:20261023
DTEND;VALUE=DATE:20261024
SUMMARY:Conference (all day)
END:VEVENT
BEGIN:VEVENT
UID:bins
DTSTART;TZID=Europe/London:20261019T190000
DTEND;TZID=Europe/London:20261019T220000
TRANSP:TRANSPARENT
SUMMARY:Bins (transparent)
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTART;TZID=Europe/London:20261019T200000
DTEND;TZID=Europe/London:20261019T210000
STATUS:CANCELLED
SUMMARY:Dinner (cancelled)
END:VEVENT
BEGIN:VEVENT
UID:brunch
DTSTART:20261025T090000Z
DTEND:20261025T100000Z
SUMMARY:Brunch (in UTC, after the clocks went back: 09:00 in London)
END:VEVENT
END:VCALENDAR
"""


def _at(day: int, hh: int, mm: int = 0) -> int:
    """Epoch minutes of a wall time in London, `day` days after the Monday."""
    return minute(datetime(2026, 10, 19 + day, hh, mm, tzinfo=LONDON))


def _shown(spans: list[tuple[int, int]]) -> list[str]:
    return [f"{moment(a, LONDON):%a %H:%M}-{moment(b, LONDON):%H:%M}" for a, b in sorted(spans)]


def test_the_worked_example_figure_by_figure() -> None:
    start = datetime.combine(MONDAY, datetime.min.time(), tzinfo=LONDON)
    busy = parse(EXAMPLE_ICS.encode(), start, start + timedelta(days=7), LONDON)
    # Busy: the gym (Monday, weekly); the choir moved from Tuesday to Thursday; the team
    # call's Wednesday taken out by EXDATE; Friday all day; brunch at 09:00 London time
    # on the Sunday the clocks went back (09:00 UTC). Bins (transparent) and the
    # cancelled dinner are free.
    assert _shown([(minute(a), minute(b)) for a, b in busy]) == [
        "Mon 21:00-22:00",
        "Thu 19:00-20:00",
        "Fri 00:00-00:00",  # the whole Friday, to Saturday's midnight
        "Sun 09:00-10:00",
    ]
    windows = [parse_window("mon-fri 19:00-22:00"), parse_window("sun 09:00-12:00")]
    now = _at(0, 12)  # Monday noon
    free = free_time(MONDAY, windows, [(minute(a), minute(b)) for a, b in busy], now, LONDON)
    assert _shown(free) == [
        "Mon 19:00-21:00",
        "Tue 19:00-22:00",
        "Wed 19:00-22:00",
        "Thu 20:00-22:00",
        "Sun 10:00-12:00",
    ]
    assert sum(b - a for a, b in free) == 12 * 60  # 2 + 3 + 3 + 2 + 2 h
    demands = [
        Demand("bayesian/cw2", "bayesian", "Coursework 2", date(2026, 10, 21), 270, _at(3, 0)),
        Demand("eda/quiz3", "eda", "Quiz 3", date(2026, 10, 24), 180, _at(6, 0)),
        Demand("maths/term", "maths", None, date(2027, 1, 14), 300, _at(7, 0), True),
    ]
    blocks = place(demands, free, (45, 120))
    # Coursework 2 (due Wednesday) first: Monday 2 h, then Tuesday's 2.5 h as 105 + 45
    # minutes (not 120 + 30: a block is at least 45); Quiz 3 next on Wednesday; maths,
    # driven by its term's end, takes what is left: Thursday and Sunday, 4 of its 5 h.
    assert [(p.key, *_shown([(p.start, p.end)])) for p in blocks] == [
        ("bayesian/cw2", "Mon 19:00-21:00"),
        ("bayesian/cw2", "Tue 19:00-20:45"),
        ("bayesian/cw2", "Tue 20:45-21:30"),
        ("eda/quiz3", "Wed 19:00-21:00"),
        ("eda/quiz3", "Wed 21:00-22:00"),
        ("maths/term", "Thu 20:00-22:00"),
        ("maths/term", "Sun 10:00-12:00"),
    ]
    placed = placed_minutes(demands, blocks)
    assert placed == {"bayesian/cw2": 270, "eda/quiz3": 180, "maths/term": 240}
    assert sum(placed.values()) / 60 == 11.5  # of 12.5 h needed; 12 h free
    # Tuesday 21:30-22:00 is left: too short for a block, so maths is 1 h short.
    assert 300 - placed["maths/term"] == 60
    # Sunday's block is at 10:00 GMT, after the clocks went back
    assert moment(blocks[-1].start, LONDON).utcoffset() == timedelta(0)
    assert moment(blocks[0].start, LONDON).utcoffset() == timedelta(hours=1)


def test_stable_against_a_new_busy_hour_and_an_hour_logged() -> None:
    start = datetime.combine(MONDAY, datetime.min.time(), tzinfo=LONDON)
    busy = [
        (minute(a), minute(b))
        for a, b in parse(EXAMPLE_ICS.encode(), start, start + timedelta(days=7), LONDON)
    ]
    windows = [parse_window("mon-fri 19:00-22:00"), parse_window("sun 09:00-12:00")]
    free = free_time(MONDAY, windows, busy, _at(0, 12), LONDON)
    demands = [
        Demand("bayesian/cw2", "bayesian", "Coursework 2", date(2026, 10, 21), 150, _at(3, 0)),
        Demand("maths/term", "maths", None, date(2027, 1, 14), 240, _at(7, 0), True),
    ]
    old = place(demands, free, (45, 120))
    # a new busy hour over Tuesday's block of maths
    hit = next(p for p in old if moment(p.start, LONDON).strftime("%a") == "Wed")
    more = free_time(MONDAY, windows, [*busy, (hit.start, hit.start + 60)], _at(0, 12), LONDON)
    new = place(demands, more, (45, 120), old)
    assert len(set(old) - set(new)) == 1  # that block alone moved
    assert all(p in new for p in old if p != hit)
    # one hour logged to bayesian: its need falls by 60 minutes
    logged = [demands[0]._replace(minutes=90), demands[1]]
    after = place(logged, free, (45, 120), old)
    assert len(set(old) - set(after)) <= 2
    assert placed_minutes(logged, after)["bayesian/cw2"] == 90


# --- the busy expansion against an independent one (vobject + dateutil) ----------

VTIMEZONE = """\
BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19810329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19961027T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


@st.composite
def calendars(draw: st.DrawFn) -> str:
    events = []
    for i in range(draw(st.integers(1, 5))):
        day = date(2026, 10, 1) + timedelta(days=draw(st.integers(0, 30)))
        hour, minute_ = draw(st.integers(6, 21)), draw(st.sampled_from([0, 15, 30, 45]))
        first = datetime(day.year, day.month, day.day, hour, minute_)
        length = draw(st.integers(1, 16)) * 15
        end = first + timedelta(minutes=length)
        lines = [
            "BEGIN:VEVENT",
            f"UID:e{i}",
            f"DTSTART;TZID=Europe/London:{first:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/London:{end:%Y%m%dT%H%M%S}",
        ]
        if draw(st.booleans()):
            freq = draw(st.sampled_from(["DAILY", "WEEKLY"]))
            count = draw(st.integers(2, 30))
            lines.append(f"RRULE:FREQ={freq};COUNT={count}")
            step = timedelta(days=1 if freq == "DAILY" else 7)
            for k in draw(st.sets(st.integers(1, count - 1), max_size=2)):
                lines.append(f"EXDATE;TZID=Europe/London:{first + k * step:%Y%m%dT%H%M%S}")
        lines.append("END:VEVENT")
        events.append("\n".join(lines))
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
        + VTIMEZONE
        + "\n".join(events)
        + "\nEND:VCALENDAR\n"
    )


def _by_vobject(text: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    import vobject

    found = []
    for event in vobject.readOne(text).vevent_list:
        length = event.dtend.value - event.dtstart.value
        rules = event.getrruleset(addRDate=True)
        starts = rules.between(start - length, end, inc=False) if rules else [event.dtstart.value]
        for s in starts:
            s = s.astimezone(UTC)
            if s < end and s + length > start:
                found.append((s, s + length))
    return sorted(found)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_busy_expansion_agrees_with_vobject(text: str) -> None:
    start = datetime(2026, 10, 19, tzinfo=LONDON)  # a week over the clock change
    end = start + timedelta(days=7)
    ours = sorted(
        (a.astimezone(UTC), b.astimezone(UTC))
        for a, b in parse(text.encode(), start, end, LONDON)
        if a < end and b > start
    )
    assert ours == _by_vobject(text, start, end)


# --- the commands ----------------------------------------------------------------


@pytest.fixture
def student(run: Run, tmp_path: Path) -> Path:
    """A student in year 2's first term with a deadline this week and a work calendar."""
    run("init", "--start", "2025-10", "--weekly-hours", "15")
    run("assess", "add", "bayesian", "Coursework 2", "--weight", "25", "--due", "2026-11-27")
    run("available", "set", "mon-fri 19:00-22:00", "sat 09:30-13:00")
    calendar = tmp_path / "work.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:w1\n"
        "DTSTART;TZID=Europe/London:20261102T190000\nDTEND;TZID=Europe/London:20261102T200000\n"
        "RRULE:FREQ=WEEKLY;BYDAY=TH\nSUMMARY:Evening shift\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    return calendar


def test_available_list_set_clear(run: Run) -> None:
    run("init", "--start", "2025-10")
    out = run("available", "list").stdout
    assert "no study windows set" in out and "available set" in out
    said = run(
        "available", "set", "Mon-Fri 19:00-22:00", "sat 09:30-13:00", "--blocks", "30-90"
    ).stderr
    assert "window: mon-fri 19:00-22:00" in said
    assert "18.5 h a week" in said and "30-90" in said
    out = run("available", "list").stdout
    assert out.splitlines()[:2] == ["window: mon-fri 19:00-22:00", "window: sat 09:30-13:00"]
    assert "cleared" in run("available", "clear").stderr
    assert "no study windows set" in run("available", "list").stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("mon-fri 22:00-19:00",), "ends before it starts"),
        (("someday 19:00-20:00",), "is not a day"),
        (("mon 19:00-20:00", "--blocks", "90-30"), "shorter than the shortest"),
    ],
)
def test_a_bad_window_is_one_error_and_changes_nothing(run: Run, refuse, args, needle) -> None:  # type: ignore[no-untyped-def]
    run("init", "--start", "2025-10")
    refuse("available", "set", *args, needles=(needle,))


def test_a_hand_edited_window_that_does_not_parse_is_a_problem_naming_it(
    run: Run, progress_file: Path
) -> None:
    run("init", "--start", "2025-10")
    run("available", "set", "mon 19:00-20:00")
    text = progress_file.read_text()
    progress_file.write_text(text.replace("mon 19:00-20:00", "mon 20:00-19:00"))
    result = run("check", ok=False)
    assert "windows[0]" in result.stdout + result.stderr


def test_busy_add_list_remove_and_a_missing_calendar_warns(run: Run, student: Path) -> None:
    assert "added busy calendar" in run("busy", "add", str(student)).stderr
    assert run("busy", "list").stdout.strip() == str(student)
    student.rename(student.with_suffix(".gone"))
    result = run("schedule")
    assert "warning: busy calendar" in result.stderr and "not on this computer" in result.stderr
    assert "(missing here)" in run("busy", "list").stdout
    assert "removed" in run("busy", "remove", str(student)).stderr
    assert "no busy calendars" in run("busy", "list").stdout


def test_a_bad_calendar_is_one_error_naming_the_file(
    run: Run, student: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:notadate\nEND:VEVENT\nEND:VCALENDAR\n")
    result = run("schedule", "--busy", str(bad), ok=False)
    assert_one_line_error(result, str(bad))
    assert_one_line_error(run("busy", "add", str(bad), ok=False), str(bad))


def test_schedule_json_keeps_the_contract(run_json: RunJson, student: Path) -> None:
    data = run_json("schedule", "--busy", str(student))
    assert data["week_start"] == "2026-11-23" and data["week_end"] == "2026-11-29"
    now = datetime(2026, 11, 25, 20, 0, tzinfo=LONDON)
    placed = 0
    for b in data["blocks"]:
        s, e = datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])
        assert s.tzinfo is not None and s >= now - timedelta(minutes=5)
        assert b["minutes"] == (e - s).total_seconds() / 60
        assert 45 <= b["minutes"] <= 120
        # Thursday's evening shift (19:00-20:00, from the work calendar) is busy
        thursday_shift = (
            datetime(2026, 11, 26, 19, 0, tzinfo=LONDON),
            datetime(2026, 11, 26, 20, 0, tzinfo=LONDON),
        )
        assert not (s < thursday_shift[1] and thursday_shift[0] < e)
        if b["due"] and b["assessment"]:
            assert e <= datetime.combine(
                date.fromisoformat(b["due"]) + timedelta(days=1), datetime.min.time(), tzinfo=LONDON
            )
        placed += b["minutes"]
    assert data["placed_hours"] <= data["need_hours"]
    assert data["placed_hours"] <= placed / 60 + 1e-9
    assert math.isclose(
        sum(s["hours_short"] for s in data["short"]),
        data["need_hours"] - data["placed_hours"],
        abs_tol=1e-9,
    )
    for s in data["short"]:
        assert set(s) >= {"code", "assessment", "due", "hours_short", "options"} and s["options"]
    assert data["blocks"][0]["code"] == "bayesian"  # Coursework 2, due Friday, goes first
    assert data["blocks"][0]["assessment"] == "Coursework 2"


def test_schedule_need_is_the_weeks_plan_left(run_json: RunJson, student: Path) -> None:
    week = run_json("week")
    left = sum(math.ceil(round(r["left_hours"] * 60, 6) / 5) * 5 for r in week["plan"]) / 60
    assert math.isclose(run_json("schedule")["need_hours"], left)


def test_schedule_is_stable_between_runs(run_json: RunJson, student: Path) -> None:
    first = run_json("schedule", "--busy", str(student))["blocks"]
    again = run_json("schedule", "--busy", str(student))["blocks"]
    assert first == again


@pytest.mark.parametrize("width", [60, 80, 120])
def test_schedule_fits_the_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, student: Path, width: int
) -> None:
    out = terminal(run, monkeypatch, width, "schedule", "--busy", str(student))
    assert_fits(out, width)
    assert "h planned in" in out
    assert "Coursework 2, due Fri" in out.replace("\n      ", " ")
    assert "Wed 20:00-" in out  # from now (20:00 on Wednesday)


def test_schedule_piped_is_not_wrapped(run: Run, student: Path) -> None:
    out = run("schedule", "--busy", str(student)).stdout
    lines = out.splitlines()
    assert any(
        line.startswith("  Wed 20:00-") and "bayesian" in line and "Coursework 2, due Fri" in line
        for line in lines
    ), out
    assert all(line == line.rstrip() for line in lines)


def test_schedule_without_windows_says_how_to_set_them(run: Run) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "20")
    out = run("schedule").stdout
    assert "No study windows set" in out
    assert 'mldsplan available set "mon-fri 19:00-22:00" "sat,sun 09:00-11:30"' in out


@pytest.mark.parametrize("args", [["progress"], ["progress", "--json"]])
def test_a_command_that_reads_no_calendar_imports_no_calendar_library(
    progress_file: Path, args: list[str]
) -> None:
    code = (
        f"import sys, runpy; sys.argv={['mldsplan', *args]!r};\n"
        "try:\n runpy.run_module('mldsplan', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "bad=[m for m in ('icalendar','recurring_ical_events','x_wr_timezone') if m in sys.modules]\n"
        "print(json.dumps(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json\n" + code],
        env=child_env(progress_file),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []


# --- where the blocks go: progress, start, the calendar --------------------------


def _events(text: str) -> dict[str, dict[str, str]]:
    import icalendar

    found = {}
    for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        found[str(event["UID"])] = {
            "start": event.decoded("DTSTART").isoformat(),
            "end": event.decoded("DTEND").isoformat(),
            "sequence": int(event["SEQUENCE"]),
            "summary": str(event["SUMMARY"]),
        }
    return found


def test_the_calendar_holds_the_blocks_and_a_moved_one_gets_a_higher_sequence(
    run: Run, run_json: RunJson, student: Path, tmp_path: Path
) -> None:
    run("busy", "add", str(student))
    blocks = _events(run("export", "-f", "ics", "--only", "blocks").stdout)
    data = run_json("schedule")["blocks"]
    assert len(blocks) == len(data) > 2
    assert all("-block-2026-11-23-" in uid for uid in blocks)
    assert all(e["sequence"] == 0 for e in blocks.values())
    assert {e["start"] for e in blocks.values()} == {
        datetime.fromisoformat(b["start"]).astimezone(UTC).isoformat() for b in data
    }
    # the full calendar holds them too, beside the plan's all-day events
    full = _events(run("export", "-f", "ics").stdout)
    assert set(blocks) <= set(full) and len(full) > len(blocks)
    # a new busy hour over the second block: that block moves, keeps its UID, SEQUENCE 1
    second = sorted(blocks.items(), key=lambda kv: kv[1]["start"])[1]
    begins = datetime.fromisoformat(second[1]["start"])
    extra = tmp_path / "dentist.ics"
    extra.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:d1\n"
        f"DTSTART:{begins:%Y%m%dT%H%M%SZ}\nDTEND:{begins + timedelta(hours=1):%Y%m%dT%H%M%SZ}\n"
        "SUMMARY:Dentist\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    run("busy", "add", str(extra))
    after = _events(run("export", "-f", "ics", "--only", "blocks").stdout)
    changed = {uid for uid in blocks if uid not in after or after[uid] != blocks[uid]}
    assert second[0] in changed and len(changed) <= 2
    moved = [uid for uid in changed if uid in after]
    assert all(after[uid]["sequence"] == 1 for uid in moved)
    assert all(after[uid]["sequence"] == 0 for uid in after if uid in blocks and uid not in changed)


def test_progress_shows_the_next_block(run: Run, student: Path) -> None:
    out = run("progress").stdout
    assert (
        "Next study block: Wed 20:00-" in out and "bayesian (Coursework 2, due 2026-11-27)" in out
    )


def test_progress_without_windows_shows_no_block(run: Run) -> None:
    run("init", "--start", "2025-10")
    assert "Next study block" not in run("progress").stdout


def test_progress_json_carries_the_next_block(
    run: Run, run_json: RunJson, set_now, student: Path
) -> None:  # type: ignore[no-untyped-def]
    """Issue 30.6: the block the text shows as "Next study block", as data."""
    block = run_json("progress")["next_block"]
    assert set(block) == {"start", "end", "code", "minutes", "assessment", "due"}
    assert block["start"].startswith("2026-11-25T20:00:00+00:00")
    assert (block["code"], block["assessment"], block["due"]) == (
        "bayesian",
        "Coursework 2",
        "2026-11-27",
    )
    start, end = datetime.fromisoformat(block["start"]), datetime.fromisoformat(block["end"])
    assert (end - start).total_seconds() == block["minutes"] * 60 > 0
    # the same block `schedule` places first from now (and the text names)
    first = run_json("schedule")["blocks"][0]
    assert (first["start"], first["end"]) == (block["start"], block["end"])
    # none left this week: null (and the text says nothing)
    set_now(datetime(2026, 11, 29, 23, 30, tzinfo=LONDON))
    assert run_json("progress")["next_block"] is None
    assert "Next study block" not in run("progress").stdout


def test_progress_json_without_windows_has_no_next_block(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    assert run_json("progress")["next_block"] is None
    run("available", "set", "daily 20:00-21:30")
    run("available", "clear")
    assert run_json("progress")["next_block"] is None


def test_start_without_a_code_during_a_block_starts_its_module(
    run: Run, set_now, student: Path
) -> None:  # type: ignore[no-untyped-def]
    set_now(datetime(2026, 11, 26, 18, 50, tzinfo=LONDON))  # 10 minutes before Thursday's block
    run("schedule")
    said = run("start").stderr
    assert "your study block: Thu 19:00-" in said
    status = json.loads(run("status", "--json").stdout)
    assert status["module"] == "bayesian"


def test_start_without_a_code_outside_a_block_starts_none(run: Run, set_now, student: Path) -> None:  # type: ignore[no-untyped-def]
    set_now(datetime(2026, 11, 26, 12, 0, tzinfo=LONDON))  # Thursday noon: no block soon
    said = run("start").stderr
    assert "study block" not in said
    assert json.loads(run("status", "--json").stdout)["module"] is None


def test_schedule_another_week(run_json: RunJson, student: Path) -> None:
    data = run_json("schedule", "--week", "2026-12-02", "--busy", str(student))
    assert (data["week_start"], data["week_end"]) == ("2026-11-30", "2026-12-06")
    # the whole week is ahead: its windows less Thursday's shift (19:00-20:00)
    assert data["free_hours"] == 18.5 - 1
    starts = [datetime.fromisoformat(b["start"]) for b in data["blocks"]]
    assert starts and starts[0] == datetime(2026, 11, 30, 19, 0, tzinfo=LONDON)


def test_schedule_busy_that_is_no_file_is_an_error(run: Run, student: Path, tmp_path: Path) -> None:
    result = run("schedule", "--busy", str(tmp_path / "nope.ics"), ok=False)
    assert_one_line_error(result, "--busy", "nope.ics")


def test_a_broken_busy_calendar_does_not_stop_progress_or_start(run: Run, student: Path) -> None:
    run("busy", "add", str(student))
    student.write_text("this is no calendar")
    result = run("progress")
    assert "warning:" in result.stderr and str(student) in result.stderr
    assert "Next study block" not in result.stdout
    assert "timer started" in run("start").stderr


def test_a_kept_calendar_of_blocks_follows_a_change(
    run: Run, student: Path, tmp_path: Path
) -> None:
    kept = tmp_path / "blocks.ics"
    run("export", "-f", "ics", "--only", "blocks", "-o", str(kept), "--keep")
    before = _events(kept.read_text())
    assert before
    run("available", "set", "mon-fri 19:00-21:00")  # an hour less each evening
    after = _events(kept.read_text())
    assert after != before
    assert sum(_minutes(e) for e in after.values()) < sum(_minutes(e) for e in before.values())


def _minutes(event: dict[str, str]) -> float:
    start, end = datetime.fromisoformat(event["start"]), datetime.fromisoformat(event["end"])
    return (end - start).total_seconds() / 60


def test_the_page_shows_the_blocks_and_a_broken_calendar_does_not_stop_it(
    run: Run, student: Path
) -> None:
    run("busy", "add", str(student))
    assert 'id="week-blocks"' in run("export", "-f", "html").stdout
    student.write_text("this is no calendar")
    result = run("export", "-f", "html")
    assert "warning:" in result.stderr and str(student) in result.stderr
    assert 'id="week-blocks"' not in result.stdout and "This week" in result.stdout


def test_a_kept_page_shows_the_blocks_after_a_change(run: Run, tmp_path: Path) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "15")
    page = tmp_path / "plan.html"
    run("export", "-f", "html", "-o", str(page), "--keep")
    assert 'id="week-blocks"' not in page.read_text()
    run("available", "set", "mon-fri 19:00-22:00")
    assert 'id="week-blocks"' in page.read_text()


# --- khal imports the blocks twice (issue 30.6) -----------------------------------

KHAL = Path(sys.executable).parent / "khal"


@pytest.mark.skipif(not KHAL.exists(), reason="khal is in the test extra: pip install -e .[test]")
def test_khal_imports_the_blocks_twice_and_updates_a_moved_one_in_place(
    run: Run, run_json: RunJson, student: Path, tmp_path: Path
) -> None:
    """`export -f ics --only blocks` imported into khal, then again after a block moved:
    each block is in khal once, the moved one at its new time (same UID, higher SEQUENCE)."""
    folder = tmp_path / "khal"
    (folder / "study").mkdir(parents=True)
    config = folder / "config"
    config.write_text(
        "[calendars]\n[[study]]\n"
        f"path = {folder / 'study'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "default_timezone = Europe/London\nlocal_timezone = Europe/London\n"
        f"[sqlite]\npath = {folder / 'khal.db'}\n"
    )

    def khal(*args: str) -> str:
        done = subprocess.run(
            [str(KHAL), "-c", str(config), *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=child_env(None),
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def imported(text: str) -> None:
        path = tmp_path / "blocks.ics"
        path.write_text(text)
        khal("import", "--batch", "-a", "study", str(path))

    def in_khal() -> list[tuple[str, str, str]]:
        out = khal(
            "list", "--once", "--json", "uid", "--json", "start", "--json", "end",
            "2026-11-23", "2026-11-30",
        )  # fmt: skip
        rows = [row for line in out.splitlines() if line.strip() for row in json.loads(line)]
        return sorted((r["uid"], r["start"], r["end"]) for r in rows)

    run("busy", "add", str(student))
    first = _events(run("export", "-f", "ics", "--only", "blocks").stdout)
    assert len(first) > 2
    imported(run("export", "-f", "ics", "--only", "blocks").stdout)
    once = in_khal()
    assert [uid for uid, _, _ in once] == sorted(first)  # each block once
    # a busy hour over the second block: it moves (same UID, SEQUENCE 1); import again
    second = sorted(first.items(), key=lambda kv: kv[1]["start"])[1]
    begins = datetime.fromisoformat(second[1]["start"])
    extra = tmp_path / "dentist.ics"
    extra.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:d1\n"
        f"DTSTART:{begins:%Y%m%dT%H%M%SZ}\nDTEND:{begins + timedelta(hours=1):%Y%m%dT%H%M%SZ}\n"
        "SUMMARY:Dentist\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    run("busy", "add", str(extra))
    text = run("export", "-f", "ics", "--only", "blocks").stdout
    after = _events(text)
    assert second[0] in after and after[second[0]]["sequence"] == 1
    assert after[second[0]]["start"] != second[1]["start"]
    imported(text)
    twice = in_khal()
    uids = [uid for uid, _, _ in twice]
    assert set(after) == set(first)  # the same blocks, one of them moved (its UID kept)
    assert uids == sorted(after)  # each once: the moved one updated in place, not added
    held = {uid: (start, end) for uid, start, end in twice}
    for uid, event in after.items():  # khal holds each block where the last export put it
        start = datetime.fromisoformat(event["start"]).astimezone(LONDON)
        end = datetime.fromisoformat(event["end"]).astimezone(LONDON)
        assert held[uid] == (f"{start:%Y-%m-%d %H:%M}", f"{end:%Y-%m-%d %H:%M}"), uid
