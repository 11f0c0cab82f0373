"""Text on its way to a terminal: control characters shown as escapes, never sent."""

from __future__ import annotations

import re


def visible(text: str) -> str:
    """`text` on one line, with control and bidi characters written as `\\x1b`, `\\u202e`.

    Paths and arguments are echoed in messages and reports; an ESC or a BEL in
    one must not reach the terminal, nor a bidi override reorder what follows.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


# the space between a number and its unit: a line never leaves "h" or "ECTS" alone
_UNIT = re.compile(r"(?<=\d) (?=(?:h/week|h|ECTS|weeks?|days?|min)(?![\w/-]))")
NBSP = "\N{NO-BREAK SPACE}"


def units_held(text: str) -> str:
    """`text` with each number held to its unit by a no-break space (`195.33 h`)."""
    return _UNIT.sub(NBSP, text)
