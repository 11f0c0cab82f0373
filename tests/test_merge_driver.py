"""Issue 28, the git driver: a conflict keeps every other change, errors name git's files by
role, a fault says truthfully what OURS holds, and no temporary file outlives the next run.

Each test here fails on 0.3: its driver left OURS unchanged on a conflict (THEIRS'
other changes were lost to `git commit -a`), said "internal error: Landed" for a
fault after the rename, named git's deleted temporary file in its hint, and left
`..merge_file_XXXX.mldsplan-*.tmp` behind a kill, which nothing cleaned.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run, child_env
from faults import CHILD, Injector
from mldsplan.domain.constraints import MAX_REVISION
from mldsplan.storage import driverfile, store

TESTS = Path(__file__).resolve().parent
OTHER = "-other"  # the other computer's config folder, so its own computer id


def other_computer(run: Run, *args: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLDSPLAN_CONFIG_DIR", os.environ["MLDSPLAN_CONFIG_DIR"] + OTHER)
        run(*args)


def diverged(run: Run, folder: Path, conflict: bool) -> dict[str, bytes]:
    """BASE, OURS and THEIRS as git gives them (no file of ours beside them): both sides
    logged a session and changed one thing of their own; with `conflict`, both changed
    eda's mark to different values too."""
    folder.mkdir(parents=True, exist_ok=True)
    base, ours, theirs = (folder / n for n in ("base", "ours", "theirs"))
    run("--file", str(base), "init", "--start", "2025-10")
    run("--file", str(base), "complete", "eda", "--mark", "70", "--on", "2026-06-01")
    run("--file", str(base), "log", "2", "--module", "maths", "--on", "2026-11-20")
    shutil.copy(base, ours)
    shutil.copy(base, theirs)
    run("--file", str(ours), "log", "1", "--module", "eda", "--on", "2026-11-23")
    run("--file", str(ours), "assess", "add", "bayesian", "cw1", "--weight", "40")
    other_computer(run, "--file", str(theirs), "log", "3", "--module", "eda", "--on", "2026-11-24")
    other_computer(run, "--file", str(theirs), "log", "--remove", "1")  # the base's entry
    other_computer(run, "--file", str(theirs), "complete", "maths", "--mark", "64")
    if conflict:
        run("--file", str(ours), "mark", "eda", "72")
        other_computer(run, "--file", str(theirs), "mark", "eda", "74")
    for p in list(folder.iterdir()):
        if p.name not in ("base", "ours", "theirs"):
            p.unlink()
    return {p.name: p.read_bytes() for p in (base, ours, theirs)}


def lay(folder: Path, files: dict[str, bytes]) -> None:
    for p in list(folder.iterdir()):
        p.unlink()
    for name, content in files.items():
        (folder / name).write_bytes(content)


def driver_args(folder: Path, *extra: str) -> list[str]:
    return ["merge-driver", *extra, *(str(folder / n) for n in ("base", "ours", "theirs"))]


def assert_every_non_conflicting_change(ours: Path) -> None:
    merged = store.load(ours)
    logged = sorted((str(e.on), e.hours, e.module) for e in merged.log)
    assert logged == [("2026-11-23", 1.0, "eda"), ("2026-11-24", 3.0, "eda")]  # removal kept
    assert merged.completions["maths"].mark == 64
    assert [a.name for a in merged.assessments["bayesian"]] == ["cw1"]


