"""The command line's root: the app, its global options and callback, and the commands' table.

Kept light on purpose: every command and every TAB press starts a fresh
interpreter, so the domain (pydantic) and Rich are imported inside commands, and
a command's declaring module only when that command is looked up (`COMMANDS`).
No `from __future__ import annotations` here nor in the declaring modules: Typer
reads a command's annotations when it builds it, and as strings it would compile
and evaluate each of them again (measured with benchmarks/startup.py).
Names imported only for type checking are quoted instead.
"""

import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main

from mldsplan import __version__, paths
from mldsplan.cli import click_classes, messages

if TYPE_CHECKING:
    from mldsplan.commands.session import Session


# --- the commands: the module that declares each, in the order --help lists them ---------

COMMANDS = {
    "init": "record_commands",
    "plan": "report_commands",
    "complete": "record_commands",
    "uncomplete": "record_commands",
    "mark": "record_commands",
    "fail": "record_commands",
    "unfail": "record_commands",
    "progress": "report_commands",
    "hours": "report_commands",
    "log": "log_commands",
    "week": "report_commands",
    "grades": "report_commands",
    "target": "report_commands",
    "defer": "record_commands",
    "export": "file_commands",
    "import": "file_commands",
    "check": "file_commands",
    "undo": "file_commands",
    "redo": "file_commands",
    "history": "file_commands",
    "merge": "file_commands",
    "merge-driver": "file_commands",
    "due": "report_commands",
    "start": "log_commands",
    "stop": "log_commands",
    "cancel": "log_commands",
    "switch": "log_commands",
    "status": "log_commands",
    "remind": "plan_commands",
    "schedule": "plan_commands",
    "calendar": "plan_commands",
    "assess": "assessment_commands",
    "available": "plan_commands",
    "busy": "plan_commands",
}


class _Declared(MutableMapping[str, Any]):
    """The root's commands by name, as `COMMANDS` lists them; each is imported and built
    into a Click command the first time it is looked up (pip's `commands_dict`). A run
    builds the one it invokes; `--help` and the tests' walks of the tree build them all."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = _build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(COMMANDS), **self._built})

    def __len__(self) -> int:
        return len({**dict.fromkeys(COMMANDS), **self._built})


def _build(name: str) -> Any:
    """Command `name` from the module that declares it, built as Typer builds a group's
    commands (with the root's settings)."""
    import importlib

    declared = importlib.import_module(f"mldsplan.cli.{COMMANDS[name]}").declared
    for command in declared.registered_commands:
        if (command.name or typer.main.get_command_name(command.callback.__name__)) == name:
            return typer.main.get_command_from_info(
                command,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    for group in declared.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands,
            )
    raise LookupError(f"mldsplan.cli.{COMMANDS[name]} declares no command {name!r}")


class _Root(click_classes.Group):
    """The root group: its commands imported and built only when looked up (`_Declared`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Declared()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names alone: building each is for --help


app = typer.Typer(
    cls=_Root,
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
    from mldsplan.domain.errors import InputError
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
        from mldsplan.cli.report_commands import progress

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
