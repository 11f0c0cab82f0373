"""The progress file's text: its first line, the settings, the study log as one text
block (an entry a line), then the tables. `store` writes it; `document` maps a record
to the mapping it is made from.
"""

from __future__ import annotations

from typing import Any

from mldsplan.domain.progress import Progress
from mldsplan.storage.document import to_document

# The file's first line, a comment (`undo` and `redo` write their own: `history.header`).
HEADER = "# mldsplan progress file: written by mldsplan; safe to read, edit with care.\n"


def serialise(progress: Progress, header: str = HEADER) -> bytes:
    """The file's text: settings, the study log as a text block, then the tables.

    The log is one literal multi-line string, an entry a line, because TOML
    arrays of tables parse about 40 times slower and a log grows long.
    """
    import tomli_w

    from mldsplan.storage.logformat import format_log_line, format_opening_line

    document = to_document(progress)
    settings: dict[str, Any] = {
        k: document[k]
        for k in (
            "schema_version",
            "revision",
            "start",
            "weekly_hours",
            "windows",
            "blocks",
            "remind_days",
            "remind_timer_hours",
        )
        if k in document
    }
    tables = {
        k: document[k]
        for k in (
            "completions",
            "deferrals",
            "term_dates",
            "assessments",
            "failed_attempts",
            "timer",
            "reminders_sent",
            "stamps",
        )
        if document.get(k)
    }
    parts = [header, tomli_w.dumps(settings)]
    if progress.log or progress.opening:
        lines = "".join(format_opening_line(o) + "\n" for o in progress.opening)
        lines += "".join(format_log_line(e) + "\n" for e in progress.log)
        parts.append(
            "\n# Study log, an entry a line: date ('opening' for hours studied before"
            " tracking), hours, module (- for none), id, note.\n"
            f"log = '''\n{lines}'''\n"
        )
    if tables:
        parts.append("\n" + tomli_w.dumps(tables))
    return "".join(parts).encode("utf-8")
