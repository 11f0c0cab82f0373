"""Issue 28.7: Ctrl-C at any moment of start-up ends the run without a traceback.

0.3 installed its SIGINT handler after Typer and Rich had loaded: 7 of 20
`timeout -s INT 0.08 mldsplan log 1` printed a KeyboardInterrupt traceback from
inside Typer's import. The console script's first import (`mldsplan.launch`) now
installs it before anything else of ours loads. Real signals, at random moments,
to the installed entry point.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mldsplan
from conftest import child_env

PACKAGE = Path(mldsplan.__file__).resolve().parent
SCRIPT = Path(sys.executable).parent / "mldsplan"
LAUNCH = PACKAGE / "launch.py"
# The line of launch.py that installs the handler: what runs before it is Python's.
HANDLER_LINE = next(
    n
    for n, line in enumerate(LAUNCH.read_text().splitlines(), 1)
    if line.startswith("_signal.signal(")
)
# What loads after the handler is in: Typer, Click, Rich and the rest, and our own code.
LOADED_AFTER = (
    "/typer/",
    "/click/",
    "/rich/",
    "/pydantic",
    "/filelock/",
    "/tomli",
    "/platformdirs/",
)


def after_the_handler(stderr: str) -> list[str]:
    """The frames of a traceback in code that runs once the handler is in: a traceback
    with none comes from Python's own start-up (the interpreter, `site`, the console
    script's `import re`), which no code of ours can precede."""
    found = []
    for path, line in re.findall(r'File "([^"]+)", line (\d+)', stderr):
        here = Path(path).resolve() if path.startswith("/") else Path(path)
        ours = here.is_relative_to(PACKAGE) and here != PACKAGE / "__init__.py"
        if here == LAUNCH and int(line) <= HANDLER_LINE:
            ours = False
        if ours or any(part in path for part in LOADED_AFTER):
            found.append(f"{path}:{line}")
    return found


@pytest.mark.skipif(not SCRIPT.exists(), reason="the package's console script is not installed")
def test_real_sigints_during_start_up_never_print_a_traceback(tmp_path: Path) -> None:
    env = child_env(tmp_path / "progress.toml")
    draw = random.Random(28)
    said = []
    for _ in range(20):
        child = subprocess.Popen(
            [str(SCRIPT), "log", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(draw.uniform(0, 0.15))
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
        frames = after_the_handler(stderr)
        assert not frames, stderr
        assert "Exception ignored" not in stderr or not frames, stderr
        if child.returncode == 130:
            assert stderr.strip().endswith("Error: interrupted; nothing was changed"), stderr
        said.append(child.returncode)
    assert 130 in said or 0 in said, said  # some runs got past Python's own start-up


@pytest.mark.parametrize(
    "moment",
    [
        # while `mldsplan.cli.app` imports (Typer is its first import)
        "name == 'typer'",
        # during the domain's first import, wherever that happens: it is imported lazily
        # (a TAB press needs none of it)
        "name.startswith('mldsplan.domain') and 'mldsplan.domain' not in sys.modules",
    ],
    ids=["while the command loads", "while the domain first loads"],
)
def test_a_ctrl_c_while_loading_is_one_line_and_exit_130(tmp_path: Path, moment: str) -> None:
    """The moment is made certain: the interrupt arrives during the import `moment` names."""
    hook = (
        "import builtins, os, signal, sys\n"
        "real = builtins.__import__\n"
        "def imp(name, globals=None, locals=None, fromlist=(), level=0):\n"
        f"    if {moment}:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(name, globals, locals, fromlist, level)\n"
        "builtins.__import__ = imp\n"
        "sys.argv = ['mldsplan', 'log', '1']\n"
        "from mldsplan.launch import entry\n"
        "entry()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", hook],
        env=child_env(tmp_path / "progress.toml"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "Error: interrupted; nothing was changed\n"
    assert not (tmp_path / "progress.toml").exists()
