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
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from mldsplan import __version__, paths
from mldsplan.domain.errors import ExitCode, InputError, MldsplanError
from mldsplan.output.visible import visible

if TYPE_CHECKING:
    from mldsplan.commands.session import Session


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
    "below_pass": "record a failed attempt with: mldsplan fail CODE --mark M",
    "no_attempts_left": "an attempt recorded by mistake: mldsplan unfail CODE removes the latest",
    "not_failed": "'mldsplan plan' shows what is recorded",
    "no_module_mark": "give it: mldsplan fail {code} --mark M",
    "mark_not_completed": "record it with: mldsplan complete {code} --mark {mark:g}",
    "already_marked": "correct it with: mldsplan mark {code} MARK",
    "day_full": "'mldsplan log --list' shows the entries",
    "no_assessment": "'mldsplan assess list {code}' lists them",
    "timer_running": (
        "move on to the next with 'mldsplan switch [CODE]', stop it with 'mldsplan stop'"
        " or drop it with 'mldsplan cancel'"
    ),
    "no_timer": "start one with: mldsplan start [CODE]",
    "timer_forgotten": (
        "stop it when you ended, from {started} to {latest}:"
        " mldsplan stop --at YYYY-MM-DDTHH:MM, or drop it: mldsplan cancel"
    ),
    "no_start": "set it with: mldsplan init --start YYYY-MM",
    "unknown_code": "'mldsplan plan' lists the codes",
    "broken_file": "the version before the last change is {path}.bak; 'mldsplan undo' puts it back",
    "record_rules": "fix the file by hand, or run 'mldsplan check'",
    "not_a_file": "use --file with a file path",
    "saved_but": "do not repeat the command; 'mldsplan check' shows the file",
    "not_an_export": "make one with: mldsplan export --format json --output FILE",
    "other_programme": "pass the matching programme with --programme PATH",
}


def _hint(exc: MldsplanError) -> str | None:
    """The error's hint: one that names our commands when the error gives its reason."""
    if exc.reason in _HINTS:
        return _HINTS[exc.reason].format(**exc.details)
    return exc.hint


def _fail(message: str, hint: str | None = None, code: int = ExitCode.FAILURE) -> NoReturn:
    _emit(f"Error: {visible(message)}")
    if hint:
        _emit(f"hint: {visible(hint)}")
    raise typer.Exit(code)


# A message's kind, under whose text its continuation lines go; any other message's are
# indented by two.
_KINDS = ("Error:", "hint:", "warning:", "note:")
_NBSP = "\N{NO-BREAK SPACE}"


def _emit(message: str) -> None:
    """A message on stderr. In a terminal it wraps at spaces to the terminal's width, never
    inside a word, date, code, path or 'quoted' text, continuation lines indented; piped,
    it stays one line. `MLDSPLAN_FORCE_TERMINAL=1` wraps it as in a terminal of COLUMNS."""
    if os.environ.get("MLDSPLAN_FORCE_TERMINAL") == "1" or sys.stderr.isatty():
        message = _wrapped(message, _stderr_width())
    print(message, file=sys.stderr)


def _stderr_width() -> int:
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return 80


def _wrapped(message: str, width: int) -> str:
    import re
    import textwrap

    kind = message.split(" ", 1)[0]
    indent = " " * (len(kind) + 1 if kind in _KINDS else 2)
    # a quoted value (an assessment's name, a path, a command to type) is never split
    held = re.sub(r"'[^']*'", lambda found: found[0].replace(" ", _NBSP), message)
    lines = textwrap.wrap(
        held,
        max(width, len(indent) + 1),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines).replace(_NBSP, " ") if lines else message


def _help_width() -> int:
    """The width `--help` is drawn at, as Typer's Rich console finds it."""
    import shutil

    given = os.environ.get("TERMINAL_WIDTH", "")
    return int(given) if given.isdigit() else shutil.get_terminal_size().columns


