"""The command line: parses arguments, calls `commands`, prints what they return.

Kept light on purpose: every command and every TAB press starts a fresh
interpreter, so the domain (pydantic) and Rich are imported inside commands.
No `from __future__ import annotations` here: Typer reads every command's
annotations at start-up, and as strings it would compile and evaluate each
of them again (about 6 ms of every run, measured with benchmarks/startup.py).
Names imported only for type checking are quoted instead.
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mldsplan import __version__, paths
from mldsplan.cli import click_classes, messages, options
from mldsplan.cli.options import (
    AtOption,
    CodeArg,
    Codes,
    Format,
    JsonOption,
    ModuleOption,
    NameArg,
    NoteOption,
    Only,
    OnOption,
    PreferOption,
    Table,
    WeeklyHoursOption,
    complete_codes,
)
from mldsplan.domain.errors import ExitCode, InputError
from mldsplan.output.visible import visible

if TYPE_CHECKING:
    from mldsplan.commands.session import Session


app = typer.Typer(
    cls=click_classes.Group,
    name="mldsplan",
    help="Study planner and credit tracker for Imperial's online MSc in ML and Data Science.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},  # every command inherits it
)


def _version(value: bool) -> None:
    if value:
        print(f"mldsplan {__version__}")
        raise typer.Exit()


def _config_file() -> Path:
    """This computer's config file (MLDSPLAN_CONFIG_DIR, or the user config folder)."""
    from mldsplan.storage.computer import config_path

    return config_path(os.environ)


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


@app.callback()
def main(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            envvar=paths.FILE_ENV,
            metavar="PATH",  # "<path>" took two of the cells "--install-completion" needs at 60
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
            metavar="PATH",
            help="Programme file (default: the shipped one).",
            readable=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_version, help="Show the version.")
    ] = False,
) -> None:
    """Track ECTS, hours and marks toward the 90-ECTS MSc. With no command: progress."""
    from mldsplan import clock
    from mldsplan.commands.session import Session

    for option, given in (("--file", file), ("--programme", programme)):
        if given is not None and not given.name:
            messages.fail(f"{option}: '{given}' names no file", "give the path of a file")
    # Everything the run depends on outside its arguments, resolved once, here.
    ctx.obj = Session(
        progress=file or paths.default_progress(),
        programme=programme,
        clock=clock.now,
        cache_folder=lambda: paths.cache_folder(dict(os.environ)),
        lock_timeout=_lock_timeout,
        warn=messages.warn,
        zone=clock.local_zone,
        named_by=_named_by(ctx, "file", "--file", paths.FILE_ENV),
        config=_config_file,
        seed=os.environ.get("MLDSPLAN_SEED") or None,
        after_change=_refresh_kept,
    )
    if ctx.invoked_subcommand is None:
        progress(ctx)


def _refresh_kept(session: "Session") -> list[str]:
    """After a change: rewrite the exports kept fresh on this computer (`export --keep`)."""
    from mldsplan.commands import files

    return files.refresh_kept(session)


def _named_by(ctx: typer.Context, name: str, option: str, env: str) -> str | None:
    """Whether a parameter came from its option, its environment variable, or neither."""
    source = ctx.get_parameter_source(name)
    kind = getattr(source, "name", "")
    return option if kind == "COMMANDLINE" else env if kind == "ENVIRONMENT" else None


def entry() -> None:
    """The console script and `python -m mldsplan`: the app, with Ctrl-C handled.

    Once a change has started to land, an interrupt waits (`storage.interrupts`);
    after the command nothing is left to interrupt, so none breaks the shutdown.
    """
    from mldsplan.storage import interrupts

    interrupts.install()  # again: `python -m mldsplan.cli.app`, or the app imported first
    try:
        app(prog_name="mldsplan")
    except SystemExit:
        raise
    except BaseException:  # outside a command (its arguments being parsed)
        if interrupts.interrupted():
            interrupts.stopped()
        raise
    finally:
        interrupts.ignore()


