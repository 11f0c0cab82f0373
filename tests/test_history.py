"""Issue 31, point 1: `undo` steps back one version each time (the last 50 kept, each
whole), `redo` steps forward, `undo --to REV` goes to a revision in one step, and
`history` lists the versions with what each change did.

On 0.3 a second `undo` redid the change it had undone, and only one version was kept.
Faults are injected at every file operation of undo, redo, undo --to and a change that
drops the redo chain or the oldest version (`faults.Injector`, as test_nothing_lost
does): after each, and the next command, the folder is what it was or what the command
writes, so no version is ever lost.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Refuse, Run, RunJson, assert_one_line_error
from faults import CHILD, Injector
from mldsplan.storage import history, store
from mldsplan.storage.computer import computer_id, config_path

TESTS = Path(__file__).resolve().parent
LAYOUT_03 = TESTS / "fixtures" / "layout-0.3"


def logged(run_json: RunJson) -> list[str]:
    return [e["note"] for e in run_json("log", "--list")["entries"]]


def log(run: Run, day: int, note: str) -> None:
    run("log", "1", "--on", f"2026-11-{day:02d}", "--note", note)


def kept(progress_file: Path) -> list[str]:
    return sorted(
        n for n in os.listdir(progress_file.parent) if n.startswith("progress.toml.history-")
    )


# --- undo goes back one version each time; redo forward ----------------------


def test_undo_goes_back_one_version_each_time_and_redo_forward(run: Run, run_json: RunJson) -> None:
    """0.3: the second undo redid the first ('a' 'b' 'c' again)."""
    for day, note in enumerate("abc", start=20):
        log(run, day, note)
    assert "undid: logged 1 h on 2026-11-22" in run("undo").stderr
    assert logged(run_json) == ["a", "b"]
    assert "undid: logged 1 h on 2026-11-21" in run("undo").stderr
    assert logged(run_json) == ["a"]
    assert "redid: logged 1 h on 2026-11-21" in run("redo").stderr
    assert logged(run_json) == ["a", "b"]
    run("redo")
    assert logged(run_json) == ["a", "b", "c"]


def test_redo_at_the_newest_and_undo_at_the_oldest_are_errors(
    run: Run, refuse: Refuse, run_json: RunJson
) -> None:
    log(run, 20, "a")
    log(run, 21, "b")
    refuse("redo", needles=("nothing to redo",))
    run("undo")
    refuse("undo", needles=("no earlier version",))
    assert logged(run_json) == ["a"]


def test_a_change_after_undos_drops_the_redo_chain(
    run: Run, run_json: RunJson, refuse: Refuse, progress_file: Path
) -> None:
    for day, note in enumerate("abcd", start=20):
        log(run, day, note)
    run("undo")
    run("undo")
    log(run, 25, "e")
    assert logged(run_json) == ["a", "b", "e"]
    refuse("redo", needles=("nothing to redo",))
    run("undo")
    assert logged(run_json) == ["a", "b"]
    run("undo")
    assert logged(run_json) == ["a"]
    assert len(kept(progress_file)) == 3  # a, a b, a b e: c and d are gone


def test_undo_works_50_times_and_the_oldest_versions_go(
    run: Run, run_json: RunJson, progress_file: Path, refuse: Refuse
) -> None:
    run("init", "--weekly-hours", "20")
    for n in range(55):
        run("log", "0.25", "--on", f"2026-{9 + n // 28:02d}-{1 + n % 28:02d}")
    assert len(kept(progress_file)) == history.KEEP == 51
    for n in range(50):
        assert "undid: logged 0.25 h" in run("undo").stderr, n
    assert len(run_json("log", "--list")["entries"]) == 5
    refuse("undo", needles=("no earlier version",))
    assert run_json("history")["undo_steps"] == 0
    assert run_json("history")["redo_steps"] == 50


def test_undo_to_a_revision_in_one_step_back_and_forward(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    for day, note in enumerate("abcde", start=20):
        log(run, day, note)
    said = run("undo", "--to", "2").stderr
    assert "undid 3 changes: logged 1 h on 2026-11-22" in said
    assert "restored" in said and "to revision 2 " in said
    assert logged(run_json) == ["a", "b"]
    said = run("undo", "--to", "4").stderr
    assert "redid 2 changes" in said
    assert logged(run_json) == ["a", "b", "c", "d"]
    assert store.load(progress_file).revision == 7  # never back: 5, then 6, then 7


def test_undo_to_an_unknown_or_the_current_revision_is_refused(run: Run, refuse: Refuse) -> None:
    for day, note in enumerate("abc", start=20):
        log(run, day, note)
    result = refuse("undo", "--to", "9", needles=("--to", "no version at revision 9"))
    assert "revisions 1 to 3" in result.stderr and "mldsplan history" in result.stderr
    refuse("undo", "--to", "3", needles=("--to", "holds revision 3 already"))


# --- history ----------------------------------------------------------------


def test_history_lists_each_version_with_what_its_change_did(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    run("init", "--start", "2025-10")
    run("log", "2", "--module", "eda", "--on", "2026-11-24")
    run("complete", "eda", "--on", "2026-01-20", "--mark", "64")
    os.utime(history.version_path(progress_file, 3), (1795000000, 1795000000))
    run("undo")
    listed = run_json("history")
    rows = [(v["revision"], v["what"], v["current"]) for v in listed["versions"]]
    assert rows == [
        (1, None, False),
        (2, ["logged 2 h on 2026-11-24 for eda"], True),
        (3, ["completed eda (mark 64)"], False),
    ]
    assert listed["versions"][2]["when"] == "2026-11-18T11:06:40+00:00"  # its file's time
    assert (listed["file_revision"], listed["undo_steps"], listed["redo_steps"]) == (4, 1, 1)
    text = run("history").stdout
    assert "completed eda (mark 64)" in text
    assert "2026-11-18 11:06" in text
    assert "* the file holds this version (written as revision 4)" in text
    current = next(line for line in text.splitlines() if line.startswith("*"))
    assert "logged 2 h on 2026-11-24 for eda" in current


def test_history_of_a_new_student_is_empty_and_creates_nothing(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    assert run_json("history")["versions"] == []
    assert "No versions kept yet" in run("history").stdout
    assert not progress_file.parent.exists()


def test_a_hand_edit_is_kept_before_undo_replaces_it(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    log(run, 20, "a")
    log(run, 21, "b")
    progress_file.write_text(progress_file.read_text().replace(" b\n", " b, edited\n"))
    listed = run_json("history")["versions"]  # the edit is listed, as the current one
    assert [v["current"] for v in listed] == [False, False, True]
    run("undo")
    assert logged(run_json) == ["a", "b"]
    run("redo")
    assert logged(run_json) == ["a", "b, edited"]  # the edit was kept, not lost


def test_undo_of_a_broken_file_puts_back_the_version_it_was(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    for day, note in enumerate("abc", start=20):
        log(run, day, note)
    run("undo")  # the file holds a b, written from version 2
    progress_file.write_text(progress_file.read_text() + "\n[broken\n")
    said = run("undo").stderr
    assert "the damaged file is kept as" in said
    assert logged(run_json) == ["a", "b"]
    run("redo")
    assert logged(run_json) == ["a", "b", "c"]


# --- the files: named so the guard covers them; a kill is finished or reversed


@pytest.mark.parametrize("name", ["progress.toml.history-2", "progress.toml.history-4.after-2"])
def test_export_never_writes_over_a_version(run: Run, progress_file: Path, name: str) -> None:
    log(run, 20, "a")
    log(run, 21, "b")
    target = progress_file.parent / name
    if not target.exists():
        target.write_bytes(progress_file.read_bytes())
    before = target.read_bytes()
    result = run("export", "-f", "csv", "-o", str(target), "--force", ok=False)
    assert_one_line_error(result, "mldsplan's own file")
    assert target.read_bytes() == before
    assert store.is_own_name("p[1].toml", "p[1].toml.history-12")
    assert store.is_own_name("p[1].toml", ".p[1].toml.history-3.after-1.mldsplan-x.tmp")
    assert not store.is_own_name("p[1].toml", "p1.toml.history-12")
    assert not store.is_own_name("progress.toml", "progress.toml.history-x")


def test_a_change_in_flight_that_landed_is_finished(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    for day, note in enumerate("abcd", start=20):
        log(run, day, note)
    run("undo")
    run("undo")  # the file holds a b; c and d can be redone
    undone = {n: (progress_file.parent / n).read_bytes() for n in kept(progress_file)[2:]}
    log(run, 25, "e")
    # As a kill leaves it after the file's rename: the new version still in flight, the
    # versions it drops still there.
    version = history.version_path(progress_file, 5)
    version.rename(progress_file.parent / f"{version.name}.after-2")
    for name, content in undone.items():
        (progress_file.parent / name).write_bytes(content)
    said = run("history").stderr
    assert "finished an interrupted change" in said
    assert kept(progress_file) == [
        "progress.toml.history-1",
        "progress.toml.history-2",
        version.name,
    ]
    assert version.read_bytes() == progress_file.read_bytes()
    assert logged(run_json) == ["a", "b", "e"]


def test_a_change_in_flight_that_did_not_land_is_removed(
    run: Run, run_json: RunJson, progress_file: Path
) -> None:
    log(run, 20, "a")
    log(run, 21, "b")
    run("undo")
    pending = progress_file.parent / "progress.toml.history-3.after-1"
    pending.write_bytes(b"# a change that never landed\n")
    said = run("redo").stderr
    assert "had not landed; nothing was lost" in said
    assert not pending.exists()
    assert logged(run_json) == ["a", "b"]


def test_a_folder_named_as_a_change_in_flight_is_never_touched(
    run: Run, refuse: Refuse, progress_file: Path
) -> None:
    log(run, 20, "a")
    log(run, 21, "b")
    folder = progress_file.parent / "progress.toml.history-9.after-1"
    folder.mkdir()
    refuse("undo", needles=(str(folder), "nothing was changed"))
    assert folder.is_dir()


# --- a 0.3 folder: one .bak, maybe a .redo ---------------------------------------


def lay_03(progress_file: Path, kind: str) -> None:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    for name in ("progress.toml", "progress.toml.bak"):
        shutil.copy(LAYOUT_03 / kind / name, progress_file.parent / name)


def test_a_03_file_undoes_its_last_change(run: Run, run_json: RunJson, progress_file: Path) -> None:
    lay_03(progress_file, "normal")
    assert logged(run_json) == ["first", "second"]
    assert "undid: logged 2 h on 2026-11-21" in run("undo").stderr
    assert logged(run_json) == ["first"]
    run("redo")
    assert logged(run_json) == ["first", "second"]
    assert (progress_file.parent / "progress.toml.bak").exists()  # still the previous one
    assert store.load(store.sibling(progress_file, ".bak")).log == store.load(progress_file).log[:1]


def test_a_03_file_its_undo_left_redoes_and_goes_back_no_further(
    run: Run, run_json: RunJson, refuse: Refuse, progress_file: Path
) -> None:
    """0.3's undo left the older record in the file and the newer in .bak."""
    lay_03(progress_file, "undone")
    assert logged(run_json) == ["first"]
    refuse("undo", needles=("no earlier version",))
    assert "redid: logged 2 h on 2026-11-21" in run("redo").stderr
    assert logged(run_json) == ["first", "second"]
    run("undo")
    assert logged(run_json) == ["first"]


