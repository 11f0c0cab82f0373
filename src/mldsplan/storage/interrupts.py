"""Ctrl-C: before a change starts to land it stops the command; from then on it waits.

The console script (`mldsplan.cli.entry`) installs `_handle` for SIGINT, and
the store calls `hold` just before the rename that commits a change. After
that an interrupt is ignored, so the command finishes and says the change was
saved (never "nothing was changed"), and no interrupt can break into the
interpreter's shutdown with a traceback. Code run in-process (the tests) keeps
Python's own handler; `hold` then changes nothing.
"""

from __future__ import annotations

import signal
from types import FrameType

_holding = False


def hold() -> None:
    """A change is about to land: from now on this process must not be interrupted."""
    global _holding
    _holding = True


def _handle(signum: int, frame: FrameType | None) -> None:
    if not _holding:
        raise KeyboardInterrupt


def install() -> None:
    signal.signal(signal.SIGINT, _handle)


def ignore() -> None:
    """The command is over: nothing is left that an interrupt should stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
