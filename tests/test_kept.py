"""Issue 30, point 7: exports that stay fresh (`export ... --keep`).

A kept export is registered on this computer (`computer.toml`, key `kept`), never in the
synced record; after every change that writes the record, mldsplan rewrites it atomically
and under the export guard. A failed refresh is a `warning:`; the change stays saved.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from conftest import Refuse, Run, RunJson, assert_one_line_error


@pytest.fixture
def synced(tmp_path: Path) -> Path:
    folder = tmp_path / "Sync"
    folder.mkdir()
    return folder


def _config() -> Path:
    return Path(os.environ["MLDSPLAN_CONFIG_DIR"]) / "computer.toml"


def _fresh(run: Run, *options: str) -> bytes:
    """What `export` writes now, to stdout."""
    return run("export", *options).stdout_bytes


def test_a_kept_ics_is_rewritten_after_log(run: Run, synced: Path) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    kept = run("export", "-f", "ics", "-o", str(plan), "--keep")
    assert f"kept {plan} fresh on this computer" in kept.stderr
    assert plan.read_bytes() == _fresh(run, "-f", "ics")
    plan.write_text("stale")
    inode = plan.stat().st_ino
    logged = run("log", "1", "--module", "bayesian")
    assert "warning" not in logged.stderr
    assert plan.read_bytes() == _fresh(run, "-f", "ics")
    assert plan.stat().st_ino != inode  # replaced whole, never written in place
    # A change the calendar shows: the new deadline is in the kept file at once.
    run("assess", "add", "bayesian", "Coursework 2", "--weight", "30", "--due", "2026-12-04")
    assert b"Coursework 2" in plan.read_bytes()
    assert plan.read_bytes() == _fresh(run, "-f", "ics")
    # undo is a change too.
    run("undo")
    assert b"Coursework 2" not in plan.read_bytes()


def test_nothing_written_nothing_refreshed(run: Run, synced: Path) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    run("export", "-f", "ics", "-o", str(plan), "--keep")
    plan.write_text("stale")
    run("init", "--start", "2025-10")  # changes nothing: nothing is written
    run("progress")  # a read
    assert plan.read_text() == "stale"


def test_the_options_are_kept_and_the_mode_too(run: Run, synced: Path) -> None:
    run("init", "--start", "2025-10")
    log_csv, deadlines = synced / "log.csv", synced / "deadlines.ics"
    run("export", "-f", "csv", "--table", "log", "-o", str(log_csv), "--keep")
    run("export", "-f", "ics", "--only", "deadlines", "--alarm-days", "0", "-o", str(deadlines),
        "--keep")  # fmt: skip
    run("log", "2", "--module", "eda", "--note", "chapter 3")
    assert log_csv.read_bytes() == _fresh(run, "-f", "csv", "--table", "log")
    assert b"chapter 3" in log_csv.read_bytes()
    assert stat.S_IMODE(log_csv.stat().st_mode) == 0o600  # it holds the study log
    assert deadlines.read_bytes() == _fresh(
        run, "-f", "ics", "--only", "deadlines", "--alarm-days", "0"
    )
    listed = run("export", "--list-kept")
    assert listed.stdout.splitlines() == [
        f"{log_csv}  --format csv --table log",
        f"{deadlines}  --format ics --alarm-days 0 --only deadlines",
    ]


def test_a_kept_export_whose_folder_vanished_warns_and_the_change_stays(
    run: Run, run_json: RunJson, synced: Path
) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    run("export", "-f", "ics", "-o", str(plan), "--keep")
    plan.unlink()
    synced.rmdir()
    logged = run("log", "1.5", "--module", "eda")  # exit 0: the change is saved
    lines = logged.stderr.splitlines()
    assert lines[0] == "logged 1.5 h on 2026-11-25 for eda (1.5 h that day)"
    assert lines[1].startswith(f"warning: could not refresh the kept export {plan}: its folder")
    assert "the change is saved" in lines[1] and "export --forget" in lines[1]
    assert [e["hours"] for e in run_json("log", "--list")["entries"]] == [1.5]


def test_forget_stops_it(run: Run, refuse: Refuse, synced: Path) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    run("export", "-f", "ics", "-o", str(plan), "--keep")
    said = run("export", "--forget", str(plan))
    assert said.stderr == f"stopped keeping {plan} fresh; the file stays as it is\n"
    plan.write_text("mine now")
    run("log", "1")
    assert plan.read_text() == "mine now"
    assert run("export", "--list-kept").stdout == ""
    refuse("export", "--forget", str(plan), needles=("--forget", "not kept fresh"))
    assert "kept" not in tomllib.loads(_config().read_text())


def test_kept_exports_are_per_computer(
    run: Run, synced: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    run("export", "-f", "ics", "-o", str(plan), "--keep")
    assert "kept" not in (tmp_path / "data" / "progress.toml").read_text()  # not synced
    plan.write_text("stale")
    monkeypatch.setenv("MLDSPLAN_CONFIG_DIR", str(tmp_path / "other-computer"))
    listed = run("export", "--list-kept")
    assert listed.stdout == ""
    assert "no export is kept fresh on this computer" in listed.stderr
    run("log", "1")  # the other computer keeps nothing fresh
    assert plan.read_text() == "stale"


def test_a_change_to_another_progress_file_leaves_it(
    run: Run, synced: Path, tmp_path: Path
) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    run("export", "-f", "ics", "-o", str(plan), "--keep")
    plan.write_text("stale")
    other = tmp_path / "other.toml"
    run("--file", str(other), "init", "--start", "2024-10")
    run("--file", str(other), "log", "1")
    assert plan.read_text() == "stale"
    assert run("--file", str(other), "export", "--list-kept").stdout.endswith(
        f"(of {tmp_path / 'data' / 'progress.toml'})\n"
    )


def test_a_refresh_never_writes_through_a_link(run: Run, synced: Path, tmp_path: Path) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    run("export", "-f", "ics", "-o", str(plan), "--keep")
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    plan.unlink()
    plan.symlink_to(precious)
    logged = run("log", "1")
    assert "warning: could not refresh the kept export" in logged.stderr
    assert "symlink" in logged.stderr
    assert precious.read_text() == "keep me"


def test_keep_needs_a_file_and_goes_alone(run: Run, refuse: Refuse, synced: Path) -> None:
    run("init", "--start", "2025-10")
    refuse("export", "-f", "ics", "--keep", needles=("--keep", "a file"))
    refuse("export", "-f", "ics", "-o", "-", "--keep", needles=("--keep",))
    refuse("export", "--list-kept", "-f", "ics", needles=("--list-kept",))
    refuse("export", "--list-kept", "--forget", "x.ics", needles=("--list-kept",))
    assert not _config().exists() or "kept" not in _config().read_text()
    missing = run("export", ok=False)
    assert missing.exit_code == 2 and "--format" in missing.stderr


def test_a_hand_edit_that_breaks_the_list_is_named(run: Run, synced: Path) -> None:
    run("init", "--start", "2025-10")
    plan = synced / "plan.ics"
    run("export", "-f", "ics", "-o", str(plan), "--keep")
    config = _config()
    config.write_text(config.read_text().replace('format = "ics"', 'format = "pdf"'))
    listed = run("export", "--list-kept", ok=False)
    assert_one_line_error(listed, str(config), "kept[0].format", "'pdf'")
    logged = run("log", "1")  # the change is saved; the refresh is a warning
    assert "warning: the kept exports were not refreshed" in logged.stderr
    assert "kept[0].format" in logged.stderr
    assert 'format = "pdf"' in config.read_text()  # never silently reset
