"""The one error type the domain raises, its kinds, and the exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    INTERRUPTED = 130


class MldsplanError(Exception):
    """A failure the user can act on: one line of message, an optional hint.

    `problems` holds every problem found when there were several (`check`
    shows them all; other commands show the first).
    """

    def __init__(self, message: str, hint: str | None = None, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = problems or [message]


class FileFormatError(MldsplanError):
    """A programme or progress file that cannot be read or does not validate."""


class InputError(MldsplanError):
    """A command-line argument that is wrong for the record it applies to."""


class StoreError(MldsplanError):
    """The progress file could not be locked or written."""
