"""The command line: parses arguments, calls the domain, hands results to render.

Kept light on purpose: every command and every TAB press starts a fresh
interpreter, so the domain (pydantic) and Rich are imported inside commands.
No `from __future__ import annotations` here: Typer reads every command's
annotations at start-up, and as strings it would compile and evaluate each
of them again (about 6 ms of every run, measured with benchmarks/startup.py).
Names imported only for type checking are quoted instead.
"""

import os
import sys
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from mldsplan import __version__, paths
from mldsplan.domain.errors import ExitCode, InputError, MldsplanError, SavedButError
from mldsplan.output.visible import visible

if TYPE_CHECKING:
    from datetime import datetime

    from mldsplan.domain.programme import Programme
    from mldsplan.domain.progress import Progress
    from mldsplan.storage.cache import Cache


# How the domain's value names read on the command line; a command may override.
_FLAGS = {
    "mark": "--mark",
    "on": "--on",
    "years": "--years",
    "weekly_hours": "--weekly-hours",
    "start": "--start",
    "note": "--note",
    "hours": "HOURS",
    "codes": "CODE",
    "code": "CODE",
    "assume": "--assume",
    "weight": "--weight",
    "due": "--due",
    "name": "NAME",
    "new_name": "--name",
    "term": "Y.T",
    "from": "--from",
    "to": "--to",
    "at": "--at",
    "remove": "--remove",
    "module": "--module",
    "format": "--format",
    "days": "--days",
    "module_mark": "the module mark from its assessments",
}

# Hints that name commands, which only the CLI knows, by the domain's reason.
_HINTS = {
    "not_completed": "'mldsplan plan' shows what is recorded",
    "mark_not_completed": "record it with: mldsplan complete {code} --mark {mark:g}",
    "already_marked": "correct it with: mldsplan mark {code} MARK",
    "day_full": "'mldsplan log --list' shows the entries",
    "no_assessment": "'mldsplan assess list {code}' lists them",
    "timer_running": "stop it with 'mldsplan stop' or drop it with 'mldsplan cancel'",
    "no_timer": "start one with: mldsplan start [CODE]",
    "timer_forgotten": "stop it when you ended: mldsplan stop --at HH:MM, or mldsplan cancel",
    "no_start": "set it with: mldsplan init --start YYYY-MM",
    "unknown_code": "'mldsplan plan' lists the codes",
}


def _fail(message: str, hint: str | None = None, code: int = ExitCode.FAILURE) -> NoReturn:
    print(f"Error: {visible(message)}", file=sys.stderr)
    if hint:
        print(f"hint: {visible(hint)}", file=sys.stderr)
    raise typer.Exit(code)


def _fail_input(ctx: Any, exc: InputError) -> NoReturn:
    flags = {**_FLAGS, **(ctx.meta.get("flags") or {})}
    message = exc.message
    if exc.argument:
        message = f"{flags.get(exc.argument, exc.argument)}: {message}"
    hint = exc.hint
    if exc.reason in _HINTS:
        hint = _HINTS[exc.reason].format(**exc.details)
    _fail(message, hint)


class _Group(TyperGroup):
    """Domain errors become one `Error:` line and exit 1 (a traceback with MLDSPLAN_DEBUG=1)."""

    def invoke(self, ctx: Any) -> Any:
        if os.environ.get("MLDSPLAN_DEBUG") == "1":
            return super().invoke(ctx)
        try:
            return super().invoke(ctx)
        except InputError as exc:
            _fail_input(ctx, exc)
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