# --- helpers ---------------------------------------------------------------


def _session(ctx: typer.Context) -> "Session":
    session = ctx.find_root().obj
    assert session is not None and hasattr(session, "progress_file")
    return session  # type: ignore[no-any-return]  # a Session, set by `main`


# --- commands, in the order --help lists them ----------------------------


@app.command()
def init(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option(help="Cohort start month, YYYY-MM.")] = None,
    weekly_hours: Annotated[
        float | None,
        typer.Option(
            "--weekly-hours",
            parser=options.hours,
            metavar="HOURS",
            help="Your study hours a week (18, or 17h30).",
        ),
    ] = None,
) -> None:
    """Create the progress file, or update just these settings in it.

    In a terminal, with no options, it asks for them and for the modules already done.

    Example: mldsplan init --start 2025-10 --weekly-hours 18
    """
    from mldsplan.cli import questions
    from mldsplan.commands import records

    session = _session(ctx)
    if start is None and weekly_hours is None and questions.interactive():
        start, weekly_hours, done = questions.ask_init(session)
        messages.said(records.init(session, start, weekly_hours, done))
        if done:
            messages.say(
                "set a module's real date and mark with: mldsplan complete CODE --on DATE --mark M"
            )
        questions.show_plan(session)
        return
    messages.said(records.init(session, start, weekly_hours))


@app.command()
def plan(
    ctx: typer.Context,
    as_json: JsonOption = False,
    codes: Annotated[
        bool, typer.Option("--codes", help="Only each module's code and title, one a line.")
    ] = False,
) -> None:
    """The programme by year and term, with each module's status.

    Example: mldsplan plan --codes
    """
    from mldsplan.commands import reports

    if codes:
        if as_json:
            messages.fail(
                "--codes is plain text", "'mldsplan plan --json' has each module's code and title"
            )
        from mldsplan.output import plan_view as render

        render.plan_codes(reports.plan_codes(_session(ctx)))
        return
    programme, result = reports.plan(_session(ctx))

    def human() -> None:
        from mldsplan.output import plan_view as render

        render.plan(programme, result)

    messages.show(result, as_json, human)


@app.command()
def complete(
    ctx: typer.Context,
    codes: Codes,
    mark: Annotated[
        float | None, typer.Option(help="Your mark, a percentage (at least the pass mark).")
    ] = None,
    on: OnOption = None,
    resit: Annotated[
        bool, typer.Option("--resit", help="Passed at a resit (mark counts capped).")
    ] = False,
) -> None:
    """Record modules as completed (passed); a fully assessed module gets its module mark.

    Example: mldsplan complete programming maths --on 2026-01-20
    """
    from mldsplan.commands import records

    messages.said(records.complete(_session(ctx), codes, mark, on, resit))


@app.command()
def uncomplete(ctx: typer.Context, codes: Codes) -> None:
    """Remove completion records.

    Example: mldsplan uncomplete maths
    """
    from mldsplan.commands import records

    messages.said(records.uncomplete(_session(ctx), codes))


@app.command(cls=click_classes.Numbers)
def mark(
    ctx: typer.Context,
    code: CodeArg,
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, a percentage.")],
    resit: Annotated[
        bool | None, typer.Option("--resit/--no-resit", help="Set or clear the resit flag.")
    ] = None,
) -> None:
    """Set or correct the mark of a completed module.

    Example: mldsplan mark programming 70
    """
    from mldsplan.commands import records

    click_classes.flags(ctx, mark="MARK")
    messages.said(records.mark(_session(ctx), code, value, resit))


@app.command()
def fail(
    ctx: typer.Context,
    code: CodeArg,
    mark: Annotated[
        float | None,
        typer.Option(help="The failing mark (default: the module mark)."),
    ] = None,
    on: OnOption = None,
) -> None:
    """Record a failed attempt at a module; pass it later with complete --resit.

    Example: mldsplan fail big-data --mark 44 --on 2026-06-20
    """
    from mldsplan.commands import records

    messages.said(records.fail(_session(ctx), code, mark, on))


