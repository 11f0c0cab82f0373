"""Two computers, one record (issue 28): a two-way merge of two copies equals the
three-way merge with their true common ancestor, whatever each computer did.

In-process on the domain: each computer's commands are the domain's changes,
stamped by that computer (`stamps.restamp`) as `store.update` stamps them. The
reference is the textbook three-way merge, worked out from what each side's
commands touched since the copies parted (not from the stamps): a key touched on
one side takes that side's value; on both, the same value or a conflict.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import Run, child_env
from mldsplan.domain import changes
from mldsplan.domain.errors import MldsplanError
from mldsplan.domain.keymerge import merge
from mldsplan.domain.progress import Progress
from mldsplan.domain.rules import record_problems
from mldsplan.domain.stamps import ABSENT, ASSESSMENT_FIELDS, keyed, restamp
from mldsplan.storage import store
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(Path(__file__).resolve().parents[1] / "data" / "programme.toml")
TODAY = date(2026, 11, 25)
CODES = ["maths", "eda", "supervised", "bayesian"]
DAYS = [date(2026, 1, 10), date(2026, 3, 2), date(2026, 11, 20)]
NOON = datetime(2026, 11, 25, 9, tzinfo=UTC)

Op = tuple[Any, ...]


def apply(record: Progress, op: Op) -> Progress:
    """One command's change; one the domain refuses (nothing to remove) does nothing."""
    kind, code, *rest = op
    try:
        match kind:
            case "complete":
                return changes.complete(record, [code], TODAY, on=rest[0], mark=rest[1])
            case "uncomplete":
                return changes.uncomplete(record, [code])
            case "defer":
                return changes.defer(record, [code], rest[0])
            case "undefer":
                return changes.undefer(record, [code])
            case "assess":
                return changes.add_assessment(record, code, rest[0], rest[1], None)
            case "grade":
                return changes.mark_assessment(record, code, rest[0], rest[1])
            case "due":
                return changes.edit_assessment(record, code, rest[0], due=rest[1])
            case "rename":
                return changes.edit_assessment(record, code, rest[0], new_name=rest[1])
            case "unassess":
                return changes.remove_assessment(record, code, rest[0])
            case "fail":
                return changes.fail(record, code, rest[0], 40.0)
            case "log":
                return changes.add_log(record, rest[1], rest[0], TODAY, module=code)
            case "unlog":
                if not record.log:
                    return record
                return changes.remove_log(record, rest[0] % len(record.log) + 1)
            case "settings":
                return changes.set_settings(record, rest[0], rest[1])
            case "term":
                return changes.set_term_dates(record, 1, 1, date(2025, 10, 1), rest[0])
            case "unterm":
                return changes.reset_term_dates(record, None)
            case "windows":
                return replace(record, windows=rest[0])
            case "start":
                return changes.start_timer(record, rest[0], code, None)
            case "cancel":
                return changes.cancel_timer(record)
    except MldsplanError:
        return record
    raise AssertionError(kind)


code = st.sampled_from(CODES)
name = st.sampled_from(["cw1", "cw2", "exam"])
OPS = st.one_of(
    st.tuples(st.just("complete"), code, st.sampled_from(DAYS), st.sampled_from([None, 66.0])),
    st.tuples(st.just("uncomplete"), code),
    st.tuples(st.just("defer"), code, st.integers(1, 2)),
    st.tuples(st.just("undefer"), code),
    st.tuples(st.just("assess"), code, name, st.sampled_from([20.0, 30.0])),
    st.tuples(st.just("grade"), code, name, st.sampled_from([50.0, 80.0])),
    st.tuples(st.just("due"), code, name, st.sampled_from(DAYS)),
    st.tuples(st.just("rename"), code, name, st.sampled_from(["final", "mid"])),
    st.tuples(st.just("unassess"), code, name),
    st.tuples(st.just("fail"), code, st.sampled_from(DAYS)),
    # Both computers log the very same sessions now and then: two sessions, two entries.
    st.tuples(st.just("log"), code, st.sampled_from(DAYS), st.sampled_from([1.0, 2.0])),
    st.tuples(st.just("unlog"), st.none(), st.integers(0, 20)),
    st.tuples(st.just("settings"), st.none(), st.sampled_from(["2024-10", "2025-10"]), st.none()),
    st.tuples(st.just("term"), st.none(), st.sampled_from([date(2026, 1, 10), date(2026, 1, 14)])),
    st.tuples(st.just("unterm"), st.none()),
    st.tuples(
        st.just("windows"),
        st.none(),
        st.sampled_from([(), ("mon-fri 19:00-22:00",), ("sat 09:30-13:00",)]),
    ),
    st.tuples(st.just("start"), code, st.sampled_from([NOON, NOON + timedelta(hours=2)])),
    st.tuples(st.just("cancel"), st.none()),
)
sequences = st.lists(OPS, max_size=8)