def _whole_examples(help_text: str, width: int) -> str:
    """A docstring's `Example: mldsplan ...` line, as a shell command in lines ending with
    `\\` when it is too wide for `--help`: never broken in the middle of the command line.
    An option stays with its value; the help's own margin takes a column each side."""
    import re

    room = width - 2
    lines = []
    for line in help_text.splitlines():
        margin, _, text = line.rpartition("Example: mldsplan ")
        if not _ or margin.strip() or len(line.strip()) <= room:
            lines.append(line)
            continue
        words = re.findall(r"""(?:"[^"]*"|'[^']*'|\S)+""", "mldsplan " + text)
        units: list[str] = []
        for word in words:
            if units and units[-1].startswith("-") and " " not in units[-1] and word[0] != "-":
                units[-1] += " " + word  # `--weight 20`
            else:
                units.append(word)
        command = [f"{margin}  {units[0]}"]
        for unit in units[1:]:
            if len(command[-1]) - len(margin) + 1 + len(unit) + 2 > room:
                command[-1] += " \\"
                command.append(f"{margin}    {unit}")
            else:
                command[-1] += " " + unit
        lines += [f"{margin}Example:", *command]
    return "\n".join(lines)


# The status of a program ended by SIGPIPE (128 + 13), as `seq 9999999 | head -1` reports.
_CLOSED_PIPE = 141


def _closed_pipe() -> NoReturn:
    """stdout's reader went away (`mldsplan plan | head -1`): end quietly, as a command
    ended by SIGPIPE does, with stdout on devnull so that the exit's flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file (a test's runner): nothing to flush
        pass
    raise typer.Exit(_CLOSED_PIPE)


def _fail_input(ctx: Any, exc: InputError) -> NoReturn:
    flags = {**_FLAGS, **(ctx.meta.get("flags") or {})}
    message = exc.message
    if exc.argument:
        message = f"{flags.get(exc.argument, exc.argument)}: {message}"
    _fail(message, _hint(exc))


# The root's options, which go before the command (`mldsplan --file X progress`).
_GLOBAL_OPTIONS = ("--file", "--programme", "--version")


def _before_the_command(ctx: Any, option: str) -> NoReturn:
    """A global option typed after the command: say where it goes, with the line fixed."""
    import shlex

    typed = ctx.meta.get("argv") or []
    at = ctx.meta.get("command_at", 0)
    moved: list[str] = []
    rest = list(typed[at:])
    for i, arg in enumerate(rest):
        if arg == option:
            moved = rest[i : i + (1 if option == "--version" else 2)]
            del rest[i : i + len(moved)]
            break
        if arg.startswith(option + "="):
            moved = [rest.pop(i)]
            break
    line = shlex.join(["mldsplan", *typed[:at], *moved, *([] if option == "--version" else rest)])
    _fail(f"{option} goes before the command: {line}", code=ExitCode.USAGE)


def _negative_number(arg: str) -> bool:
    """`-1`, `-2.5`, `-.5`: a value, never an option's name (as argparse reads it)."""
    if len(arg) < 2 or arg[0] != "-" or not (arg[1].isdigit() or arg[1] == "."):
        return False
    try:
        float(arg)
    except ValueError:
        return False
    return True