def _complete_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Assessment names of the module typed before, read without validating the file."""
    root = ctx.find_root().params
    file = root.get("file") or os.environ.get(paths.FILE_ENV)
    code = str(ctx.params.get("code") or "").lower()
    names = paths.assessment_names(Path(file) if file else paths.default_progress(), code)
    return [n for n in names if n.casefold().startswith(incomplete.casefold())]


def _version(value: bool) -> None:
    if value:
        print(f"mldsplan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            envvar=paths.FILE_ENV,
            help="Progress file.",
            show_default=False,
            readable=False,  # our read reports an unreadable file (one line, exit 1)
        ),
    ] = None,
    programme: Annotated[
        Path | None,
        typer.Option(
            "--programme",
            envvar=paths.PROGRAMME_ENV,
            help="Programme file (default: the shipped one).",
            readable=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_version, help="Show the version.")
    ] = False,
) -> None:
    """Track ECTS, hours and marks toward the 90-ECTS MSc. With no command: progress."""
    for option, given in (("--file", file), ("--programme", programme)):
        if given is not None and not given.name:
            _fail(f"{option}: '{given}' names no file", "give the path of a file")
    ctx.obj = _Files(progress=file or paths.default_progress(), programme=programme)
    if ctx.invoked_subcommand is None:
        progress(ctx)


def entry() -> None:
    """The console script and `python -m mldsplan`: the app, with Ctrl-C handled.

    Once a change has started to land, an interrupt waits (`mldsplan.interrupts`);
    after the command nothing is left to interrupt, so none breaks the shutdown.
    """
    from mldsplan.storage import interrupts

    interrupts.install()
    try:
        app(prog_name="mldsplan")
    finally:
        interrupts.ignore()


# --- helpers ---------------------------------------------------------------


def _files(ctx: typer.Context) -> _Files:
    files = ctx.find_root().obj
    assert isinstance(files, _Files)
    return files


def _flags(ctx: typer.Context, **names: str) -> None:
    """This command's own names for the domain's values (for error messages)."""
    ctx.meta["flags"] = names


def _cache() -> "Cache":
    from mldsplan.storage.cache import Cache

    return Cache(paths.cache_folder(dict(os.environ)))


def _programme(ctx: typer.Context) -> "Programme":
    from mldsplan.paths import default_programme_path
    from mldsplan.storage.programme_file import load_programme

    given = _files(ctx).programme
    return load_programme(given or default_programme_path(), _cache())


def _today() -> date:
    from mldsplan import clock

    return clock.today()


def _now() -> "datetime":
    from mldsplan import clock

    return clock.now()


def _load(ctx: typer.Context) -> tuple["Programme", "Progress"]:
    from mldsplan.storage import store

    programme = _programme(ctx)
    return programme, store.load_for(_files(ctx).progress, programme, _now(), _cache())


def _update(
    ctx: typer.Context, programme: "Programme", change: Callable[["Progress"], "Progress"]
) -> tuple["Progress", "Progress"]:
    """Apply `change` to the checked record under the lock; (before, after)."""
    from mldsplan.domain.rules import record_problems
    from mldsplan.storage import store

    now = _now()
    return store.update(
        _files(ctx).progress,
        change,
        lambda record: record_problems(record, programme, now.date(), now=now),
        _lock_timeout(),
        _warn,
    )


def _lock_timeout() -> float:
    """Seconds to wait for another mldsplan's write (MLDSPLAN_LOCK_TIMEOUT, default 10)."""
    from mldsplan.storage.store import LOCK_TIMEOUT_SECONDS

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


def _codes(programme: "Programme", typed: list[str], argument: str = "code") -> list[str]:
    from mldsplan.domain.programme import resolve_code

    codes = [resolve_code(programme, t, argument) for t in typed]
    return list(dict.fromkeys(codes))


def _day(text: str, argument: str = "on") -> date:
    from mldsplan.domain.dates import DateError, parse_day

    try:
        return parse_day(text)
    except DateError as exc:
        raise InputError(str(exc), hint="for example 2026-11-25", argument=argument) from None


def _on(text: str | None) -> date:
    """`--on` as a date, today without it (the domain refuses a future one where it must)."""
    return _today() if text is None else _day(text)


def _show(result: Any, as_json: bool, human: Callable[[], None]) -> None:
    """A command's result: one JSON object on stdout, or `human` renders it."""
    if as_json:
        from mldsplan.output.jsonout import print_json

        print_json(result)
    else:
        human()


def _say(message: str) -> None:
    """A confirmation on stderr; paths and arguments in it cannot send control characters."""
    print(visible(message), file=sys.stderr)