@app.command()
def unfail(ctx: typer.Context, code: CodeArg) -> None:
    """Remove a module's latest failed attempt (one recorded by mistake).

    Example: mldsplan unfail big-data
    """
    from mldsplan.commands import records

    messages.said(records.unfail(_session(ctx), code))


@app.command()
def progress(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS done of the total with a bar, per-term table, modules done, hours left.

    Example: mldsplan progress --json
    """
    from mldsplan.commands import reports

    session = _session(ctx)
    programme, result = reports.progress(session)

    def human() -> None:
        from mldsplan.commands import schedule
        from mldsplan.output import progress_view as render

        render.progress(programme, result)
        if result.next_block is not None:
            print(visible(f"Next study block: {schedule.block_line(result.next_block)}"))

    messages.show(result, as_json, human)


@app.command()
def hours(
    ctx: typer.Context,
    weekly_hours: WeeklyHoursOption = None,
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remaining workload: hours, weeks and finish date at your pace, load per term.

    Example: mldsplan hours --weekly-hours 25
    """
    from mldsplan.commands import reports

    programme, result = reports.hours(_session(ctx), weekly_hours, on)

    def human() -> None:
        from mldsplan.output import progress_view as render

        render.hours(programme, result)

    messages.show(result, as_json, human)


@app.command(cls=click_classes.Numbers)
def log(
    ctx: typer.Context,
    amount: Annotated[
        float | None,
        typer.Argument(
            metavar="HOURS",
            parser=options.hours,
            help="Hours studied: 1.5, 1.5h, 90m, 1h30 or 1:30 (at most a day's).",
            show_default=False,
        ),
    ] = None,
    studied: Annotated[
        str | None,
        typer.Argument(
            metavar="[MODULE]",
            help="Module studied (or --module).",
            autocompletion=complete_codes,
            show_default=False,
        ),
    ] = None,
    module: ModuleOption = None,
    on: OnOption = None,
    note: NoteOption = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the log entries by date, numbered.")
    ] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the last entry logged.")] = False,
    remove: Annotated[
        int | None,
        typer.Option(
            metavar="N", help="Remove entry N (as --list numbers them).", show_default=False
        ),
    ] = None,
    edit: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="Change entry N (as --list numbers them): give --hours, --on, --module"
            " or --note ('none' clears the module).",
            show_default=False,
        ),
    ] = None,
    new_hours: Annotated[
        float | None,
        typer.Option(
            "--hours",
            parser=options.hours,
            metavar="HOURS",
            help="The hours (instead of HOURS, or the new hours with --edit).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    opening: Annotated[
        bool,
        typer.Option(
            "--opening",
            help="HOURS studied on --module before you began logging (no date, no 24 h limit).",
        ),
    ] = False,
) -> None:
    """Record study time, or list, change and remove entries.

    Example: mldsplan log 2.5 bayesian --note "lecture 4"
    """
    from mldsplan.commands import log_and_timer, reports

    click_classes.flags(ctx, opening="--opening")
    session = _session(ctx)
    if studied and module and not log_and_timer.same_module(session, studied, module):
        raise typer.BadParameter(
            f"'{studied}' and --module '{module}' name two modules; give one",
            ctx=ctx,
            param_hint="'MODULE'",
        )
    if amount is not None and new_hours is not None and amount != new_hours:
        raise typer.BadParameter(
            f"HOURS and --hours give two amounts ({amount:g} and {new_hours:g}); give one",
            ctx=ctx,
            param_hint="'--hours'",
        )
    module = module or studied
    if edit is not None and amount is not None and not (list_ or undo or remove):
        raise typer.BadParameter(
            "--edit takes the new hours as --hours",
            ctx=ctx,
            param_hint="'HOURS'",
        )
    if edit is None:
        amount = amount if amount is not None else new_hours
    log_and_timer.one_action(amount, list_, undo, remove, edit)
    log_and_timer.opening_alone(amount, opening)
    if list_:
        result = reports.log_list(session)

        def human() -> None:
            from mldsplan.output import progress_view as render

            render.log_entries(result)

        messages.show(result, as_json, human)
    elif edit is not None:
        click_classes.flags(ctx, hours="--hours")
        edited, words = log_and_timer.edit(session, edit, new_hours, on, module, note)
        messages.show(edited, as_json, lambda: messages.said(words))
    else:
        changed = (
            log_and_timer.remove(session, remove)
            if amount is None
            else log_and_timer.opening(session, amount, module, on, note)
            if opening
            else log_and_timer.log(session, amount, module, on, note)
        )
        messages.show(changed, as_json, lambda: messages.said(log_and_timer.said(changed)))


