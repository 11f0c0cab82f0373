"""Reminders (issue 32): each notice sent once, on either computer; delivery; the job.

The simulation runs in-process on the domain: 1,000 runs over a term at random times
with random gaps, on two computers whose copies are merged at random moments (with the
real two-way merge), some runs killed between "sent" and "recorded".
"""

from __future__ import annotations

import json
import os
import plistlib
import random
import shutil
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import Run, child_env
from mldsplan.domain import reminders as r
from mldsplan.domain.keymerge import merge
from mldsplan.domain.progress import Assessment, Completion, LogEntry, Progress, Timer
from mldsplan.storage import units
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(Path(__file__).resolve().parents[1] / "data" / "programme.toml")
LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def record(**given: object) -> Progress:
    base = Progress(
        start="2025-10",
        weekly_hours=15,
        assessments={
            "bayesian": (Assessment(name="Coursework 1", weight=40, due=date(2026, 12, 10)),),
        },
    )
    return replace(base, **given)  # type: ignore[arg-type]  # the test's own fields


def keys(notices: list[r.Notice]) -> list[str]:
    return [n.key for n in notices]


def send(
    progress: Progress, now: datetime, kind: str | None = None
) -> tuple[list[r.Notice], Progress]:
    """The notices a run at `now` sends (of `kind`, if given), and the record after it."""
    found = r.reminders(PROGRAMME, progress, now)
    shown = [n for n in found.due if kind is None or n.kind == kind]
    return shown, r.with_sent(progress, found.due, now.date(), found.live)


# --- deadlines -------------------------------------------------------------------


def test_each_threshold_once_and_only_the_latest_after_a_gap() -> None:
    progress = record()
    ident = progress.assessments["bayesian"][0].id
    key = f"deadline:bayesian:{ident}:2026-12-10:"
    assert send(progress, at("2026-12-02T09:00"), "deadline")[0] == []  # 8 days before
    sent, progress = send(progress, at("2026-12-03T09:00"), "deadline")
    assert keys(sent) == [key + "7"]
    assert sent[0].text == "Coursework 1 (bayesian) is due in 7 days, on Thu 10 Dec (weight 40%)"
    assert (
        send(progress, at("2026-12-05T09:00"), "deadline")[0] == []
    )  # 7 already sent, 3 not reached
    # the computer was off from the 5th to the 9th: only the latest threshold reached
    sent, progress = send(progress, at("2026-12-09T23:50"), "deadline")
    assert keys(sent) == [key + "1"]
    assert "due in 1 day," in sent[0].text
    sent, progress = send(progress, at("2026-12-10T00:05"), "deadline")
    assert keys(sent) == [key + "0"]
    assert sent[0].text == "Coursework 1 (bayesian) is due today (weight 40%)"
    assert send(progress, at("2026-12-10T23:59"), "deadline")[0] == []
    assert send(progress, at("2026-12-11T00:00"), "deadline")[0] == []  # never after its day
    # the next write prunes what was sent about it
    assert r.with_sent(progress, [], date(2026, 12, 11)).reminders_sent == {}


def test_marked_moved_and_completed_deadlines() -> None:
    progress = record()
    marked = replace(
        progress, assessments={"bayesian": (replace(progress.assessments["bayesian"][0], mark=70),)}
    )
    assert send(marked, at("2026-12-09T09:00"), "deadline")[0] == []
    _, sent_once = send(progress, at("2026-12-09T09:00"), "deadline")
    moved = replace(
        sent_once,
        assessments={
            "bayesian": (replace(sent_once.assessments["bayesian"][0], due=date(2026, 12, 16)),)
        },
    )
    found, _ = send(moved, at("2026-12-09T09:00"), "deadline")  # a deadline moved is reminded anew
    assert [n.key.split(":")[3:] for n in found] == [["2026-12-16", "7"]]
    done = replace(progress, completions={"bayesian": Completion(on=date(2026, 12, 1))})
    assert send(done, at("2026-12-09T09:00"), "deadline")[0] == []


def test_own_thresholds_and_none() -> None:
    progress = record(remind_days=(2,))
    assert send(progress, at("2026-12-07T09:00"), "deadline")[0] == []
    assert keys(send(progress, at("2026-12-08T09:00"), "deadline")[0])[0].endswith(":2")
    assert send(record(remind_days=()), at("2026-12-10T09:00"))[0] == []