class _Numbers(TyperCommand):
    """A command with a number argument, which may be negative: `log -1` reaches our own
    check ("HOURS: -1 must be more than 0 ..."), not Click's "No such option: -1".

    Click's way is the context setting `ignore_unknown_options`, which also lets a
    mistyped option through as an argument; it is set here only when every token that
    looks like an option and is not one of this command's is a negative number. When
    another is there too, it is the one reported (`log -1 --modul x`: "No such option:
    --modul", with its suggestion).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        numbers, unknown = self._scan(ctx, args)
        if numbers and not unknown:
            ctx.ignore_unknown_options = True
        elif numbers:  # the parser stops at the first: let it meet the mistyped option
            super().parse_args(ctx, [a for i, a in enumerate(args) if i not in numbers])
        return super().parse_args(ctx, args)

    def _scan(self, ctx: Any, args: list[str]) -> tuple[set[int], bool]:
        """Where the negative numbers are that are not an option's value, and whether
        an option this command does not know is there too."""
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if param.param_type_name == "option":
                flag = bool(getattr(param, "is_flag", False) or getattr(param, "count", False))
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not flag
        numbers: set[int] = set()
        value_next = False
        for i, arg in enumerate(args):
            if value_next:
                value_next = False
            elif arg == "--":
                break
            elif _negative_number(arg):
                numbers.add(i)
            elif arg.startswith("-") and len(arg) > 1:
                name = arg.split("=", 1)[0]
                if name not in takes_value:
                    return numbers, True
                value_next = takes_value[name] and "=" not in arg
        return numbers, False


class _Group(TyperGroup):
    """Domain errors become one `Error:` line and exit 1 (a traceback with MLDSPLAN_DEBUG=1)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        typed = list(args)  # the parser consumes `args`
        rest = super().parse_args(ctx, args)
        if ctx.parent is None:  # the whole line, and where the command starts in it
            ctx.meta["argv"] = typed
            ctx.meta["command_at"] = max(len(typed) - len(rest) - 1, 0)
        return rest

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command; for its `--help`, with its example laid out whole for the width."""
        command = super().get_command(ctx, cmd_name)
        asked = ctx.meta.get("argv") or ()
        if command is not None and ("--help" in asked or "-h" in asked):
            plain = command.__dict__.setdefault("_plain_help", command.help)
            if plain:
                command.help = _whole_examples(plain, _help_width())
        return command

    def invoke(self, ctx: Any) -> Any:
        if os.environ.get("MLDSPLAN_DEBUG") == "1":
            result = super().invoke(ctx)
            self._notes(ctx)
            return result
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe is found here, not at the exit
            self._notes(ctx)
            return result
        except BrokenPipeError:
            _closed_pipe()
        except InputError as exc:
            _fail_input(ctx, exc)
        except MldsplanError as exc:
            _fail(exc.message, _hint(exc))
        except KeyboardInterrupt:
            _fail("interrupted; nothing was changed", code=ExitCode.INTERRUPTED)
        except OSError as exc:
            _fail(f"{exc.filename or 'mldsplan'}: {exc.strerror or exc}")
        except typer.TyperException as exc:
            if getattr(exc, "option_name", None) in _GLOBAL_OPTIONS:
                _before_the_command(ctx, exc.option_name)  # type: ignore[attr-defined]  # a NoSuchOption
            raise  # other usage errors: Typer reports them itself
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug of ours: still one line, and how to see more
            _fail(
                f"internal error: {type(exc).__name__}: {exc}",
                hint="run again with MLDSPLAN_DEBUG=1 for the traceback, and report it",
            )

    @staticmethod
    def _notes(ctx: Any) -> None:
        """After a command that worked, the session's notes (no progress file yet), last."""
        if ctx.parent is None and ctx.obj is not None:
            _said(ctx.obj.notes())


app = typer.Typer(
    cls=_Group,
    name="mldsplan",
    help="Study planner and credit tracker for Imperial's online MSc in ML and Data Science.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},  # every command inherits it
)


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
    from mldsplan import clock
    from mldsplan.commands.session import Session

    for option, given in (("--file", file), ("--programme", programme)):
        if given is not None and not given.name:
            _fail(f"{option}: '{given}' names no file", "give the path of a file")
    # Everything the run depends on outside its arguments, resolved once, here.
    ctx.obj = Session(
        progress=file or paths.default_progress(),
        programme=programme,
        clock=clock.now,
        cache_folder=lambda: paths.cache_folder(dict(os.environ)),
        lock_timeout=_lock_timeout,
        warn=_warn,
        zone=clock.local_zone,
        named_by=_named_by(ctx, "file", "--file", paths.FILE_ENV),
    )
    if ctx.invoked_subcommand is None:
        progress(ctx)


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

    interrupts.install()
    try:
        app(prog_name="mldsplan")
    finally:
        interrupts.ignore()


# --- helpers ---------------------------------------------------------------


def _session(ctx: typer.Context) -> "Session":
    session = ctx.find_root().obj
    assert session is not None and hasattr(session, "progress_file")
    return session  # type: ignore[no-any-return]  # a Session, set by `main`


def _flags(ctx: typer.Context, **names: str) -> None:
    """This command's own names for the domain's values (for error messages)."""
    ctx.meta["flags"] = names


def _show(result: Any, as_json: bool, human: Callable[[], None]) -> None:
    """A command's result: one JSON object on stdout, or `human` renders it."""
    if as_json:
        from mldsplan.output.jsonout import print_json

        print_json(result)
    else:
        human()


def _say(message: str) -> None:
    """A confirmation on stderr; paths and arguments in it cannot send control characters."""
    _emit(visible(message))


def _said(messages: list[str]) -> None:
    for message in messages:
        _say(message)


def _warn(message: str) -> None:
    _say(f"warning: {message}")


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object to stdout.")]
AtOption = Annotated[
    str | None,
    typer.Option(help="Earlier: HH:MM (its latest time, maybe yesterday) or YYYY-MM-DDTHH:MM."),
]
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


# --- commands, in the order --help lists them ----------------------------