class Computer:
    """A computer's commands on its copy: each write stamped with its own id."""

    def __init__(self, node: str) -> None:
        self.node = node
        self.count = itertools.count()
        self.touched: set[str] = set()

    def fresh(self) -> str:
        return f"{self.node[:4]}{next(self.count):08x}"

    def run(self, record: Progress, sequence: list[Op]) -> Progress:
        for op in sequence:
            after = apply(record, op)
            if after.content() == record.content():
                continue  # nothing to write: store.update writes nothing
            after = restamp(record, after, self.node, self.fresh)
            before, now = keyed(record), keyed(after)
            changed = {k for k in {*before, *now} if before.get(k, ABSENT) != now.get(k, ABSENT)}
            # A field of an assessment changed: the assessment is touched too (a removal
            # on the other side must not pass over it).
            changed |= {k.rsplit(".", 1)[0] for k in changed if _is_field(k)}
            self.touched |= changed
            record = after
        return record


def _is_field(key: str) -> bool:
    return key.startswith("assessments.") and key.rsplit(".", 1)[1] in ASSESSMENT_FIELDS


def reference(
    base: Progress, mine: Progress, theirs: Progress, a: Computer, b: Computer
) -> tuple[dict[str, Any], set[str]]:
    """The three-way merge by what each side touched: its values, and its conflicts."""
    kb, km, kt = keyed(base), keyed(mine), keyed(theirs)
    values: dict[str, Any] = {}
    conflicts: set[str] = set()
    for key in {*kb, *km, *kt}:
        m, t = km.get(key, ABSENT), kt.get(key, ABSENT)
        if key in a.touched and key in b.touched:
            value = m
            if m != t:
                conflicts.add(key)
        elif key in a.touched:
            value = m
        elif key in b.touched:
            value = t
        else:
            value = kb.get(key, ABSENT)
        if value is not ABSENT:
            values[key] = value
    # An assessment in conflict (removed on one side, changed on the other) keeps mine's:
    # its fields are mine's, and its fields' own conflicts are not raised.
    for key in list(conflicts):
        if key.startswith("assessments.") and not _is_field(key):
            for f in ASSESSMENT_FIELDS:
                conflicts.discard(f"{key}.{f}")
                if f"{key}.{f}" in km:
                    values[f"{key}.{f}"] = km[f"{key}.{f}"]
                else:
                    values.pop(f"{key}.{f}", None)
    # A field of an assessment that is gone is gone.
    for key in list(values):
        if _is_field(key) and key.rsplit(".", 1)[0] not in values:
            del values[key]
    return values, conflicts


@settings(max_examples=400, deadline=None)
@given(sequences, sequences, sequences)
@example(  # identical sessions on both computers: both kept
    common=[],
    mine=[("log", "eda", DAYS[2], 1.0)],
    theirs=[("log", "eda", DAYS[2], 1.0)],
)
@example(  # a removal on one computer stays removed
    common=[("log", "eda", DAYS[2], 1.0), ("complete", "maths", DAYS[0], 66.0)],
    mine=[("unlog", None, 0), ("uncomplete", "maths")],
    theirs=[("log", "eda", DAYS[2], 2.0)],
)
@example(  # a mark on one computer and a due date on the other: both kept
    common=[("assess", "eda", "cw1", 20.0)],
    mine=[("grade", "eda", "cw1", 80.0)],
    theirs=[("due", "eda", "cw1", DAYS[2])],
)
@example(  # removed on one computer, marked on the other: a conflict, settled once
    common=[("assess", "maths", "cw1", 20.0)],
    mine=[("unassess", "maths", "cw1")],
    theirs=[("grade", "maths", "cw1", 50.0)],
)
@example(
    common=[("assess", "maths", "cw1", 20.0)],
    mine=[("grade", "maths", "cw1", 50.0)],
    theirs=[("unassess", "maths", "cw1")],
)
@example(  # added again after a removal (the same name makes the same id)
    common=[("assess", "maths", "cw1", 20.0), ("unassess", "maths", "cw1")],
    mine=[],
    theirs=[("assess", "maths", "cw1", 20.0)],
)
@example(
    common=[],
    mine=[("assess", "maths", "cw1", 20.0)],
    theirs=[("assess", "maths", "cw1", 20.0), ("unassess", "maths", "cw1")],
)
def test_the_two_way_merge_is_the_three_way_merge_with_the_true_ancestor(
    common: list[Op], mine: list[Op], theirs: list[Op]
) -> None:
    base = Computer("0000000b").run(Progress(), common)
    laptop, home = Computer("1111111a"), Computer("2222222c")
    ours, other = laptop.run(base, mine), home.run(base, theirs)
    merged = merge(ours, other)
    wanted, conflicts = reference(base, ours, other, laptop, home)
    assert {c.field for c in merged.conflicts} == conflicts
    assert keyed(merged.record) == wanted
    # git's three-way merge with the base says the same.
    three = merge(ours, other, base=base)
    assert keyed(three.record) == wanted
    assert {c.field for c in three.conflicts} == conflicts
    # Settled either way, a merge again of either copy brings nothing new.
    for side in ("mine", "theirs"):
        settled = merge(ours, other, side, node="1111111a").record
        for copy in (ours, other):
            again = merge(settled, copy)
            assert again.conflicts == ()
            assert keyed(again.record) == keyed(settled)


