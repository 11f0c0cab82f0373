"""The edge (issue 29, points 2-4): commands built lazily, one presenter per result type.

What a run imports is checked in a fresh interpreter, by `sys.modules` (never by time).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main

import mldsplan
from conftest import Run, child_env
from mldsplan.cli import app as root
from mldsplan.cli.presenters import PRESENTERS

CLI = Path(root.__file__).parent
DECLARING = sorted(p.stem for p in CLI.glob("*_commands.py"))

# Runs `mldsplan ARGS...` as the console script does and reports, on stderr's last line, the
# commands Typer built into Click commands and the modules the run imported.
PROBE = """
import json, os, sys
import typer.main
built = []
real = typer.main.get_command_from_info
def spy(*args, **kwargs):
    command = real(*args, **kwargs)
    built.append(command.name)
    return command
typer.main.get_command_from_info = spy
sys.argv = ['mldsplan', *sys.argv[1:]]
from mldsplan.cli.app import entry
try:
    entry()
except SystemExit:
    pass
print(json.dumps({'built': built, 'modules': sorted(sys.modules)}), file=sys.stderr)
"""


def probe(*args: str, progress: Path | None = None, **env: str) -> tuple[str, dict[str, list[str]]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=child_env(progress, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    *said, last = done.stderr.strip().splitlines()
    assert not [line for line in said if line.startswith("Error:")], done.stderr
    return done.stdout, json.loads(last)


def declaring(modules: list[str]) -> list[str]:
    return sorted(
        m.rsplit(".", 1)[1]
        for m in modules
        if m.startswith("mldsplan.cli.") and m.endswith("_commands")
    )


def test_a_command_imports_its_own_declarations_and_builds_itself_alone(
    run: Run, progress_file: Path
) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    out, found = probe("progress", "--json", progress=progress_file)
    assert json.loads(out)["ects_total"] == 90
    assert found["built"] == ["progress"]
    assert declaring(found["modules"]) == ["report_commands"]
    assert not [m for m in found["modules"] if m == "rich" or m.startswith("rich.")]
    # the probe can fail: a report drawn for a terminal that styles imports Rich, and a
    # group builds its own commands
    _, found = probe("plan", progress=progress_file, FORCE_COLOR="1")
    assert found["built"] == ["plan"]
    assert "rich" in found["modules"]
    _, found = probe("assess", "list", progress=progress_file)
    assert declaring(found["modules"]) == ["assessment_commands"]
    assert set(found["built"]) == {"add", "mark", "edit", "remove", "list"}


def test_help_builds_every_command_in_the_tables_order() -> None:
    out, found = probe("--help", COLUMNS="100")
    assert declaring(found["modules"]) == DECLARING
    listed = [
        line.split()[1]
        for line in out.splitlines()
        if line.startswith("│ ") and line.split()[1] in root.COMMANDS
    ]
    assert listed == list(root.COMMANDS)


def test_completion_imports_nothing_of_the_domain_nor_rich() -> None:
    out, found = probe(
        _MLDSPLAN_COMPLETE="complete_bash", COMP_WORDS="mldsplan complete ma", COMP_CWORD="2"
    )
    assert out.split() == ["maths"]
    assert found["built"] == ["complete"]
    assert declaring(found["modules"]) == ["record_commands"]
    assert [m for m in found["modules"] if m.startswith("mldsplan.domain")] == []
    assert [m for m in found["modules"] if m.split(".")[0] in {"rich", "pydantic"}] == []


def test_the_table_names_every_declared_command_where_it_is_declared() -> None:
    """A command declared in a module but missing from `COMMANDS` (or listed under another
    module) would never run: the table and the declarations agree."""
    declared = {}
    for name in DECLARING:
        module = importlib.import_module(f"mldsplan.cli.{name}")
        for command in module.declared.registered_commands:
            assert command.callback is not None
            found = command.name or typer.main.get_command_name(command.callback.__name__)
            declared[found] = name
        for group in module.declared.registered_groups:
            declared[group.name] = name
    assert declared == root.COMMANDS


def _classes() -> set[str]:
    """The name of every class defined in mldsplan's modules."""
    names = set()
    for info in pkgutil.walk_packages(mldsplan.__path__, "mldsplan."):
        if info.name in {"mldsplan.__main__", "mldsplan.launch"}:
            continue  # running them runs the app
        module = importlib.import_module(info.name)
        names |= {
            n for n, c in vars(module).items() if inspect.isclass(c) and c.__module__ == info.name
        }
    return names


def test_every_presenter_is_for_a_result_type_that_exists() -> None:
    """The registry is keyed by the type's name: a result class renamed or moved away
    leaves a presenter that nothing reaches, found here."""
    classes = _classes() | {"list", "bytes"}
    assert "PlanResult" in classes  # the walk finds the domain's results
    assert [name for name in PRESENTERS if name not in classes] == []


def test_command_declarations_draw_nothing_themselves() -> None:
    """Each command runs its `commands` function and hands the result to `present`: no
    declaring module imports an `output` module or prints a result by hand."""
    drawn = []
    for name in DECLARING:
        tree = ast.parse((CLI / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "mldsplan.output"
            ):
                drawn.append(f"{name}:{node.lineno}: from {node.module}")
            elif isinstance(node, ast.FunctionDef) and node.name == "human":
                drawn.append(f"{name}:{node.lineno}: def human")
            elif isinstance(node, ast.Attribute) and node.attr == "show":
                drawn.append(f"{name}:{node.lineno}: .show")
    assert drawn == []


def _by_tomllib(text: str) -> list[str]:
    import tomllib

    return [m["code"] for m in tomllib.loads(text)["modules"]]


def test_completion_reads_the_shipped_programme_line_by_line() -> None:
    from conftest import SHIPPED
    from mldsplan.paths import _plain_codes

    text = SHIPPED.read_text()
    assert _plain_codes(text) == _by_tomllib(text)
    assert "ethics" not in (_plain_codes(text) or [])  # a group's code is no module's


@pytest.mark.parametrize(
    "changed",
    [
        lambda t: t.replace('code = "maths"', "code = 'maths'"),  # a literal string
        lambda t: t.replace('code = "maths"', 'code = "m\\u0061ths"'),  # an escape
        lambda t: t + '\n[[modules]]\ncode = """extra"""\ntitle = "x"\n',  # multi-line
        lambda t: t.replace("[[modules]]", "[[ modules ]]", 1),  # spaced header: still plain
        lambda t: t.replace("[[modules]]\ncode", "[[modules]]\n# code below\ncode", 1),
    ],
)
def test_completion_of_another_layout_reads_it_as_toml(
    changed: Callable[[str], str], tmp_path: Path
) -> None:
    """Any layout the line reader does not know goes to tomllib: the codes are the same."""
    from conftest import SHIPPED
    from mldsplan.paths import module_codes

    other = tmp_path / "other.toml"
    other.write_text(changed(SHIPPED.read_text()))
    assert module_codes(other) == _by_tomllib(other.read_text())


def test_completion_of_inline_modules_reads_them_as_toml(tmp_path: Path) -> None:
    from mldsplan.paths import _plain_codes, module_codes

    other = tmp_path / "inline.toml"
    other.write_text('modules = [{code = "a"}, {code = "b"}]\n[[groups]]\ncode = "g"\n')
    assert _plain_codes(other.read_text()) is None
    assert module_codes(other) == ["a", "b"]
