"""The command line: parses arguments, calls the domain, hands results to render.

Kept light on purpose: every command and every TAB press starts a fresh
interpreter, so the domain (pydantic) and Rich are imported inside commands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from mldsplan import __version__, paths
from mldsplan.errors import ExitCode, InputError, MldsplanError

if TYPE_CHECKING:
    from mldsplan.programme import Programme
    from mldsplan.progress import Progress


def _fail(message: str, hint: str | None = None, code: int = ExitCode.FAILURE) -> NoReturn:
    print(f"Error: {message}", file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)
    raise typer.Exit(code)


class _Group(TyperGroup):
    """Domain errors become one `Error:` line and exit 1 (a traceback with MLDSPLAN_DEBUG=1)."""

    def invoke(self, ctx: Any) -> Any:
        if os.environ.get("MLDSPLAN_DEBUG") == "1":
            return super().invoke(ctx)
        try:
            return super().invoke(ctx)
        except MldsplanError as exc:
            _fail(exc.message, exc.hint)
        except KeyboardInterrupt:
            _fail("interrupted; nothing was changed", code=ExitCode.INTERRUPTED)
        except OSError as exc:
            _fail(f"{exc.filename or 'mldsplan'}: {exc.strerror or exc}")
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # exits and usage errors: Typer reports them itself
        except Exception as exc:  # a bug of ours: still one line, and how to see more
            _fail(
                f"internal error: {type(exc).__name__}: {exc}",
                hint="run again with MLDSPLAN_DEBUG=1 for the traceback, and report it",
            )


app = typer.Typer(
    cls=_Group,
    name="mldsplan",
    help="Study planner and credit tracker for Imperial's online MSc in ML and Data Science.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)


class _Files:
    """The files this run reads and writes (a plain class: no dataclass build at start-up)."""

    def __init__(self, progress: Path, programme: Path | None) -> None:
        self.progress = progress
        self.programme = programme


def _complete_codes(ctx: typer.Context, incomplete: str) -> list[str]:
    root = ctx.find_root().params.get("programme") or os.environ.get(paths.PROGRAMME_ENV)
    codes = paths.module_codes(Path(root) if root else None)
    return [c for c in codes if c.startswith(incomplete.lower())]


def _version(value: bool) -> None:
    if value:
        print(f"mldsplan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Option("--file", envvar=paths.FILE_ENV, help="Progress file.", show_default=False),
    ] = None,
    programme: Annotated[
        Path | None,
        typer.Option(
            "--programme",
            envvar=paths.PROGRAMME_ENV,
            help="Programme file (default: the shipped one).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_version, help="Show the version.")
    ] = False,
) -> None:
    """Track ECTS, hours and marks toward the 90-ECTS MSc. With no command: progress."""
    ctx.obj = _Files(progress=file or paths.default_progress(), programme=programme)
    if ctx.invoked_subcommand is None:
        progress(ctx)


# --- helpers ---------------------------------------------------------------


def _files(ctx: typer.Context) -> _Files:
    files = ctx.find_root().obj
    assert isinstance(files, _Files)
    return files


def _programme(ctx: typer.Context) -> Programme:
    from mldsplan.programme import default_programme_path, load_programme

    given = _files(ctx).programme
    return load_programme(given or default_programme_path())


def _today() -> date:
    return date.today()


def _load(ctx: typer.Context) -> tuple[Programme, Progress]:
    from mldsplan import store

    programme = _programme(ctx)
    return programme, store.load_for(_files(ctx).progress, programme, _today())


def _update(
    ctx: typer.Context, programme: Programme, change: Callable[[Progress], Progress]
) -> tuple[Progress, Progress]:
    """Apply `change` to the checked record under the lock; (before, after)."""
    from mldsplan import store

    path = _files(ctx).progress
    return store.update(
        path,
        lambda old: change(store.check_against(path, old, programme, _today())),
        _lock_timeout(),
    )


def _lock_timeout() -> float:
    """Seconds to wait for another mldsplan's write (MLDSPLAN_LOCK_TIMEOUT, default 10)."""
    from mldsplan.store import LOCK_TIMEOUT_SECONDS

    given = os.environ.get(paths.LOCK_TIMEOUT_ENV)
    if not given:
        return LOCK_TIMEOUT_SECONDS
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise InputError(f"{paths.LOCK_TIMEOUT_ENV}: '{given}' is not a number of seconds (0-3600)")
    return seconds


