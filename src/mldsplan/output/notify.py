"""Desktop notifications for `remind --notify`, and their fallback, a line on stdout.

In order: the command named by MLDSPLAN_NOTIFY_COMMAND (it gets each notice's text
as its last argument: a test's fake notifier, or the student's own, e.g.
`ntfy send`); with a desktop session, the `desktop-notifier` library when the
`mldsplan[notify]` extra is installed, else the platform's own command
(`notify-send`, `osascript`). Nothing here is imported by a run that sends nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence

from mldsplan.output.visible import visible

NOTIFY_COMMAND_ENV = "MLDSPLAN_NOTIFY_COMMAND"
TITLE = "mldsplan"
TIMEOUT_SECONDS = 20


def print_lines(texts: Sequence[str]) -> None:
    """One notice a line on stdout (cron mails it; a shell prompt can show it)."""
    for text in texts:
        sys.stdout.write(visible(text) + "\n")
    sys.stdout.flush()


def notify(texts: Sequence[str], environ: Mapping[str, str], system: str) -> str | None:
    """Show each text as a desktop notification: how ("MLDSPLAN_NOTIFY_COMMAND",
    "desktop-notifier", "notify-send", "osascript"), or None when none could."""
    if not texts:
        return None
    given = environ.get(NOTIFY_COMMAND_ENV)
    if given:
        import shlex

        return NOTIFY_COMMAND_ENV if _run_each([*shlex.split(given)], texts) else None
    if not desktop_session(environ, system):
        return None
    if _library(texts):
        return "desktop-notifier"
    linux = system.startswith("linux") and shutil.which("notify-send")
    if linux and _run_each(["notify-send", f"--app-name={TITLE}", TITLE], texts):
        return "notify-send"
    if system == "darwin" and shutil.which("osascript"):
        script = [
            "osascript",
            "-e",
            "on run argv",
            "-e",
            f'display notification (item 1 of argv) with title "{TITLE}"',
            "-e",
            "end run",
        ]
        if _run_each(script, texts):
            return "osascript"
    return None


def desktop_session(environ: Mapping[str, str], system: str) -> bool:
    """Whether a notification can be seen: on Linux and the BSDs a session bus (a systemd
    user service has one) or a display; macOS and Windows always have their centre."""
    if system in ("darwin", "win32"):
        return True
    return any(environ.get(name) for name in ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY"))


def _run_each(command: list[str], texts: Sequence[str]) -> bool:
    """Run `command TEXT` for each text; False at the first that fails (the rest are then
    printed, so none is lost)."""
    for text in texts:
        try:
            done = subprocess.run(
                [*command, text],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env=os.environ.copy(),
            )
        except (OSError, subprocess.SubprocessError):
            return False
        if done.returncode != 0:
            return False
    return True


def _library(texts: Sequence[str]) -> bool:
    """Send through desktop-notifier (the `notify` extra); False without it or on failure."""
    import importlib

    try:  # by name: an optional extra, which the type checker may not have
        library = importlib.import_module("desktop_notifier")
    except ImportError:
        return False
    import asyncio

    async def send_all() -> None:
        notifier = library.DesktopNotifier(app_name=TITLE)
        for text in texts:
            await notifier.send(title=TITLE, message=text)

    try:
        asyncio.run(send_all())
    except Exception:  # no bus, no permission: print instead, as without the library
        return False
    return True
