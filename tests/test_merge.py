"""Several computers (issue 24): `merge`, git's `merge-driver`, and sync tools' conflict copies.

The merge's properties run in-process on the domain (thousands of records in a
second); the commands run through the CLI; one test pulls between two git clones
with the driver installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run, child_env
from mldsplan.domain import changes
from mldsplan.domain.constraints import MAX_REVISION
from mldsplan.domain.keymerge import merge
from mldsplan.domain.progress import (
    Assessment,
    Attempt,
    Completion,
    LogEntry,
    Progress,
    TermDates,
    Timer,
)
from mldsplan.domain.stamps import keyed
from mldsplan.storage import store
from mldsplan.storage.conflicts import conflict_copies
from mldsplan.storage.logformat import entry_id

# --- records drawn from small pools, so that the two copies share keys and entries --

CODES = ["maths", "eda", "supervised", "bayesian"]
DAYS = [date(2026, 1, 10), date(2026, 3, 2), date(2026, 6, 20)]
completions = st.builds(
    Completion, on=st.sampled_from(DAYS), mark=st.sampled_from([None, 55.0, 70.0])
)
assessment_lists = st.lists(
    st.builds(
        Assessment,
        name=st.sampled_from(["cw1", "cw2", "exam"]),
        weight=st.sampled_from([20.0, 40.0]),
        mark=st.sampled_from([None, 65.0]),
        id=st.sampled_from(["a1", "a2", "a3"]),
    ),
    max_size=3,
    unique_by=lambda a: a.id,
).map(tuple)
entries = st.builds(
    LogEntry,
    on=st.sampled_from(DAYS),
    hours=st.sampled_from([1.0, 2.5]),
    module=st.sampled_from([None, "maths", "eda"]),
    note=st.sampled_from([None, "ch. 3"]),
)
timers = st.none() | st.builds(
    Timer,
    started_at=st.sampled_from([datetime(2026, 11, 25, h, tzinfo=UTC) for h in (9, 14)]),
    module=st.sampled_from([None, "eda"]),
)
records = st.builds(
    Progress,
    revision=st.integers(0, 20),
    start=st.sampled_from([None, "2025-10", "2024-10"]),
    weekly_hours=st.sampled_from([None, 21.0, 15.0]),
    completions=st.dictionaries(st.sampled_from(CODES), completions, max_size=3),
    deferrals=st.dictionaries(st.sampled_from(CODES), st.integers(1, 2), max_size=2),
    term_dates=st.dictionaries(
        st.sampled_from(["1.1", "1.2"]),
        st.builds(TermDates, start=st.just(date(2025, 10, 1)), end=st.sampled_from(DAYS)),
        max_size=2,
    ),
    assessments=st.dictionaries(st.sampled_from(CODES), assessment_lists, max_size=2),
    failed_attempts=st.dictionaries(
        st.sampled_from(CODES),
        st.lists(
            st.builds(Attempt, on=st.sampled_from(DAYS), mark=st.sampled_from([30.0, 45.0])),
            min_size=1,
            max_size=2,
        ).map(tuple),
        max_size=2,
    ),
    timer=timers,
    log=st.lists(entries, max_size=8).map(lambda log: as_read(tuple(log))),
)


def as_read(log: tuple[LogEntry, ...]) -> tuple[LogEntry, ...]:
    """The log as a file without ids (schema 3) reads: each entry's id made from its
    content and occurrence, the same on every computer."""
    seen: Counter[tuple[Any, ...]] = Counter()
    given = []
    for e in log:
        fields = (e.on.isoformat(), repr(e.hours), e.module or "-", e.note)
        seen[fields] += 1
        given.append(e._replace(id=entry_id(*fields, seen[fields])))
    return tuple(given)


def contents(log: tuple[LogEntry, ...]) -> Counter[LogEntry]:
    return Counter(e._replace(id="") for e in log)


def by_id(record: Progress) -> dict[tuple[str, str], Assessment]:
    return {(code, a.id): a for code, items in record.assessments.items() for a in items}


@given(records)
def test_a_record_merged_with_itself_is_itself(x: Progress) -> None:
    assert merge(x, x).record == x
    assert merge(x, x).conflicts == ()
    assert merge(x, x, base=x).record == x
    assert merge(x, x, base=Progress()).conflicts == ()  # both added the same


@given(records, records)
def test_two_copies_without_conflicts_keep_everything_of_both(a: Progress, b: Progress) -> None:
    merged = merge(a, b)
    if merged.conflicts:
        return
    m = merged.record
    assert m.revision == max(a.revision, b.revision)
    for field in ("completions", "deferrals", "term_dates"):
        assert getattr(m, field) == {**getattr(a, field), **getattr(b, field)}
    # Field by field (issue 28.3): a value one copy holds and the other lacks is kept.
    both = {**by_id(a), **by_id(b)}
    for key, item in both.items():
        x, y = by_id(a).get(key, item), by_id(b).get(key, item)
        fields = {
            f: getattr(x, f) if getattr(y, f) is None else getattr(y, f) for f in ("due", "mark")
        }
        assert by_id(m)[key] == replace(item, **fields)
    assert by_id(m).keys() == both.keys()
    for code in {*a.failed_attempts, *b.failed_attempts}:  # one list goes on from the other
        longer = max(a.failed_attempts.get(code, ()), b.failed_attempts.get(code, ()), key=len)
        assert m.failed_attempts[code] == longer
    assert m.start == (a.start or b.start) and m.weekly_hours == (a.weekly_hours or b.weekly_hours)
    assert m.timer == (a.timer or b.timer)
    assert contents(m.log) == contents(a.log) | contents(b.log)  # max(n, k) of each entry
    assert m.log[: len(a.log)] == a.log  # mine's order, then theirs' extra ones
    # And the same record whichever copy is "mine" (apart from the order).
    other = merge(b, a).record
    assert contents(other.log) == contents(m.log) and by_id(other) == by_id(m)
    assert replace(other, log=m.log, assessments=m.assessments) == m


@given(records, records, st.sampled_from(["mine", "theirs"]))
def test_prefer_settles_every_conflict_for_one_side(a: Progress, b: Progress, side: Any) -> None:
    merged = merge(a, b, side)
    chosen = a if side == "mine" else b
    settled, wanted = keyed(merged.record), keyed(chosen)
    for conflict in merged.conflicts:  # each key takes the chosen side's value
        assert settled.get(conflict.field) == wanted.get(conflict.field), conflict
        assert conflict.mine != conflict.theirs
    assert contents(merged.record.log) == contents(a.log) | contents(b.log)  # never a conflict


# --- three-way: each side's commands, recovered exactly -----------------------

TODAY = date(2026, 11, 25)


def apply(record: Progress, op: tuple[Any, ...]) -> Progress:
    """One command's change; one that does not apply (nothing to remove) does nothing."""
    kind, code, *rest = op
    try:
        if kind == "complete":
            return changes.complete(record, [code], TODAY, on=rest[0], mark=rest[1])
        if kind == "uncomplete":
            return changes.uncomplete(record, [code])
        if kind == "defer":
            return changes.defer(record, [code], rest[0])
        if kind == "undefer":
            return changes.undefer(record, [code])
        if kind == "assess":
            return changes.add_assessment(record, code, rest[0], 20.0, None)
        if kind == "grade":
            return changes.mark_assessment(record, code, rest[0], rest[1])
        if kind == "unassess":
            return changes.remove_assessment(record, code, rest[0])
        if kind == "fail":
            return changes.fail(record, code, rest[0], 40.0)
        if kind == "log":
            return changes.add_log(record, rest[1], rest[0], TODAY, module=code)
        if kind == "unlog":  # `log --remove N` of the entry it names
            entry = rest[0]
            if entry in record.log:
                return changes.remove_log(record, record.log.index(entry) + 1)
            return record
        if kind == "settings":
            return changes.set_settings(record, rest[0], rest[1])
        if kind == "start":
            return changes.start_timer(record, rest[0], code, None)
        if kind == "cancel":
            return changes.cancel_timer(record)
    except Exception as exc:  # the domain's refusal of a change that does not apply
        if type(exc).__name__ not in ("InputError", "RuleBroken"):
            raise
        return record
    raise AssertionError(kind)