@app.command()
def week(
    ctx: typer.Context,
    on: OnOption = None,
    weekly_hours: WeeklyHoursOption = None,
    as_json: JsonOption = False,
) -> None:
    """The study week (Mon-Sun) of a date: hours logged, and what each module needs.

    Example: mldsplan week --on 2026-11-23
    """
    from mldsplan.commands import reports

    result = reports.week(_session(ctx), on, weekly_hours)

    def human() -> None:
        from mldsplan.output import progress_view as render

        render.week(result)

    messages.show(result, as_json, human)


@app.command()
def grades(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS-weighted average of your marks, its band, and exit awards reached.

    Example: mldsplan grades --json
    """
    from mldsplan.commands import reports

    programme, result = reports.grades(_session(ctx))

    def human() -> None:
        from mldsplan.output import marks_view as render

        render.grades(programme, result)

    messages.show(result, as_json, human)


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
    from mldsplan.commands import reports

    result = reports.target(_session(ctx), assume or [])

    def human() -> None:
        from mldsplan.output import marks_view as render

        render.targets(result)

    messages.show(result, as_json, human)


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
    from mldsplan.commands import records

    messages.said(records.defer(_session(ctx), codes, years, undo))


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Format | None, typer.Option("--format", "-f", help="Output format.", show_default=False)
    ] = None,
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
    table: Annotated[
        Table | None,
        typer.Option(help="csv: the table, one per file (default: modules).", show_default=False),
    ] = None,
    only: Annotated[
        Only | None,
        typer.Option(
            help="ics: only the deadlines (and the programme's end), or only the study blocks.",
            show_default=False,
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="csv: with a byte-order mark, to open in Excel with a double-click."
        ),
    ] = False,
    keep: Annotated[
        bool,
        typer.Option("--keep", help="Rewrite this --output after every change (on this computer)."),
    ] = False,
    list_kept: Annotated[
        bool, typer.Option("--list-kept", help="List the exports kept fresh on this computer.")
    ] = False,
    forget: Annotated[
        Path | None,
        typer.Option(
            "--forget",
            metavar="PATH",
            help="Stop keeping the export at PATH fresh.",
            show_default=False,
            readable=False,
        ),
    ] = None,
) -> None:
    """The study plan as markdown, csv, json, toml, ics or html.

    Example: mldsplan export --format ics --output plan.ics
    """
    from mldsplan.commands import files

    click_classes.flags(
        ctx,
        output="--output",
        days="--alarm-days",
        table="--table",
        only="--only",
        excel="--excel",
        keep="--keep",
        forget="--forget",
    )
    if list_kept or forget is not None:
        _kept_exports(ctx, fmt is not None or keep, list_kept, forget)
        return
    if fmt is None:
        from typer._click.exceptions import UsageError  # as click_classes shows it: exit 2

        choices = ", ".join(f.value for f in Format)
        raise UsageError(f"Missing option '--format' / '-f'. Choose from: {choices}.", ctx=ctx)
    if keep:
        files.keepable(output)  # before anything is written
    content, said = files.export(
        _session(ctx),
        fmt.value,
        output,
        force,
        alarm_days,
        with_notes,
        table=None if table is None else table.value,
        only=None if only is None else only.value,
        excel=excel,
    )
    if content is not None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    messages.said(said)
    if keep:
        messages.said(
            files.keep(
                _session(ctx),
                fmt.value,
                output,
                alarm_days,
                with_notes,
                table=None if table is None else table.value,
                only=None if only is None else only.value,
            )
        )


def _kept_exports(
    ctx: typer.Context, exporting: bool, list_kept: bool, forget: Path | None
) -> None:
    """`export --list-kept` and `export --forget PATH`: each alone."""
    from mldsplan.commands import files
    from mldsplan.output.visible import visible

    if exporting or (list_kept and forget is not None):
        raise InputError(
            "--list-kept and --forget PATH each go alone, without an export to write",
            hint="for example: mldsplan export --list-kept",
        )
    session = _session(ctx)
    if forget is not None:
        messages.said(files.forget(session, forget))
        return
    lines, said = files.list_kept(session)
    for line in lines:
        print(visible(line))
    messages.said(said)


@app.command(name="import")
def import_(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A json or toml export.", show_default=False, readable=False
        ),
    ],
) -> None:
    """Restore progress from a json or toml export (the old file is kept as .bak).

    Example: mldsplan import backup.json
    """
    from mldsplan.commands import files

    messages.said(files.import_(_session(ctx), path))


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the programme and progress files and report every problem found.

    Example: mldsplan check
    """
    from mldsplan.commands import check as checks
    from mldsplan.output import file_view as render

    session = _session(ctx)
    report = checks.check(session)
    render.report(report.lines)
    if report.problems:
        messages.say(f"Error: {report.problems} problem{'s' * (report.problems > 1)} found")
        raise typer.Exit(ExitCode.FAILURE)


@app.command()
def undo(
    ctx: typer.Context,
    to: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="REV",
            help="Go to this revision in one step ('mldsplan history' lists them).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Go back one version each time (the last 50 are kept); redo goes forward again.

    Example: mldsplan undo
    """
    from mldsplan.commands import versions

    session = _session(ctx)
    messages.said(versions.undo(session, to))
    session.refresh_kept()  # undo changes the record too: the kept exports follow


@app.command()
def redo(ctx: typer.Context) -> None:
    """Put back the version the last undo took back.

    Example: mldsplan redo
    """
    from mldsplan.commands import versions

    session = _session(ctx)
    messages.said(versions.redo(session))
    session.refresh_kept()


@app.command()
def history(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The versions kept for undo and redo: revision, when, and what each change did.

    Example: mldsplan history
    """
    from mldsplan.commands import versions

    result = versions.versions(_session(ctx))

    def human() -> None:
        from mldsplan.output import file_view as render

        render.history(result)

    messages.show(result, as_json, human)


@app.command()
def merge(
    ctx: typer.Context,
    other: Annotated[
        Path,
        typer.Argument(
            metavar="OTHER",
            help="Another copy of the progress file (a sync tool's conflict copy).",
            show_default=False,
            readable=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would come in; write nothing.")
    ] = False,
    prefer: PreferOption = None,
    delete_copy: Annotated[
        bool,
        typer.Option("--delete-copy", help="Delete OTHER once the merge has taken all it holds."),
    ] = False,
) -> None:
    """Merge another copy of the progress file into this one, losing no change of either.

    Example: mldsplan merge "progress (Ann's conflicted copy 2026-11-25).toml"
    """
    from mldsplan.commands import merge as merging

    click_classes.flags(ctx, other="OTHER")
    choice = None if prefer is None else prefer.value
    outcome = merging.merge_copy(_session(ctx), other, dry_run, choice, delete_copy)
    messages.merged(outcome, "nothing was written")


@app.command("merge-driver")
def merge_driver(
    ctx: typer.Context,
    base: Annotated[
        Path, typer.Argument(metavar="BASE", help="git's %O: the common ancestor.", readable=False)
    ],
    ours: Annotated[
        Path,
        typer.Argument(
            metavar="OURS", help="git's %A: ours, where the merge is written.", readable=False
        ),
    ],
    theirs: Annotated[
        Path, typer.Argument(metavar="THEIRS", help="git's %B: theirs.", readable=False)
    ],
    prefer: PreferOption = None,
) -> None:
    """git's merge driver for the progress file: a three-way merge written to OURS.

    Example: git config merge.mldsplan.driver "mldsplan merge-driver %O %A %B"
    """
    from mldsplan.commands import merge as merging

    click_classes.flags(ctx, base="BASE", ours="OURS", theirs="THEIRS")
    choice = None if prefer is None else prefer.value
    outcome = merging.merge_driver(_session(ctx), base, ours, theirs, choice)
    if outcome.conflicts:  # OURS holds the merge; git reports the file as conflicted
        messages.said(outcome.said)
    messages.merged(
        outcome,
        "OURS holds every other change of both sides and ours' value for each conflict,"
        " and git reports the file as conflicted",
    )


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
    from mldsplan.commands import reports

    result = reports.due(_session(ctx), days, on)

    def human() -> None:
        from mldsplan.output import marks_view as render

        render.due(result)

    messages.show(result, as_json, human)


@app.command()
def start(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]", help="Module studied (optional).", autocompletion=complete_codes
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="A short note for the log.")
    ] = None,
    at: AtOption = None,
) -> None:
    """Start the study timer, for a module or none.

    Example: mldsplan start bayesian --note "lecture 5"
    """
    from mldsplan.commands import log_and_timer

    messages.said(log_and_timer.start(_session(ctx), code, note, at))


