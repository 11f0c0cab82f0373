"""A hostile user's corpus, run through the installed CLI as real processes.

Every case is an argument vector plus the files it meets (a hand-edited progress
file, a FIFO, a symlink, a 5,000-digit integer, JSON nested 100,000 deep...).
For each, SPEC §5 must hold: exit 0, 1 or 2; no traceback and no "internal
error"; no raw control characters on stderr; and a failed command (exit 1) says
one `Error: ...` line (plus an optional `hint: ...`) and changes no file.

The whole corpus runs once, in parallel, in a module fixture; each case is then
asserted as its own test so a failure names the case.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import fixed_environment

TIMEOUT = 20  # seconds; a case that takes longer has hung (FIFOs, locks)
DIGITS = "9" * 5000  # past CPython's 4300-digit int/str limit
DEEP = 100_000

# A schema-2 progress file as mldsplan writes it, with every kind of record.
V2 = """\
# mldsplan progress file: written by mldsplan; safe to read, edit with care.
schema_version = 2
revision = 5
start = "2025-10"
weekly_hours = 18.0

# Study log, an entry a line: date, hours, module (- for none), note.
log = '''
2026-11-23 1.5 -
2026-11-24 2.5 bayesian lecture 4
'''

[completions.programming]
on = 2026-01-20
resit = false
mark = 68.0

[deferrals]
bayesian = 1

[term_dates."2.1"]
start = 2026-10-05
end = 2027-01-10

[assessments]
unsupervised = [
    { name = "Coursework 1", weight = 20.0, due = 2026-11-02, mark = 68.0 },
    { name = "Group project", weight = 30.0, due = 2026-12-07 },
]