def test_an_earlier_threshold_never_follows_a_later_one() -> None:
    """Sent at 1 day (another computer, merged): a run that still reckons 3 sends nothing."""
    progress = record()
    _, later = send(progress, at("2026-12-09T09:00"), "deadline")
    assert send(later, at("2026-12-08T09:00"), "deadline")[0] == []


# --- the timer ---------------------------------------------------------------------


def test_a_timer_past_its_hours_once_with_the_commands_that_fix_it() -> None:
    started = at("2026-11-25T14:00")
    progress = record(timer=Timer(started_at=started, module="bayesian"))
    assert send(progress, at("2026-11-25T18:00"), "timer")[0] == []  # exactly 4 h: not more
    sent, progress = send(progress, at("2026-11-25T18:20"), "timer")
    assert keys(sent) == ["timer:20261125T140000Z"]
    assert sent[0].text == (
        "The timer for bayesian has run 4 h 20 min since 14:00: if you stopped earlier,"
        " 'mldsplan stop --at HH:MM' logs up to then; if you did not study,"
        " 'mldsplan cancel' drops it."
    )
    assert send(progress, at("2026-11-26T09:00"), "timer")[0] == []
    # kept while the timer runs, though its date has passed
    assert (
        "timer:20261125T140000Z"
        in r.with_sent(
            progress,
            [],
            date(2026, 11, 27),
            r.reminders(PROGRAMME, progress, at("2026-11-27T09:00")).live,
        ).reminders_sent
    )
    # a timer of more than a day: --at needs the date; the record's own hours
    long = record(timer=Timer(started_at=started), remind_timer_hours=30)
    assert send(long, at("2026-11-26T19:00"), "timer")[0] == []
    (notice,), _ = send(long, at("2026-11-26T20:30"), "timer")
    assert "The timer has run 30 h 30 min since 2026-11-25 14:00" in notice.text
    assert "'mldsplan stop --at YYYY-MM-DDTHH:MM'" in notice.text
    found = r.reminders(PROGRAMME, long, at("2026-11-26T20:30"), "mldsplan --file /tmp/p.toml")
    assert "'mldsplan --file /tmp/p.toml cancel'" in found.due[0].text


# --- the week falling behind ---------------------------------------------------------


def test_behind_by_thursday_evening_once_a_week() -> None:
    progress = record()
    assert send(progress, at("2026-11-26T17:59"), "behind")[0] == []  # Thursday, before 18:00
    sent, after = send(progress, at("2026-11-26T18:00"), "behind")
    assert keys(sent) == ["behind:2026-11-23"]
    assert sent[0].text.startswith("This week you have logged 0 of the ")
    assert sent[0].text.endswith("'mldsplan schedule' re-plans the rest of the week.")
    assert sent[0].until == date(2026, 11, 29)
    assert send(after, at("2026-11-28T10:00"), "behind")[0] == []
    assert keys(send(after, at("2026-12-03T19:00"), "behind")[0]) == ["behind:2026-11-30"]
    # half the plan logged by Thursday: not behind; a little less: behind
    newer = record(start="2026-10")  # a smaller plan, which four days can half fill
    (notice,), _ = send(newer, at("2026-11-26T18:00"), "behind")
    planned = float(notice.text.split(" of the ")[1].split(" hours")[0])

    def logged(total: float) -> Progress:
        days = [date(2026, 11, 23) + timedelta(days=i) for i in range(4)]
        entries = [LogEntry(d, total / 4, None, None, f"{i:012x}") for i, d in enumerate(days)]
        return replace(newer, log=tuple(entries))

    assert send(logged(planned / 2 + 0.01), at("2026-11-26T18:00"), "behind")[0] == []
    (notice,), _ = send(logged(planned / 2 - 0.1), at("2026-11-26T18:00"), "behind")
    assert notice.text.startswith(f"This week you have logged {planned / 2 - 0.1:.2f} of the")


# --- the simulation ------------------------------------------------------------------


TERM_START = at("2026-09-28T08:00")
CODES = ("maths", "eda", "supervised", "bayesian", "programming")