@app.command()
def stop(
    ctx: typer.Context,
    at: AtOption = None,
) -> None:
    """Stop the timer and log its time (one entry per date, to the minute).

    Example: mldsplan stop
    """
    from mldsplan.commands import log_and_timer

    if at is None:
        click_classes.flags(ctx, at="stop")  # the time is now, not an --at the student gave
    messages.said(log_and_timer.stop(_session(ctx), at))


@app.command()
def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging anything.

    Example: mldsplan cancel
    """
    from mldsplan.commands import log_and_timer

    messages.said(log_and_timer.cancel(_session(ctx)))


@app.command()
def switch(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]", help="Module studied next (optional).", autocompletion=complete_codes
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="A short note for the next one.")
    ] = None,
    at: AtOption = None,
) -> None:
    """Stop the timer (logging its time) and start the next at the same instant.

    Example: mldsplan switch deep-learning --note "lab 3"
    """
    from mldsplan.commands import log_and_timer

    if at is None:
        click_classes.flags(ctx, at="switch")  # the time is now, not an --at the student gave
    messages.said(log_and_timer.switch(_session(ctx), code, note, at))


@app.command()
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """What the timer is running, since when and for how long.

    Example: mldsplan status --json
    """
    from mldsplan.commands import reports

    result = reports.status(_session(ctx))

    def human() -> None:
        from mldsplan.output import progress_view as render

        render.status(result)

    messages.show(result, as_json, human)


# --- the term calendar -----------------------------------------------------

calendar_app = typer.Typer(
    cls=click_classes.Group,
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
        if as_json:  # `calendar set`/`reset` print no JSON object: say so, don't drop it
            messages.fail(
                f"--json goes with 'calendar' alone, not 'calendar {ctx.invoked_subcommand}'",
                "'mldsplan calendar --json' shows the terms' dates after the change",
            )
        return
    from mldsplan.commands import reports

    result = reports.calendar_view(_session(ctx))

    def human() -> None:
        from mldsplan.output import plan_view as render

        render.calendar(result)

    messages.show(result, as_json, human)


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
    from mldsplan.commands import assess

    messages.said(assess.set_term(_session(ctx), term, start, end))


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
    from mldsplan.commands import assess

    messages.said(assess.reset_term(_session(ctx), term))


# --- assessments -----------------------------------------------------------

assess_app = typer.Typer(
    cls=click_classes.Group, help="A module's assessments: weights, due dates, marks."
)
app.add_typer(assess_app, name="assess")


@assess_app.command("add")
def assess_add(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Assessment name.")],
    weight: Annotated[float, typer.Option(help="Its share of the module mark, in %.")],
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
) -> None:
    """Add an assessment to a module.

    Example: mldsplan assess add supervised "Coursework 1" --weight 20 --due 2027-02-14
    """
    from mldsplan.commands import assess

    messages.said(assess.add(_session(ctx), code, name, weight, due))


@assess_app.command("mark", cls=click_classes.Numbers)
def assess_mark(
    ctx: typer.Context,
    code: CodeArg,
    name: NameArg,
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, a percentage.")],
) -> None:
    """Record the mark of an assessment.

    Example: mldsplan assess mark supervised "Coursework 1" 68
    """
    from mldsplan.commands import assess

    click_classes.flags(ctx, mark="MARK")
    messages.said(assess.mark(_session(ctx), code, name, value))


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
    from mldsplan.commands import assess

    messages.said(assess.edit(_session(ctx), code, name, new_name, weight, due))


@assess_app.command("remove")
def assess_remove(ctx: typer.Context, code: CodeArg, name: NameArg) -> None:
    """Remove an assessment.

    Example: mldsplan assess remove supervised "Coursework 1"
    """
    from mldsplan.commands import assess

    messages.said(assess.remove(_session(ctx), code, name))


@assess_app.command("list")
def assess_list(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]",
            help="One module (default: every module with assessments).",
            autocompletion=complete_codes,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Each module's assessments, its mark so far, and what is needed on the rest.

    Example: mldsplan assess list supervised
    """
    from mldsplan.commands import reports

    result = reports.assess_list(_session(ctx), code)

    def human() -> None:
        from mldsplan.output import marks_view as render

        render.assessments(result)

    messages.show(result, as_json, human)