@pytest.mark.parametrize("landed", [True, False])
def test_a_03_folder_with_a_redo_undoes_right(
    run: Run, run_json: RunJson, progress_file: Path, landed: bool
) -> None:
    """A 0.3 change killed between its steps: `.redo` held the version it replaced."""
    lay_03(progress_file, "normal")
    bak, redo = store.sibling(progress_file, ".bak"), store.sibling(progress_file, ".redo")
    if landed:  # killed after the file's rename: .redo is the version before it
        redo.write_bytes(bak.read_bytes())
        bak.write_bytes(b"# an older version of 0.3's\n")
    else:  # killed before it: .redo is the file itself
        redo.write_bytes(progress_file.read_bytes())
    said = run("undo").stderr
    assert "interrupted change" in said
    assert "undid: logged 2 h on 2026-11-21" in said
    assert logged(run_json) == ["first"]
    assert not redo.exists()


# --- faults at every file operation: never a lost version ----------------------

NEWEST = "NEWEST"
_SETUPS: dict[str, dict[str, bytes]] = {}


def _setup(name: str, run: Run, progress_file: Path) -> tuple[str, ...]:
    """Lay the scenario's files (made once a session), and return its command."""
    commands: list[tuple[str, ...]] = [("init", "--start", "2025-10")]
    commands += [("log", "1", "--on", f"2026-11-{d}", "--note", f"n{d}") for d in range(10, 14)]
    args: tuple[str, ...] = ("undo",)
    if name == "undo again":
        commands.append(("undo",))
    elif name == "redo":
        commands += [("undo",), ("undo",)]
        args = ("redo",)
    elif name == "undo --to":
        args = ("undo", "--to", "2")
    elif name == "change after undos":
        commands += [("undo",), ("undo",)]
        args = ("log", "2", "--on", "2026-11-20", "--note", NEWEST)
    elif name == "change dropping the oldest":
        days = [f"2026-{9 + d // 28:02d}-{1 + d % 28:02d}" for d in range(47)]
        commands += [("log", "0.5", "--on", day) for day in days]
        args = ("log", "2", "--on", "2026-11-20", "--note", NEWEST)
    elif name == "undo of a hand edit":
        commands.append(("hand edit",))
    elif name == "undo of a 0.3 file":
        commands = [("0.3",)]
    elif name == "redo after 0.3's undo":
        commands = [("0.3 undone",)]
        args = ("redo",)
    folder = progress_file.parent
    if name not in _SETUPS:
        shutil.rmtree(folder, ignore_errors=True)  # each scenario from an empty folder
        for command in commands:
            if command == ("hand edit",):
                progress_file.write_text(progress_file.read_text().replace("n13", "edited"))
            elif command == ("0.3",):
                lay_03(progress_file, "normal")
            elif command == ("0.3 undone",):
                lay_03(progress_file, "undone")
            else:
                run(*command)
        _SETUPS[name] = _folder(folder)
    _lay(folder, _SETUPS[name])
    return args