def _warn(message: str) -> None:
    _say(f"warning: {message}")


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object to stdout.")]
Codes = Annotated[
    list[str],
    typer.Argument(
        help="Module codes (any case, or a unique prefix).", autocompletion=_complete_codes
    ),
]
CodeArg = Annotated[
    str,
    typer.Argument(
        help="Module code (any case, or a unique prefix).", autocompletion=_complete_codes
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
    from mldsplan.domain.changes import set_settings

    path = _files(ctx).progress
    existed = path.exists()
    programme = _programme(ctx)
    try:
        before, after = _update(ctx, programme, lambda old: set_settings(old, start, weekly_hours))
    except InputError as exc:
        if exc.argument is None and start is not None:  # a rule the new start breaks
            raise InputError(
                f"{start} would make your record impossible: {exc.message}", argument="start"
            ) from None
        raise
    if not existed:
        _say(f"created {path}")
    elif before.content() == after.content():
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
def plan(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The programme by year and term, with each module's status.

    Example: mldsplan plan --json
    """
    from mldsplan.domain import workload as planner

    programme, record = _load(ctx)
    result = planner.plan(programme, record, _today())

    def human() -> None:
        from mldsplan.output import render

        render.plan(programme, result)

    _show(result, as_json, human)


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
    """Record modules as completed (passed); a fully assessed module gets its module mark.

    Example: mldsplan complete programming maths --on 2026-01-20
    """
    from mldsplan.domain import changes

    programme = _programme(ctx)
    resolved = _codes(programme, codes)
    day = None if on is None else _day(on)  # none: a re-completion keeps its date
    before, after = _update(
        ctx,
        programme,
        lambda old: changes.complete(
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
    from mldsplan.domain import changes

    programme = _programme(ctx)
    resolved = _codes(programme, codes)
    _update(ctx, programme, lambda old: changes.uncomplete(old, resolved))
    for code in resolved:
        _say(f"removed the completion of {code}")


@app.command()
def mark(
    ctx: typer.Context,
    code: CodeArg,
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, 0-100.")],
    resit: Annotated[
        bool | None, typer.Option("--resit/--no-resit", help="Set or clear the resit flag.")
    ] = None,
) -> None:
    """Set or correct the mark of a completed module.

    Example: mldsplan mark programming 70
    """
    from mldsplan.domain import changes

    _flags(ctx, mark="MARK")
    programme = _programme(ctx)
    resolved = _codes(programme, [code])[0]
    before, _ = _update(
        ctx, programme, lambda old: changes.set_mark(old, programme, resolved, value, resit)
    )
    old = before.completions[resolved].mark
    _say(f"{resolved}: mark {'set to' if old is None else f'{old:g} ->'} {value:g}")


@app.command()
def progress(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS done of the total with a bar, per-term table, modules done, hours left.

    Example: mldsplan progress --json
    """
    from mldsplan.domain import workload as planner

    programme, record = _load(ctx)
    result = planner.progress_summary(programme, record, _today(), _now())

    def human() -> None:
        from mldsplan.output import render

        render.progress(programme, result)

    _show(result, as_json, human)


@app.command()
def hours(
    ctx: typer.Context,
    weekly_hours: Annotated[
        float | None, typer.Option(help="What-if at another pace (default: your weekly hours).")
    ] = None,
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remaining workload: hours, weeks and finish date at your pace, load per term.

    Example: mldsplan hours --weekly-hours 25
    """
    from mldsplan.domain import workload as planner
    from mldsplan.domain.changes import check_weekly_hours

    if weekly_hours is not None:
        check_weekly_hours(weekly_hours)
    programme, record = _load(ctx)
    result = planner.hours_summary(programme, record, _on(on), weekly_hours)

    def human() -> None:
        from mldsplan.output import render

        render.hours(programme, result)

    _show(result, as_json, human)


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
    as_json: JsonOption = False,
) -> None:
    """Record study time, or list and remove entries.

    Example: mldsplan log 2.5 --module bayesian --note "lecture 4"
    """
    from mldsplan.domain import changes
    from mldsplan.storage.studylog import format_log_line

    actions = sum([amount is not None, list_, undo, remove is not None])
    if actions != 1:
        raise InputError(
            "log: give HOURS to record, or one of --list, --undo, --remove N",
            hint="for example: mldsplan log 1.5 --module maths",
        )
    if list_:
        _, record = _load(ctx)
        from mldsplan.domain.results import Result

        entries = {
            "schema_version": Result().schema_version,
            "entries": [e._asdict() for e in record.log],
        }

        def human() -> None:
            from mldsplan.output import render

            render.log_entries(record.log)

        _show(entries, as_json, human)
        return
    programme = _programme(ctx)
    if amount is None:
        before, _ = _update(ctx, programme, lambda old: changes.remove_log(old, remove))
        gone = before.log[(remove or len(before.log)) - 1]
        _say(f"removed {format_log_line(gone)}")
        return
    day = _on(on)
    studied = _codes(programme, [module], "module")[0] if module else None
    _, after = _update(
        ctx, programme, lambda old: changes.add_log(old, amount, day, _today(), studied, note)
    )
    total = sum(e.hours for e in after.log if e.on == day)
    _say(
        f"logged {amount:g} h on {day}{f' for {studied}' if studied else ''} ({total:g} h that day)"
    )


@app.command()
def week(ctx: typer.Context, on: OnOption = None, as_json: JsonOption = False) -> None:
    """The study week (Mon-Sun) containing a date: hours per day and to the target.

    Example: mldsplan week --on 2026-11-23
    """
    from mldsplan.domain import workload as planner

    programme, record = _load(ctx)
    result = planner.study_week(programme, record, _on(on), record.weekly(programme), _now())

    def human() -> None:
        from mldsplan.output import render

        render.week(result)

    _show(result, as_json, human)


@app.command()
def grades(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS-weighted average of your marks, its band, and exit awards reached.

    Example: mldsplan grades --json
    """
    from mldsplan.domain import marks

    programme, record = _load(ctx)
    result = marks.grades(programme, record)

    def human() -> None:
        from mldsplan.output import render

        render.grades(programme, result)

    _show(result, as_json, human)


def _assumptions(programme: "Programme", typed: list[str]) -> dict[str, float]:
    assumed: dict[str, float] = {}
    for item in typed:
        code, sep, value = item.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise InputError(
                f"'{item}' is not CODE=MARK",
                hint="for example --assume project=70",
                argument="assume",
            )
        try:
            mark = float(value)
        except ValueError:
            raise InputError(f"'{value}' in '{item}' is not a number", argument="assume") from None
        resolved = _codes(programme, [code], "assume")[0]
        if resolved in assumed:
            raise InputError(f"{resolved} is given twice", argument="assume")
        assumed[resolved] = mark
    return assumed


@app.command()
def target(
    ctx: typer.Context,
    assume: Annotated[
        list[str] | None,
        typer.Option(help="CODE=MARK: a planned mark (repeatable).", show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The average you need on the rest for Pass, Merit and Distinction.

    Example: mldsplan target --assume project=75
    """
    from mldsplan.domain import marks

    programme, record = _load(ctx)
    result = marks.targets(programme, record, _assumptions(programme, assume or []))

    def human() -> None:
        from mldsplan.output import render

        render.targets(result)

    _show(result, as_json, human)


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
    from mldsplan.domain import changes
    from mldsplan.domain.workload import plan_warnings

    programme = _programme(ctx)
    resolved = _codes(programme, codes)
    if undo:
        _, after = _update(ctx, programme, lambda old: changes.undefer(old, resolved))
    else:
        _, after = _update(
            ctx, programme, lambda old: changes.defer(old, programme, resolved, years)
        )
    for code in resolved:
        module = programme.module(code)
        moved = after.deferrals.get(code, 0)
        _say(
            f"{code}: planned in year {module.year + moved} term {module.term}"
            + (f" ({moved} year{'s' * (moved > 1)} later)" if moved else " (its own term)")
        )
    for warning in plan_warnings(programme, after, _today()):
        _say(f"warning: {warning}")


class Format(StrEnum):
    markdown = "markdown"
    csv = "csv"
    json = "json"
    toml = "toml"
    ics = "ics"
    html = "html"


def _guard_output(ctx: typer.Context, output: Path, force: bool) -> None:
    """Refuse an --output that is mldsplan's own file, a special file or a link."""
    import stat

    from mldsplan.storage import store

    files = _files(ctx)
    # The progress file as given and, behind a symlink, its target: each with every
    # file kept beside it (.bak, .lock, .redo, .vN.bak, .broken-*, temporary files).
    progress_files = {files.progress.absolute()}
    with suppress(MldsplanError):
        progress_files.add(store.target(files.progress))
    resolved = output.resolve()
    protected: list[Path] = []
    for progress_file in progress_files:
        if resolved.parent == progress_file.parent.resolve() and store.is_own_name(
            progress_file.name, resolved.name
        ):
            protected.append(progress_file.parent / resolved.name)
        protected += store.own_files(progress_file)
    if files.programme is not None:
        protected.append(files.programme)
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


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default: stdout).", readable=False
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --output file.")
    ] = False,
    alarm_days: Annotated[
        int, typer.Option(help="ics: remind this many days before a deadline (0: none).")
    ] = 3,
    with_notes: Annotated[
        bool, typer.Option("--with-notes", help="html: include the study log's notes.")
    ] = False,
) -> None:
    """The study plan as markdown, csv, json, toml, ics or html.

    Example: mldsplan export --format ics --output plan.ics
    """
    from mldsplan.output import formats
    from mldsplan.storage import exchange, store

    _flags(ctx, output="--output", days="--alarm-days")
    if not 0 <= alarm_days <= 60:
        raise InputError(f"{alarm_days} must be 0 to 60", argument="days")
    if output is not None and str(output) == "-":
        output = None  # "-" is stdout, as for most tools
    if output is not None:
        _guard_output(ctx, output, force)
    programme, record = _load(ctx)
    if fmt.value in exchange.FORMATS:  # the whole record, as import reads it back
        content = exchange.export(fmt.value, programme, record)
    else:
        content = formats.export(fmt.value, programme, record, _now(), alarm_days, with_notes)
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    private = fmt.value in exchange.FORMATS or fmt.value in formats.PRIVATE_FORMATS
    mode = 0o600 if private else 0o644
    try:
        store.write_atomic(output, content, mode=mode)
    except store.Landed as landed:
        raise SavedButError(
            f"wrote {output}, but then: {store.describe(landed.cause)}",
            hint="the export is complete; 'mldsplan export' again writes it anew",
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot write {output}: {exc.strerror or exc}", argument="output"
        ) from None
    _say(f"wrote {output} ({fmt.value}, {len(content)} bytes)")


@app.command(name="import")
def import_(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="A json or toml export.", show_default=False, readable=False)
    ],
) -> None:
    """Restore progress from a json or toml export (the old file is kept as .bak).

    Example: mldsplan import backup.json
    """
    from mldsplan.domain.rules import record_problems
    from mldsplan.storage.exchange import read_export

    programme = _programme(ctx)
    record = read_export(path, programme.id)
    now = _now()
    problems = record_problems(record, programme, now.date(), now=now)
    if problems:
        raise InputError(f"{path}: {problems[0]}")
    target_file = _files(ctx).progress
    _update(ctx, programme, lambda _old: record)
    _say(
        f"imported {path} into {target_file}: {len(record.completions)} completions,"
        f" {len(record.log)} log entries"
    )


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the programme and progress files and report every problem found.

    Example: mldsplan check
    """
    from mldsplan.commands import check as checks
    from mldsplan.output import render

    files = _files(ctx)
    report = checks.check(files.programme, files.progress, _now())
    render.report(report.lines)
    if report.problems:
        _say(f"Error: {report.problems} problem{'s' * (report.problems > 1)} found")
        raise typer.Exit(ExitCode.FAILURE)


@app.command()
def undo(ctx: typer.Context) -> None:
    """Put back the version before the last change; a second undo redoes it.

    Example: mldsplan undo
    """
    from mldsplan.storage import store

    path = _files(ctx).progress
    restored, kept = store.undo(path, _now(), _lock_timeout(), _warn)
    summary = (
        f"restored {path} to revision {restored.revision}"
        f" ({len(restored.completions)} completions, {len(restored.log)} log entries)"
    )
    if kept is not None:
        _say(f"{summary}; the damaged file is kept as {kept}")
    else:
        _say(f"{summary}; 'mldsplan undo' again redoes the change")


# --- the term calendar -----------------------------------------------------

calendar_app = typer.Typer(
    cls=_Group,
    help="The six terms' dates (shipped or your own), and setting your own.",
    invoke_without_command=True,
)
app.add_typer(calendar_app, name="calendar")


@calendar_app.callback()
def calendar(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The terms' dates, their length in weeks and where they come from.

    Example: mldsplan calendar set 1.2 --from 2026-01-19 --to 2026-04-24
    """
    if ctx.invoked_subcommand is not None:
        return
    from mldsplan.domain import calendar as calendars

    programme, record = _load(ctx)
    result = calendars.calendar_view(programme, record, _today())

    def human() -> None:
        from mldsplan.output import render

        render.calendar(result)

    _show(result, as_json, human)


def _term(programme: "Programme", text: str) -> tuple[int, int]:
    from mldsplan.domain.rules import term_from_key

    try:
        return term_from_key(text, programme)
    except ValueError as exc:
        raise InputError(str(exc), argument="term") from None


@calendar_app.command("set")
def calendar_set(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(metavar="Y.T", help="Year and term, e.g. 1.2.")],
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
) -> None:
    """Record your own dates for one term (from your handbook).

    Example: mldsplan calendar set 1.2 --from 2026-01-19 --to 2026-04-24
    """
    from mldsplan.domain import changes

    programme = _programme(ctx)
    year, number = _term(programme, term)
    first, last = _day(start, "from"), _day(end, "to")
    _update(ctx, programme, lambda old: changes.set_term_dates(old, year, number, first, last))
    _say(f"year {year} term {number}: {first} to {last} (your own dates)")


@calendar_app.command("reset")
def calendar_reset(
    ctx: typer.Context,
    term: Annotated[
        str | None, typer.Argument(metavar="[Y.T]", help="One term (default: all).")
    ] = None,
) -> None:
    """Clear your own dates for one term, or for all, going back to the shipped ones.

    Example: mldsplan calendar reset 1.2
    """
    from mldsplan.domain import changes
    from mldsplan.domain.terms import term_key

    programme = _programme(ctx)
    key = None if term is None else term_key(*_term(programme, term))
    _update(ctx, programme, lambda old: changes.reset_term_dates(old, key))
    _say(f"{'all terms' if key is None else key}: back to the programme's dates")


# --- assessments -----------------------------------------------------------

assess_app = typer.Typer(cls=_Group, help="A module's assessments: weights, due dates, marks.")
app.add_typer(assess_app, name="assess")

NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="Assessment name.", autocompletion=_complete_names)
]