# --- reminders -----------------------------------------------------------------


@app.command()
def remind(
    ctx: typer.Context,
    notify: Annotated[
        bool, typer.Option("--notify", help="Show them as desktop notifications.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what is due; send and record nothing.")
    ] = False,
    as_json: JsonOption = False,
    install: Annotated[
        bool, typer.Option("--install", help="Run 'remind --notify' every 15 minutes here.")
    ] = False,
    uninstall: Annotated[
        bool, typer.Option("--uninstall", help="Remove what --install put in place.")
    ] = False,
) -> None:
    """Send each reminder that is due, once: deadlines, the next block, a timer, a week behind.

    Example: mldsplan remind --install
    """
    from mldsplan.commands import remind as reminding

    session = _session(ctx)
    if install or uninstall:
        alone = "--install" if install else "--uninstall"
        given = [
            name
            for name, on in (
                ("--uninstall", install and uninstall),
                ("--notify", notify),
                ("--dry-run", dry_run),
                ("--json", as_json),
            )
            if on
        ]
        if given:
            messages.fail(
                f"{alone} goes alone, not with {given[0]}",
                "'mldsplan remind --install' installs; 'mldsplan remind --uninstall' removes",
                code=ExitCode.USAGE,
            )
        if install:
            said, line = reminding.install(
                session, _program(), os.environ, sys.platform, Path.home()
            )
        else:
            said, line = reminding.uninstall(session, os.environ)
        messages.said(said)
        if line is not None:
            print(line)
        return
    result = reminding.remind(
        session,
        notify=notify,
        dry_run=dry_run,
        as_json=as_json,
        environ=os.environ,
        platform=sys.platform,
    )
    if as_json:
        messages.show(result, True, lambda: None)
    elif dry_run:
        for notice in result.notices:
            print(notice.text)