def _folder(folder: Path) -> dict[str, bytes]:
    """The files that hold versions (the lock and temporary files are not versions)."""
    return {
        n: (folder / n).read_bytes()
        for n in os.listdir(folder)
        if not n.endswith((".lock", ".tmp")) and (folder / n).is_file()
    }


def _lay(folder: Path, files: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)


def _settled(run: Run, folder: Path) -> dict[str, bytes]:
    run("init")  # any locked command finishes or reverses what was interrupted
    return _folder(folder)


SCENARIOS = [
    "undo",
    "undo again",
    "redo",
    "undo --to",
    "change after undos",
    "change dropping the oldest",
    "undo of a hand edit",
    "undo of a 0.3 file",
    "redo after 0.3's undo",
]


class Expected:
    """The folder before the command and after it, each once the next command has run."""

    def __init__(self, name: str, run: Run, progress_file: Path) -> None:
        folder = progress_file.parent
        # This computer's id is made once, by the first write ever: the operations counted
        # are the command's own, as on a computer that has written before.
        computer_id(config_path(os.environ))
        self.args = _setup(name, run, progress_file)
        self.old = _folder(folder)
        self.old_settled = _settled(run, folder)
        _lay(folder, self.old)
        counter = Injector()
        with pytest.MonkeyPatch.context() as patch:
            counter.install(patch.setattr)
            run(*self.args)
        self.ops = counter.ops
        self.new_file = progress_file.read_bytes()
        self.new_settled = _settled(run, folder)
        # An undo of a file no version holds keeps it first: that alone may have happened.
        self.old_kept = self.old_settled
        if name in ("undo of a hand edit", "undo of a 0.3 file"):
            number = max(v.number for v in history.versions(progress_file))
            self.old_kept = {
                **self.old_settled,
                f"progress.toml.history-{number}": self.old["progress.toml"],
            }

    def check(self, progress_file: Path, code: int, stderr: str, run: Run) -> None:
        current = progress_file.read_bytes()
        assert current in (self.old["progress.toml"], self.new_file), "old or new, whole"
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        landed = current == self.new_file
        if code != -signal.SIGKILL:
            said_saved = code == 0 or "saved" in stderr or "put back" in stderr
            assert said_saved == landed, (landed, code, stderr)
        after = _settled(run, progress_file.parent)
        if landed:
            assert after == self.new_settled, _names_differ(after, self.new_settled)
        else:
            assert after in (self.old_settled, self.old_kept), _names_differ(
                after, self.old_settled
            )
        log(run, 22, "after")  # the next write works and leaves no temporary file
        assert not [n for n in os.listdir(progress_file.parent) if n.endswith(".tmp")]


