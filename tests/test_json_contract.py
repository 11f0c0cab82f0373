"""Issue 21, points 7 and 8: the `--json` contract.

Every command that takes `--json` prints one JSON object on stdout (the command tree
is walked, so a new one is caught), and docs/json.md matches the output exactly:
every key of every object is documented with its type, every documented key is
printed, and a key holds one kind of number (ECTS, hours and marks are always floats).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import Refuse, Run, RunJson, command_tree
from mldsplan.domain.results import JSON_SCHEMA_VERSION

DOC = Path(__file__).parents[1] / "docs" / "json.md"


# --- point 7: one JSON object from every command with --json -----------------


def json_commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command (or group, like `calendar`) that takes `--json`, by its path."""
    for name, command in group.commands.items():
        here = (*path, name)
        if any("--json" in getattr(p, "opts", ()) for p in command.params):
            yield here
        if hasattr(command, "commands"):  # a group, like `assess`
            yield from json_commands(command, here)


# Each command with --json, in typical cases (run in this order on one record).
TYPICAL: dict[tuple[str, ...], list[tuple[str, ...]]] = {
    ("plan",): [("plan",)],
    ("progress",): [("progress",)],
    ("hours",): [("hours",)],
    ("week",): [("week",)],
    ("grades",): [("grades",)],
    ("target",): [("target",)],
    ("calendar",): [("calendar",)],
    ("assess", "list"): [("assess", "list")],
    ("due",): [("due",)],
    ("status",): [("status",)],
    ("remind",): [("remind", "--dry-run")],
    ("schedule",): [("schedule",)],
    ("history",): [("history",)],
    ("log",): [
        ("log", "--list"),
        ("log", "0.5", "--module", "agents"),
        ("log", "--remove", "1"),
        ("log", "--undo"),
    ],
}


def one_object(stdout: str) -> dict[str, Any]:
    """stdout is exactly one JSON object (json.loads refuses anything after it)."""
    assert stdout.strip(), "nothing on stdout"
    data = json.loads(stdout)
    assert isinstance(data, dict), data
    assert data["schema_version"] == JSON_SCHEMA_VERSION
    return data


def test_every_command_with_json_prints_one_json_object(run: Run) -> None:
    found = set(json_commands(command_tree()))
    assert found == set(TYPICAL), "a command with --json needs its typical case here"
    run("init", "--start", "2025-10")
    run("log", "2", "--module", "bayesian", "--on", "2026-11-20")
    run("log", "1", "--on", "2026-11-24")
    run("assess", "add", "bayesian", "CW1", "--weight", "30", "--due", "2026-11-30")
    for path in TYPICAL:
        for args in TYPICAL[path]:
            one_object(run(*args, "--json").stdout)


def test_log_says_what_it_logged_and_removed(run: Run, run_json: RunJson) -> None:
    run("init", "--start", "2025-10")
    run("log", "2", "--module", "bayesian", "--on", "2026-11-23")
    logged = run_json("log", "0.5", "--module", "agents", "--note", "lab")
    assert logged == {
        "schema_version": JSON_SCHEMA_VERSION,
        "action": "logged",
        "number": 2,
        "entry": {
            "on": "2026-11-25",
            "hours": 0.5,
            "module": "agents",
            "note": "lab",
            "opening": False,
        },
        "day_hours": 0.5,
        "week_start": "2026-11-23",
        "week_hours": 2.5,
        "week_target_hours": 21.0,
    }
    run("log", "1", "--on", "2026-11-25")
    undone = run_json("log", "--undo")
    assert (undone["action"], undone["number"], undone["entry"]["hours"]) == ("removed", 3, 1.0)
    assert (undone["day_hours"], undone["week_hours"]) == (0.5, 2.5)
    removed = run_json("log", "--remove", "1")
    assert removed["entry"] == {
        "on": "2026-11-23",
        "hours": 2.0,
        "module": "bayesian",
        "note": None,
        "opening": False,
    }
    assert (removed["action"], removed["number"]) == ("removed", 1)
    assert (removed["day_hours"], removed["week_hours"]) == (0.0, 0.5)
    assert [e["module"] for e in run_json("log", "--list")["entries"]] == ["agents"]


def test_without_json_log_still_confirms_on_stderr(run: Run) -> None:
    run("init", "--start", "2025-10")
    logged = run("log", "1.5", "--module", "agents")
    assert (logged.stdout, logged.stderr) == (
        "",
        "logged 1.5 h on 2026-11-25 for agents (1.5 h that day)\n",
    )
    removed = run("log", "--undo")
    assert (removed.stdout, removed.stderr) == (
        "",
        "removed 1.5 h on 2026-11-25 for agents from the log\n",
    )


def test_calendar_set_refuses_json_rather_than_drop_it(refuse: Refuse, run: Run) -> None:
    run("init", "--start", "2025-10")
    refuse(
        "calendar", "--json", "set", "1.2", "--from", "2026-01-19", "--to", "2026-04-24",
        needles=("--json", "calendar set"),
    )  # fmt: skip
    refuse("calendar", "--json", "reset", needles=("--json", "calendar reset"))