def _program() -> list[str]:
    """The installed mldsplan, by absolute path: this very script when it is one (a
    pipx or venv install), else the one on PATH, else this Python with `-m mldsplan`."""
    import shutil

    script = Path(sys.argv[0])
    if script.name.startswith("mldsplan") and script.is_file():
        return [str(script.absolute())]
    found = shutil.which("mldsplan")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "mldsplan"]


# --- study windows, busy calendars and the week's blocks ---------------------

available_app = typer.Typer(
    cls=click_classes.Group, help="Your study windows (in your record, on every computer)."
)
app.add_typer(available_app, name="available")


@available_app.command("set")
def available_set(
    ctx: typer.Context,
    windows: Annotated[
        list[str] | None,
        typer.Argument(metavar="WINDOW...", help="DAYS HH:MM-HH:MM, e.g. 'mon-fri 19:00-22:00'."),
    ] = None,
    blocks: Annotated[
        str | None, typer.Option(help="Block length in minutes, MIN-MAX (default 45-120).")
    ] = None,
) -> None:
    """Set your study windows (replacing the ones set before), and the block length.

    Example: mldsplan available set "mon-fri 19:00-22:00" "sat 09:30-13:00" --blocks 45-120
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, windows="WINDOW", blocks="--blocks")
    messages.said(schedule.available_set(_session(ctx), windows or [], blocks))


@available_app.command("list")
def available_list(ctx: typer.Context) -> None:
    """Your study windows, their hours a week and the block length.

    Example: mldsplan available list
    """
    from mldsplan.commands import schedule

    for line in schedule.available_list(_session(ctx)):
        print(visible(line))


@available_app.command("clear")
def available_clear(ctx: typer.Context) -> None:
    """Remove your study windows and block length.

    Example: mldsplan available clear
    """
    from mldsplan.commands import schedule

    messages.said(schedule.available_clear(_session(ctx)))


busy_app = typer.Typer(cls=click_classes.Group, help="This computer's busy calendars (.ics files).")
app.add_typer(busy_app, name="busy")
BusyPath = Annotated[
    Path, typer.Argument(metavar="PATH", help="An .ics calendar file.", readable=False)
]


@busy_app.command("add")
def busy_add(ctx: typer.Context, path: BusyPath) -> None:
    """Read an .ics calendar's events as busy time (on this computer only).

    Example: mldsplan busy add ~/calendars/work.ics
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, path="PATH")
    messages.said(schedule.busy_add(_session(ctx), path))


