"""Ctrl-C: before a change starts to land it stops the command; from then on it waits.

The console script's first import (`mldsplan.launch`) installs `_handle` for
SIGINT, before Typer and Rich load, and
the store calls `hold` just before the rename that commits a change. After
that an interrupt is ignored, so the command finishes and says the change was
saved (never "nothing was changed"), and no interrupt can break into the
interpreter's shutdown with a traceback. Code run in-process (the tests) keeps
Python's own handler; `hold` then changes nothing.
"""

# No `from __future__` and no `typing` here: each is one more module to find on disk
# before the handler is in. `_signal` is the C module (`signal` builds enums first).
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # `signal` and `_signal` are one module to a type checker
    import signal
    from types import FrameType
    from typing import NoReturn
else:
    import _signal as signal

_holding = False
_interrupted = False


def hold() -> None:
    """A change is about to land: from now on this process must not be interrupted."""
    global _holding
    _holding = True


def _handle(signum: int, frame: "FrameType | None") -> None:
    global _interrupted
    if not _holding:
        # The command stops here; a second Ctrl-C must not break into its unwinding.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _interrupted = True
        raise KeyboardInterrupt


def interrupted() -> bool:
    """Whether Ctrl-C stopped this run: a KeyboardInterrupt raised inside some hooks
    (`__set_name__` while a class is made) reaches the caller as another exception."""
    return _interrupted


def install() -> None:
    signal.signal(signal.SIGINT, _handle)


def ignore() -> None:
    """The command is over: nothing is left that an interrupt should stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stopped() -> "NoReturn":
    """Ctrl-C before the command began (its modules were loading): one line, exit 130."""
    ignore()
    try:
        sys.stderr.write("Error: interrupted; nothing was changed\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr gone: the exit status still says it
        pass
    raise SystemExit(130)
