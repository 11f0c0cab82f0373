"""Our Click command classes and what they say: the error boundary (one `Error:` line, the
exit codes, the hints that name our commands, a global option typed after the command),
negative numbers as arguments, and a command's example kept whole in its `--help`."""

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from mldsplan.cli import messages

if TYPE_CHECKING:  # the domain's errors are imported where one is handled: never in a TAB press
    from mldsplan.domain.errors import InputError, MldsplanError

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
    "edit": "--edit",
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
    "over_a_day": (
        "hours studied before you began logging have no day:"
        " mldsplan log {hours:g} --module CODE --opening"
    ),
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
    "broken_file": (
        "'mldsplan undo' puts back the last version mldsplan wrote and keeps this file"
        " ('mldsplan history' lists the versions kept)"
    ),
    "record_rules": "fix the file by hand, or run 'mldsplan check'",
    "not_a_file": "use --file with a file path",
    "saved_but": "do not repeat the command; 'mldsplan check' shows the file",
    "not_an_export": "make one with: mldsplan export --format json --output FILE",
    "other_programme": "pass the matching programme with --programme PATH",
}


def _hint(exc: "MldsplanError") -> str | None:
    """The error's hint: one that names our commands when the error gives its reason."""
    if exc.reason in _HINTS:
        return _HINTS[exc.reason].format(**exc.details)
    return exc.hint


def flags(ctx: typer.Context, **names: str) -> None:
    """This command's own names for the domain's values (for error messages)."""
    ctx.meta["flags"] = names


def _fail_input(ctx: Any, exc: "InputError") -> NoReturn:
    from mldsplan.domain.errors import RuleBroken

    names = {**_FLAGS, **(ctx.meta.get("flags") or {})}
    message, argument, hint = exc.message, exc.argument, _hint(exc)
    if isinstance(exc, RuleBroken) and argument and not _typed(ctx, names.get(argument, "")):
        # A rule the change broke, about a value this command does not take (`defer eda`
        # moving a completion out of its term): blame one of its own values, if a problem
        # is about one, else name the place in the record.
        problems = exc.details.get("problems") or []
        typed = [p for p in problems if _typed(ctx, names.get(p.argument or "", ""))]
        if typed:
            message, argument = typed[0].message, typed[0].argument
            hint = _hint(RuleBroken(message, typed[0].hint, reason=typed[0].reason))
        else:
            message, argument = exc.details.get("problem", message), None
    if argument:
        message = f"{names.get(argument, argument)}: {message}"
    messages.fail(message, hint)


def _usage_error(ctx: Any, exc: Exception) -> None:
    """A usage error (a bad value, a missing argument, an unknown option) as one `Error:`
    line and a hint to the help of the command typed, exit 2: the same shape as every
    other error. Click gives some (an option's missing value) no command: it is the one
    typed on the line."""
    from typer._click.exceptions import UsageError

    from mldsplan.domain.errors import ExitCode

    if not isinstance(exc, UsageError):
        return
    at = exc.ctx if exc.ctx is not None and exc.ctx.parent is not None else None
    where = at.command_path if at is not None else _command_path(ctx)
    hint = getattr(exc, "hint", None) or f"'{where} -h' shows what it takes"
    messages.fail(exc.format_message(), hint=hint, code=ExitCode.USAGE)


def _command_path(ctx: Any) -> str:
    """`mldsplan due`: the root's name and the command words typed on the line."""
    root = ctx.find_root()
    command, words = root.command, [root.info_name or "mldsplan"]
    for word in (ctx.meta.get("argv") or [])[ctx.meta.get("command_at", 0) :]:
        inner = getattr(command, "commands", {}).get(word)
        if inner is None:
            break
        words.append(word)
        command = inner
    return " ".join(words)


def _root_usage_error(ctx: Any, exc: Exception, typed: list[str]) -> NoReturn:
    """A usage error among the options before the command (`mldsplan --on 2026-12-01 log
    2`): one `Error:` line, no Typer box; a command's own option typed before it is said
    where it goes, with the line fixed; Click's far-fetched suggestions are dropped."""
    import shlex

    from typer._click.exceptions import NoSuchOption

    from mldsplan.domain.errors import ExitCode

    if isinstance(exc, NoSuchOption):
        option = exc.option_name
        names = ctx.command.commands
        at = next((i for i, word in enumerate(typed) if word in names), None)
        command = names[typed[at]] if at is not None else None
        wanted = next(
            (
                p
                for p in getattr(command, "params", [])
                if option.split("=", 1)[0] in (*p.opts, *p.secondary_opts)
            ),
            None,
        )
        start = next((i for i, w in enumerate(typed) if w.split("=", 1)[0] == option), None)
        if at is not None and wanted is not None and start is not None and start < at:
            flag = "=" in typed[start] or getattr(wanted, "is_flag", False)
            moved = typed[start : start + (1 if flag else 2)]
            rest = [w for i, w in enumerate(typed) if not start <= i < start + len(moved)]
            line = shlex.join(["mldsplan", *rest, *moved])
            messages.fail(f"{option} goes after the command: {line}", code=ExitCode.USAGE)
        messages.fail(
            f"No such option: {option}",
            hint="'mldsplan -h' shows the options before the command",
            code=ExitCode.USAGE,
        )
    messages.fail(
        exc.format_message(),  # type: ignore[attr-defined]  # a UsageError
        hint="'mldsplan -h' shows what it takes",
        code=ExitCode.USAGE,
    )