def _codes(programme: Programme, typed: list[str]) -> list[str]:
    from mldsplan.programme import resolve_code

    codes = [resolve_code(programme, t) for t in typed]
    return list(dict.fromkeys(codes))


def _on(text: str | None) -> date:
    """`--on` as a date, today without it (the domain refuses a future one where it must)."""
    from mldsplan.progress import parse_date

    return _today() if text is None else parse_date(text)


def _show(result: Any, as_json: bool, human: Callable[[], None]) -> None:
    """A command's result: one JSON object on stdout, or `human` renders it."""
    if as_json:
        from mldsplan.render import print_json

        print_json(result)
    else:
        human()


def _say(message: str) -> None:
    print(message, file=sys.stderr)


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object to stdout.")]
Codes = Annotated[
    list[str],
    typer.Argument(
        help="Module codes (any case, or a unique prefix).", autocompletion=_complete_codes
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="Date as YYYY-MM-DD (default: today).", show_default=False),
]


# --- commands --------------------------------------------------------------


@app.command()
def init(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option(help="Cohort start month, YYYY-MM.")] = None,
    weekly_hours: Annotated[float | None, typer.Option(help="Your study hours a week.")] = None,
) -> None:
    """Create the progress file, or update just these settings in it.

    Example: mldsplan init --start 2025-10 --weekly-hours 18
    """
    from mldsplan.progress import set_settings

    path = _files(ctx).progress
    existed = path.exists()
    programme = _programme(ctx)
    before, after = _update(ctx, programme, lambda old: set_settings(old, start, weekly_hours))
    if not existed:
        _say(f"created {path}")
    elif before == after:
        _say(f"{path} already set up; nothing changed")
    else:
        _say(f"updated {path}")
    _say(
        f"start: {after.start or 'not set (mldsplan init --start YYYY-MM)'};"
        f" weekly hours: {after.weekly(programme):g}"
    )
    if after.start and programme.entry_month and int(after.start[5:]) != programme.entry_month:
        entry = f"{programme.entry_month:02d}"
        _say(f"note: this programme's entry month is {entry}, not {after.start[5:]}")


@app.command()
def plan(ctx: typer.Context, json: JsonOption = False) -> None:
    """The programme by year and term, with each module's status.

    Example: mldsplan plan --json
    """
    from mldsplan import planner, render

    programme, record = _load(ctx)
    result = planner.plan(programme, record)
    _show(result, json, lambda: render.plan(programme, result))


@app.command()
def complete(
    ctx: typer.Context,
    codes: Codes,
    mark: Annotated[
        float | None, typer.Option(help="Your mark, 0-100 (at least the pass mark).")
    ] = None,
    on: OnOption = None,
    resit: Annotated[
        bool, typer.Option("--resit", help="Passed at a resit (mark counts capped).")
    ] = False,
) -> None:
    """Record modules as completed (passed).

    Example: mldsplan complete programming maths --on 2026-01-20
    """
    from mldsplan import progress as records

    programme = _programme(ctx)
    resolved = _codes(programme, codes)
    day = None if on is None else _on(on)  # none: a re-completion keeps its date
    before, after = _update(
        ctx,
        programme,
        lambda old: records.complete(
            old, programme, resolved, _today(), on=day, mark=mark, resit=resit
        ),
    )
    for code in resolved:
        old, new = before.completions.get(code), after.completions[code]
        mark_text = (
            "" if new.mark is None else f", mark {new.mark:g}" + (" (resit)" if new.resit else "")
        )
        if old is None:
            _say(f"completed {code} ({programme.module(code).ects:g} ECTS) on {new.on}{mark_text}")
        elif old == new:
            _say(f"{code} was already completed on {new.on}{mark_text}; nothing changed")
        else:
            _say(f"updated {code}: completed on {new.on}{mark_text}")


@app.command()
def uncomplete(ctx: typer.Context, codes: Codes) -> None:
    """Remove completion records.

    Example: mldsplan uncomplete maths
    """
    from mldsplan import progress as records

    programme = _programme(ctx)
    resolved = _codes(programme, codes)
    _update(ctx, programme, lambda old: records.uncomplete(old, resolved))
    for code in resolved:
        _say(f"removed the completion of {code}")