def ops(codes: list[str], owns_settings: bool, owns_timer: bool) -> Any:
    code = st.sampled_from(codes)
    name = st.sampled_from(["cw1", "cw2"])
    kinds = [
        st.tuples(st.just("complete"), code, st.sampled_from(DAYS), st.sampled_from([None, 66.0])),
        st.tuples(st.just("uncomplete"), code),
        st.tuples(st.just("defer"), code, st.integers(1, 2)),
        st.tuples(st.just("undefer"), code),
        st.tuples(st.just("assess"), code, name),
        st.tuples(st.just("grade"), code, name, st.sampled_from([50.0, 80.0])),
        st.tuples(st.just("unassess"), code, name),
        st.tuples(st.just("fail"), code, st.sampled_from(DAYS)),
        st.tuples(st.just("log"), code, st.sampled_from(DAYS), st.sampled_from([1.0, 2.0])),
        st.tuples(st.just("unlog"), st.none(), entries),
    ]
    if owns_settings:
        kinds.append(
            st.tuples(
                st.just("settings"),
                st.none(),
                st.sampled_from(["2024-10", "2025-10"]),
                st.sampled_from([None, 18.0]),
            )
        )
    if owns_timer:
        moment = datetime(2026, 11, 25, 9, tzinfo=UTC)
        kinds += [
            st.tuples(
                st.just("start"), code, st.sampled_from([moment, moment + timedelta(hours=2)])
            ),
            st.tuples(st.just("cancel"), st.none()),
        ]
    return st.lists(st.one_of(kinds), max_size=8)


