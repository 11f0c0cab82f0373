"""Fault injection at every file operation a write makes (issue 18).

`Injector` counts the operations that change files (a temporary file made,
bytes written, fsync, chmod, rename, unlink) and, at the Nth, just before it
or just after it, raises an I/O error or an interrupt, or SIGKILLs the process.
It is imported by tests in-process and by child processes (see `CHILD`).
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
from collections.abc import Callable
from typing import Any

ACTIONS = ("eio", "full", "interrupt", "kill")


class _Handle:
    """A file opened for writing whose `write` is an operation of the injector's."""

    def __init__(self, handle: Any, op: Callable[..., Any]) -> None:
        self._handle = handle
        self.write = op("write", handle.write)

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def flush(self) -> None:
        self._handle.flush()

    def fileno(self) -> int:
        return int(self._handle.fileno())


class Injector:
    def __init__(self, at: int | None = None, when: str = "before", action: str = "eio") -> None:
        assert when in ("before", "after") and action in ACTIONS
        self.at, self.when, self.action = at, when, action
        self.ops: list[str] = []

    def _fire(self) -> None:
        if self.action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.action == "interrupt":
            raise KeyboardInterrupt
        if self.action == "full":
            raise OSError(errno.ENOSPC, "No space left on device")
        raise OSError(errno.EIO, "Input/output error")

    def op(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def operation(*args: Any, **kwargs: Any) -> Any:
            self.ops.append(name)
            hit = len(self.ops) == self.at
            if hit and self.when == "before":
                self._fire()
            result = real(*args, **kwargs)
            if hit and self.when == "after":
                self._fire()
            return result

        return operation

    def install(self, setattr: Callable[[Any, str, Any], None]) -> None:
        """Wrap the operations with `setattr` (a MonkeyPatch's, or the builtin in a child)."""
        for module, name in ((os, "replace"), (os, "fsync"), (os, "chmod"), (os, "unlink")):
            setattr(module, name, self.op(name, getattr(module, name)))
        setattr(tempfile, "mkstemp", self.op("mkstemp", tempfile.mkstemp))
        real_fdopen = os.fdopen

        def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, mode, *args, **kwargs)
            return _Handle(handle, self.op) if "w" in mode else handle

        setattr(os, "fdopen", fdopen)


# A child process: `python -c CHILD TESTS_DIR AT WHEN ACTION ARGS...` runs the
# package's entry point (`python -m mldsplan`) with the injector armed.
CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from faults import Injector
Injector(int(sys.argv[2]), sys.argv[3], sys.argv[4]).install(setattr)
import runpy
sys.argv = ["mldsplan", *sys.argv[5:]]
runpy.run_module("mldsplan", run_name="__main__")
"""