def _stored_name(record: "Progress", code: str, typed: str) -> str:
    """The assessment's name as recorded (names match in any case and normal form)."""
    from mldsplan.domain.constraints import name_key

    wanted = name_key(typed)
    items = record.assessments.get(code, ())
    return next((a.name for a in items if name_key(a.name) == wanted), typed.strip())


@assess_app.command("add")
def assess_add(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Assessment name.")],
    weight: Annotated[float, typer.Option(help="% of the module mark (weights total ≤ 100).")],
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
) -> None:
    """Add an assessment to a module.

    Example: mldsplan assess add supervised "Coursework 1" --weight 20 --due 2027-02-14
    """
    from mldsplan.domain import changes

    programme = _programme(ctx)
    resolved = _codes(programme, [code])[0]
    day = None if due is None else _day(due, "due")
    _update(ctx, programme, lambda old: changes.add_assessment(old, resolved, name, weight, day))
    _say(f"{resolved}: added '{name.strip()}' ({weight:g}%{f', due {day}' if day else ''})")


@assess_app.command("mark")
def assess_mark(
    ctx: typer.Context,
    code: CodeArg,
    name: NameArg,
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, 0-100.")],
) -> None:
    """Record the mark of an assessment.

    Example: mldsplan assess mark supervised "Coursework 1" 68
    """
    from mldsplan.domain import changes

    _flags(ctx, mark="MARK")
    programme = _programme(ctx)
    resolved = _codes(programme, [code])[0]
    before, _ = _update(
        ctx, programme, lambda old: changes.mark_assessment(old, resolved, name, value)
    )
    _say(f"{resolved}: '{_stored_name(before, resolved, name)}' marked {value:g}")