def test_two_copies_of_one_v3_file_migrated_apart_merge_with_no_duplicate_and_no_loss(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    fixture = Path(__file__).parent / "fixtures" / "progress-v3.toml"
    laptop, home = tmp_path / "laptop" / "progress.toml", tmp_path / "home" / "progress.toml"
    for copy in (laptop, home):
        copy.parent.mkdir()
        shutil.copy(fixture, copy)
    # Each computer's first write migrates its copy on its own.
    run("--file", str(laptop), "log", "1", "--module", "eda", "--on", "2026-11-24")
    env = {"MLDSPLAN_CONFIG_DIR": str(tmp_path / "home-config")}
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "mldsplan", "--file", str(home), "log", "1", "--module", "eda"],
        env=child_env(**env),
        check=True,
        capture_output=True,
    )
    run("--file", str(laptop), "merge", str(home))
    merged = store.load(laptop)
    original = store.parse(fixture, fixture.read_bytes())
    assert [e.id for e in merged.log[: len(original.log)]] == [e.id for e in original.log]
    assert len(merged.log) == len(original.log) + 2  # the two sessions, each once
    assert len({e.id for e in merged.log}) == len(merged.log)


ZONES = ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London", "America/New_York"]


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(2026, 11, 20), max_value=datetime(2026, 12, 5)),
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2026, 11, 20), max_value=datetime(2026, 12, 5)),
    st.sampled_from(ZONES),
)
def test_a_record_written_at_any_clock_reads_and_changes_at_any_other(
    written: datetime, there: str, read: datetime, here: str
) -> None:
    """Issue 28.4: what one computer entered (its today, its now) is valid on every other."""
    then = written.replace(tzinfo=ZoneInfo(there))
    now = read.replace(tzinfo=ZoneInfo(here))
    record = Progress(start="2025-10")
    for change in (
        lambda r: changes.add_log(r, 1.0, then.date(), then.date(), module="eda"),
        lambda r: changes.complete(r, ["maths"], then.date(), on=then.date()),
        lambda r: changes.start_timer(r, then, "eda", None),
    ):
        after = change(record)
        assert record_problems(after, PROGRAMME, then.date(), now=then, entered=record) == []
        record = after
    # Read here, at any clock: no problem, and removing and changing work.
    assert record_problems(record, PROGRAMME, now.date(), now=now) == []
    for change2 in (
        lambda r: changes.remove_log(r, 1),
        lambda r: changes.cancel_timer(r),
        lambda r: changes.uncomplete(r, ["maths"]),
    ):
        after = change2(record)
        assert record_problems(after, PROGRAMME, now.date(), now=now, entered=record) == []


def test_a_computer_already_on_tomorrow_does_not_lock_out_the_other(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    """The issue's case: TZ=Pacific/Kiritimati logs for 2026-11-26 while London is on the 25th."""
    import subprocess
    import sys

    run("init", "--start", "2025-10")
    ahead = child_env(TZ="Pacific/Kiritimati", MLDSPLAN_CONFIG_DIR=str(tmp_path / "other"))
    done = subprocess.run(
        [sys.executable, "-m", "mldsplan", "log", "1", "--module", "eda"],
        env=ahead,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert store.load(progress_file).log[0].on == date(2026, 11, 26)
    # Here, still on the 25th: every command works, the removal and undo included.
    assert run("progress").exit_code == 0
    assert "note:" in run("check").stdout
    run("log", "--remove", "1")
    run("undo")
    assert store.load(progress_file).log[0].on == date(2026, 11, 26)


def test_an_undo_on_one_computer_is_carried_by_a_merge_to_the_other(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    """An undo is a change: its values are stamped, so the other copy does not bring
    back what it took away."""
    run("init", "--start", "2025-10")
    run("complete", "maths", "--mark", "64", "--on", "2026-01-10")
    copy = tmp_path / "copy.toml"
    shutil.copy(progress_file, copy)
    run("undo")  # takes the completion back here
    run("merge", str(copy))
    assert "maths" not in store.load(progress_file).completions
