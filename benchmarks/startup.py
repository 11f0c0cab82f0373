"""Start-up benchmark: median wall time of fresh processes, as ratios to the import floor.

A report, never a pass/fail test: timings depend on the machine. Run it with
the interpreter of the environment mldsplan is installed in:

    python benchmarks/startup.py            # 21 runs per case
    python benchmarks/startup.py --runs 51

To see what a dependency version costs, install that version in another
environment and run the script with that environment's python.

Targets (issue 19): every read command (and `remind` with nothing to send, issue
32) at most 0.9x the floor, `--json` at
most 0.8x, completion at most 0.5x, and `progress` with 20,000 log entries at
most 1.2x the same with none. Issue 29: `export -f html` of the 20,000-entry
record at most 1.5x `progress` on it (the page is built from one snapshot).
Issue 30: `schedule` for a week against a year of busy calendar (30 repeating series
and 500 single events, a clock change in the week) at most 2x `progress` on the same
record.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from mldsplan.domain.progress import SCHEMA_VERSION
from mldsplan.paths import module_codes

FLOOR = "import typer, rich.console; from pydantic import BaseModel"
CODES = module_codes(None)  # the shipped programme's


NOW = "2027-09-25T12:00:00+00:00"  # the runs' clock (MLDSPLAN_NOW): after every planned term


def progress_file(path: Path, entries: int) -> Path:
    """A student with all 14 modules done, a few assessments and `entries` study-log lines."""
    first = date(2025, 10, 1)
    # Schema 4's lines, each with its id (a line without one is read the slow way).
    lines = [
        f"{first + timedelta(days=i % 700)} {0.25 + i % 2 * 0.25} {CODES[i % 14]} {i:012x}"
        f" session {i}"
        for i in range(entries)
    ]
    completions = "".join(
        f"\n[completions.{code}]\non = 2027-09-20\nmark = {60 + i}.0\nresit = false\n"
        for i, code in enumerate(CODES)
    )
    assessments = "".join(
        f'\n[[assessments.{code}]]\nid = "cw"\nname = "Coursework"\nweight = 40.0\n'
        f'due = 2027-03-01\nmark = 65.0\n\n[[assessments.{code}]]\nid = "exam"\nname = "Exam"\n'
        f"weight = 60.0\n"
        for code in CODES[:4]
    )
    quote = "'" * 3
    log = f"log = {quote}\n{chr(10).join(lines)}\n{quote}\n" if lines else ""
    path.write_text(
        f'schema_version = {SCHEMA_VERSION}\nrevision = 1\nstart = "2025-10"\n'
        f"{log}{completions}{assessments}"
    )
    return path


SCHEDULE_NOW = "2026-10-20T12:00:00+01:00"  # the week the clocks go back in London

VTIMEZONE = """BEGIN:VTIMEZONE
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


