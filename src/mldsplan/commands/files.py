"""Commands on whole files: export, import."""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from pathlib import Path
from typing import Any

from mldsplan.commands.session import Session
from mldsplan.domain.errors import InputError, MldsplanError, RuleBroken, SavedButError
from mldsplan.domain.numbers import count_text
from mldsplan.domain.progress import Progress
from mldsplan.storage import store

MAX_ALARM_DAYS = 60  # a calendar reminder at most this many days before a deadline


def guard_output(session: Session, output: Path, force: bool) -> None:
    """Refuse an --output that is mldsplan's own file, a special file or a link."""
    # The progress file as given and, behind a symlink, its target: each with every
    # file kept beside it (.bak, .lock, .redo, .vN.bak, .broken-*, temporary files).
    progress_files = {session.progress_file.absolute()}
    with suppress(MldsplanError):
        progress_files.add(store.target(session.progress_file))
    resolved = output.resolve()
    protected: list[Path] = []
    for progress_file in progress_files:
        if resolved.parent == progress_file.parent.resolve() and store.is_own_name(
            progress_file.name, resolved.name
        ):
            protected.append(progress_file.parent / resolved.name)
        protected += store.own_files(progress_file)
    if session.programme_file is not None:
        protected.append(session.programme_file)
    else:
        from mldsplan.paths import shipped_programme

        shipped = shipped_programme()
        protected += [shipped] if shipped else []
    try:
        out_info = os.stat(output)
    except FileNotFoundError:
        out_info = None
    except OSError as exc:
        raise InputError(f"cannot use {output}: {exc.strerror}", argument="output") from None
    for path in protected:
        same_path = resolved == path.resolve()
        try:
            info = os.stat(path)
            same_file = out_info is not None and (info.st_dev, info.st_ino) == (
                out_info.st_dev,
                out_info.st_ino,
            )
        except OSError:
            same_file = False
        if same_path or same_file:
            raise InputError(
                f"{output} is mldsplan's own file ({path}); an export never writes over it",
                hint="choose another file name",
                argument="output",
            )
    if output.is_symlink():
        raise InputError(
            f"{output} is a symlink; an export writes only a regular file",
            hint="omit --output to write to stdout",
            argument="output",
        )
    if out_info is not None:
        if stat.S_ISDIR(out_info.st_mode):
            raise InputError(f"{output} is a folder", argument="output")
        if not stat.S_ISREG(out_info.st_mode):
            raise InputError(
                f"{output} is not a regular file (a device, FIFO or socket)",
                hint="omit --output to write to stdout",
                argument="output",
            )
        if not force:
            raise InputError(
                f"{output} already exists", hint="add --force to overwrite it", argument="output"
            )


def export(
    session: Session,
    fmt: str,
    output: Path | None,
    force: bool,
    alarm_days: int,
    with_notes: bool,
    table: str | None = None,
    only: str | None = None,
) -> tuple[bytes | None, list[str]]:
    """The export for stdout, or None when it was written to `output`; what to say.
    `table` (csv's, default modules) and `only` (ics's) are refused with other formats."""
    from mldsplan.output import formats
    from mldsplan.storage import exchange

    if not 0 <= alarm_days <= MAX_ALARM_DAYS:
        raise InputError(f"{alarm_days} must be 0 to {MAX_ALARM_DAYS}", argument="days")
    if table is not None and fmt != "csv":
        raise InputError(f"only a csv export has tables, not {fmt}", argument="table")
    if only is not None and fmt != "ics":
        raise InputError(f"only an ics export can hold just the {only}", argument="only")
    table = table or "modules"
    if output is not None and str(output) == "-":
        output = None  # "-" is stdout, as for most tools
    if output is not None:
        guard_output(session, output, force)
    programme, record = session.load()
    if fmt in exchange.FORMATS:  # the whole record, as import reads it back
        content = exchange.export(fmt, programme, record)
    else:
        blocks: tuple[tuple[Any, int], ...] = ()
        if fmt == "ics" and only != "deadlines" and record.windows:
            from mldsplan.commands.schedule import block_sequences

            week, sequence = block_sequences(session, session.today, (programme, record))
            blocks = tuple((b, sequence.get(b.id, 0)) for b in week.blocks)
        content = formats.export(
            fmt, programme, record, session.now, alarm_days, with_notes, table, only, blocks
        )
    if output is None:
        return content, []
    private = fmt in exchange.FORMATS or formats.is_private(fmt, table)
    try:
        store.write_atomic(output, content, mode=0o600 if private else 0o644)
    except store.Landed as landed:
        raise SavedButError(
            f"wrote {output}, but then: {store.describe(landed.cause)}",
            hint="the export is complete; 'mldsplan export' again writes it anew",
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot write {output}: {exc.strerror or exc}", argument="output"
        ) from None
    return None, [f"wrote {output} ({fmt}, {len(content)} bytes)"]


def import_(session: Session, path: Path) -> list[str]:
    from mldsplan.storage.exchange import read_export

    record = read_export(path, session.programme().id)
    try:
        # The store writes a revision above both the file's and the export's.
        before, after = session.update(lambda _old: record, entered_elsewhere=True)
    except RuleBroken as exc:
        raise InputError(f"{path}: {exc.details['problem']}") from None  # a rule the export breaks
    summary = (
        f"imported {path} into {session.progress_file}:"
        f" {count_text(len(record.completions), 'completion', 'completions')},"
        f" {count_text(len(record.log), 'log entry', 'log entries')}"
    )
    if after is before:
        return [f"{summary}; it held them already, so nothing was written"]
    from mldsplan.domain.difference import difference

    # An import replaces the record: what it took away is said, never lost in silence.
    changed = difference(before, after)
    said = [f"{summary}; now revision {after.revision}"]
    if before.content() != Progress().content() and changed:
        said.append(f"changed: {'; '.join(changed)} ('mldsplan undo' takes the import back)")
    return said