@app.command()
def init(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option(help="Cohort start month, YYYY-MM.")] = None,
    weekly_hours: Annotated[float | None, typer.Option(help="Your study hours a week.")] = None,
) -> None:
    """Create the progress file, or update just these settings in it.

    In a terminal, with no options, it asks for them and for the modules already done.

    Example: mldsplan init --start 2025-10 --weekly-hours 18
    """
    from mldsplan.commands import records

    session = _session(ctx)
    if start is None and weekly_hours is None and _interactive():
        start, weekly_hours, done = _ask_init(session)
        _said(records.init(session, start, weekly_hours, done))
        if done:
            _say(
                "set a module's real date and mark with: mldsplan complete CODE --on DATE --mark M"
            )
        _show_plan(session)
        return
    _said(records.init(session, start, weekly_hours))


def _interactive() -> bool:
    """Whether a person answers: stdin and stdout both terminals (never in a script)."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stdin, or a closed one
        return False


def _ask_init(session: "Session") -> tuple[str, float | None, list[str]]:
    """`init`'s questions; a wrong answer says why and asks again."""
    from mldsplan.commands import records, reports

    def asking(read: Callable[[str], Any]) -> Callable[[str], Any]:
        def proc(text: str) -> Any:
            try:
                return read(text)
            except InputError as exc:
                said = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
                raise typer.BadParameter(said) from None

        return proc

    suggested, weekly = records.init_defaults(session)
    print("Setting up your study record (Ctrl-C stops; nothing is written until the end).")
    start = typer.prompt(
        "Start month (YYYY-MM)",
        default=suggested,
        value_proc=asking(lambda text: records.answer_start(session, text)),
    )
    hours = typer.prompt(
        "Study hours a week",
        default=f"{weekly:g}",
        value_proc=asking(records.answer_weekly_hours),
    )
    weekly_hours = None if hours == weekly else hours
    print("The modules:")
    from mldsplan.output import render

    render.plan_codes(reports.plan_codes(session))
    done = typer.prompt(
        "Modules already done (codes or titles, comma-separated; empty for none)",
        default="",
        show_default=False,
        value_proc=asking(lambda text: records.answer_done(session, text, start, weekly_hours)),
    )
    return start, weekly_hours, done


def _show_plan(session: "Session") -> None:
    from mldsplan.commands import reports
    from mldsplan.output import render

    render.plan(*reports.plan(session))


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
            _fail(
                "--codes is plain text", "'mldsplan plan --json' has each module's code and title"
            )
        from mldsplan.output import render

        render.plan_codes(reports.plan_codes(_session(ctx)))
        return
    programme, result = reports.plan(_session(ctx))

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
    from mldsplan.commands import records

    _said(records.complete(_session(ctx), codes, mark, on, resit))


@app.command()
def uncomplete(ctx: typer.Context, codes: Codes) -> None:
    """Remove completion records.

    Example: mldsplan uncomplete maths
    """
    from mldsplan.commands import records

    _said(records.uncomplete(_session(ctx), codes))


@app.command(cls=_Numbers)
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
    from mldsplan.commands import records

    _flags(ctx, mark="MARK")
    _said(records.mark(_session(ctx), code, value, resit))


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

    _said(records.fail(_session(ctx), code, mark, on))


@app.command()
def unfail(ctx: typer.Context, code: CodeArg) -> None:
    """Remove a module's latest failed attempt (one recorded by mistake).

    Example: mldsplan unfail big-data
    """
    from mldsplan.commands import records

    _said(records.unfail(_session(ctx), code))