@busy_app.command("list")
def busy_list(ctx: typer.Context) -> None:
    """The busy calendars this computer reads.

    Example: mldsplan busy list
    """
    from mldsplan.commands import schedule

    for line in schedule.busy_list(_session(ctx)):
        print(visible(line))


@busy_app.command("remove")
def busy_remove(ctx: typer.Context, path: BusyPath) -> None:
    """Stop reading a busy calendar (the file itself is untouched).

    Example: mldsplan busy remove ~/calendars/work.ics
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, path="PATH")
    messages.said(schedule.busy_remove(_session(ctx), path))


@app.command("schedule")
def schedule_(
    ctx: typer.Context,
    week: Annotated[
        str | None, typer.Option(help="A date in the week to plan (default: this week).")
    ] = None,
    busy: Annotated[
        list[Path] | None,
        typer.Option("--busy", help="Another .ics calendar, for this run.", readable=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The week's plan placed as study blocks in the free part of your windows.

    Example: mldsplan schedule --busy ~/calendars/work.ics
    """
    from mldsplan.commands import schedule

    click_classes.flags(ctx, week="--week", busy="--busy")
    result = schedule.schedule(_session(ctx), week, busy or [])

    def human() -> None:
        from mldsplan.output import schedule_view as shown

        shown.schedule(result)

    messages.show(result, as_json, human)
