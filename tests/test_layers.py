"""The layers (ARCHITECTURE.md): imports flow one way, the domain is pure, no circles.

Modules are found by folder, never from a list typed by hand, so a new module
is checked the day it is added.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mldsplan"

# What each layer may import of mldsplan's own (itself always). The edge (cli, clock,
# paths) resolves configuration once; nothing below imports it.
ALLOWED = {
    "domain": {"domain"},
    "storage": {"domain", "storage"},
    "output": {"domain", "output"},
    "commands": {"domain", "storage", "output", "commands", "edge"},
    "edge": {"domain", "edge"},
    "cli": {"domain", "storage", "output", "commands", "edge", "cli"},
}
EDGE = {"clock", "paths"}
# What the domain never imports, even indirectly (CONVENTIONS.md, "Layers").
NOT_IN_DOMAIN = ("typer", "rich", "jinja2", "tomllib", "tomli_w", "platformdirs", "filelock")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("mldsplan", *parts))
        found[name.removesuffix(".__init__")] = path
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in ALLOWED:
        return parts[1]
    if len(parts) > 1 and parts[1] in EDGE:
        return "edge"
    return "cli"  # cli.py and the modules beside it, __main__.py and the package itself


def imports(path: Path) -> list[tuple[int, str]]:
    """Every `mldsplan` module `path` imports, at any depth (functions, TYPE_CHECKING)."""
    found = []
    known = modules()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("mldsplan.")]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and (node.module == "mldsplan" or node.module.startswith("mldsplan."))
        ):
            for alias in node.names:  # `from mldsplan.domain import marks` names a module
                candidate = f"{node.module}.{alias.name}"
                found.append((node.lineno, candidate if candidate in known else node.module))
    return found


def test_the_layers_are_the_folders() -> None:
    names = modules()
    for package in ("domain", "storage", "output", "commands"):
        assert f"mldsplan.{package}" in names, f"{package}/__init__.py"
    top = sorted(n for n, path in names.items() if path.parent == PACKAGE and n != "mldsplan")
    assert top == [
        "mldsplan.__main__",
        "mldsplan.cli",
        "mldsplan.clickparts",
        "mldsplan.clock",
        "mldsplan.console",
        "mldsplan.launch",
        "mldsplan.parameters",
        "mldsplan.paths",
        "mldsplan.prompts",
    ], top


def test_imports_follow_the_layers() -> None:
    wrong = []
    for name, path in modules().items():
        allowed = ALLOWED[layer(name)]
        for line, target in imports(path):
            if target == "mldsplan":
                continue  # the package's __version__
            if layer(target) not in allowed:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {name} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = {
        name: {t for _, t in imports(path) if t != "mldsplan" and t != name}
        for name, path in modules().items()
    }
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError(" -> ".join([*trail[trail.index(name) :], name]))
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            visit(target, [*trail, name])
        done.add(name)

    for name in graph:
        visit(name, [])


def test_the_direction_test_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A domain module that imports storage is caught (the walk sees function bodies too)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from mldsplan.storage import store\n")
    assert imports(bad) == [(2, "mldsplan.storage.store")]
    assert layer("mldsplan.storage.store") not in ALLOWED["domain"]


def test_the_domain_imports_no_framework_nor_file_library() -> None:
    domain = sorted(n for n in modules() if layer(n) == "domain")
    assert len(domain) > 10, domain
    code = (
        "import importlib, sys\n"
        f"for name in {domain!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in {NOT_IN_DOMAIN!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_the_domain_reads_no_clock_file_or_environment() -> None:
    reads = ("os.environ", "datetime.now(", "date.today(", "open(", "getenv(", "print(")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for name, path in modules().items()
        if layer(name) == "domain"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if any(r in line for r in reads) and not line.lstrip().startswith(("#", '"'))
    ]
    assert not found, "\n".join(found)


def test_architecture_md_names_every_module() -> None:
    """ARCHITECTURE.md lists each module, so that a new one is placed and described."""
    page = (PACKAGE.parents[1] / "ARCHITECTURE.md").read_text()
    missing = [
        str(path.relative_to(PACKAGE))
        for name, path in modules().items()
        if path.name != "__init__.py"
        and name not in ("mldsplan.__main__",)
        and f"`{path.name}`" not in page
    ]
    assert not missing, missing
