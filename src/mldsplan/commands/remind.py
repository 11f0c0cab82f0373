"""`remind`: send each due notice once and record it; install or remove the job that
runs it every 15 minutes on this computer.

A run reads the record as a read command does; only when a notice is due does it
take the lock, work the notices out again on the locked record (so two runs at once
send each once), send them and record them in one write. Sent first, recorded
second: a kill between the two repeats this run's notices on the next run, and
never drops one (a notice recorded but never shown would be lost for good).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mldsplan.commands.session import Session

if TYPE_CHECKING:
    from mldsplan.domain.progress import Progress
    from mldsplan.domain.reminders import Notice, RemindResult

PASSED_ON = ("TZ",)  # what the job needs set as the student has it


def remind(
    session: Session,
    *,
    notify: bool,
    dry_run: bool,
    as_json: bool,
    environ: Mapping[str, str],
    platform: str,
) -> RemindResult:
    from mldsplan.domain import reminders as r

    programme, record = session.load()
    now, command = session.now, session.command()
    block = None
    if record.windows:  # the week's blocks only with study windows (no calendar read else)
        from mldsplan.commands.schedule import next_block
        from mldsplan.domain.blocks import START_AHEAD_MINUTES

        block = next_block(session, (programme, record), ahead=START_AHEAD_MINUTES)
    found = r.reminders(programme, record, now, command, block)
    if dry_run or not found.due:
        return r.RemindResult(
            now=now,
            notices=found.due,
            dry_run=dry_run,
            recorded=False,
            delivered_by=None,
            pruned=0,
        )
    sent: list[Notice] = []
    how: list[str] = []

    def change(current: Progress) -> Progress:
        again = r.reminders(programme, current, now, command, block)
        if not again.due:  # another run sent them while this one waited for the lock
            return current
        texts = [n.text for n in again.due]
        how[:] = [_deliver(texts, notify, as_json, environ, platform, session.warn)]
        sent[:] = again.due
        return r.with_sent(current, again.due, now.date(), again.live)

    before, after = session.update(change, say_created=False)
    return r.RemindResult(
        now=now,
        notices=sent,
        dry_run=False,
        recorded=after is not before,
        delivered_by=how[0] if how else None,
        pruned=len(set(before.reminders_sent) - set(after.reminders_sent)),
    )


def _deliver(
    texts: list[str],
    notify: bool,
    as_json: bool,
    environ: Mapping[str, str],
    platform: str,
    warn: Callable[[str], None],
) -> str:
    from mldsplan.output import notify as desktop

    if notify:
        how = desktop.notify(texts, environ, platform)
        if how is not None:
            return how
        session_note = (
            "" if desktop.desktop_session(environ, platform) else ": no desktop session here"
        )
        warn(f"could not show a desktop notification{session_note}; printed instead")
    if not as_json:  # the JSON object carries them
        desktop.print_lines(texts)
    return "stdout"


# --- installing the job -------------------------------------------------------------


def _environment(session: Session, environ: Mapping[str, str]) -> dict[str, str]:
    """What the job needs set to work on the student's own files."""
    from mldsplan.paths import FILE_ENV, PROGRAMME_ENV
    from mldsplan.storage.computer import CONFIG_ENV

    found = (
        {} if session.named_by == "--file" else {FILE_ENV: str(session.progress_file.absolute())}
    )
    # this computer's config by its folder: the job's changes carry this computer's id
    # even where the job's environment puts the user config folder elsewhere
    found[CONFIG_ENV] = str(session.config_file().parent.absolute())
    if session.programme_file is not None:
        found[PROGRAMME_ENV] = str(session.programme_file.absolute())
    for name in PASSED_ON:
        if environ.get(name):
            found[name] = environ[name]
    return found


def _may_run(environ: Mapping[str, str], name: str) -> bool:
    """Whether to run `systemctl`/`launchctl` for the student: never under a fixed clock
    (MLDSPLAN_NOW: a test or an example must not touch the user's real job manager)."""
    import shutil

    return not environ.get("MLDSPLAN_NOW") and shutil.which(name) is not None