def busy_calendar(path: Path) -> Path:
    """A year of a working student's calendar: 30 repeating series (weekly and daily, some
    with EXDATEs) and 500 single events, in Europe/London over two clock changes."""
    first = date(2026, 3, 2)
    events = []
    for i in range(30):
        day = first + timedelta(days=i % 7)
        hour = 7 + i % 14
        rule = "FREQ=WEEKLY;UNTIL=20270301T000000Z" if i % 3 else "FREQ=DAILY;COUNT=365"
        events.append(
            f"BEGIN:VEVENT\nUID:series-{i}\nDTSTAMP:20260301T000000Z\n"
            f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T{hour:02d}0000\n"
            f"DTEND;TZID=Europe/London:{day:%Y%m%d}T{hour:02d}4500\nRRULE:{rule}\n"
            f"EXDATE;TZID=Europe/London:{day + timedelta(days=14):%Y%m%d}T{hour:02d}0000\n"
            f"SUMMARY:Series {i}\nEND:VEVENT"
        )
    for i in range(500):
        day = first + timedelta(days=(i * 7) % 365)
        hour = 8 + i % 13
        events.append(
            f"BEGIN:VEVENT\nUID:single-{i}\nDTSTAMP:20260301T000000Z\n"
            f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T{hour:02d}3000\n"
            f"DTEND;TZID=Europe/London:{day:%Y%m%d}T{hour + 1:02d}0000\n"
            f"SUMMARY:Meeting {i}\nEND:VEVENT"
        )
    body = "\n".join(events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//bench//EN\n{VTIMEZONE}{body}\nEND:VCALENDAR\n"
    path.write_text(text.replace("\n", "\r\n"))
    return path


def planning_file(path: Path) -> Path:
    """A student in year 2's first term with windows and three assessments due soon."""
    path.write_text(
        f'schema_version = {SCHEMA_VERSION}\nrevision = 1\nstart = "2025-10"\n'
        'windows = ["weekdays 19:00-22:00", "weekends 09:30-13:00"]\n'
        '\n[[assessments.bayesian]]\nid = "cw2"\nname = "Coursework 2"\nweight = 25.0\n'
        "due = 2026-10-23\n"
        '\n[[assessments.deep-learning]]\nid = "quiz"\nname = "Quiz"\nweight = 10.0\n'
        "due = 2026-10-25\n"
    )
    return path


def medians_ms(cases: list[tuple[str, list[str], dict[str, str]]], runs: int) -> dict[str, float]:
    """Median wall time per case; the cases take turns, so drift in load hits all alike."""
    for name, command, env in cases:  # also warms the caches
        warm = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if warm.returncode != 0:
            raise SystemExit(f"{name}: {command} failed: {warm.stderr.strip()}")
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for _ in range(runs):
        for name, command, env in cases:
            begin = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True)
            times[name].append((time.perf_counter() - begin) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    python = sys.executable
    script = shutil.which("mldsplan", path=str(Path(python).parent))
    mldsplan = [script] if script else [python, "-m", "mldsplan"]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        base = {k: v for k, v in os.environ.items() if not k.startswith("MLDSPLAN_")}
        base["NO_COLOR"] = "1"
        base["MLDSPLAN_NOW"] = NOW

        def env(entries: int | None = None, **extra: str) -> dict[str, str]:
            path = tmp / f"progress-{entries}.toml"
            if entries is not None and not path.exists():
                progress_file(path, entries)
            return {**base, "MLDSPLAN_FILE": str(path), **extra}

        completion = env(
            None,
            _MLDSPLAN_COMPLETE="complete_bash",
            COMP_WORDS="mldsplan complete ma",
            COMP_CWORD="2",
        )
        cases = [
            ("python -c pass", [python, "-c", "pass"], env()),
            ("dependency floor", [python, "-c", FLOOR], env()),
            ("mldsplan --help", [*mldsplan, "--help"], env()),
            ("progress, 0 log entries", [*mldsplan, "progress"], env(0)),
            ("progress, 2,000 log entries", [*mldsplan, "progress"], env(2000)),
            ("progress, 20,000 log entries", [*mldsplan, "progress"], env(20000)),
            ("export -f html, 20,000", [*mldsplan, "export", "-f", "html"], env(20000)),
            ("progress --json, 2,000", [*mldsplan, "progress", "--json"], env(2000)),
            ("plan, 2,000", [*mldsplan, "plan"], env(2000)),
            ("week, 2,000", [*mldsplan, "week"], env(2000)),
            ("hours, 2,000", [*mldsplan, "hours"], env(2000)),
            ("grades, 2,000", [*mldsplan, "grades"], env(2000)),
            ("due, 2,000", [*mldsplan, "due"], env(2000)),
            ("assess list, 2,000", [*mldsplan, "assess", "list"], env(2000)),
            ("calendar, 2,000", [*mldsplan, "calendar"], env(2000)),
            ("status, 2,000", [*mldsplan, "status"], env(2000)),
            # what the 15-minute job runs; nothing due (a Saturday: the week is checked too)
            ("remind, nothing due, 2,000", [*mldsplan, "remind", "--notify"], env(2000)),
            ("completion of a code", [*mldsplan], completion),
        ]
        plans = {
            **base,
            "MLDSPLAN_NOW": SCHEDULE_NOW,
            "TZ": "Europe/London",
            "MLDSPLAN_FILE": str(planning_file(tmp / "planning.toml")),
            "MLDSPLAN_CONFIG_DIR": str(tmp / "config"),
            "MLDSPLAN_CACHE_DIR": str(tmp / "cache"),
        }
        busy = busy_calendar(tmp / "work.ics")
        cases += [
            ("progress, planning record", [*mldsplan, "progress"], plans),
            ("schedule, a year of busy", [*mldsplan, "schedule", "--busy", str(busy)], plans),
        ]
        results = medians_ms(cases, args.runs)
    floor = results["dependency floor"]
    print(f"median of {args.runs} fresh processes; floor = `{FLOOR}`")
    print(f"{'case':32} {'ms':>8} {'x floor':>8}")
    for name, ms in results.items():
        print(f"{name:32} {ms:8.1f} {ms / floor:8.2f}")
    print()
    reads = [
        n
        for n in results
        if n.split(",")[0]
        in {"progress", "plan", "week", "hours", "grades", "due", "assess list", "calendar"}
        | {"status", "remind"}
        and "20,000" not in n
    ]
    worst = max(results[n] / floor for n in reads)
    as_json = results["progress --json, 2,000"] / floor
    growth = results["progress, 20,000 log entries"] / results["progress, 0 log entries"]
    completion_ratio = results["completion of a code"] / floor
    page = results["export -f html, 20,000"] / results["progress, 20,000 log entries"]
    schedule = results["schedule, a year of busy"] / results["progress, planning record"]
    for label, value, limit in [
        ("slowest read command / floor", worst, 0.9),
        ("progress --json / floor", as_json, 0.8),
        ("completion / floor", completion_ratio, 0.5),
        ("progress 20,000 entries / 0 entries", growth, 1.2),
        ("export -f html / progress, 20,000", page, 1.5),
        ("schedule with a year of busy / progress", schedule, 2.0),
    ]:
        verdict = "meets" if value <= limit else "MISSES"
        print(f"{label:40} {value:5.2f}  (target <= {limit}: {verdict})")


if __name__ == "__main__":
    main()
