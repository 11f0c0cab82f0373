"""The error types of mldsplan, with the reasons the CLI turns into hints, and the exit codes."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    INTERRUPTED = 130
    CLOSED_PIPE = 141  # ended as by SIGPIPE (128 + 13): the reader of stdout went away


class MldsplanError(Exception):
    """A failure the user can act on: one line of message, an optional hint.

    `problems` holds every problem found when there were several (`check`
    shows them all; other commands show the first). `reason` (with `details`)
    lets the CLI add a hint that names its own commands and flags, which no
    layer below it knows.
    """

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        problems: list[str] | None = None,
        *,
        reason: str | None = None,
        details: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = problems or [message]
        self.reason = reason
        self.details = details or {}


class FileFormatError(MldsplanError):
    """A programme or progress file that cannot be read or does not validate."""


class InputError(MldsplanError):
    """A value that is wrong for the record it applies to.

    The domain says what is wrong with the value; `argument` names the value
    (`"mark"`, `"on"`, ...) so that the CLI can say which flag or argument it
    came from. The domain never names a flag or a command.
    """

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        argument: str | None = None,
        reason: str | None = None,
        details: dict[str, Any] | None = None,
    ):
        super().__init__(message, hint, reason=reason, details=details)
        self.argument = argument


class RuleBroken(InputError):
    """A change whose new record breaks a rule of `domain.rules` (the first one said)."""


class StoreError(MldsplanError):
    """The progress file could not be locked or written."""


class SavedButError(MldsplanError):
    """The change was saved, but something after the save failed (exit 1, not a retry)."""
