"""The console script's first import: Ctrl-C is ours before anything else loads.

Its first lines install a handler for SIGINT (through `_signal`, built into the
interpreter: nothing to find on disk first) that only notes the interrupt, for
the console script's own lines that follow the import; `entry` then stops on
it, or from then on lets `storage.interrupts` raise it, so that an interrupt
while the command's modules are still being imported (Typer, Rich, ours) ends
the run with one line and exit 130, never a traceback. Only the console script
and `python -m mldsplan` import it; code run in-process (the tests) keeps
Python's own handler. What runs before this module (the interpreter's own
start-up and the console script's `import re, sys`) is Python's.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:  # `signal` and `_signal` are one module to a type checker
    import signal as _signal
else:
    import _signal

_noted = False


def _note(signum: int, frame: object) -> None:
    global _noted
    _noted = True


_signal.signal(_signal.SIGINT, _note)

from mldsplan.storage import interrupts  # noqa: E402  # after the handler, on purpose


def entry() -> None:
    """The console script: the command line, once its modules are in."""
    try:
        interrupts.install()
        if _noted:
            raise KeyboardInterrupt
        from mldsplan.cli.app import entry as run
    except BaseException:
        if _noted or interrupts.interrupted():  # maybe wrapped: a class was being made
            interrupts.stopped()
        raise
    run()