def term_record(rng: random.Random) -> Progress:
    items = {}
    for code in CODES:
        dues = sorted({TERM_START.date() + timedelta(days=rng.randrange(3, 120)) for _ in range(2)})
        items[code] = tuple(
            Assessment(name=f"Piece {i}", weight=40, due=d) for i, d in enumerate(dues)
        )
    return Progress(start="2025-10", weekly_hours=15, assessments=items)


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
@example(seed=1)
def test_a_term_on_two_computers(seed: int) -> None:
    rng = random.Random(seed)
    start = term_record(rng)
    copies = {"A": start, "B": start}
    # The oracle: what each computer knows was sent, as a set; a merge unites them.
    known: dict[str, set[str]] = {"A": set(), "B": set()}
    sends: dict[str, list[tuple[str, datetime]]] = {"A": [], "B": []}
    killed: dict[str, list[str]] = {"A": [], "B": []}
    now = TERM_START
    merges = deadline_sends = 0
    thresholds: set[int] = set()
    for _ in range(1000):
        draw = rng.random()  # mostly minutes or hours apart; now and then off for days
        gap = (
            timedelta(minutes=rng.randrange(1, 60))
            if draw < 0.6
            else timedelta(hours=rng.randrange(1, 9))
            if draw < 0.97
            else timedelta(days=rng.randrange(1, 6))
        )
        now += gap
        if rng.random() < 0.05 and copies["A"].timer is None:  # the student starts a timer
            t = Timer(started_at=now - timedelta(hours=rng.randrange(0, 8)), module="eda")
            copies = {k: replace(v, timer=t) for k, v in copies.items()}
        elif rng.random() < 0.1:
            copies = {k: replace(v, timer=None) for k, v in copies.items()}
        if rng.random() < 0.08:  # a merge: one computer takes the other's copy in
            mine, theirs = rng.choice([("A", "B"), ("B", "A")])
            done = merge(copies[mine], copies[theirs])
            assert not done.conflicts
            copies[mine] = done.record
            known[mine] |= known[theirs]
            merges += 1
        here = rng.choice("AB")
        before = copies[here]
        found = r.reminders(PROGRAMME, before, now)
        today = now.date()
        for notice in found.due:
            # never again on this computer, nor on one a merge carried it to
            assert notice.key not in known[here] or notice.key in killed[here], notice.key
            if notice.kind == "deadline":
                deadline_sends += 1
                _, _, _, due_text, threshold = notice.key.split(":")
                due = date.fromisoformat(due_text)
                assert today <= due  # never after its deadline
                days = (due - today).days
                assert int(threshold) == min(t for t in r.DEFAULT_DAYS if t >= days)
                thresholds.add(int(threshold))
                # only the latest threshold: no earlier one of the item is sent with it
                stem = notice.key.rpartition(":")[0]
                assert sum(k.startswith(stem + ":") for k in keys(found.due)) == 1
            sends[here].append((notice.key, now))
        if found.due and rng.random() < 0.03:  # killed between "sent" and "recorded"
            killed[here] += keys(found.due)
            continue
        copies[here] = r.with_sent(before, found.due, today, found.live)
        known[here] |= set(keys(found.due))
        # nothing that applies is lost: each live notice is recorded (a later threshold too)
        for key in found.live:
            stem = key.rpartition(":")[0] if key.startswith("deadline:") else key
            assert any(k == key or k.startswith(stem + ":") for k in copies[here].reminders_sent)
    for name, sent in sends.items():
        for key in {k for k, _ in sent}:
            times = sum(1 for k, _ in sent if k == key)
            assert times <= 1 + killed[name].count(key), (name, key)
    # the run exercised what it claims to
    assert merges > 20 and deadline_sends > 10 and thresholds == set(r.DEFAULT_DAYS)


# --- the command -----------------------------------------------------------------------


def setup_record(run: Run) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "15")
    run("assess", "add", "bayesian", "Coursework 1", "--weight", "40", "--due", "2026-11-28")
    run("start", "bayesian", "--at", "14:00")


def test_remind_prints_once_and_writes_only_when_it_sends(run: Run, progress_file: Path) -> None:
    setup_record(run)
    dry = run("remind", "--dry-run")
    unchanged = progress_file.read_bytes()
    assert dry.stdout.splitlines() == [
        "The timer for bayesian has run 6 h since 14:00: if you stopped earlier,"
        " 'mldsplan stop --at HH:MM' logs up to then; if you did not study,"
        " 'mldsplan cancel' drops it.",
        "Coursework 1 (bayesian) is due in 3 days, on Sat 28 Nov (weight 40%)",
    ]
    assert progress_file.read_bytes() == unchanged  # a dry run records nothing
    first = run("remind")
    assert first.stdout == dry.stdout
    written = progress_file.read_bytes()
    assert written != unchanged
    again = run("remind")
    assert again.stdout == ""
    assert progress_file.read_bytes() == written  # nothing sent, nothing written
    data = json.loads(run("remind", "--json").stdout)
    assert data["notices"] == [] and data["recorded"] is False


