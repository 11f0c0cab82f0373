"""Commands on whole files: export, import."""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mldsplan.commands.session import Session
from mldsplan.domain.errors import InputError, MldsplanError, RuleBroken, SavedButError
from mldsplan.domain.numbers import count_text
from mldsplan.domain.progress import Progress
from mldsplan.storage import store

if TYPE_CHECKING:
    from mldsplan.domain.programme import Programme
    from mldsplan.output import formats
    from mldsplan.storage.kept import Kept

MAX_ALARM_DAYS = 60  # a calendar reminder at most this many days before a deadline
KEPT_LOCK = "kept.lock"  # beside computer.toml: one refresh of the kept exports at a time


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
    with suppress(MldsplanError):  # no programme file shipped: there is none to guard
        protected.append(session.programme_path())
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
    excel: bool = False,
) -> tuple[bytes | None, list[str]]:
    """The export for stdout, or None when it was written to `output`; what to say.
    `table` (csv's, default modules) and `only` (ics's) are refused with other formats."""
    from mldsplan.output import formats
    from mldsplan.storage import exchange

    if not 0 <= alarm_days <= MAX_ALARM_DAYS:
        raise InputError(f"{alarm_days} must be 0 to {MAX_ALARM_DAYS}", argument="days")
    if table is not None and fmt != "csv":
        raise InputError(f"only a csv export has tables, not {fmt}", argument="table")
    if excel and fmt != "csv":
        raise InputError(f"only a csv export has a byte-order mark, not {fmt}", argument="excel")
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
        content = formats.export(
            fmt,
            replace(
                snapshot(
                    programme,
                    record,
                    session.now,
                    fmt,
                    alarm_days,
                    with_notes,
                    table,
                    only,
                    session=session,
                ),
                blocks=_ics_blocks(session, programme, record, fmt, only),
            ),
            excel,
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


def snapshot(
    programme: Programme,
    record: Progress,
    now: datetime,
    fmt: str,
    alarm_days: int = 3,
    with_notes: bool = False,
    table: str = "modules",
    only: str | None = None,
    session: Session | None = None,
) -> formats.Snapshot:
    """What a markdown, csv, ics or html export shows, finished: the plan and the progress
    summary (for markdown the hours' figures, for html the page's whole content, with
    the week's study blocks when `session` is given and the student has windows), from
    one `Facts` of the day of `now`."""
    from mldsplan.domain import workload
    from mldsplan.domain.facts import Facts
    from mldsplan.output import formats

    if fmt == "ics" and record.start is None:
        raise InputError("a calendar needs your start month", argument="format", reason="no_start")
    facts = Facts(programme, record, now.date())  # no timer: an export is not a moment's
    page = None
    if fmt == "html":
        from mldsplan.domain.overview import overview

        blocks = _page_blocks(session, programme, record) if session is not None else ()
        page = overview(facts, blocks)
        plan, summary = page.plan, page.summary
    else:
        plan, summary = workload.plan(facts), workload.progress_summary(facts)
    hours = workload.hours_summary(facts) if fmt == "markdown" else None
    return formats.Snapshot(
        programme,
        record,
        plan,
        summary,
        now,
        alarm_days,
        with_notes,
        table,
        only,
        hours,
        page,
        template_cache=session.cache().private_folder("templates")
        if fmt == "html" and session is not None
        else None,
    )


def _page_blocks(session: Session, programme: Programme, record: Progress) -> tuple[Any, ...]:
    """The week's study blocks from now, for the page; none without windows (no calendar
    is read then). A broken busy calendar is a warning and no blocks, never a failed
    export."""
    if not record.windows:
        return ()
    from mldsplan.commands.schedule import block_sequences
    from mldsplan.domain.errors import FileFormatError

    try:
        week, _ = block_sequences(session, session.today, (programme, record))
    except FileFormatError as exc:
        session.warn(
            f"{exc.message}; the page shows no study blocks ('mldsplan schedule' says more)"
        )
        return ()
    return tuple(week.blocks)


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


# --- exports kept fresh (`export ... --keep`) ------------------------------


def _ics_blocks(
    session: Session, programme: Programme, record: Progress, fmt: str, only: str | None
) -> tuple[tuple[Any, int], ...]:
    """The week's study blocks and each one's SEQUENCE, for an ics calendar that holds
    them (with windows set; the busy calendars read only then)."""
    if fmt != "ics" or only == "deadlines" or not record.windows:
        return ()
    from mldsplan.commands.schedule import block_sequences

    week, sequence = block_sequences(session, session.today, (programme, record))
    return tuple((b, sequence.get(b.id, 0)) for b in week.blocks)


def _export_content(
    programme: Programme,
    record: Progress,
    now: datetime,
    kept: Kept,
    blocks: tuple[tuple[Any, int], ...] = (),
    session: Session | None = None,
) -> tuple[bytes, int]:
    """A kept export's bytes from `record`, and the mode it is written with."""
    from mldsplan.output import formats
    from mldsplan.storage import exchange

    if kept.format in exchange.FORMATS:  # the whole record, as import reads it back
        return exchange.export(kept.format, programme, record), 0o600
    shown = snapshot(
        programme,
        record,
        now,
        kept.format,
        kept.alarm_days,
        kept.with_notes,
        kept.table or "modules",
        kept.only,
        session=session,
    )
    content = formats.export(kept.format, replace(shown, blocks=blocks))
    return content, 0o600 if formats.is_private(kept.format, kept.table) else 0o644


def keepable(output: Path | None) -> None:
    """A kept export is a file: `--keep` needs `--output`."""
    if output is None or str(output) == "-":
        raise InputError(
            "a kept export is a file; stdout cannot be kept fresh",
            hint="add --output PATH, for example a file in a synced folder",
            argument="keep",
        )


def keep(
    session: Session,
    fmt: str,
    output: Path | None,
    alarm_days: int,
    with_notes: bool,
    table: str | None,
    only: str | None,
) -> list[str]:
    """Keep the export just written to `output` fresh: this computer rewrites it after
    every change to this progress file (`refresh_kept`)."""
    from mldsplan.storage import computer
    from mldsplan.storage import kept as kept_exports

    keepable(output)
    assert output is not None
    entry = kept_exports.Kept(
        path=kept_exports.where(output),
        file=kept_exports.where(session.progress_file),
        format=fmt,
        alarm_days=alarm_days,
        with_notes=with_notes,
        table=table,
        only=only,
    )
    config = session.config_file()
    was: list[bool] = []

    def change(data: dict[str, Any]) -> dict[str, Any]:
        changed, there = kept_exports.keep(data, config, entry)
        was.append(there)
        return changed

    computer.update(config, change)
    again = " (it was kept already; its options are now these)" if was[-1] else ""
    return [
        f"kept {entry.path} fresh on this computer: rewritten after every change{again};"
        f" stop with: {session.command('export', '--forget', str(entry.path))}"
    ]


def list_kept(session: Session) -> tuple[list[str], list[str]]:
    """The exports kept fresh on this computer, one a line (stdout); what to say (stderr)."""
    from mldsplan.storage import computer
    from mldsplan.storage import kept as kept_exports

    config = session.config_file()
    entries = kept_exports.read(config, computer.read(config))
    if not entries:
        return [], [
            "no export is kept fresh on this computer; keep one with:"
            " mldsplan export --format ics --output PATH --keep"
        ]
    mine = kept_exports.where(session.progress_file)
    lines = [
        f"{k.path}  {' '.join(k.options())}" + ("" if k.file == mine else f"  (of {k.file})")
        for k in entries
    ]
    return lines, []


def forget(session: Session, path: Path) -> list[str]:
    """Stop keeping the export at `path` fresh (the file itself stays as it is)."""
    from mldsplan.storage import computer
    from mldsplan.storage import kept as kept_exports

    config = session.config_file()
    known = kept_exports.where(path)
    entries = kept_exports.read(config, computer.read(config))
    if not any(k.path == known for k in entries):
        kept = ", ".join(str(k.path) for k in entries) or "none"
        raise InputError(
            f"{path} is not kept fresh on this computer (kept: {kept})",
            hint="'mldsplan export --list-kept' lists them",
            argument="forget",
        )
    computer.update(config, lambda data: kept_exports.forget(data, config, known)[0])
    return [f"stopped keeping {known} fresh; the file stays as it is"]


def refresh_kept(session: Session) -> list[str]:
    """Rewrite every export kept of this progress file, each atomically and under the
    export guard; a warning for each that could not be (the change stays saved)."""
    from mldsplan.storage import computer

    config = session.config_file()
    try:
        data = computer.read(config)
        if "kept" not in data:  # the usual case: nothing more to import or read
            return []
        from mldsplan.storage import kept as kept_exports

        entries = kept_exports.read(config, data)
    except MldsplanError as exc:
        return [f"the kept exports were not refreshed: {exc.message}; the change is saved"]
    mine = kept_exports.where(session.progress_file)
    todo = [k for k in entries if k.file == mine]
    if not todo:
        return []
    from filelock import FileLock, Timeout

    said = []
    try:
        # One refresh at a time, each from the record as it is then: whichever runs last
        # writes the latest record, whatever the order the changes landed in.
        with FileLock(str(config.with_name(KEPT_LOCK)), timeout=session.lock_timeout()):
            programme = session.programme()
            record = session.record()
            for k in todo:
                problem = _refresh(session, programme, record, k)
                if problem is not None:
                    said.append(
                        f"could not refresh the kept export {k.path}: {problem}; the change"
                        f" is saved ({session.command('export', '--forget', str(k.path))}"
                        " stops keeping it)"
                    )
    except Timeout:
        said.append("the kept exports were not refreshed: another mldsplan is refreshing them")
    except MldsplanError as exc:
        said.append(f"the kept exports were not refreshed: {exc.message}; the change is saved")
    return said


def _refresh(session: Session, programme: Programme, record: Progress, k: Kept) -> str | None:
    """Rewrite one kept export; what went wrong, or None."""
    try:
        guard_output(session, k.path, force=True)
        blocks = _ics_blocks(session, programme, record, k.format, k.only)
        content, mode = _export_content(programme, record, session.now, k, blocks, session)
        store.write_atomic(k.path, content, mode=mode)
    except store.Landed:
        return None  # in place; only the folder's fsync failed
    except MldsplanError as exc:
        return exc.message
    except FileNotFoundError:
        if not k.path.parent.is_dir():
            return f"its folder {k.path.parent} does not exist"
        return "it cannot be written there"
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