def _names_differ(a: dict[str, bytes], b: dict[str, bytes]) -> str:
    return str(sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n)))


# A full disk takes eio's path (an OSError): in the slow run only, to keep the fast one fast.
ACTIONS = ["eio", pytest.param("full", marks=pytest.mark.slow), "interrupt"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_fault_at_every_file_operation_of_undo_and_redo_loses_no_version(
    run: Run, progress_file: Path, name: str, action: str
) -> None:
    expected = Expected(name, run, progress_file)
    assert "replace" in expected.ops, expected.ops
    for at in range(1, len(expected.ops) + 1):
        for when in ("before", "after"):
            _lay(progress_file.parent, expected.old)
            with pytest.MonkeyPatch.context() as patch:
                Injector(at, when, action).install(patch.setattr)
                result = run(*expected.args, ok=False)
            code = 130 if result.exit_code == 130 else int(result.exit_code or 0)
            try:
                expected.check(progress_file, code, result.stderr, run)
            except AssertionError as exc:
                op = expected.ops[at - 1]
                raise AssertionError(f"{action} {when} op {at} ({op}): {exc}") from exc


def armed(at: int, when: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(TESTS), str(at), when, "kill", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_sigkill_at_every_file_operation_of_undo_and_redo_loses_no_version(
    run: Run, progress_file: Path, name: str
) -> None:
    expected = Expected(name, run, progress_file)
    for at in range(1, len(expected.ops) + 1):
        for when in ("before", "after"):
            _lay(progress_file.parent, expected.old)
            done = armed(at, when, *expected.args)
            assert done.returncode == -signal.SIGKILL, done.stderr
            try:
                expected.check(progress_file, done.returncode, done.stderr, run)
            except AssertionError as exc:
                raise AssertionError(
                    f"kill {when} op {at} ({expected.ops[at - 1]}): {exc}"
                ) from exc


def test_the_fault_scenarios_touch_what_they_say(run: Run, progress_file: Path) -> None:
    """The scenarios are what their names say: each drops, keeps or migrates versions."""
    counts: dict[str, Callable[[Expected], bool]] = {
        "change after undos": lambda e: len(e.new_settled) < len(e.old_settled),
        "change dropping the oldest": lambda e: "progress.toml.history-1" not in e.new_settled,
        "undo of a hand edit": lambda e: len(e.new_settled) == len(e.old_settled) + 1,
        "undo of a 0.3 file": lambda e: "progress.toml.history-1" in e.old_settled,
        "redo after 0.3's undo": lambda e: "progress.toml.history-2" in e.old_settled,
    }
    for name, holds in counts.items():
        assert holds(Expected(name, run, progress_file)), name


def test_a_file_name_no_comment_line_can_hold(
    run: Run, run_json: RunJson, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first line undo writes names the version by number, never by the file's name."""
    monkeypatch.setenv("MLDSPLAN_FILE", str(tmp_path / "my\nprogress [1].toml"))
    for day, note in enumerate("abc", start=20):
        log(run, day, note)
    run("undo")
    run("undo")
    assert logged(run_json) == ["a"]
    run("redo")
    assert logged(run_json) == ["a", "b"]


# --- a property: undo, redo and changes behave as an editor's history ---------


@pytest.mark.parametrize("keep", [3, 51])
def test_undo_redo_and_changes_follow_an_editors_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: int
) -> None:
    """Any sequence of changes, undos, redos and undo --to leaves the file holding what
    an editor's history (a list and a position, the oldest beyond `keep` dropped) says."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from mldsplan.domain.errors import MldsplanError

    monkeypatch.setattr(history, "KEEP", keep)
    now = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    step = st.one_of(
        st.tuples(st.just("change"), st.integers(1, 40)),
        st.tuples(st.just("undo"), st.just(0)),
        st.tuples(st.just("redo"), st.just(0)),
        st.tuples(st.just("to"), st.integers(0, 60)),
    )
    runs = iter(range(10**6))

    @settings(max_examples=40, deadline=None)
    @given(st.lists(step, max_size=25))
    def check(steps: list[tuple[str, int]]) -> None:
        path = tmp_path / str(next(runs)) / "p.toml"
        path.parent.mkdir()
        model: list[tuple[float | None, int]] = []  # (weekly hours, revision) a version
        at = -1
        for kind, n in steps:
            if kind == "change":
                if model and model[at][0] == float(n):
                    continue  # no change: nothing is written
                _, after = store.update(path, lambda p, h=float(n): replace(p, weekly_hours=h))
                model = [*model[: at + 1], (float(n), after.revision)][-keep:]
                at = len(model) - 1
                continue
            revisions = [r for _, r in model]
            if kind == "to":
                target = revisions[n % len(revisions)] if model else n
                want = revisions.index(target) if target in revisions else None
            else:
                want = at - 1 if kind == "undo" else at + 1
                want = want if 0 <= want < len(model) else None
            if want == at:
                want = None  # --to the revision the file holds: refused
            how = history.Step(back=kind != "redo", to=target if kind == "to" else None)
            try:
                store.step(path, now, how)
            except MldsplanError:
                assert want is None, (kind, n, model, at)
                continue
            assert want is not None, (kind, n, model, at)
            at = want
            assert store.load(path).weekly_hours == model[at][0]
        if model:
            assert store.load(path).weekly_hours == model[at][0]
            found = [v.number for v in history.versions(path)]
            assert len(found) == len(model)
            assert (
                history.position(path, path.read_bytes(), history.versions(path), store.disk())
                == found[at]
            )

    check()