@assess_app.command("edit")
def assess_edit(
    ctx: typer.Context,
    code: CodeArg,
    name: NameArg,
    new_name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    weight: Annotated[float | None, typer.Option(help="A new weight, %.")] = None,
    due: Annotated[
        str | None, typer.Option(help="A new due date, YYYY-MM-DD ('none' clears it).")
    ] = None,
) -> None:
    """Change an assessment's name, weight or due date.

    Example: mldsplan assess edit supervised "Coursework 1" --due 2027-02-21
    """
    from mldsplan.domain import changes

    programme = _programme(ctx)
    resolved = _codes(programme, [code])[0]
    if new_name is None and weight is None and due is None:
        raise InputError("nothing to change", hint="give --name, --weight or --due")
    clear = due is not None and due.strip().lower() == "none"
    day = None if due is None or clear else _day(due, "due")
    before, _ = _update(
        ctx,
        programme,
        lambda old: changes.edit_assessment(old, resolved, name, new_name, weight, day, clear),
    )
    _say(f"{resolved}: updated '{_stored_name(before, resolved, name)}'")


@assess_app.command("remove")
def assess_remove(ctx: typer.Context, code: CodeArg, name: NameArg) -> None:
    """Remove an assessment.

    Example: mldsplan assess remove supervised "Coursework 1"
    """
    from mldsplan.domain import changes

    programme = _programme(ctx)
    resolved = _codes(programme, [code])[0]
    before, _ = _update(ctx, programme, lambda old: changes.remove_assessment(old, resolved, name))
    _say(f"{resolved}: removed '{_stored_name(before, resolved, name)}'")