# --- point 8: docs/json.md is the output, key by key and type by type --------


@dataclasses.dataclass
class Contract:
    objects: dict[str, dict[str, str]]  # an object's name: each key's documented type
    commands: dict[str, str]  # "plan --json": the name of the object it prints
    common: dict[str, str]  # keys every command's object carries


def read_contract(text: str) -> Contract:
    """The tables `| key | type | meaning |` of docs/json.md, by the heading above them.

    A `## ` heading naming commands in backticks is their section: a table right under
    it is their object (named by the heading), else the section's first `### ` object.
    A `### ` heading names an object. The table before the first section is what every
    object carries.
    """
    objects: dict[str, dict[str, str]] = {}
    commands: dict[str, str] = {}
    common: dict[str, str] = {}
    section: list[str] = []
    name: str | None = None
    in_table = False
    for line in text.splitlines():
        if line.startswith("## "):
            section = re.findall(r"`([^`]*--json[^`]*)`", line)
            name = line[3:].strip() if section else None
            continue
        if line.startswith("### "):
            name = line[4:].strip()
            for command in section:
                commands.setdefault(command, name)
            continue
        row = line.startswith("|")
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if row else []
        if cells == ["key", "type", "meaning"]:
            in_table = True
            for command in section if name is not None else ():
                commands.setdefault(command, name)
            continue
        if not cells:
            in_table = False
            continue
        if not in_table or set(cells[0]) <= {"-"}:
            continue
        keys = re.findall(r"`([^`]+)`", cells[0])
        assert keys and len(cells) == 3, line
        table = common if name is None else objects.setdefault(name, {})
        for key in keys:
            assert key not in table, f"{key} twice in {name}"
            table[key] = cells[1]
    return Contract(objects=objects, commands=commands, common=common)


PRIMITIVES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) is float,
    "boolean": lambda v: type(v) is bool,
    "date": lambda v: (
        isinstance(v, str)
        and bool(re.fullmatch(r"\d{4}-\d\d-\d\d", v))
        and isinstance(date.fromisoformat(v), date)
    ),
    "date-time": lambda v: (
        isinstance(v, str)
        and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?[+-]\d\d:\d\d", v) is not None
        and datetime.fromisoformat(v).tzinfo is not None
    ),
    "month": lambda v: isinstance(v, str) and bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v)),
}