def replay(record: Progress, sequence: list[tuple[Any, ...]]) -> Progress:
    for op in sequence:
        record = apply(record, op)
    return record


def effective(record: Progress, sequence: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The commands that changed something on their own computer. One that did nothing
    there (removing a log entry that computer never had) did nothing the student meant,
    and must not act on the other computer's entries when the two are replayed."""
    kept = []
    for op in sequence:
        after = apply(record, op)
        if after != record:
            kept.append(op)
        record = after
    return kept


def same(a: Progress, b: Progress) -> bool:
    """The same record, whatever the order of the log and of a module's assessments."""
    return (
        Counter(a.log) == Counter(b.log)
        and by_id(a) == by_id(b)
        and replace(a, log=(), assessments={}, revision=0)
        == replace(b, log=(), assessments={}, revision=0)
    )


def test_the_log_against_a_base_is_by_id() -> None:
    a, b, c, d = (
        LogEntry(date(2026, 11, n), 1.0, "eda", None, f"{n:012x}") for n in (20, 21, 22, 22)
    )
    c2 = c._replace(id="00000000c0c2")  # the same session logged again elsewhere: its own id
    base = Progress(log=(a, b))
    ours = Progress(log=(b, c))  # removed a, added c
    theirs = Progress(log=(a, b, c2))  # added c2: both kept
    assert merge(ours, theirs, base=base).record.log == (b, c, c2)
    # Without a base and without stamps (a file from before schema 4), a removal cannot
    # be told from an entry the other copy lacks: kept.
    assert merge(ours, theirs).record.log == (b, c, a, c2)
    assert d == c  # same values, same id: one entry


def test_a_key_both_sides_changed_is_a_conflict_against_the_base() -> None:
    done = Completion(on=DAYS[0], mark=60.0)
    base = Progress(completions={"eda": done})
    ours = Progress(completions={"eda": replace(done, mark=62.0)})
    theirs = Progress(completions={})  # removed it
    merged = merge(ours, theirs, base=base)
    assert [(c.field, c.mine, c.theirs) for c in merged.conflicts] == [
        ("completions.eda", "completed 2026-01-10, mark 62", "removed")
    ]
    assert merge(ours, theirs, "theirs", base=base).record.completions == {}
    # Removed on one side and untouched on the other: it stays removed.
    assert merge(base, theirs, base=base).record.completions == {}


def test_a_timer_running_only_in_one_copy_is_kept_with_a_note_when_it_was_stopped_there() -> None:
    timer = Timer(started_at=datetime(2026, 11, 25, 9, tzinfo=UTC), module="eda")
    running = Progress(timer=timer)
    stopped = Progress(log=(LogEntry(date(2026, 11, 25), 2.0, "eda"),))
    merged = merge(running, stopped)
    assert merged.record.timer == timer and merged.conflicts == ()
    assert merged.notes and "cancel" in merged.notes[0]
    assert merge(running, Progress()).notes == ()
    # Against git's base, the stop is known: the timer goes.
    assert merge(running, stopped, base=running).record.timer is None
    other = Progress(timer=replace(timer, module="maths"))
    assert [c.field for c in merge(running, other).conflicts] == ["timer"]


# --- conflict copies ---------------------------------------------------------

COPIES = {
    "progress.sync-conflict-20261125-193012-K4QXW7M.toml": "Syncthing",
    "progress (Ann's conflicted copy 2026-11-25).toml": "Dropbox",
    "progress (Ann's conflicted copy 2026-11-25 (1)).toml": "Dropbox",
    "progress (conflicted copy 2026-11-25 193012).toml": "Nextcloud",
    "progress (conflicted copy ann 2026-11-25 193012).toml": "Nextcloud",
    "progress_conflict-20261125-193012.toml": "ownCloud",
}
NOT_COPIES = [
    "progress.toml",
    "progress.toml.bak",
    "progress.toml.lock",
    "progress (copy).toml",
    "progress (conflicted copy).toml",
    "progress.sync-conflict.toml",
    "progress.sync-conflict-20261125-193012-K4QXW7M.toml.bak",
    "progress.toml.sync-conflict-20261125-193012-K4QXW7M.bak",
    "other.sync-conflict-20261125-193012-K4QXW7M.toml",
    "progress2.sync-conflict-20261125-193012-K4QXW7M.toml",
    "progress (Ann's conflicted copy 2026-11-25).txt",
    "progress_conflict-2026.toml",
    ".progress.toml.mldsplan-abc123.tmp",
]


def test_conflict_copies_are_found_in_each_naming_style_and_nothing_else(tmp_path: Path) -> None:
    for name in [*COPIES, *NOT_COPIES]:
        (tmp_path / name).write_text("")
    found = {copy.path.name: copy.tool for copy in conflict_copies(tmp_path / "progress.toml")}
    assert found == COPIES
    assert conflict_copies(tmp_path / "missing" / "progress.toml") == []


def test_a_file_of_another_name_has_its_own_conflict_copies(tmp_path: Path) -> None:
    names = [
        "study.sync-conflict-20261125-193012-ABCDEFG.toml",
        "study (conflicted copy 2026-11-25 101010).toml",
        "notes (conflicted copy 2026-11-25 101010)",
    ]
    for name in [*names, *COPIES]:
        (tmp_path / name).write_text("")
    assert [c.path.name for c in conflict_copies(tmp_path / "study.toml")] == sorted(names[:2])
    assert [c.path.name for c in conflict_copies(tmp_path / "notes")] == [names[2]]


# --- the commands -------------------------------------------------------------

SYNCTHING = "progress.sync-conflict-20261125-193012-K4QXW7M.toml"


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def on_the_other_computer(run: Run, *args: str) -> Any:
    """`run(*args)` as the student's other computer runs it: its own config, so its own id."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLDSPLAN_CONFIG_DIR", os.environ["MLDSPLAN_CONFIG_DIR"] + "-other")
        return run(*args)


@pytest.fixture
def two_copies(run: Run, progress_file: Path) -> Path:
    """This computer's file and a Syncthing copy beside it, changed apart since a sync."""
    run("init", "--start", "2025-10")
    run("complete", "maths", "--mark", "64", "--on", "2026-01-10")
    run("log", "2", "--module", "maths", "--on", "2026-11-20")
    copy = progress_file.parent / SYNCTHING
    shutil.copy(progress_file, copy)
    run("log", "1.5", "--module", "eda", "--on", "2026-11-24")
    # The copy's changes were made on the other computer (its own id in its stamps).
    for args in (
        ("log", "3", "--module", "eda", "--on", "2026-11-23"),
        ("log", "2", "--module", "maths", "--on", "2026-11-20"),  # the same again: twice
        ("complete", "eda", "--mark", "71", "--on", "2026-06-20"),
        ("assess", "add", "bayesian", "cw1", "--weight", "40", "--due", "2026-12-04"),
    ):
        on_the_other_computer(run, "--file", str(copy), *args)
    return copy


def test_every_command_names_a_conflict_copy_and_check_lists_it(run: Run, two_copies: Path) -> None:
    said = run("progress").stderr
    assert f"warning: {two_copies} looks like a conflict copy Syncthing left" in said
    assert f"merge it: mldsplan merge {two_copies}" in said
    assert said.count("warning:") == 1
    checked = run("check")
    assert f"warning: {two_copies} looks like a conflict copy Syncthing left" in checked.stdout
    assert "conflict copy" not in checked.stderr  # listed once, by check
    other = two_copies.parent / "study.toml"
    shutil.copy(two_copies.parent / "progress.toml", other)
    said = run("--file", str(other), "plan").stderr
    assert "conflict copy" not in said  # another file's copies are its own
    (two_copies.parent / "study (conflicted copy 2026-11-25 101010).toml").write_bytes(b"")
    said = run("--file", str(other), "plan").stderr
    assert f"merge it: mldsplan --file {other} merge " in said


def test_merge_brings_in_every_entry_and_undo_takes_it_back(
    run: Run, two_copies: Path, progress_file: Path
) -> None:
    copy_bytes = two_copies.read_bytes()
    mine_before = store.load(progress_file)
    theirs = store.load(two_copies)
    result = run("merge", str(two_copies))
    said = result.stderr
    assert "completed eda (mark 71)" in said and "bayesian: added 'cw1'" in said
    assert "nothing lost" in said and "delete it once the merge looks right" in said
    assert "conflict copy" not in said  # just merged: no warning to merge it again
    merged = store.load(progress_file)
    assert merged.revision == max(mine_before.revision, theirs.revision) + 1
    assert Counter(merged.log) == Counter(mine_before.log) | Counter(theirs.log)
    assert merged.completions.keys() == {"maths", "eda"}
    assert two_copies.read_bytes() == copy_bytes  # the other copy is never changed
    assert store.load(store.sibling(progress_file, ".bak")) == mine_before
    run("undo")
    assert store.load(progress_file).content() == mine_before.content()


def test_a_conflict_leaves_every_file_byte_for_byte(
    run: Run, two_copies: Path, progress_file: Path
) -> None:
    run("mark", "maths", "66")
    on_the_other_computer(run, "--file", str(two_copies), "mark", "maths", "62")  # both did
    before = files(progress_file.parent)
    result = run("merge", str(two_copies), ok=False)
    assert result.exit_code == 1
    assert result.stdout == (
        "conflict: maths's completion (completions.maths): mine completed 2026-01-10, mark 66;"
        " theirs completed 2026-01-10, mark 62\n"
    )
    assert result.stderr.startswith("Error: 1 conflict (listed above); nothing was written\n")
    assert "hint: keep one side's values with --prefer mine or --prefer theirs" in result.stderr
    assert files(progress_file.parent) == before
    assert run("merge", str(two_copies), "--dry-run", ok=False).exit_code == 1
    assert files(progress_file.parent) == before
    run("merge", str(two_copies), "--prefer", "theirs")
    merged = store.load(progress_file)
    assert merged.completions["maths"].mark == 62 and "eda" in merged.completions
    # Settled: the merged copy's stamp is above both, so merging the copy again is quiet.
    again = run("merge", str(two_copies))
    assert "holds nothing" in again.stderr, again.stderr


def test_dry_run_says_what_would_come_in_and_writes_nothing(
    run: Run, two_copies: Path, progress_file: Path
) -> None:
    before = files(progress_file.parent)
    said = run("merge", str(two_copies), "--dry-run").stderr
    assert said.startswith(f"would merge {two_copies} into {progress_file}: completed eda")
    assert "nothing was written (--dry-run)" in said
    assert files(progress_file.parent) == before


def test_merge_refuses_itself_a_missing_copy_and_a_broken_one(
    run: Run, two_copies: Path, progress_file: Path
) -> None:
    before = files(progress_file.parent)
    for other, needle in (
        (progress_file, "is the progress file itself"),
        (progress_file.parent / "nope.toml", "no such file"),
    ):
        result = run("merge", str(other), ok=False)
        assert result.exit_code == 1 and needle in result.stderr, result.stderr
    two_copies.write_text("schema_version = 3\nrevision = [\n")
    result = run("merge", str(two_copies), ok=False)
    assert result.exit_code == 1 and "fix it by hand and merge again" in result.stderr
    assert "undo" not in result.stderr  # the .bak hint is about our own file
    assert files(progress_file.parent) == before | {SYNCTHING: two_copies.read_bytes()}


def test_a_merge_that_would_break_a_rule_writes_nothing(
    run: Run, two_copies: Path, progress_file: Path
) -> None:
    for _ in range(6):  # 24 h on 2026-11-23 here, and 3 h more in the copy
        run("log", "4", "--module", "maths", "--on", "2026-11-23")
    before = files(progress_file.parent)
    result = run("merge", str(two_copies), ok=False)
    assert result.exit_code == 1 and "would break a rule" in result.stderr, result.stderr
    assert "more than 24" in result.stderr
    assert files(progress_file.parent) == before


def test_the_driver_merges_three_ways_into_ours_and_keeps_ours_on_a_conflict(
    run: Run, tmp_path: Path
) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    run("--file", str(base), "init", "--start", "2025-10")
    run("--file", str(base), "log", "2", "--module", "maths", "--on", "2026-11-20")
    shutil.copy(base, ours)
    shutil.copy(base, theirs)
    run("--file", str(ours), "log", "--remove", "1")
    run("--file", str(theirs), "complete", "eda", "--mark", "70")
    for p in (base, ours, theirs):
        for kept in tmp_path.glob(f"{p.name}.*"):
            kept.unlink()
    base_bytes, theirs_bytes = base.read_bytes(), theirs.read_bytes()
    said = run("merge-driver", str(base), str(ours), str(theirs)).stderr
    assert "mldsplan merged: completed eda (mark 70)" in said
    merged = store.load(ours)
    assert merged.log == () and "eda" in merged.completions  # the removal is kept
    assert base.read_bytes() == base_bytes and theirs.read_bytes() == theirs_bytes
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["base", "ours", "theirs"]
    # Both sides changed eda's mark: exit 1, ours' value kept (nothing else changed).
    shutil.copy(ours, base)
    run("--file", str(theirs), "mark", "eda", "72")
    run("--file", str(ours), "mark", "eda", "74")
    before = store.load(ours)
    result = run("merge-driver", str(base), str(ours), str(theirs), ok=False)
    assert result.exit_code == 1
    assert result.stdout.startswith("conflict: eda's completion (completions.eda): mine")
    assert store.load(ours).content() == before.content()
    run("merge-driver", "--prefer", "theirs", str(base), str(ours), str(theirs))
    assert store.load(ours).completions["eda"].mark == 72


def test_the_driver_takes_an_empty_base(run: Run, tmp_path: Path) -> None:
    """Two files added apart have no common ancestor: git gives an empty BASE."""
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    base.write_bytes(b"")
    run("--file", str(ours), "log", "1", "--on", "2026-11-20")
    shutil.copy(ours, theirs)
    run("--file", str(theirs), "log", "2", "--on", "2026-11-21")
    run("--file", str(ours), "log", "1", "--on", "2026-11-20")  # another session, the same
    run("merge-driver", str(base), str(ours), str(theirs))
    # No common ancestor: the entry both hold (one id) is one session; the two sessions
    # of 1 h logged apart are two (issue 28.1).
    assert sorted(e.hours for e in store.load(ours).log) == [1.0, 1.0, 2.0]


# --- end to end: two git clones with the driver ------------------------------


def git(folder: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = child_env(
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    done = subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=60
    )
    if ok:
        assert done.returncode == 0, done.stderr
    return done


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_clones_pull_through_the_driver(run: Run, tmp_path: Path) -> None:
    origin, laptop, home = tmp_path / "origin.git", tmp_path / "laptop", tmp_path / "home"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(laptop))
    driver = f"{sys.executable} -m mldsplan merge-driver %O %A %B"
    # The README's two lines (the driver through this interpreter, not the PATH).
    (laptop / ".gitattributes").write_text("progress.toml merge=mldsplan\n")
    (laptop / ".gitignore").write_text(
        "progress.toml.lock\nprogress.toml.bak\nprogress.toml.redo\nprogress.toml.history-*\n"
        ".progress.toml.mldsplan-*.tmp\n"
    )
    git(laptop, "config", "merge.mldsplan.driver", driver)
    on_laptop = ("--file", str(laptop / "progress.toml"))
    on_home = ("--file", str(home / "progress.toml"))
    run(*on_laptop, "init", "--start", "2025-10")
    run(*on_laptop, "log", "2", "--module", "maths", "--on", "2026-11-20")
    git(laptop, "add", "-A")
    git(laptop, "commit", "-qm", "start")
    git(laptop, "push", "-q", "origin", "main")
    git(tmp_path, "clone", "-q", str(origin), str(home))
    git(home, "config", "merge.mldsplan.driver", driver)
    base = store.load(home / "progress.toml")
    # Apart: the home computer removes the entry and logs eda; the laptop completes maths.
    run(*on_home, "log", "--remove", "1")
    run(*on_home, "log", "3", "--module", "eda", "--on", "2026-11-22")
    git(home, "commit", "-qam", "home")
    git(home, "push", "-q", "origin", "main")
    run(*on_laptop, "complete", "maths", "--mark", "64", "--on", "2026-01-10")
    run(*on_laptop, "log", "1", "--module", "eda", "--on", "2026-11-23")
    git(laptop, "commit", "-qam", "laptop")
    pulled = git(laptop, "pull", "--no-rebase", "--no-edit", "origin", "main")
    assert "mldsplan merged: logged 3 h on 2026-11-22 for eda" in pulled.stdout + pulled.stderr
    assert git(laptop, "status", "--porcelain").stdout == ""
    merged = store.load(laptop / "progress.toml")
    assert contents(merged.log) == Counter(
        [LogEntry(date(2026, 11, 23), 1.0, "eda"), LogEntry(date(2026, 11, 22), 3.0, "eda")]
    )
    assert merged.completions["maths"].mark == 64
    assert merged.revision > base.revision
    assert run(*on_laptop, "check").exit_code == 0
    # Both change maths's mark: git reports the conflict, the file is the laptop's.
    git(laptop, "push", "-q", "origin", "main")
    git(home, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    run(*on_home, "mark", "maths", "70")
    git(home, "commit", "-qam", "home 2")
    git(home, "push", "-q", "origin", "main")
    run(*on_laptop, "mark", "maths", "68")
    git(laptop, "commit", "-qam", "laptop 2")
    ours = (laptop / "progress.toml").read_bytes()
    pulled = git(laptop, "pull", "--no-rebase", "--no-edit", "origin", "main", ok=False)
    assert pulled.returncode != 0 and "CONFLICT" in pulled.stdout, pulled.stdout
    assert "conflict: maths's completion" in pulled.stdout + pulled.stderr
    assert store.load(laptop / "progress.toml").content() == store.parse(laptop, ours).content()


# --- issue 28, point 7: what merge and the copy warnings say -----------------


def test_a_merge_into_no_file_yet_creates_it_and_says_undo_has_nothing_to_put_back(
    run: Run, two_copies: Path, tmp_path: Path
) -> None:
    new = tmp_path / "new.toml"
    result = run("--file", str(new), "merge", str(two_copies))
    said = result.stderr
    assert f"created {new} from {two_copies}: " in said, said
    assert "there is no earlier version for 'mldsplan undo' to put back" in said
    assert "takes the merge back" not in said and "init' creates one" not in said, said
    assert store.load(new).content() == store.load(two_copies).content()
    undone = run("--file", str(new), "undo", ok=False)
    assert undone.exit_code == 1 and "no earlier version" in undone.stderr


def test_a_copy_past_the_last_revision_is_refused_by_name_and_nothing_is_written(
    run: Run, two_copies: Path, progress_file: Path
) -> None:
    text = two_copies.read_text()
    for revision in (MAX_REVISION - 1, MAX_REVISION):
        two_copies.write_text(re.sub(r"(?m)^revision = .*$", f"revision = {revision}", text))
        before = files(progress_file.parent)
        result = run("merge", str(two_copies), ok=False)
        assert result.exit_code == 1, result.output
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"Error: {two_copies}'s revision {revision} leaves none"), first
        assert "internal error" not in result.stderr
        assert files(progress_file.parent) == before
    two_copies.write_text(re.sub(r"(?m)^revision = .*$", f"revision = {MAX_REVISION + 1}", text))
    result = run("merge", str(two_copies), ok=False)
    assert result.exit_code == 1 and "internal error" not in result.stderr, result.stderr
    assert f"{MAX_REVISION + 1} is more than {MAX_REVISION}" in result.stderr


def test_check_refuses_a_revision_past_rfc_5545s_sequence_and_export_never_fails_inside(
    run: Run, progress_file: Path, tmp_path: Path
) -> None:
    run("init", "--start", "2025-10")
    run("assess", "add", "eda", "cw1", "--weight", "40", "--due", "2026-12-04")
    text = progress_file.read_text()
    progress_file.write_text(re.sub(r"(?m)^revision = .*$", "revision = 2147483648", text))
    checked = run("check", ok=False)
    assert checked.exit_code == 1 and "2147483648 is more than 2147483647" in checked.stdout
    calendar = tmp_path / "d.ics"
    for revision in (MAX_REVISION - 1, MAX_REVISION, MAX_REVISION + 1):
        progress_file.write_text(re.sub(r"(?m)^revision = .*$", f"revision = {revision}", text))
        result = run("export", "-f", "ics", "-o", str(calendar), ok=False)
        assert "internal error" not in result.stderr, result.stderr
        if result.exit_code == 0:
            sequences = re.findall(r"SEQUENCE:([0-9]+)", calendar.read_text())
            assert sequences and all(int(n) <= MAX_REVISION for n in sequences)
        else:
            assert result.stderr.startswith("Error: "), result.stderr
    # An import of an export at the last revision writes none past it.
    progress_file.write_text(text)
    exported = tmp_path / "x.json"
    run("export", "-f", "json", "-o", str(exported))
    data = json.loads(exported.read_text())
    data["revision"] = MAX_REVISION
    exported.write_text(json.dumps(data))
    before = progress_file.read_bytes()
    result = run("import", str(exported), ok=False)
    assert result.exit_code == 1 and "internal error" not in result.stderr, result.stderr
    assert progress_file.read_bytes() == before


def test_a_copy_that_holds_nothing_new_is_named_so_and_many_are_one_line(
    run: Run, progress_file: Path
) -> None:
    run("init", "--start", "2025-10")
    run("log", "2", "--module", "maths", "--on", "2026-11-20")
    copy = progress_file.parent / SYNCTHING
    shutil.copy(progress_file, copy)
    run("log", "1", "--module", "eda", "--on", "2026-11-21")  # the copy is behind: nothing new
    said = run("progress").stderr
    assert f"warning: {copy} looks like a conflict copy Syncthing left;" in said
    assert "it holds nothing new: delete it" in said and "merge it" not in said, said
    on_the_other_computer(run, "--file", str(copy), "log", "3", "--on", "2026-11-22")
    assert f"merge it: mldsplan merge {copy}" in run("progress").stderr
    names = [
        "progress (Ann's conflicted copy 2026-11-25).toml",
        "progress (conflicted copy 2026-11-25 101010).toml",
        "progress_conflict-20261125-101010.toml",
    ]
    for name in names:
        shutil.copy(copy, progress_file.parent / name)
    said = run("progress").stderr
    warnings = [line for line in said.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: 4 conflict copies (Dropbox, Nextcloud, Syncthing, ownCloud) are beside"
        f" {progress_file}; 'mldsplan check' lists them, each with what to do"
    ], said
    listed = run("check").stdout
    assert listed.count("looks like a conflict copy") == 4, listed


def test_delete_copy_removes_the_copy_only_after_a_merge_that_took_everything(
    run: Run, two_copies: Path, progress_file: Path
) -> None:
    said = run("merge", str(two_copies), "--dry-run", "--delete-copy").stderr
    assert two_copies.exists() and f"{two_copies} is kept" in said
    run("mark", "maths", "66")
    on_the_other_computer(run, "--file", str(two_copies), "mark", "maths", "62")
    said = run("merge", str(two_copies), "--prefer", "mine", "--delete-copy").stderr
    assert two_copies.exists(), said
    assert f"{two_copies} is kept: it holds other maths's completion" in said, said
    # The other computer changes the mark again: theirs, this time, takes all it holds.
    on_the_other_computer(run, "--file", str(two_copies), "mark", "maths", "61")
    said = run("merge", str(two_copies), "--prefer", "theirs", "--delete-copy").stderr
    assert f"deleted {two_copies} (--delete-copy)" in said, said
    assert not two_copies.exists()
    assert store.load(progress_file).completions["maths"].mark == 61