@assess_app.command("list")
def assess_list(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            help="One module (default: every module with assessments).",
            autocompletion=_complete_codes,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Each module's assessments, its mark so far, and what is needed on the rest.

    Example: mldsplan assess list supervised
    """
    from mldsplan.domain.assessments import assess_list as listing

    programme, record = _load(ctx)
    resolved = None if code is None else _codes(programme, [code])[0]
    result = listing(programme, record, resolved)

    def human() -> None:
        from mldsplan.output import render

        render.assessments(result)

    _show(result, as_json, human)


@app.command()
def due(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days ahead (default 14).")] = 14,
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Deadlines in the next days, soonest first, and those past due without a mark.

    Example: mldsplan due --days 30
    """
    from mldsplan.domain.assessments import due as upcoming

    if not 0 <= days <= 3660:
        raise InputError(f"{days} must be 0 to 3660", argument="days")
    _, record = _load(ctx)
    result = upcoming(record, _on(on), days)

    def human() -> None:
        from mldsplan.output import render

        render.due(result)

    _show(result, as_json, human)


# --- the study timer -------------------------------------------------------


def _at(text: str | None, now: "datetime") -> "datetime":
    """`--at HH:MM` as that time today in the student's time zone; now without it."""
    if text is None:
        return now.replace(microsecond=0)
    import re

    from mldsplan import clock
    from mldsplan.domain.dates import DateError, wall_time

    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"'{text}' is not a time as HH:MM", argument="at")
    zone = clock.local_zone(now)
    try:
        moment, note = wall_time(now.astimezone(zone).date(), int(match[1]), int(match[2]), zone)
    except DateError as exc:
        raise InputError(str(exc), argument="at") from None
    if note:
        _say(f"note: {note}")
    return moment