def test_a_conflict_writes_ours_with_every_other_change_and_exits_1(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "git"
    files = diverged(run, folder, conflict=True)
    ours = folder / "ours"
    result = run(*driver_args(folder), ok=False)
    assert result.exit_code == 1, result.output
    assert result.stdout == (
        "conflict: eda's completion (completions.eda): mine completed 2026-06-01, mark 72;"
        " theirs completed 2026-06-01, mark 74\n"
    )
    assert "OURS holds every other change of both sides" in result.stderr
    assert "logged 3 h on 2026-11-24 for eda" in result.stderr  # what came in, said
    assert ours.read_bytes() != files["ours"]
    assert_every_non_conflicting_change(ours)
    assert store.load(ours).completions["eda"].mark == 72  # ours' value for the conflict
    assert {p.name for p in folder.iterdir()} == {"base", "ours", "theirs"}
    # The conflict is still there for the README's recipe: --prefer on the written OURS.
    again = run(*driver_args(folder), ok=False)
    assert again.exit_code == 1 and again.stdout.startswith("conflict: eda's completion")
    run(*driver_args(folder, "--prefer", "theirs"))
    assert store.load(ours).completions["eda"].mark == 74
    assert_every_non_conflicting_change(ours)


def test_errors_name_gits_files_by_role_never_as_internal_errors(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "git"
    files = diverged(run, folder, conflict=False)
    for role, name in (("BASE", "base"), ("OURS", "ours"), ("THEIRS", "theirs")):
        lay(folder, files | {name: b"schema_version = 4\nrevision = [\n"})
        result = run(*driver_args(folder), ok=False)
        assert result.exit_code == 1
        first, hint = result.stderr.splitlines()[:2]
        assert first.startswith(f"Error: {role} [{folder / name}] ("), first
        assert hint.startswith("hint: ") and str(folder) not in hint, hint
        assert (folder / "ours").read_bytes() == (files | {name: b"x"})["ours"] or name == "ours"
    lay(folder, files)
    (folder / "theirs").unlink()
    result = run(*driver_args(folder), ok=False)
    assert result.stderr.startswith(f"Error: THEIRS [{folder / 'theirs'}]"), result.stderr
    assert "no such file" in result.stderr
    assert (folder / "ours").read_bytes() == files["ours"]


# --- faults at every file operation -------------------------------------------


def _operations(run: Run, folder: Path, files: dict[str, bytes]) -> list[str]:
    lay(folder, files)
    counter = Injector()
    with pytest.MonkeyPatch.context() as patch:
        counter.install(patch.setattr)
        run(*driver_args(folder), ok=False)
    assert "replace" in counter.ops, counter.ops
    return counter.ops


def _temps(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


def _check_after_fault(
    run: Run, folder: Path, files: dict[str, bytes], merged: bytes, code: int, stderr: str
) -> None:
    ours = (folder / "ours").read_bytes()
    assert ours in (files["ours"], merged), "OURS is ours or the merge, whole"
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    if code != -signal.SIGKILL:
        if ours == merged:
            assert code == 0 or "holds" in stderr, (code, stderr)
            assert "unchanged" not in stderr and "nothing was changed" not in stderr, stderr
        else:
            assert code != 0, stderr
            assert "unchanged" in stderr or "nothing was changed" in stderr, stderr
            assert "OURS holds" not in stderr, stderr
        assert len(_temps(folder)) == 0 or code == 130 or "OURS" in stderr
    assert len(_temps(folder)) <= 1, _temps(folder)
    run(*driver_args(folder), ok=False)  # the next run
    assert _temps(folder) == []
    again = store.load(folder / "ours")  # a run on what landed merges nothing more
    assert again.content() == store.parse(folder / "ours", merged).content()


@pytest.mark.parametrize("conflict", [False, True], ids=["clean", "conflict"])
@pytest.mark.parametrize("action", ["eio", "full", "interrupt"])
def test_a_fault_at_every_file_operation_of_the_driver_is_told_truly(
    run: Run, tmp_path: Path, action: str, conflict: bool
) -> None:
    folder = tmp_path / "git"
    files = diverged(run, folder, conflict)
    ops = _operations(run, folder, files)
    merged = (folder / "ours").read_bytes()
    assert merged != files["ours"]
    for at in range(1, len(ops) + 1):
        for when in ("before", "after"):
            lay(folder, files)
            with pytest.MonkeyPatch.context() as patch:
                Injector(at, when, action).install(patch.setattr)
                result = run(*driver_args(folder), ok=False)
            try:
                _check_after_fault(
                    run, folder, files, merged, int(result.exit_code or 0), result.stderr
                )
            except AssertionError as exc:
                raise AssertionError(f"{action} {when} op {at} ({ops[at - 1]}): {exc}") from exc


@pytest.mark.slow
def test_a_sigkill_at_every_file_operation_leaves_at_most_one_temporary_file(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "git"
    files = diverged(run, folder, conflict=True)
    ops = _operations(run, folder, files)
    merged = (folder / "ours").read_bytes()
    for at in range(1, len(ops) + 1):
        for when in ("before", "after"):
            lay(folder, files)
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    CHILD,
                    str(TESTS),
                    str(at),
                    when,
                    "kill",
                    *driver_args(folder),
                ],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == -signal.SIGKILL, done.stderr
            try:
                _check_after_fault(run, folder, files, merged, done.returncode, done.stderr)
            except AssertionError as exc:
                raise AssertionError(f"kill {when} op {at} ({ops[at - 1]}): {exc}") from exc


def test_any_command_on_the_file_cleans_a_stale_driver_file_beside_it(
    run: Run, progress_file: Path
) -> None:
    run("log", "1", "--on", "2026-11-20")
    folder = progress_file.parent
    stale, fresh = (folder / f"{driverfile.PREFIX}{n}{driverfile.SUFFIX}" for n in ("old", "new"))
    for p in (stale, fresh):
        p.write_bytes(b"half a file")
    old = stale.stat().st_mtime - driverfile.STALE_SECONDS - 1
    os.utime(stale, (old, old))
    old_style = folder / "..merge_file_vVpqXa.mldsplan-k2j4x9_q.tmp"  # 0.3's driver left it
    old_style.write_bytes(b"half a file")
    os.utime(old_style, (old, old))
    run("progress")
    assert not stale.exists() and not old_style.exists()
    assert fresh.exists()  # a driver may be writing it right now
    assert driverfile.IGNORE_LINE == ".mldsplan-merge-driver-*.tmp"


# --- in a real git repository -------------------------------------------------


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
        assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_in_git_commit_a_after_a_conflict_keeps_every_non_conflicting_change(
    run: Run, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / ".gitattributes").write_text("progress.toml merge=mldsplan\n")
    (repo / ".gitignore").write_text(
        "progress.toml.lock\nprogress.toml.bak\nprogress.toml.redo\nprogress.toml.history-*\n"
        ".progress.toml.mldsplan-*.tmp\n.mldsplan-merge-driver-*.tmp\n"
    )
    driver = f"{sys.executable} -m mldsplan merge-driver %O %A %B"
    git(repo, "config", "merge.mldsplan.driver", driver)
    here = ("--file", str(repo / "progress.toml"))
    run(*here, "init", "--start", "2025-10")
    run(*here, "complete", "eda", "--mark", "70", "--on", "2026-06-01")
    run(*here, "log", "2", "--module", "maths", "--on", "2026-11-20")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    git(repo, "checkout", "-qb", "home")
    other_computer(run, *here, "log", "3", "--module", "eda", "--on", "2026-11-24")
    other_computer(run, *here, "log", "--remove", "1")
    other_computer(run, *here, "complete", "maths", "--mark", "64")
    other_computer(run, *here, "mark", "eda", "74")
    git(repo, "commit", "-qam", "home")
    git(repo, "checkout", "-q", "main")
    run(*here, "log", "1", "--module", "eda", "--on", "2026-11-23")
    run(*here, "assess", "add", "bayesian", "cw1", "--weight", "40")
    run(*here, "mark", "eda", "72")
    git(repo, "commit", "-qam", "laptop")
    merged = git(repo, "merge", "--no-edit", "home", ok=False)
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout, merged.stdout
    assert "conflict: eda's completion" in merged.stdout + merged.stderr
    assert_every_non_conflicting_change(repo / "progress.toml")
    assert [n for n in os.listdir(repo) if n.endswith(".tmp")] == []
    # A plain `git add` + `git commit -a` after the conflict keeps every other change.
    git(repo, "add", "progress.toml")
    git(repo, "commit", "-qa", "--no-edit")
    committed = tmp_path / "committed.toml"
    committed.write_text(git(repo, "show", "HEAD:progress.toml").stdout)
    assert_every_non_conflicting_change(committed)
    assert store.load(committed).completions["eda"].mark == 72  # ours' value
    assert git(repo, "status", "--porcelain").stdout == ""
    # The README's recipe still works on what the driver wrote.
    git(repo, "reset", "-q", "--hard", "HEAD^1")
    assert git(repo, "merge", "--no-edit", "home", ok=False).returncode != 0
    for stage, name in ((1, "base.toml"), (3, "theirs.toml")):
        (repo / name).write_text(git(repo, "show", f":{stage}:progress.toml").stdout)
    run(
        "merge-driver",
        "--prefer",
        "theirs",
        *(str(repo / n) for n in ("base.toml", "progress.toml", "theirs.toml")),
    )
    (repo / "base.toml").unlink()
    (repo / "theirs.toml").unlink()
    git(repo, "add", "progress.toml")
    git(repo, "commit", "-q", "--no-edit")
    committed.write_text(git(repo, "show", "HEAD:progress.toml").stdout)
    assert store.load(committed).completions["eda"].mark == 74
    assert_every_non_conflicting_change(committed)


def test_a_revision_with_no_room_above_is_refused_by_role(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "git"
    files = diverged(run, folder, conflict=False)
    text = files["theirs"].decode()
    theirs = re.sub(r"(?m)^revision = .*$", f"revision = {MAX_REVISION - 1}", text)
    lay(folder, files | {"theirs": theirs.encode()})
    result = run(*driver_args(folder), ok=False)
    assert result.exit_code == 1 and "internal error" not in result.stderr, result.stderr
    assert result.stderr.startswith(
        f"Error: THEIRS [{folder / 'theirs'}]: revision {MAX_REVISION - 1} leaves none"
    ), result.stderr
    assert (folder / "ours").read_bytes() == files["ours"]