class Checker:
    """Checks values against the contract, and remembers which objects it has seen."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.seen: set[str] = set()
        self.problems: list[str] = []

    def command(self, section: str, data: Any) -> None:
        name = self.contract.commands[section]
        self.object(name, data, section, extra=self.contract.common)

    def object(
        self, name: str, value: Any, where: str, extra: dict[str, str] | None = None
    ) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{where}: {value!r} is not an object ({name})")
            return
        self.seen.add(name)
        keys = self.contract.objects[name] | (extra or {})
        for key in sorted(set(value) - set(keys)):
            self.problems.append(f"{where}.{key}: not in docs/json.md's table for {name}")
        for key in sorted(set(keys) - set(value)):
            self.problems.append(f"{where}.{key}: in docs/json.md ({name}) but not printed")
        for key in sorted(set(keys) & set(value)):
            self.value(keys[key], value[key], f"{where}.{key}")

    def value(self, kind: str, value: Any, where: str) -> None:
        if kind.endswith(" or null"):
            if value is None:
                return
            kind = kind.removesuffix(" or null")
        if kind.startswith("list of "):
            if not isinstance(value, list):
                self.problems.append(f"{where}: {value!r} is not a list ({kind})")
                return
            for i, item in enumerate(value):
                self.value(kind.removeprefix("list of "), item, f"{where}[{i}]")
        elif kind.startswith("map of "):
            if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                self.problems.append(f"{where}: {value!r} is not a map ({kind})")
                return
            for k, item in value.items():
                self.value(kind.removeprefix("map of "), item, f"{where}[{k!r}]")
        elif kind in PRIMITIVES:
            if not PRIMITIVES[kind](value):
                self.problems.append(f"{where}: {value!r} is not {kind}")
        elif kind in self.contract.objects:
            self.object(kind, value, where)
        else:
            self.problems.append(f"{where}: docs/json.md's type {kind!r} is not a known type")


# What docs/json.md calls each command, and the invocations that print it.
REPORTS: list[tuple[str, tuple[str, ...]]] = [
    ("plan --json", ("plan",)),
    ("progress --json", ("progress",)),
    ("hours --json", ("hours",)),
    ("week --json", ("week",)),
    ("grades --json", ("grades",)),
    ("target --json", ("target",)),
    ("calendar --json", ("calendar",)),
    ("assess list --json", ("assess", "list")),
    ("due --json", ("due",)),
    ("status --json", ("status",)),
    ("schedule --json", ("schedule",)),
    ("log --list --json", ("log", "--list")),
    ("remind --json", ("remind", "--dry-run")),
]


def test_docs_json_md_gives_every_key_with_its_type_and_the_output_matches(
    run: Run, run_json: RunJson
) -> None:
    contract = read_contract(DOC.read_text())
    assert contract.common == {"schema_version": "integer"}
    check = Checker(contract)
    # A new student: no file, nothing done (sums over nothing, nulls everywhere).
    for section, args in REPORTS:
        check.command(section, run_json(*args))
    # A record with something in every list and object.
    run("init", "--start", "2025-10")
    run("complete", "programming", "--mark", "70", "--on", "2026-01-10")
    run("complete", "ethics-1", "--on", "2026-01-10")
    run("fail", "maths", "--mark", "42", "--on", "2026-01-12")
    run("log", "2", "--module", "bayesian", "--on", "2026-11-20", "--note", "n")
    run("log", "1", "--on", "2026-11-23")
    run("log", "60", "--module", "eda", "--opening")  # no date: `on` null in the listing
    run("assess", "add", "bayesian", "CW1", "--weight", "30", "--due", "2026-11-30")
    run("assess", "add", "bayesian", "Exam", "--weight", "70", "--due", "2026-12-01")
    run("assess", "add", "deep-learning", "Quiz", "--weight", "20", "--due", "2026-11-02")
    run("assess", "add", "deep-learning", "Lab", "--weight", "30", "--due", "2026-11-10")
    run("assess", "mark", "deep-learning", "Lab", "65")
    run("start", "bayesian", "--at", "19:00")
    run("available", "set", "daily 20:00-21:30")  # blocks, and hours that don't fit
    for section, args in REPORTS:
        check.command(section, run_json(*args))
    check.command("target --json", run_json("target", "--assume", "deep-learning=60"))
    check.command("log HOURS --json", run_json("log", "0.5", "--module", "agents"))
    check.command("log --edit N --json", run_json("log", "--edit", "1", "--hours", "45m"))
    check.command("log --remove N --json", run_json("log", "--remove", "1"))
    check.command("log --undo --json", run_json("log", "--undo"))
    check.command("log HOURS --json", run_json("log", "5", "--module", "eda", "--opening"))
    check.command("log --remove N --json", run_json("log", "--remove", "3"))  # that opening one
    run("undo")  # the oldest version's `what` is null, the others' a list
    check.command("history --json", run_json("history"))
    said = sorted({re.sub(r"\[\d+\]", "[]", p) for p in check.problems})  # once per key
    assert not said, "\n".join(said)
    assert set(contract.commands) == {s for s, _ in REPORTS} | {
        "log HOURS --json",
        "log --remove N --json",
        "log --undo --json",
        "log --edit N --json",
        "history --json",
    }
    assert set(contract.objects) - check.seen == set(), "documented objects never printed"


def test_a_key_holds_one_kind_of_number(run: Run, run_json: RunJson) -> None:
    """`ects_done` was 0 next to 12.5, `weight_marked` 0 next to 50.0."""
    assert type(run_json("progress")["ects_done"]) is float
    run("assess", "add", "bayesian", "CW1", "--weight", "50")
    module = run_json("assess", "list")["modules"][0]
    assert (module["weight_total"], module["weight_marked"]) == (50.0, 0.0)
    assert type(module["weight_marked"]) is float
    plan = run_json("plan")["modules"]
    assert all(type(m["ects"]) is float and type(m["hours"]) is float for m in plan)
    assert all(type(m["year"]) is int for m in plan)


def test_json_never_rounds_the_weeks_of_a_term(run: Run, run_json: RunJson) -> None:
    """`calendar` rounded `weeks` where `hours` did not: the same term, the same length."""
    run("init", "--start", "2025-10")
    calendar = {(t["year"], t["term"]): t["weeks"] for t in run_json("calendar")["terms"]}
    hours = {(t["year"], t["term"]): t["weeks_left"] for t in run_json("hours")["terms"]}
    assert calendar[(2, 3)] == hours[(2, 3)] == 153 / 7  # 2027-05-01 to 09-30, not yet begun


@dataclasses.dataclass
class _Inner:
    ects: float
    count: int


@dataclasses.dataclass
class _Outer:
    marks: dict[str, float]
    hours: list[float]
    mark: float | None
    inner: list[_Inner]
    anything: Any


def test_the_encoder_writes_a_declared_float_as_a_float_and_nothing_else() -> None:
    from mldsplan.output.jsonout import plain

    encoded = plain(_Outer({"a": 60}, [1, 2.5], 70, [_Inner(5, 3)], 4))
    assert encoded == {
        "marks": {"a": 60.0},
        "hours": [1.0, 2.5],
        "mark": 70.0,
        "inner": [{"ects": 5.0, "count": 3}],
        "anything": 4,
    }
    assert [type(v) for v in encoded["hours"]] == [float, float]
    assert type(encoded["inner"][0]["count"]) is int and type(encoded["anything"]) is int
    assert plain(_Outer({}, [], None, [], True))["anything"] is True


@pytest.mark.parametrize("section", ["plan --json", "status --json", "log --undo --json"])
def test_the_contract_reader_finds_each_section(section: str) -> None:
    contract = read_contract(DOC.read_text())
    assert contract.objects[contract.commands[section]]
