"""What a run says: messages on stderr (`Error:` and its `hint:`, confirmations, warnings),
wrapped to a terminal's width; a listing's lines; a merge's conflicts on
stdout; and the quiet end when stdout's reader has gone.

`output.visible` and the domain's exit codes are imported where a message is said: a TAB
press says nothing and imports neither."""

import os
import sys
from typing import Any, NoReturn

import typer


def fail(message: str, hint: str | None = None, code: int | None = None) -> NoReturn:
    """`Error: message` (and its hint) on stderr, and the exit: `code`, else FAILURE."""
    from mldsplan.domain.errors import ExitCode
    from mldsplan.output.visible import visible

    # Click lists a choice's values one a line ("Choose from:\n\tmarkdown,\n\tcsv"): one line
    message = message.replace(":\n\t", ": ").replace(",\n\t", ", ")
    emit(f"Error: {visible(message)}")
    if hint:
        emit(f"hint: {visible(hint)}")
    raise typer.Exit(ExitCode.FAILURE if code is None else code)


# A message's kind, under whose text its continuation lines go; any other message's are
# indented by two.
_KINDS = ("Error:", "hint:", "warning:", "note:")
_NBSP = "\N{NO-BREAK SPACE}"


def emit(message: str) -> None:
    """A message on stderr. In a terminal it wraps at spaces to the terminal's width, never
    inside a word, date, code, path or 'quoted' text, continuation lines indented; piped,
    it stays one line. `MLDSPLAN_FORCE_TERMINAL=1` wraps it as in a terminal of COLUMNS."""
    if os.environ.get("MLDSPLAN_FORCE_TERMINAL") == "1" or sys.stderr.isatty():
        message = _wrapped(message, _stderr_width())
    print(message, file=sys.stderr)


def _stderr_width() -> int:
    return _width(sys.stderr)


def _width(stream: Any) -> int:
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        return 80


def _wrapped(message: str, width: int, kinds: tuple[str, ...] = _KINDS) -> str:
    import re
    import textwrap

    from mldsplan.output.visible import units_held

    kind = message.split(" ", 1)[0]
    indent = " " * (len(kind) + 1 if kind in kinds else 2)
    # a quoted value (an assessment's name, a path, a command to type) is not split, unless
    # it is longer than a line: then it breaks at its own spaces, as any words do
    room = width - len(indent)
    held = re.sub(
        r"'[^']*'",
        lambda found: found[0].replace(" ", _NBSP) if len(found[0]) <= room else found[0],
        units_held(message),
    )
    lines = textwrap.wrap(
        held,
        max(width, len(indent) + 1),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines).replace(_NBSP, " ") if lines else message


def fitted(text: str) -> str:
    """`text` for stdout: wrapped at spaces to the terminal's width, continuation lines
    indented by two; as it is when stdout is not a terminal."""
    if os.environ.get("MLDSPLAN_FORCE_TERMINAL") == "1" or sys.stdout.isatty():
        return _wrapped(text, _width(sys.stdout), ())
    return text


def lines(listing: list[str]) -> None:
    """A listing on stdout, one line each; paths in it cannot send control characters."""
    from mldsplan.output.visible import visible

    for line in listing:
        print(visible(line))


def say(message: str) -> None:
    """A confirmation on stderr; paths and arguments in it cannot send control characters."""
    from mldsplan.output.visible import visible

    emit(visible(message))


def said(messages: list[str]) -> None:
    for message in messages:
        say(message)


def warn(message: str) -> None:
    say(f"warning: {message}")


def merged(outcome: Any, nothing: str) -> None:
    """A merge's confirmation; or its conflicts, one a line on stdout, and exit 1."""
    from mldsplan.output.visible import visible

    if outcome.conflicts:
        wraps = os.environ.get("MLDSPLAN_FORCE_TERMINAL") == "1" or sys.stdout.isatty()
        for line in outcome.conflicts:
            text = visible(f"conflict: {line}")
            print(_wrapped(text, _width(sys.stdout), ("conflict:",)) if wraps else text)
        n = len(outcome.conflicts)
        fail(
            f"{n} conflict{'s' * (n > 1)} (listed above); {nothing}",
            "keep one side's values with --prefer mine or --prefer theirs",
        )
    said(outcome.said)


def closed_pipe() -> NoReturn:
    """stdout's reader went away (`mldsplan plan | head -1`): end quietly, as a command
    ended by SIGPIPE does, with stdout on devnull so that the exit's flush cannot fail."""
    from mldsplan.domain.errors import ExitCode

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file (a test's runner): nothing to flush
        pass
    raise typer.Exit(ExitCode.CLOSED_PIPE)