@app.command()
def progress(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS done of the total with a bar, per-term table, modules done, hours left.

    Example: mldsplan progress --json
    """
    from mldsplan.commands import reports

    programme, result = reports.progress(_session(ctx))

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
    from mldsplan.commands import reports

    programme, result = reports.hours(_session(ctx), weekly_hours, on)

    def human() -> None:
        from mldsplan.output import render

        render.hours(programme, result)

    _show(result, as_json, human)


@app.command(cls=_Numbers)
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
    from mldsplan.commands import reports, studylog

    studylog.one_action(amount, list_, undo, remove)
    session = _session(ctx)
    if list_:
        result = reports.log_list(session)

        def human() -> None:
            from mldsplan.output import render

            render.log_entries(result)

        _show(result, as_json, human)
    else:
        changed = (
            studylog.remove(session, remove)
            if amount is None
            else studylog.log(session, amount, module, on, note)
        )
        _show(changed, as_json, lambda: _said(studylog.said(changed)))


@app.command()
def week(
    ctx: typer.Context,
    on: OnOption = None,
    weekly_hours: Annotated[
        float | None, typer.Option(help="What-if at another pace (default: your weekly hours).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The study week (Mon-Sun) of a date: hours logged, and what each module needs.

    Example: mldsplan week --on 2026-11-23
    """
    from mldsplan.commands import reports

    result = reports.week(_session(ctx), on, weekly_hours)

    def human() -> None:
        from mldsplan.output import render

        render.week(result)

    _show(result, as_json, human)


@app.command()
def grades(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """ECTS-weighted average of your marks, its band, and exit awards reached.

    Example: mldsplan grades --json
    """
    from mldsplan.commands import reports

    programme, result = reports.grades(_session(ctx))

    def human() -> None:
        from mldsplan.output import render

        render.grades(programme, result)

    _show(result, as_json, human)


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
    from mldsplan.commands import records

    _said(records.defer(_session(ctx), codes, years, undo))


class Format(StrEnum):
    markdown = "markdown"
    csv = "csv"
    json = "json"
    toml = "toml"
    ics = "ics"
    html = "html"


class Table(StrEnum):
    modules = "modules"
    assessments = "assessments"
    log = "log"


class Only(StrEnum):
    deadlines = "deadlines"


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
    table: Annotated[
        Table | None,
        typer.Option(help="csv: the table, one per file (default: modules).", show_default=False),
    ] = None,
    only: Annotated[
        Only | None,
        typer.Option(help="ics: only the deadlines and the programme's end.", show_default=False),
    ] = None,
) -> None:
    """The study plan as markdown, csv, json, toml, ics or html.

    Example: mldsplan export --format ics --output plan.ics
    """
    from mldsplan.commands import files

    _flags(ctx, output="--output", days="--alarm-days", table="--table", only="--only")
    content, said = files.export(
        _session(ctx),
        fmt.value,
        output,
        force,
        alarm_days,
        with_notes,
        table=None if table is None else table.value,
        only=None if only is None else only.value,
    )
    if content is not None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    _said(said)


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
    from mldsplan.commands import files

    _said(files.import_(_session(ctx), path))


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the programme and progress files and report every problem found.

    Example: mldsplan check
    """
    from mldsplan.commands import check as checks
    from mldsplan.output import render

    session = _session(ctx)
    report = checks.check(
        session.programme_file,
        session.progress_file,
        session.now,
        copies=session.copy_warnings(),
    )
    render.report(report.lines)
    if report.problems:
        _say(f"Error: {report.problems} problem{'s' * (report.problems > 1)} found")
        raise typer.Exit(ExitCode.FAILURE)


@app.command()
def undo(ctx: typer.Context) -> None:
    """Put back the version before the last change; a second undo redoes it.

    Example: mldsplan undo
    """
    from mldsplan.commands import files

    _said(files.undo(_session(ctx)))


class Prefer(StrEnum):
    mine = "mine"
    theirs = "theirs"


PreferOption = Annotated[
    Prefer | None,
    typer.Option(help="On a conflict, keep this side's value.", show_default=False),
]


def _merged(outcome: Any, nothing: str) -> None:
    """A merge's confirmation; or its conflicts, one a line on stdout, and exit 1."""
    if outcome.conflicts:
        for line in outcome.conflicts:
            print(visible(f"conflict: {line}"))
        n = len(outcome.conflicts)
        _fail(
            f"{n} conflict{'s' * (n > 1)} (listed above); {nothing}",
            "keep one side's values with --prefer mine or --prefer theirs",
        )
    _said(outcome.said)


@app.command()
def merge(
    ctx: typer.Context,
    other: Annotated[
        Path,
        typer.Argument(
            help="Another copy of the progress file (a sync tool's conflict copy).",
            show_default=False,
            readable=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would come in; write nothing.")
    ] = False,
    prefer: PreferOption = None,
) -> None:
    """Merge another copy of the progress file into this one, losing no study-log entry.

    Example: mldsplan merge "progress (Ann's conflicted copy 2026-11-25).toml"
    """
    from mldsplan.commands import merge as merging

    _flags(ctx, other="OTHER")
    choice = None if prefer is None else prefer.value
    _merged(merging.merge_copy(_session(ctx), other, dry_run, choice), "nothing was written")


@app.command("merge-driver")
def merge_driver(
    ctx: typer.Context,
    base: Annotated[Path, typer.Argument(help="git's %O: the common ancestor.", readable=False)],
    ours: Annotated[
        Path, typer.Argument(help="git's %A: ours, where the merge is written.", readable=False)
    ],
    theirs: Annotated[Path, typer.Argument(help="git's %B: theirs.", readable=False)],
    prefer: PreferOption = None,
) -> None:
    """git's merge driver for the progress file: a three-way merge written to OURS.

    Example: git config merge.mldsplan.driver "mldsplan merge-driver %O %A %B"
    """
    from mldsplan.commands import merge as merging

    choice = None if prefer is None else prefer.value
    outcome = merging.merge_driver(_session(ctx), base, ours, theirs, choice)
    _merged(outcome, "the file is left as ours, and git reports the conflict")


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
        from mldsplan.output import render

        render.due(result)

    _show(result, as_json, human)


@app.command()
def start(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(help="Module studied (optional).", autocompletion=_complete_codes),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A short note for the log.")] = None,
    at: AtOption = None,
) -> None:
    """Start the study timer, for a module or none.

    Example: mldsplan start bayesian --note "lecture 5"
    """
    from mldsplan.commands import studylog

    _said(studylog.start(_session(ctx), code, note, at))


@app.command()
def stop(
    ctx: typer.Context,
    at: AtOption = None,
) -> None:
    """Stop the timer and log its time (one entry per date, to the minute).

    Example: mldsplan stop
    """
    from mldsplan.commands import studylog

    if at is None:
        _flags(ctx, at="stop")  # the time is now, not an --at the student gave
    _said(studylog.stop(_session(ctx), at))


@app.command()
def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging anything.

    Example: mldsplan cancel
    """
    from mldsplan.commands import studylog

    _said(studylog.cancel(_session(ctx)))


@app.command()
def switch(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(help="Module studied next (optional).", autocompletion=_complete_codes),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A short note for the next one.")] = None,
    at: AtOption = None,
) -> None:
    """Stop the timer (logging its time) and start the next at the same instant.

    Example: mldsplan switch deep-learning --note "lab 3"
    """
    from mldsplan.commands import studylog

    if at is None:
        _flags(ctx, at="switch")  # the time is now, not an --at the student gave
    _said(studylog.switch(_session(ctx), code, note, at))


@app.command()
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """What the timer is running, since when and for how long.

    Example: mldsplan status --json
    """
    from mldsplan.commands import reports

    result = reports.status(_session(ctx))

    def human() -> None:
        from mldsplan.output import render

        render.status(result)

    _show(result, as_json, human)


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
        if as_json:  # `calendar set`/`reset` print no JSON object: say so, don't drop it
            _fail(
                f"--json goes with 'calendar' alone, not 'calendar {ctx.invoked_subcommand}'",
                "'mldsplan calendar --json' shows the terms' dates after the change",
            )
        return
    from mldsplan.commands import reports

    result = reports.calendar_view(_session(ctx))

    def human() -> None:
        from mldsplan.output import render

        render.calendar(result)

    _show(result, as_json, human)


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

    _said(assess.set_term(_session(ctx), term, start, end))


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

    _said(assess.reset_term(_session(ctx), term))


# --- assessments -----------------------------------------------------------

assess_app = typer.Typer(cls=_Group, help="A module's assessments: weights, due dates, marks.")
app.add_typer(assess_app, name="assess")

NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="Assessment name.", autocompletion=_complete_names)
]


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
    from mldsplan.commands import assess

    _said(assess.add(_session(ctx), code, name, weight, due))


@assess_app.command("mark", cls=_Numbers)
def assess_mark(
    ctx: typer.Context,
    code: CodeArg,
    name: NameArg,
    value: Annotated[float, typer.Argument(metavar="MARK", help="The mark, 0-100.")],
) -> None:
    """Record the mark of an assessment.

    Example: mldsplan assess mark supervised "Coursework 1" 68
    """
    from mldsplan.commands import assess

    _flags(ctx, mark="MARK")
    _said(assess.mark(_session(ctx), code, name, value))


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

    _said(assess.edit(_session(ctx), code, name, new_name, weight, due))


@assess_app.command("remove")
def assess_remove(ctx: typer.Context, code: CodeArg, name: NameArg) -> None:
    """Remove an assessment.

    Example: mldsplan assess remove supervised "Coursework 1"
    """
    from mldsplan.commands import assess

    _said(assess.remove(_session(ctx), code, name))


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
    from mldsplan.commands import reports

    result = reports.assess_list(_session(ctx), code)

    def human() -> None:
        from mldsplan.output import render

        render.assessments(result)

    _show(result, as_json, human)
