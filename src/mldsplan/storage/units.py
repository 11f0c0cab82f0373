"""The per-computer job that runs `mldsplan remind --notify` every 15 minutes.

On Linux a systemd user timer and service (in the XDG config folder's
`systemd/user`), on macOS a launchd agent (`~/Library/LaunchAgents`); elsewhere a
crontab line for the student to add. Each names the installed mldsplan by absolute
path and the progress file by `MLDSPLAN_FILE`. What was written is recorded in this
computer's config (`storage.computer`, key "remind"), so that `--uninstall` removes
exactly that.
"""

from __future__ import annotations

import contextlib
import plistlib
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mldsplan.domain.errors import InputError

NAME = "mldsplan-remind"
LABEL = "org.mldsplan.remind"
EVERY_MINUTES = 15
CONFIG_KEY = "remind"


@dataclass(frozen=True, slots=True)
class Job:
    """What `--install` puts in place: files and their content, or a crontab line."""

    system: str  # "systemd", "launchd" or "cron"
    files: dict[Path, str]  # path -> content (none for cron)
    line: str | None = None  # the crontab line (cron only)


def system_of(platform: str) -> str:
    if platform.startswith("linux"):
        return "systemd"
    if platform == "darwin":
        return "launchd"
    return "cron"


def job(
    platform: str,
    program: Sequence[str],
    environment: Mapping[str, str],
    environ: Mapping[str, str],
    home: Path,
) -> Job:
    """The job for `platform` (sys.platform): `program` runs mldsplan (absolute paths),
    `environment` is what it needs set (the progress file, ...); `environ` and `home`
    say where the user's config folders are."""
    command = [*program, "remind", "--notify"]
    for text in [*command, *environment.values()]:
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise InputError(
                f"'{text!r}' holds a control character: it cannot go in a unit file",
                hint="move mldsplan or the progress file to a path without one",
            )
    system = system_of(platform)
    if system == "systemd":
        config = environ.get("XDG_CONFIG_HOME") or str(home / ".config")
        folder = Path(config) / "systemd" / "user"
        return Job(
            system,
            {
                folder / f"{NAME}.service": service_unit(command, environment),
                folder / f"{NAME}.timer": timer_unit(),
            },
        )
    if system == "launchd":
        path = home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        return Job(system, {path: launchd_plist(command, environment)})
    return Job(system, {}, crontab_line(command, environment))


def _systemd_word(text: str) -> str:
    """`text` as one word of a unit file's command line or assignment: quoted, its
    backslashes and quotes escaped, `%` (a specifier) and `$` (a variable) doubled."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{escaped}"'


def service_unit(command: Sequence[str], environment: Mapping[str, str]) -> str:
    lines = [
        "# Written by 'mldsplan remind --install'; 'mldsplan remind --uninstall' removes it.",
        "[Unit]",
        "Description=mldsplan reminders: deadlines, the next study block, a forgotten timer,"
        " a week behind",
        "",
        "[Service]",
        "Type=oneshot",
        *(f"Environment={_systemd_word(f'{k}={v}')}" for k, v in environment.items()),
        "ExecStart=" + " ".join(_systemd_word(w).replace("$", "$$") for w in command),
        "",
    ]
    return "\n".join(lines)


def timer_unit() -> str:
    return "\n".join(
        [
            "# Written by 'mldsplan remind --install'; 'mldsplan remind --uninstall' removes it.",
            "[Unit]",
            f"Description=Run mldsplan reminders every {EVERY_MINUTES} minutes",
            "",
            "[Timer]",
            f"OnCalendar=*:0/{EVERY_MINUTES}",
            "Persistent=true",  # a run missed while the computer slept happens on wake
            "AccuracySec=1min",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "",
        ]
    )


def launchd_plist(command: Sequence[str], environment: Mapping[str, str]) -> str:
    data = {
        "Label": LABEL,
        "ProgramArguments": list(command),
        "EnvironmentVariables": dict(environment),
        "StartInterval": EVERY_MINUTES * 60,
        "RunAtLoad": True,
        "ProcessType": "Background",
    }
    return plistlib.dumps(data).decode("utf-8")


def crontab_line(command: Sequence[str], environment: Mapping[str, str]) -> str:
    """A crontab line; `%` is a newline to cron, so it is escaped."""
    words = [f"{k}={shlex.quote(v)}" for k, v in environment.items()]
    words += [shlex.quote(w) for w in command]
    return f"*/{EVERY_MINUTES} * * * * " + " ".join(words).replace("%", "\\%")


def enable_commands(made: Job) -> list[list[str]]:
    """The commands that start the installed job (the student's, or run for them)."""
    if made.system == "systemd":
        return [
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", "--now", f"{NAME}.timer"],
        ]
    if made.system == "launchd":
        return [["launchctl", "load", "-w", str(path)] for path in made.files]
    return []


def stop_commands(system: str, before_removal: bool) -> list[list[str]]:
    """The commands that stop the job: run for the student before its files go
    (`disable --now`), or, for them to run after (`stop`: the unit is still loaded)."""
    if system == "systemd":
        first = ["disable", "--now"] if before_removal else ["stop"]
        return [["systemctl", "--user", *first, f"{NAME}.timer"]]
    if system == "launchd":
        return [["launchctl", "remove", LABEL]]  # by label: works once the file is gone
    return []


def reload_commands(system: str) -> list[list[str]]:
    return [["systemctl", "--user", "daemon-reload"]] if system == "systemd" else []


def recorded(config: Mapping[str, object]) -> dict[str, object] | None:
    """What an earlier `--install` recorded in the config, or None."""
    found = config.get(CONFIG_KEY)
    return dict(found) if isinstance(found, dict) else None


def record(made: Job, progress: Path) -> dict[str, object]:
    entry: dict[str, object] = {
        "system": made.system,
        "files": [str(p) for p in made.files],
        "progress": str(progress),
    }
    if made.line is not None:
        entry["line"] = made.line
    return entry


def write(made: Job) -> list[Path]:
    """Write the job's files; the paths whose content changed (none when all were so)."""
    from mldsplan.storage.store import Landed, write_atomic

    changed = []
    for path, content in made.files.items():
        data = content.encode("utf-8")
        with contextlib.suppress(FileNotFoundError):
            if path.read_bytes() == data:
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Landed):  # in place; only the folder's fsync failed
            write_atomic(path, data, 0o644)
        changed.append(path)
    return changed


def remove(files: Sequence[str]) -> list[Path]:
    """Remove these files (what an install recorded); the ones that were there."""
    gone = []
    for name in files:
        path = Path(name)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            gone.append(path)
    return gone


def remove_links(files: Sequence[str]) -> list[Path]:
    """The links `systemctl --user enable` made to these files (`timers.target.wants/`),
    removed when they still point at them; a disable that could not run leaves them."""
    gone = []
    for name in files:
        path = Path(name)
        link = path.parent / "timers.target.wants" / path.name
        with contextlib.suppress(OSError):
            if link.is_symlink() and (link.parent / link.readlink()) == path:
                link.unlink()
                gone.append(link)
    return gone
