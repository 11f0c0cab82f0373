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
    for label, value, limit in [
        ("slowest read command / floor", worst, 0.9),
        ("progress --json / floor", as_json, 0.8),
        ("completion / floor", completion_ratio, 0.5),
        ("progress 20,000 entries / 0 entries", growth, 1.2),
        ("export -f html / progress, 20,000", page, 1.5),
    ]:
        verdict = "meets" if value <= limit else "MISSES"
        print(f"{label:40} {value:5.2f}  (target <= {limit}: {verdict})")


if __name__ == "__main__":
    main()
