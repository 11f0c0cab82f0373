"""The layers (ARCHITECTURE.md): imports flow one way, the domain is pure, no circles.

Modules are found by folder, never from a list typed by hand, so a new module
is checked the day it is added.
"""

from __future__ import annotations

import ast
import re
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
    return "cli"  # the cli/ package, launch.py, __main__.py and the package itself


def imports(path: Path) -> list[tuple[int, str]]:
    """Every `mldsplan` module `path` imports, at any depth (functions, TYPE_CHECKING): absolute
    and relative imports, and `importlib.import_module("mldsplan....")` or `__import__` of a
    constant name."""
    found = []
    known = modules()
    parts = path.resolve().relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts if path.name == "__init__.py" else parts[:-1]  # ("mldsplan", "domain")
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("mldsplan.")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # `from . import x`, `from ..storage import store`
                base = package[: len(package) - node.level + 1]
                module = ".".join((*base, module) if module else base)
            if module == "mldsplan" or module.startswith("mldsplan."):
                for alias in node.names:  # `from mldsplan.domain import marks` names a module
                    candidate = f"{module}.{alias.name}"
                    found.append((node.lineno, candidate if candidate in known else module))
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in {"import_module", "__import__"}
                )
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.startswith("mldsplan.")
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def test_the_layers_are_the_folders() -> None:
    names = modules()
    for package in ("domain", "storage", "output", "commands", "cli"):
        assert f"mldsplan.{package}" in names, f"{package}/__init__.py"
    top = sorted(n for n, path in names.items() if path.parent == PACKAGE and n != "mldsplan")
    assert top == [
        "mldsplan.__main__",
        "mldsplan.clock",
        "mldsplan.launch",
        "mldsplan.paths",
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
    """A domain module that imports storage is caught (the walk sees function bodies too),
    however it imports it: absolute, relative, or through importlib."""
    bad = PACKAGE / "domain" / "bad_example.py"  # never written: only its place matters
    monkeypatch.setattr(Path, "read_text", lambda self: source)
    for source in (
        "def f():\n    from mldsplan.storage import store\n",
        "def f():\n    from ..storage import store\n",
        "import importlib\ndef f():\n    importlib.import_module('mldsplan.storage.store')\n",
    ):
        assert imports(bad)[-1:] == [(2 + source.startswith("import"), "mldsplan.storage.store")]
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


def documented_paths(page: str) -> set[str]:
    """The module paths ARCHITECTURE.md's "The modules" describes. A bullet naming NAME under a
    folder's heading (such as domain/) is that folder's NAME; under "The edge:" NAME is the whole
    path (cli/app.py). Checked by path, so a name used in two folders needs two bullets."""
    section = page.split("## The modules", 1)[1].split("\n## ", 1)[0]
    found, folder = set(), ""
    for line in section.splitlines():
        if line.startswith("`") and line.endswith("/`:"):
            folder = line[1:-2]
        elif line.startswith("The edge:"):
            folder = ""
        elif line.startswith("- `"):
            for name in line[3:].split(":", 1)[0].replace("`", "").split(" and "):
                found.add(folder + name.strip().rstrip(","))
    return found


def test_architecture_md_names_every_module() -> None:
    """ARCHITECTURE.md lists each module by its path, so that a new one is placed and described."""
    page = (PACKAGE.parents[1] / "ARCHITECTURE.md").read_text()
    documented = documented_paths(page)
    missing = [
        str(path.relative_to(PACKAGE))
        for name, path in modules().items()
        if path.name != "__init__.py"
        and name not in ("mldsplan.__main__",)
        and str(path.relative_to(PACKAGE)) not in documented
    ]
    assert not missing, missing
    ghosts = sorted(p for p in documented if p.endswith(".py") and not (PACKAGE / p).exists())
    assert not ghosts, f"ARCHITECTURE.md describes modules that do not exist: {ghosts}"


def test_the_architecture_check_is_by_path() -> None:
    page = "## The modules\n\n`domain/`:\n- `merge.py`: x\n\n`storage/`:\n- `a.py` and `b.py`: y\n## Next\n"
    assert documented_paths(page) == {"domain/merge.py", "storage/a.py", "storage/b.py"}


def test_the_domain_names_no_command() -> None:
    """Words that name a command (`mldsplan defer X`) are the commands' to say: the domain's
    strings (docstrings aside) hold none; a command passes its words in where a result
    needs them (`week_schedule(defer_command=...)`, `reports.SHOWN_BY`)."""
    found = []
    for name, path in modules().items():
        if layer(name) != "domain":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        found += [
            f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and re.search(r"\bmldsplan [a-z]", node.value)
        ]
    assert not found, "\n".join(found)