[timer]
started_at = 2026-11-25T19:15:00+00:00
module = "unsupervised"
note = "chapter 3"
"""

EXPORT = (
    '{"kind": "mldsplan-export", "schema_version": 2, '
    '"programme": {"id": "imperial-msc-mlds", "name": "MSc in Machine Learning and Data Science"}, '
    '"revision": 5, "start": "2025-10", "weekly_hours": 18.0, '
    '"completions": {"programming": {"on": "2026-01-20", "resit": false, "mark": 68.0}}, '
    '"deferrals": {"bayesian": 1}, "log": [{"on": "2026-11-23", "hours": 1.5}]}'
)

Setup = Callable[[Path], None]


def sub(old: str, new: str, text: str = V2) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    progress: str | bytes | None = V2  # the progress file's content; None: no file
    setup: Setup | None = None  # makes other files in the case's folder
    env: Mapping[str, str] = field(default_factory=dict)
    forbid: tuple[str, ...] = ()  # must not appear on stderr (a misleading message)
    private: str | None = None  # an output that must be written 0600 when the command succeeds


# --- setups: {d} in argv and env is the case's folder --------------------------


def fifo(name: str) -> Setup:
    return lambda d: os.mkfifo(d / name)


def folder(name: str) -> Setup:
    return lambda d: (d / name).mkdir()


def symlink(name: str, to: str) -> Setup:
    return lambda d: (d / name).symlink_to(to.format(d=d))


def write(name: str, content: str | bytes, mode: int | None = None) -> Setup:
    def make(d: Path) -> None:
        path = d / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        if mode is not None:
            path.chmod(mode)

    return make


def sparse(name: str, size: int) -> Setup:
    def make(d: Path) -> None:
        with open(d / name, "wb") as handle:
            handle.truncate(size)

    return make


def both(*setups: Setup) -> Setup:
    def make(d: Path) -> None:
        for setup in setups:
            setup(d)

    return make


# --- the corpus ------------------------------------------------------------------

ARGV: list[tuple[str, tuple[str, ...]]] = [
    # numbers: NaN, infinities, overflow, negatives, zero, the tiny and the huge
    ("init-weekly-nan", ("init", "--weekly-hours", "nan")),
    ("init-weekly-inf", ("init", "--weekly-hours", "inf")),
    ("init-weekly-1e309", ("init", "--weekly-hours", "1e309")),
    ("init-weekly-negative", ("init", "--weekly-hours", "-5")),
    ("init-weekly-5000-digits", ("init", "--weekly-hours", DIGITS)),
    ("init-start-0001", ("init", "--start", "0001-01")),
    ("init-start-9999", ("init", "--start", "9999-12")),
    ("init-start-month-13", ("init", "--start", "2026-13")),
    ("log-inf", ("log", "inf")),
    ("log-nan", ("log", "nan")),
    ("log-negative", ("log", "-1")),
    ("log-zero", ("log", "0")),
    ("log-1e309", ("log", "1e309")),
    ("log-just-over-24", ("log", "24.0000001")),
    ("log-5000-digits", ("log", DIGITS)),
    ("complete-mark-1e309", ("complete", "maths", "--mark", "1e309")),
    ("complete-mark-nan", ("complete", "maths", "--mark", "nan")),
    ("complete-mark-negative", ("complete", "maths", "--mark", "-1")),
    ("complete-mark-5000-digits", ("complete", "maths", "--mark", DIGITS)),
    ("mark-nan", ("mark", "programming", "nan")),
    ("mark-below-pass", ("mark", "programming", "49")),
    ("hours-weekly-nan", ("hours", "--weekly-hours", "nan")),
    ("hours-weekly-tiny", ("hours", "--weekly-hours", "1e-300")),
    ("defer-years-zero", ("defer", "maths", "--years", "0")),
    ("defer-years-huge", ("defer", "maths", "--years", "99999999999999999999")),
    ("defer-years-5000-digits", ("defer", "maths", "--years", DIGITS)),
    ("target-assume-nan", ("target", "--assume", "maths=nan")),
    ("target-assume-1e309", ("target", "--assume", "maths=1e309")),
    ("target-assume-no-mark", ("target", "--assume", "maths")),
    ("due-days-negative", ("due", "--days", "-1")),
    ("due-days-huge", ("due", "--days", "99999999999")),
    ("assess-weight-nan", ("assess", "add", "maths", "cw", "--weight", "nan")),
    ("assess-weight-inf", ("assess", "add", "maths", "cw", "--weight", "inf")),
    ("assess-weight-over-100", ("assess", "add", "unsupervised", "cw", "--weight", "51")),
    ("assess-mark-1e309", ("assess", "mark", "unsupervised", "Group project", "1e309")),
    (
        "assess-edit-weight-nan",
        ("assess", "edit", "unsupervised", "Group project", "--weight", "nan"),
    ),
    # dates out of range, impossible or in another shape
    ("log-on-0001", ("log", "5", "--on", "0001-01-08")),
    ("log-on-9999", ("log", "5", "--on", "9999-12-31")),
    ("log-on-feb-30", ("log", "5", "--on", "2026-02-30")),
    ("log-on-no-dashes", ("log", "5", "--on", "20261020")),
    ("log-on-future", ("log", "5", "--on", "2026-11-26")),
    ("log-on-empty", ("log", "5", "--on", "")),
    ("complete-on-0001", ("complete", "maths", "--on", "0001-01-08")),
    ("complete-on-9999", ("complete", "maths", "--on", "9999-12-31")),
    ("week-on-0001", ("week", "--on", "0001-01-01")),
    ("week-on-9999", ("week", "--on", "9999-12-31")),
    ("hours-on-9999", ("hours", "--on", "9999-12-31")),
    ("assess-due-9999", ("assess", "add", "maths", "cw", "--weight", "5", "--due", "9999-12-31")),
    (
        "calendar-set-reversed",
        ("calendar", "set", "2.1", "--from", "2027-01-10", "--to", "2026-10-05"),
    ),
    ("calendar-set-0001", ("calendar", "set", "2.1", "--from", "0001-01-01", "--to", "2026-10-05")),
    (
        "calendar-set-no-such-term",
        ("calendar", "set", "9.9", "--from", "2026-10-05", "--to", "2027-01-10"),
    ),
    (
        "calendar-set-huge-year",
        ("calendar", "set", f"{DIGITS}.1", "--from", "2026-10-05", "--to", "2027-01-10"),
    ),
    ("calendar-reset-junk", ("calendar", "reset", "x")),
    # invalid UTF-8, control characters and terminal escapes in notes, names and codes
    ("note-invalid-utf8", ("log", "1", "--note", "\udcff\udcfe")),
    ("note-carriage-return", ("log", "1", "--note", "a\rb")),
    ("note-newline", ("log", "1", "--note", "a\nb")),
    ("note-escape", ("log", "1", "--note", "\x1b[31mred\x1b[0m")),
    ("note-line-separator", ("log", "1", "--note", "x\u2028y")),
    ("note-triple-quote", ("log", "1", "--note", "'''")),
    ("note-100k", ("log", "1", "--note", "x" * 100_000)),
    ("assess-name-invalid-utf8", ("assess", "add", "maths", "\udcff", "--weight", "5")),
    (
        "assess-name-escape",
        ("assess", "add", "maths", "\x1b]0;pwned\x07\x1b[31mX", "--weight", "5"),
    ),
    ("assess-name-newline", ("assess", "edit", "unsupervised", "Group project", "--name", "a\nb")),
    ("assess-name-empty", ("assess", "add", "maths", "", "--weight", "5")),
    ("start-note-escape", ("start", "maths", "--note", "\x1b[2J")),
    ("code-escape", ("complete", "\x1b[2J")),
    ("code-newline", ("complete", "x\ny")),
    ("code-newline-log", ("log", "1", "--module", "x\ny")),
    ("code-empty", ("complete", "")),
    ("code-ambiguous", ("complete", "ethics")),
    # the timer
    ("start-twice", ("start",)),
    ("start-at-25", ("start", "--at", "25:00")),
    ("stop-at-25", ("stop", "--at", "25:00")),
    ("stop-at-before-start", ("stop", "--at", "18:00")),
    ("stop-at-future", ("stop", "--at", "21:00")),
    # usage errors
    ("no-such-command", ("\udcff",)),
    ("export-format-xml", ("export", "--format", "xml")),
    ("file-without-value", ("--file",)),
]

STOPPED = V2.split("\n[timer]")[0] + "\n"  # the same record with no timer running

ARGV_CASES = [Case(f"argv/{name}", argv) for name, argv in ARGV] + [
    # Too small to write: the error must be about HOURS, not blame the progress file.
    Case("argv/log-1e-300", ("log", "1e-300"), forbid=("progress.toml:",)),
    Case("argv/log-5e-16", ("log", "5e-16"), forbid=("progress.toml:", "internal check")),
    Case("argv/stop-with-no-timer", ("stop",), progress=STOPPED),
    Case("argv/cancel-with-no-timer", ("cancel",), progress=STOPPED),
    Case("argv/status-with-no-timer", ("status", "--json"), progress=STOPPED),
    Case("argv/no-progress-file-stop", ("stop",), progress=None),
    Case("argv/no-progress-file-undo", ("undo",), progress=None),
    Case("argv/no-progress-file-export-ics", ("export", "--format", "ics"), progress=None),
]

# Hand-edited progress files: a wrong type or value in every field, then what
# the parser meets (empty, a BOM, NUL, bad UTF-8, deep nesting, huge).
HOSTILE_FILES: dict[str, str | bytes] = {
    "schema-5000-digits": sub("schema_version = 2", f"schema_version = {DIGITS}"),
    "schema-string": sub("schema_version = 2", 'schema_version = "2"'),
    "schema-newer": sub("schema_version = 2", "schema_version = 3"),
    "revision-5000-digits": sub("revision = 5", f"revision = {DIGITS}"),
    "revision-negative": sub("revision = 5", "revision = -5"),
    "revision-string": sub("revision = 5", 'revision = "5"'),
    "start-month-13": sub('start = "2025-10"', 'start = "2025-13"'),
    "weekly-nan": sub("weekly_hours = 18.0", "weekly_hours = nan"),
    "weekly-inf": sub("weekly_hours = 18.0", "weekly_hours = -inf"),
    "weekly-5000-digits": sub("weekly_hours = 18.0", f"weekly_hours = {DIGITS}"),
    "log-hours-nan": sub("2026-11-23 1.5 -", "2026-11-23 nan -"),
    "log-hours-5000-digits": sub("2026-11-23 1.5 -", f"2026-11-23 {DIGITS} -"),
    "log-day-over-24": sub("2026-11-23 1.5 -", "2026-11-23 20 -\n2026-11-23 20 -"),
    "log-date-9999": sub("2026-11-23 1.5 -", "9999-12-31 1.5 -"),
    "log-escape-in-note": sub("lecture 4", "lecture \x1b[31m4"),
    "log-a-list": sub(
        "log = '''\n2026-11-23 1.5 -\n2026-11-24 2.5 bayesian lecture 4\n'''", "log = [1, 2]"
    ),
    "completion-mark-nan": sub("mark = 68.0\n", "mark = nan\n"),
    "completion-mark-5000-digits": sub("mark = 68.0\n", f"mark = {DIGITS}\n"),
    "completion-on-string": sub("on = 2026-01-20", 'on = "yesterday"'),
    "completion-unknown-module": sub("[completions.programming]", "[completions.nosuch]"),
    "deferral-5000-digits": sub("bayesian = 1", f"bayesian = {DIGITS}"),
    "deferral-float": sub("bayesian = 1", "bayesian = 1.5"),
    "term-dates-bad-key": sub('[term_dates."2.1"]', '[term_dates."x"]'),
    "term-dates-reversed": sub(
        "start = 2026-10-05\nend = 2027-01-10", "start = 2027-01-10\nend = 2026-10-05"
    ),
    "term-dates-5000-digit-year": sub('[term_dates."2.1"]', f'[term_dates."{DIGITS}.1"]'),
    "assessment-weight-nan": sub("weight = 20.0", "weight = nan"),
    "assessment-weight-5000-digits": sub("weight = 20.0", f"weight = {DIGITS}"),
    "assessment-name-escape": sub('name = "Coursework 1"', 'name = "a\\u001b[31mb"'),
    "assessments-not-a-list": sub("unsupervised = [\n    {", "unsupervised = 5\nx = [\n    {"),
    "timer-naive": sub(
        "started_at = 2026-11-25T19:15:00+00:00", "started_at = 2026-11-25T19:15:00"
    ),
    "timer-in-the-future-by-offset": sub("19:15:00+00:00", "19:15:00-23:59"),
    "timer-year-1": sub(
        "started_at = 2026-11-25T19:15:00+00:00", "started_at = 0001-01-01T00:00:00+00:00"
    ),
    "timer-module-int": sub('module = "unsupervised"', "module = 5"),
    "empty": "",
    "json-array": "[]",
    "bom": "\ufeff" + V2,
    "nul-byte": V2 + "\x00",
    "invalid-utf8": V2.encode().replace(b"lecture 4", b"lecture \xff\xfe"),
    "nested-100000-arrays": "x = " + "[" * DEEP + "]" * DEEP + "\n",
    "nested-inline-tables": "x = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n",
}

FILE_CASES = [
    Case(f"file/{name}/{argv[0]}", argv, progress=text)
    for name, text in HOSTILE_FILES.items()
    for argv in (("progress",), ("log", "1"))
]

PROGRAMMES: dict[str, str] = {
    "empty": "",
    "json-array": "[]",
    "nested-100000-arrays": "x = " + "[" * DEEP + "]" * DEEP + "\n",
    "total-ects-5000-digits": f"total_ects = {DIGITS}\n",
}

PATH_CASES = [
    # --file: special files, symlinks, folders, unreadable files
    Case("path/file-fifo", ("--file", "{d}/fifo", "log", "1"), setup=fifo("fifo")),
    Case("path/file-fifo-read", ("--file", "{d}/fifo", "progress"), setup=fifo("fifo")),
    Case("path/file-dev-null", ("--file", "/dev/null", "log", "1")),
    Case("path/file-folder", ("--file", "{d}/dir", "init"), setup=folder("dir")),
    Case(
        "path/file-dangling-symlink",
        ("--file", "{d}/link", "log", "1"),
        setup=symlink("link", "{d}/nowhere"),
    ),
    Case(
        "path/file-symlink-to-folder",
        ("--file", "{d}/link", "log", "1"),
        setup=both(folder("dir"), symlink("link", "{d}/dir")),
    ),
    Case(
        "path/file-mode-000-read",
        ("--file", "{d}/locked.toml", "progress"),
        setup=write("locked.toml", V2, 0),
    ),
    Case(
        "path/file-mode-000-write",
        ("--file", "{d}/locked.toml", "log", "1"),
        setup=write("locked.toml", V2, 0),
    ),
    Case("path/file-empty-path-undo", ("--file", "", "undo")),
    Case(
        "path/file-over-32-mib",
        ("--file", "{d}/big.toml", "progress"),
        setup=sparse("big.toml", 40 << 20),
    ),
    Case("path/file-30-mb-comment", ("progress",), progress=V2 + "# " + "z" * 30_000_000 + "\n"),
    Case(
        "path/file-lock-cannot-be-created",
        ("--file", "/proc/version", "log", "1"),
        env={"MLDSPLAN_LOCK_TIMEOUT": "1"},
        forbid=("another mldsplan",),
    ),
    # --programme
    Case("path/programme-fifo", ("--programme", "{d}/fifo", "plan"), setup=fifo("fifo")),
    Case("path/programme-dev-null", ("--programme", "/dev/null", "plan")),
    Case("path/programme-folder", ("--programme", "{d}", "plan")),
    Case(
        "path/programme-dangling-symlink",
        ("--programme", "{d}/link", "plan"),
        setup=symlink("link", "{d}/nowhere"),
    ),
    Case(
        "path/programme-mode-000",
        ("--programme", "{d}/p.toml", "plan"),
        setup=write("p.toml", "id = 1\n", 0),
    ),
    *(
        Case(
            f"path/programme-{name}/{cmd}",
            ("--programme", "{d}/p.toml", cmd),
            setup=write("p.toml", text),
        )
        for name, text in PROGRAMMES.items()
        for cmd in ("plan", "check")
    ),
    # export --output: special files, and mldsplan's own files
    Case(
        "path/export-to-fifo",
        ("export", "--format", "csv", "--output", "{d}/fifo"),
        setup=fifo("fifo"),
    ),
    Case("path/export-to-dev-null", ("export", "--format", "csv", "--output", "/dev/null")),
    Case("path/export-to-folder", ("export", "--format", "csv", "--output", "{d}")),
    Case(
        "path/export-to-dangling-symlink",
        ("export", "--format", "csv", "--output", "{d}/link"),
        setup=symlink("link", "{d}/nowhere"),
    ),
    Case(
        "path/export-over-progress",
        ("export", "--format", "toml", "--output", "{d}/progress.toml", "--force"),
    ),
    Case(
        "path/export-over-bak",
        ("export", "--format", "json", "--output", "{d}/progress.toml.bak", "--force"),
        setup=write("progress.toml.bak", V2),
    ),
    Case(
        "path/export-over-lock",
        ("export", "--format", "json", "--output", "{d}/progress.toml.lock", "--force"),
        setup=write("progress.toml.lock", ""),
    ),
    Case(
        "path/export-over-symlink-to-progress",
        ("export", "--format", "json", "--output", "{d}/link", "--force"),
        setup=symlink("link", "{d}/progress.toml"),
    ),
    Case(
        "path/export-over-hardlink-to-progress",
        ("export", "--format", "json", "--output", "{d}/hard", "--force"),
        setup=lambda d: os.link(d / "progress.toml", d / "hard"),
    ),
    Case(
        "path/export-into-missing-folder",
        ("export", "--format", "csv", "--output", "{d}/no/such/x.csv"),
    ),
    *(
        Case(f"path/export-{fmt}", ("export", "--format", fmt, "--output", "{d}/out"), private=None)
        for fmt in ("markdown", "csv", "ics")
    ),
    *(
        Case(
            f"path/export-{fmt}-with-the-log-is-private",
            ("export", "--format", fmt, "--output", "{d}/out"),
            private="out",
        )
        for fmt in ("json", "toml", "html")
    ),
    # import: special files, our own non-importable exports, hostile JSON
    Case("path/import-fifo", ("import", "{d}/fifo"), setup=fifo("fifo")),
    Case("path/import-dev-null", ("import", "/dev/null")),
    Case("path/import-folder", ("import", "{d}")),
    Case("path/import-the-progress-file", ("import", "{d}/progress.toml")),
    Case("path/import-json-array", ("import", "{d}/x.json"), setup=write("x.json", "[]")),
    Case("path/import-json-null", ("import", "{d}/x.json"), setup=write("x.json", "null")),
    Case(
        "path/import-json-nested-100000",
        ("import", "{d}/x.json"),
        setup=write("x.json", "[" * DEEP + "]" * DEEP),
    ),
    Case(
        "path/import-json-objects-nested-100000",
        ("import", "{d}/x.json"),
        setup=write("x.json", '{"a":' * DEEP + "1" + "}" * DEEP),
    ),
    Case(
        "path/import-json-5000-digits",
        ("import", "{d}/x.json"),
        setup=write("x.json", EXPORT.replace('"weekly_hours": 18.0', f'"weekly_hours": {DIGITS}')),
    ),
    Case(
        "path/import-json-nan",
        ("import", "{d}/x.json"),
        setup=write("x.json", EXPORT.replace('"weekly_hours": 18.0', '"weekly_hours": NaN')),
    ),
    Case(
        "path/import-json-invalid-utf8",
        ("import", "{d}/x.json"),
        setup=write("x.json", EXPORT.encode().replace(b"2025-10", b"\xff\xfe")),
    ),
    Case(
        "path/import-json-tiny-hours",
        ("import", "{d}/x.json"),
        setup=write("x.json", EXPORT.replace('"hours": 1.5', '"hours": 1e-300')),
        forbid=("progress.toml:",),  # the import is at fault, not the progress file
    ),
    Case(
        "path/import-json-over-32-mib", ("import", "{d}/x.json"), setup=sparse("x.json", 40 << 20)
    ),
    Case("path/import-good-json", ("import", "{d}/x.json"), setup=write("x.json", EXPORT)),
    # undo with a broken or strange .bak; writes with a strange .lock
    Case(
        "path/undo-garbage-bak",
        ("undo",),
        setup=write("progress.toml.bak", "garbage\n"),
        forbid=(".bak.bak",),
    ),
    Case(
        "path/undo-empty-bak", ("undo",), setup=write("progress.toml.bak", ""), forbid=(".bak.bak",)
    ),
    Case(
        "path/undo-5000-digit-bak",
        ("undo",),
        setup=write("progress.toml.bak", f"schema_version = {DIGITS}\n"),
    ),
    Case("path/undo-fifo-bak", ("undo",), setup=fifo("progress.toml.bak")),
    Case("path/undo-folder-bak", ("undo",), setup=folder("progress.toml.bak")),
    Case("path/write-with-folder-bak", ("log", "1"), setup=folder("progress.toml.bak")),
    Case("path/write-with-fifo-lock", ("log", "1"), setup=fifo("progress.toml.lock")),
    Case("path/write-with-folder-lock", ("log", "1"), setup=folder("progress.toml.lock")),
    Case(
        "path/write-with-dangling-lock",
        ("log", "1"),
        setup=symlink("progress.toml.lock", "{d}/nowhere"),
    ),
]

CLOCK_CASES = [
    Case("clock/now-year-9999", ("progress",), env={"MLDSPLAN_NOW": "9999-12-31T00:00:00+00:00"}),
    Case(
        "clock/now-year-9999-write", ("log", "1"), env={"MLDSPLAN_NOW": "9999-12-31T00:00:00+00:00"}
    ),
    Case(
        "clock/now-past-2199-write",
        ("log", "1"),
        env={"MLDSPLAN_NOW": "2200-01-01T12:00:00+00:00"},
        forbid=("progress.toml:",),  # the clock is at fault, not the file
    ),
    Case("clock/now-garbage", ("progress",), env={"MLDSPLAN_NOW": "garbage"}),
    Case("clock/lock-timeout-nan", ("log", "1"), env={"MLDSPLAN_LOCK_TIMEOUT": "nan"}),
]

CORPUS = ARGV_CASES + FILE_CASES + PATH_CASES + CLOCK_CASES

# ESC, BEL, CR and the other C0/C1 controls: raw on a terminal they move the
# cursor, retitle the window or hide text. Tab and newline are allowed.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


@dataclass
class Outcome:
    case: Case
    folder: Path
    returncode: int | None  # None: it hung
    stderr: str
    changed: list[str]


def _files(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` (not through symlinks, not the cache), by content."""
    found: dict[str, bytes] = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "cache"]
        for name in names:
            path = Path(root, name)
            try:
                if not stat.S_ISREG(path.lstat().st_mode):
                    continue
                found[str(path.relative_to(folder))] = path.read_bytes()
            except OSError:  # mode 000 and not root
                continue
    return found