@app.command()
def mark(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Module code.", autocompletion=_complete_codes)],
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, 0-100.")],
    resit: Annotated[
        bool | None, typer.Option("--resit/--no-resit", help="Set or clear the resit flag.")
    ] = None,
) -> None:
    """Set or correct the mark of a completed module.

    Example: mldsplan mark programming 70
    """
    from mldsplan import progress as records

    programme = _programme(ctx)
    resolved = _codes(programme, [code])[0]
    before, _ = _update(
        ctx, programme, lambda old: records.set_mark(old, programme, resolved, value, resit)
    )
    old = before.completions[resolved].mark
    _say(f"{resolved}: mark {'set to' if old is None else f'{old:g} ->'} {value:g}")


@app.command()
def progress(ctx: typer.Context, json: JsonOption = False) -> None:
    """ECTS done of the total with a bar, per-term table, modules done, hours left.

    Example: mldsplan progress --json
    """
    from mldsplan import planner, render
    from mldsplan.grades import grades as marks

    programme, record = _load(ctx)
    result = planner.progress_summary(programme, record, _today())
    _show(result, json, lambda: render.progress(programme, result, marks(programme, record)))


@app.command()
def hours(
    ctx: typer.Context,
    weekly_hours: Annotated[
        float | None, typer.Option(help="What-if at another pace (default: your weekly hours).")
    ] = None,
    on: OnOption = None,
    json: JsonOption = False,
) -> None:
    """Remaining workload: hours, weeks and finish date at your pace, load per term.

    Example: mldsplan hours --weekly-hours 25
    """
    from mldsplan import planner, render
    from mldsplan.progress import check_weekly_hours

    if weekly_hours is not None:
        check_weekly_hours(weekly_hours)
    programme, record = _load(ctx)
    result = planner.hours_summary(programme, record, _on(on), weekly_hours)
    _show(result, json, lambda: render.hours(programme, result))