def _run(commands: Sequence[Sequence[str]], environ: Mapping[str, str]) -> list[str]:
    """Run each command when allowed; the lines to say about them."""
    import shlex
    import subprocess

    said = []
    for command in commands:
        text = shlex.join(command)
        if not _may_run(environ, command[0]):
            said.append(f"run: {text}")
            continue
        try:
            done = subprocess.run(list(command), capture_output=True, text=True, check=False)
        except OSError as exc:
            said.append(f"could not run '{text}' ({exc.strerror}); run it yourself")
            continue
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["failed"])[-1]
            said.append(f"'{text}' failed ({why}); run it yourself")
        else:
            said.append(f"ran: {text}")
    return said


def install(
    session: Session,
    program: Sequence[str],
    environ: Mapping[str, str],
    platform: str,
    home: Path,
) -> tuple[list[str], str | None]:
    """Install the job; (what to say on stderr, a crontab line for stdout or None).

    The config records it first, then the files are written: a kill between them leaves
    a record of files that `--uninstall` finds absent, never files it does not know."""
    from mldsplan.storage import computer, units

    if session.named_by == "--file":  # as the student names it, so do the notices' commands
        program = [*program, "--file", str(session.progress_file.absolute())]
    made = units.job(platform, program, _environment(session, environ), environ, home)
    config = session.config_file()
    earlier = units.recorded(computer.read(config)) or {}
    entry = units.record(made, session.progress_file.absolute())
    computer.update(config, lambda data: data | {units.CONFIG_KEY: entry})
    old_files = earlier.get("files")
    stale = (
        [f for f in old_files if Path(f) not in made.files] if isinstance(old_files, list) else []
    )
    removed = units.remove(stale)
    changed = units.write(made)
    said = [f"removed {path} (an earlier install)" for path in removed]
    if made.system == "cron":
        said += [
            "no systemd or launchd here: add this line to your crontab ('crontab -e')",
            "remove it later by deleting that line ('mldsplan remind --uninstall' shows it again)",
        ]
        return said, made.line
    for path in made.files:
        said.append(f"{'wrote' if path in changed else 'unchanged'}: {path}")
    said.append(
        f"every {units.EVERY_MINUTES} minutes it runs '{shlex_join(program)} remind --notify'"
        f" on {session.progress_file.absolute()}"
    )
    said += _run(units.enable_commands(made), environ)
    said.append("remove it with: mldsplan remind --uninstall")
    return said, None


def shlex_join(words: Sequence[str]) -> str:
    import shlex

    return shlex.join(words)


def uninstall(session: Session, environ: Mapping[str, str]) -> tuple[list[str], str | None]:
    """Remove exactly what `install` recorded; (what to say, a crontab line to delete)."""
    from mldsplan.storage import computer, units

    config = session.config_file()
    entry = units.recorded(computer.read(config))
    if entry is None:
        return ["nothing to remove: reminders are not installed on this computer"], None
    system = str(entry.get("system", ""))
    raw = entry.get("files")
    files = [f for f in raw if isinstance(f, str)] if isinstance(raw, list) else []
    manager = {"systemd": "systemctl", "launchd": "launchctl"}.get(system, "")
    running = bool(manager) and _may_run(environ, manager)
    said = _run(units.stop_commands(system, before_removal=True), environ) if running else []
    gone = units.remove(files) + units.remove_links(files)
    said += [f"removed {path}" for path in gone]
    if not running:
        said += _run(units.stop_commands(system, before_removal=False), environ)
    said += _run(units.reload_commands(system), environ)
    computer.update(config, lambda data: {k: v for k, v in data.items() if k != units.CONFIG_KEY})
    line = entry.get("line") if system == "cron" else None
    if isinstance(line, str):
        said.append("delete this line from your crontab ('crontab -e'):")
        return said, line
    if not gone:
        said.append("its files were already gone; forgot them")
    return said, None