def test_remind_json(run: Run) -> None:
    setup_record(run)
    data = json.loads(run("remind", "--json").stdout)
    assert data["recorded"] is True and data["dry_run"] is False
    assert data["delivered_by"] == "stdout"
    assert [n["kind"] for n in data["notices"]] == ["timer", "deadline"]
    assert data["notices"][1]["key"].endswith(":2026-11-28:3")
    assert data["notices"][1]["until"] == "2026-11-28"


def fake_notifier(tmp_path: Path, then: str = "") -> tuple[str, Path]:
    """A notifier command that appends each text it is given to a file (then runs `then`)."""
    shown = tmp_path / "shown.txt"
    script = tmp_path / "notifier.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal, sys
            with open({str(shown)!r}, "a", encoding="utf-8") as f:
                f.write(sys.argv[-1] + "\\n")
            {then}
            """
        )
    )
    return f"{sys.executable} {script}", shown


def test_the_fake_notifier_shows_what_would_be_shown(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_record(run)
    expected = run("remind", "--dry-run").stdout
    command, shown = fake_notifier(tmp_path)
    monkeypatch.setenv("MLDSPLAN_NOTIFY_COMMAND", command)
    done = run("remind", "--notify")
    assert done.stdout == ""
    assert shown.read_text() == expected  # the same words as on the terminal
    run("remind", "--notify")
    assert shown.read_text() == expected  # once


def test_without_a_desktop_it_prints_and_exits_0(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    setup_record(run)
    for name in ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    expected = run("remind", "--dry-run").stdout
    done = run("remind", "--notify")
    assert done.stdout == expected
    assert "no desktop session here; printed instead" in done.stderr


def test_a_kill_between_sent_and_recorded_repeats_never_drops(
    run: Run, tmp_path: Path, progress_file: Path
) -> None:
    """The notifier kills mldsplan once it has shown the first notice: nothing is
    recorded, so the next run shows them again (a repeat, never a loss)."""
    setup_record(run)
    before = progress_file.read_bytes()
    expected = run("remind", "--dry-run").stdout.splitlines()
    killer, shown = fake_notifier(tmp_path, "os.kill(os.getppid(), signal.SIGKILL)")
    killed = subprocess.run(
        [sys.executable, "-m", "mldsplan", "remind", "--notify"],
        env=child_env(MLDSPLAN_NOTIFY_COMMAND=killer),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == -9
    assert shown.read_text().splitlines() == expected[:1]
    assert progress_file.read_bytes() == before  # killed before it recorded anything
    command, _ = fake_notifier(tmp_path)
    again = subprocess.run(
        [sys.executable, "-m", "mldsplan", "remind", "--notify"],
        env=child_env(MLDSPLAN_NOTIFY_COMMAND=command),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert again.stderr == ""
    assert shown.read_text().splitlines() == [expected[0], *expected]


def test_a_run_with_nothing_to_send_imports_no_notifier(progress_file: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        from mldsplan.cli.app import app
        try:
            app(["remind", "--notify"], prog_name="mldsplan")
        except SystemExit as exc:
            assert not exc.code, exc.code
        loaded = [m for m in ("mldsplan.output.notify", "desktop_notifier", "asyncio",
                              "rich") if m in sys.modules]
        print(",".join(loaded))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=child_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "", done.stdout


def test_install_options_go_alone(run: Run) -> None:
    done = run("remind", "--install", "--notify", ok=False)
    assert done.exit_code == 2
    assert "Error: --install goes alone, not with --notify" in done.stderr


# --- installing the job ------------------------------------------------------------------


def unit_folder() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd units are Linux's")
def test_install_and_uninstall_systemd_units(run: Run, progress_file: Path) -> None:
    folder = unit_folder()
    config = Path(os.environ["MLDSPLAN_CONFIG_DIR"]) / "computer.toml"
    first = run("remind", "--install")
    service = (folder / "mldsplan-remind.service").read_text()
    timer = (folder / "mldsplan-remind.timer").read_text()
    assert f'Environment="MLDSPLAN_FILE={progress_file}"' in service
    assert f'Environment="MLDSPLAN_CONFIG_DIR={config.parent}"' in service
    (exec_line,) = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    program = exec_line.removeprefix("ExecStart=").split('" "')[0].strip('"')
    assert Path(program).is_absolute() and Path(program).exists()
    assert exec_line.endswith('"remind" "--notify"')
    assert "OnCalendar=*:0/15" in timer and "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer
    assert f"wrote: {folder / 'mldsplan-remind.timer'}" in first.stderr
    assert "run: systemctl --user enable --now mldsplan-remind.timer" in first.stderr
    assert "remove it with: mldsplan remind --uninstall" in first.stderr
    assert "[remind]" in config.read_text()
    # idempotent
    second = run("remind", "--install")
    assert f"unchanged: {folder / 'mldsplan-remind.service'}" in second.stderr
    assert (folder / "mldsplan-remind.service").read_text() == service
    # what `systemctl --user enable` links is removed with the rest; nothing else is
    wants = folder / "timers.target.wants"
    wants.mkdir()
    (wants / "mldsplan-remind.timer").symlink_to(folder / "mldsplan-remind.timer")
    other = folder / "other.service"
    other.write_text("[Service]\nExecStart=/bin/true\n")
    gone = run("remind", "--uninstall")
    assert sorted(p.name for p in folder.rglob("*")) == ["other.service", "timers.target.wants"]
    assert f"removed {folder / 'mldsplan-remind.service'}" in gone.stderr
    assert "[remind]" not in config.read_text()
    assert "nothing to remove" in run("remind", "--uninstall").stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd units are Linux's")
def test_a_file_named_by_file_is_named_so_in_the_job(run: Run, tmp_path: Path) -> None:
    """The notices then say `mldsplan --file PATH stop`, as the student types it."""
    other = tmp_path / "my progress.toml"
    run("--file", str(other), "remind", "--install")
    service = (unit_folder() / "mldsplan-remind.service").read_text()
    assert "MLDSPLAN_FILE" not in service
    assert f'"--file" "{other}" "remind" "--notify"' in service


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_units_verify(run: Run, tmp_path: Path) -> None:
    made = units.job(
        "linux",
        [sys.executable, "-m", "mldsplan"],
        {"MLDSPLAN_FILE": str(tmp_path / "my 100% $file.toml")},
        {"XDG_CONFIG_HOME": str(tmp_path / "config")},
        tmp_path,
    )
    units.write(made)
    paths = [str(p) for p in made.files]
    verify = subprocess.run(
        ["systemd-analyze", "verify", *paths], capture_output=True, text=True, check=False
    )
    assert verify.returncode == 0, verify.stderr
    service = next(p for p in made.files if p.suffix == ".service")
    assert '"MLDSPLAN_FILE=' + str(tmp_path) + '/my 100%% $file.toml"' in service.read_text()
    # the check can fail: a unit that runs a program that is not there does not verify
    service.write_text(service.read_text().replace(sys.executable, "/nonexistent/python"))
    broken = subprocess.run(
        ["systemd-analyze", "verify", *paths], capture_output=True, text=True, check=False
    )
    assert broken.returncode != 0


def test_a_launchd_agent_and_a_crontab_line(tmp_path: Path) -> None:
    program = ["/opt/mldsplan/bin/mldsplan"]
    environment = {"MLDSPLAN_FILE": "/Users/me/Study notes/progress.toml"}
    agent = units.job("darwin", program, environment, {}, tmp_path)
    (path,) = agent.files
    assert path == tmp_path / "Library" / "LaunchAgents" / "org.mldsplan.remind.plist"
    data = plistlib.loads(agent.files[path].encode())
    assert data["ProgramArguments"] == [*program, "remind", "--notify"]
    assert data["EnvironmentVariables"] == environment
    assert data["StartInterval"] == 900
    cron = units.job("freebsd14", program, environment, {}, tmp_path)
    assert cron.files == {}
    assert cron.line == (
        "*/15 * * * * MLDSPLAN_FILE='/Users/me/Study notes/progress.toml'"
        " /opt/mldsplan/bin/mldsplan remind --notify"
    )
    with pytest.raises(Exception, match="control character"):
        units.job("linux", program, {"MLDSPLAN_FILE": "/a\nb"}, {}, tmp_path)


def test_install_and_uninstall_elsewhere_give_the_crontab_line(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "freebsd14")
    first = run("remind", "--install")
    assert first.stdout.startswith("*/15 * * * * MLDSPLAN_FILE=")
    assert "add this line to your crontab" in first.stderr
    assert run("remind", "--install").stdout == first.stdout
    gone = run("remind", "--uninstall")
    assert gone.stdout == first.stdout
    assert "delete this line from your crontab" in gone.stderr
    assert "nothing to remove" in run("remind", "--uninstall").stderr


def test_unit_files_are_readable_by_the_user_manager(run: Run) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("systemd units are Linux's")
    run("remind", "--install")
    mode = stat.S_IMODE((unit_folder() / "mldsplan-remind.timer").stat().st_mode)
    assert mode == 0o644


def test_the_notice_keys_fit_the_record(run: Run) -> None:
    """Every key a run records passes the record's own validation (a write reads back)."""
    setup_record(run)
    run("remind")
    data = json.loads(run("export", "--format", "json").stdout)
    assert len(data["reminders_sent"]) == 2
    assert all(v for v in data["reminders_sent"].values())


