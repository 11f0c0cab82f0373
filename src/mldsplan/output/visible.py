"""Text on its way to a terminal: control characters shown as escapes, never sent."""

from __future__ import annotations


def visible(text: str) -> str:
    """`text` on one line, with control and bidi characters written as `\\x1b`, `\\u202e`.

    Paths and arguments are echoed in messages and reports; an ESC or a BEL in
    one must not reach the terminal, nor a bidi override reorder what follows.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