@app.command()
def log(
    ctx: typer.Context,
    amount: Annotated[
        float | None,
        typer.Argument(metavar="HOURS", help="Hours studied, more than 0, at most 24."),
    ] = None,
    module: Annotated[
        str | None, typer.Option(help="Module studied.", autocompletion=_complete_codes)
    ] = None,
    on: OnOption = None,
    note: Annotated[str | None, typer.Option(help="A short note (one line).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the log entries, numbered.")] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the last entry.")] = False,
    remove: Annotated[
        int | None,
        typer.Option(help="Remove entry N (as --list numbers them).", show_default=False),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Record study time, or list and remove entries.

    Example: mldsplan log 2.5 --module bayesian --note "lecture 4"
    """
    from mldsplan import progress as records
    from mldsplan import render

    actions = sum([amount is not None, list_, undo, remove is not None])
    if actions != 1:
        raise InputError(
            "log: give HOURS to record, or one of --list, --undo, --remove N",
            hint="for example: mldsplan log 1.5 --module maths",
        )
    if list_:
        _, record = _load(ctx)
        render.log_entries(record.log, as_json=json)
        return
    programme = _programme(ctx)
    if amount is None:
        before, _ = _update(ctx, programme, lambda old: records.remove_log(old, remove))
        gone = before.log[(remove or len(before.log)) - 1]
        _say(f"removed {records.format_log_line(gone)}")
        return
    day = _on(on)
    studied = _codes(programme, [module])[0] if module else None
    _, after = _update(
        ctx, programme, lambda old: records.add_log(old, amount, day, _today(), studied, note)
    )
    total = sum(e.hours for e in after.log if e.on == day)
    _say(
        f"logged {amount:g} h on {day}{f' for {studied}' if studied else ''} ({total:g} h that day)"
    )


@app.command()
def week(ctx: typer.Context, on: OnOption = None, json: JsonOption = False) -> None:
    """The study week (Mon-Sun) containing a date: hours per day and to the target.

    Example: mldsplan week --on 2026-11-23
    """
    from mldsplan import planner, render

    programme, record = _load(ctx)
    result = planner.study_week(record, _on(on), record.weekly(programme))
    _show(result, json, lambda: render.week(result))


@app.command()
def grades(ctx: typer.Context, json: JsonOption = False) -> None:
    """ECTS-weighted average of your marks, its band, and exit awards reached.

    Example: mldsplan grades --json
    """
    from mldsplan import grades as marks
    from mldsplan import render

    programme, record = _load(ctx)
    result = marks.grades(programme, record)
    _show(result, json, lambda: render.grades(programme, result))


def _assumptions(programme: Programme, typed: list[str]) -> dict[str, float]:
    assumed: dict[str, float] = {}
    for item in typed:
        code, sep, value = item.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise InputError(
                f"--assume: '{item}' is not CODE=MARK", hint="for example --assume project=70"
            )
        try:
            mark = float(value)
        except ValueError:
            raise InputError(f"--assume: '{value}' in '{item}' is not a number") from None
        resolved = _codes(programme, [code])[0]
        if resolved in assumed:
            raise InputError(f"--assume: {resolved} is given twice")
        assumed[resolved] = mark
    return assumed


@app.command()
def target(
    ctx: typer.Context,
    assume: Annotated[
        list[str] | None,
        typer.Option(help="CODE=MARK: a planned mark (repeatable).", show_default=False),
    ] = None,
    json: JsonOption = False,
) -> None:
    """The average you need on the rest for Pass, Merit and Distinction.

    Example: mldsplan target --assume project=75
    """
    from mldsplan import grades as marks
    from mldsplan import render

    programme, record = _load(ctx)
    result = marks.targets(programme, record, _assumptions(programme, assume or []))
    _show(result, json, lambda: render.targets(result))


@app.command()
def defer(
    ctx: typer.Context,
    codes: Codes,
    years: Annotated[int, typer.Option(help="How many years later (1 or more).")] = 1,
    undo: Annotated[
        bool, typer.Option("--undo", help="Put the modules back in their own term.")
    ] = False,
) -> None:
    """Take modules not yet completed a year (or more) later, in the same term.

    Example: mldsplan defer bayesian
    """
    from mldsplan import progress as records

    programme = _programme(ctx)
    resolved = _codes(programme, codes)
    if undo:
        _, after = _update(ctx, programme, lambda old: records.undefer(old, resolved))
    else:
        _, after = _update(
            ctx, programme, lambda old: records.defer(old, programme, resolved, years)
        )
    for code in resolved:
        module = programme.module(code)
        moved = after.deferrals.get(code, 0)
        _say(
            f"{code}: planned in year {module.year + moved} term {module.term}"
            + (f" ({moved} year{'s' * (moved > 1)} later)" if moved else " (its own term)")
        )
    from mldsplan.planner import plan_warnings

    for warning in plan_warnings(programme, after):
        _say(f"warning: {warning}")


class Format(StrEnum):
    markdown = "markdown"
    csv = "csv"
    json = "json"
    toml = "toml"
    ics = "ics"
    html = "html"


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --output file.")
    ] = False,
    with_notes: Annotated[
        bool, typer.Option("--with-notes", help="html: include the study log's notes.")
    ] = False,
) -> None:
    """The study plan as markdown, csv, json, toml, ics or html.

    Example: mldsplan export --format ics --output plan.ics
    """
    from mldsplan import export as exporters
    from mldsplan import store

    programme, record = _load(ctx)
    content = exporters.export(format.value, programme, record, _today(), with_notes=with_notes)
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    if output.exists() and not force:
        raise InputError(f"--output: {output} already exists", hint="add --force to overwrite it")
    if output.is_dir():
        raise InputError(f"--output: {output} is a folder")
    try:
        store.write_atomic(output, content, mode=0o644)
    except OSError as exc:
        raise InputError(f"--output: cannot write {output}: {exc.strerror or exc}") from None
    _say(f"wrote {output} ({format.value}, {len(content)} bytes)")


@app.command(name="import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A json or toml export.", show_default=False)],
) -> None:
    """Restore progress from a json or toml export (the old file is kept as .bak).

    Example: mldsplan import backup.json
    """
    from mldsplan import export as exporters
    from mldsplan import store

    programme = _programme(ctx)
    record = exporters.read_export(path, programme, _today())
    target_file = _files(ctx).progress
    store.replace(target_file, record, _lock_timeout())
    _say(
        f"imported {path} into {target_file}: {len(record.completions)} completions,"
        f" {len(record.log)} log entries"
    )


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the programme and progress files and report every problem found.

    Example: mldsplan check
    """
    from mldsplan import checks

    files = _files(ctx)
    report = checks.check(files.programme, files.progress, _today())
    for line in report.lines:
        print(line)
    if report.problems:
        _say(f"Error: {report.problems} problem{'s' * (report.problems > 1)} found")
        raise typer.Exit(ExitCode.FAILURE)