def _env(folder: Path, case: Case) -> dict[str, str]:
    """conftest's environment for the case's folder (the corpus runs in a module fixture,
    before `isolated` has set it in this process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLDSPLAN_")}
    env.update(fixed_environment(folder / "progress.toml", folder / "cache"))
    env.update({k: v.format(d=folder) for k, v in case.env.items()})
    return env


def _run(case: Case, folder: Path) -> Outcome:
    folder.mkdir(parents=True)
    if case.progress is not None:
        content = case.progress
        (folder / "progress.toml").write_bytes(
            content.encode("utf-8") if isinstance(content, str) else content
        )
    if case.setup is not None:
        case.setup(folder)
    before = _files(folder)
    argv = [a.format(d=folder) if "{d}" in a else a for a in case.argv]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mldsplan", *argv],
            env=_env(folder, case),
            cwd=folder,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as hung:
        err = hung.stderr or b""
        return Outcome(case, folder, None, err.decode("utf-8", "replace"), [])
    after = _files(folder)
    changed = sorted(
        name
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name) and not name.endswith(".lock")
    )
    return Outcome(case, folder, done.returncode, done.stderr.decode("utf-8", "replace"), changed)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    base = tmp_path_factory.mktemp("hostile")
    workers = max(2, os.cpu_count() or 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            case.id: pool.submit(_run, case, base / f"case{i}") for i, case in enumerate(CORPUS)
        }
        yield {name: future.result() for name, future in futures.items()}


def test_the_corpus_ids_are_unique() -> None:
    ids = [case.id for case in CORPUS]
    assert len(ids) == len(set(ids))


@pytest.mark.slow  # ~40 s for the whole corpus on two cores
@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_hostile_input_gets_a_clear_answer_and_changes_nothing_on_error(
    case: Case, outcomes: dict[str, Outcome]
) -> None:
    out = outcomes[case.id]
    shown = f"{case.id}: exit {out.returncode}\n{out.stderr[:2000]}"
    assert out.returncode is not None, f"hung for {TIMEOUT} s: {shown}"
    assert out.returncode in (0, 1, 2), shown
    assert "Traceback" not in out.stderr, shown
    assert "internal error" not in out.stderr, shown
    assert not CONTROL.search(out.stderr), f"raw control characters on stderr: {out.stderr[:500]!r}"
    for needle in case.forbid:
        assert needle not in out.stderr, shown
    if out.returncode == 1:
        lines = out.stderr.splitlines()
        assert lines and lines[0].startswith("Error: "), shown
        assert all(line.startswith("hint: ") for line in lines[1:2]), shown
        assert len(lines) <= 2, shown
        assert out.changed == [], f"changed on error: {out.changed}; {shown}"
    if case.private is not None and out.returncode == 0:
        mode = stat.S_IMODE((out.folder / case.private).stat().st_mode)
        assert mode == 0o600, f"{case.private} written {mode:o}, holding the study log"