def _typed(ctx: Any, flag: str) -> bool:
    """Whether `flag` is one of the running command's own options (typed or by default);
    an argument in capitals is always the command's."""
    if not flag:
        return False
    if not flag.startswith("-"):
        return True
    command = ctx.find_root().command  # an inner group's context starts lower down
    for word in (ctx.meta.get("argv") or [])[ctx.meta.get("command_at", 0) :]:
        inner = getattr(command, "commands", {}).get(word)
        if inner is None:
            break
        command = inner
    return any(flag in (*p.opts, *p.secondary_opts) for p in command.params)


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


# The root's options, which go before the command (`mldsplan --file X progress`).
GLOBAL_OPTIONS = ("--file", "--programme", "--version")


def _before_the_command(ctx: Any, option: str) -> NoReturn:
    """A global option typed after the command: say where it goes, with the line fixed."""
    import shlex

    from mldsplan.domain.errors import ExitCode

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
    messages.fail(f"{option} goes before the command: {line}", code=ExitCode.USAGE)


def _negative_number(arg: str) -> bool:
    """`-1`, `-2.5`, `-.5`, `-90m`: a value, never an option's name (as argparse reads it)."""
    if len(arg) < 2 or arg[0] != "-" or not (arg[1].isdigit() or arg[1] == "."):
        return False
    from mldsplan.domain.durations import DurationError, parse_hours

    try:
        parse_hours(arg)  # a plain number too
    except DurationError:
        return False
    return True


class Numbers(TyperCommand):
    """A command with a number argument, which may be negative: `log -1` reaches our own
    check ("HOURS: -1 must be more than 0 ..."), not Click's "No such option: -1".

    Each token that reads as a negative number (or duration: `-90m`) and is not an option's
    value is handed to Click with a space before it, so Click reads it as a value and never
    as options (`-90m` is not `-9 -0 -m`, nor `-1h` a `-h`); reading the number drops the
    space. Any other token that looks like an option stays one: a mistyped option is still
    reported (`log -1 --modul x`: "No such option: --modul", with its suggestion).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        numbers, _ = self._scan(ctx, args)
        return super().parse_args(ctx, [f" {a}" if i in numbers else a for i, a in enumerate(args)])

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


class Group(TyperGroup):
    """Domain errors become one `Error:` line and exit 1 (a traceback with MLDSPLAN_DEBUG=1)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from typer._click.exceptions import UsageError

        typed = list(args)  # the parser consumes `args`
        try:
            rest = super().parse_args(ctx, args)
        except UsageError as exc:
            if ctx.parent is None and os.environ.get("MLDSPLAN_DEBUG") != "1":
                _root_usage_error(ctx, exc, typed)
            raise
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
        """The command, with its errors said in one line each. The domain's errors are
        imported where one is caught: a TAB press imports no domain, and no import runs
        outside this `try` (a Ctrl-C there would end the run without its line)."""
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
            messages.closed_pipe()
        except KeyboardInterrupt:
            from mldsplan.domain.errors import ExitCode  # a second Ctrl-C is ignored by now

            messages.fail("interrupted; nothing was changed", code=ExitCode.INTERRUPTED)
        except OSError as exc:
            messages.fail(f"{exc.filename or 'mldsplan'}: {exc.strerror or exc}")
        except typer.TyperException as exc:
            if getattr(exc, "option_name", None) in GLOBAL_OPTIONS:
                _before_the_command(ctx, exc.option_name)  # type: ignore[attr-defined]  # a NoSuchOption
            _usage_error(ctx, exc)
            raise  # any other: Typer reports it itself
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            from mldsplan.domain.errors import InputError, MldsplanError

            if isinstance(exc, InputError):
                _fail_input(ctx, exc)
            if isinstance(exc, MldsplanError):
                messages.fail(exc.message, _hint(exc))
            messages.fail(  # a bug of ours: still one line, and how to see more
                f"internal error: {type(exc).__name__}: {exc}",
                hint="run again with MLDSPLAN_DEBUG=1 for the traceback, and report it",
            )

    @staticmethod
    def _notes(ctx: Any) -> None:
        """After a command that worked, the session's notes (no progress file yet), last."""
        if ctx.parent is None and ctx.obj is not None:
            messages.said(ctx.obj.notes())