@app.command()
def start(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(help="Module studied (optional).", autocompletion=_complete_codes),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A short note for the log.")] = None,
    at: Annotated[str | None, typer.Option(help="Started earlier today, at HH:MM.")] = None,
) -> None:
    """Start the study timer, for a module or none.

    Example: mldsplan start bayesian --note "lecture 5"
    """
    from mldsplan.domain import changes

    programme = _programme(ctx)
    studied = None if code is None else _codes(programme, [code])[0]
    now = _now()
    begin = _at(at, now)
    _update(ctx, programme, lambda old: changes.start_timer(old, begin, now, studied, note))
    _say(f"timer started{f' for {studied}' if studied else ''} at {begin:%H:%M}")


@app.command()
def stop(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option(help="Stopped earlier, at HH:MM today.")] = None,
) -> None:
    """Stop the timer and log its time (one entry per date, to the minute).

    Example: mldsplan stop
    """
    from mldsplan.domain import timer

    if at is None:
        _flags(ctx, at="stop")  # the time is now, not an --at the student gave
    programme = _programme(ctx)
    now = _now()
    end = _at(at, now)
    stopped: list[timer.Stopped] = []

    def change(old: "Progress") -> "Progress":
        result = timer.stop(old, end, now)
        stopped.append(result)
        return result.progress

    _update(ctx, programme, change)
    result = stopped[-1]
    if not result.entries:
        _say("timer stopped after less than a minute; nothing was logged")
        return
    for entry in result.entries:
        _say(
            f"logged {entry.hours * 60:.0f} min on {entry.on}"
            + (f" for {entry.module}" if entry.module else "")
        )


@app.command()
def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging anything.

    Example: mldsplan cancel
    """
    from mldsplan.domain import changes

    programme = _programme(ctx)
    _update(ctx, programme, changes.cancel_timer)
    _say("timer cancelled; nothing was logged")


@app.command()
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """What the timer is running, since when and for how long.

    Example: mldsplan status --json
    """
    from mldsplan.domain import workload as planner

    _, record = _load(ctx)
    result = planner.status(record, _now())

    def human() -> None:
        from mldsplan.output import render

        render.status(result)

    _show(result, as_json, human)