def test_a_notice_sent_on_one_computer_is_not_sent_again_after_a_merge(
    run: Run, progress_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the laptop reminds and its copy is merged into the desktop's, which
    then sends nothing of it; a notice neither sent is still sent by the desktop."""
    setup_record(run)
    desktop = tmp_path / "desktop.toml"
    shutil.copyfile(progress_file, desktop)
    laptop_sent = run("remind").stdout.splitlines()
    assert len(laptop_sent) == 2
    monkeypatch.setenv("MLDSPLAN_CONFIG_DIR", str(tmp_path / "desktop-config"))
    monkeypatch.setenv("MLDSPLAN_FILE", str(desktop))
    assert run("remind", "--dry-run").stdout.splitlines() == laptop_sent
    run("merge", str(progress_file))
    assert run("remind").stdout == ""
    # the next threshold is the desktop's to send, once
    monkeypatch.setenv("MLDSPLAN_NOW", "2026-11-27T09:00:00+00:00")
    later = run("remind").stdout.splitlines()
    assert later[0] == "Coursework 1 (bayesian) is due in 1 day, on Sat 28 Nov (weight 40%)"
    assert later[1].startswith("This week you have logged 0 of")  # Friday: behind
    assert run("remind").stdout == ""


def test_notify_with_json_says_how_it_was_shown(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_record(run)
    command, shown = fake_notifier(tmp_path)
    monkeypatch.setenv("MLDSPLAN_NOTIFY_COMMAND", command)
    data = json.loads(run("remind", "--notify", "--json").stdout)
    assert data["delivered_by"] == "MLDSPLAN_NOTIFY_COMMAND"
    assert shown.read_text().splitlines() == [n["text"] for n in data["notices"]]


def test_history_and_undo_say_what_remind_recorded(run: Run) -> None:
    """A remind write is a version like any other: it says what it did."""
    setup_record(run)
    run("remind")
    assert "recorded 2 reminders as sent" in run("history").stdout
    assert "undid: recorded 2 reminders as sent" in run("undo").stderr


# --- the next study block -------------------------------------------------------------


def test_the_next_study_block_15_minutes_before_once(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", "--start", "2025-10")
    run("assess", "add", "bayesian", "Coursework 1", "--weight", "40", "--due", "2026-11-28")
    run("available", "set", "mon-fri 19:00-22:00")
    monkeypatch.setenv("MLDSPLAN_NOW", "2026-11-25T18:40:00+00:00")
    first = json.loads(run("schedule", "--json").stdout)["blocks"][0]
    assert first["start"] == "2026-11-25T19:00:00+00:00"  # the example's premise

    def blocks() -> list[str]:
        data = json.loads(run("remind", "--json").stdout)
        return [n["text"] for n in data["notices"] if n["kind"] == "block"]

    assert blocks() == []  # 20 minutes before: not yet
    monkeypatch.setenv("MLDSPLAN_NOW", "2026-11-25T18:46:00+00:00")
    assert blocks() == [
        "Study block 19:00-21:00: bayesian (Coursework 1, due Sat 28 Nov);"
        " 'mldsplan start' starts its timer."
    ]
    monkeypatch.setenv("MLDSPLAN_NOW", "2026-11-25T18:55:00+00:00")
    assert blocks() == []  # once
    # the student's `start` picks the block; with a timer running no block is reminded
    run("start")
    monkeypatch.setenv("MLDSPLAN_NOW", "2026-11-26T18:50:00+00:00")
    assert blocks() == []


def test_a_block_that_has_begun_is_never_reminded_late(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", "--start", "2025-10")
    run("assess", "add", "bayesian", "Coursework 1", "--weight", "40", "--due", "2026-11-28")
    run("available", "set", "mon-fri 19:00-22:00")
    monkeypatch.setenv("MLDSPLAN_NOW", "2026-11-25T19:05:00+00:00")  # off until after 19:00
    data = json.loads(run("remind", "--json", "--dry-run").stdout)
    assert [n["kind"] for n in data["notices"]] == ["deadline"]
