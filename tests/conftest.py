"""Every test gets its own progress file and a clean, fixed environment."""

from __future__ import annotations

import functools
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis
import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner, Result

from mldsplan.cli.app import app
from mldsplan.domain.results import JSON_SCHEMA_VERSION

# In CI every property test runs the same examples each time (derandomized): a run that
# passed on the developer's machine cannot fail later on a rare random draw. Locally the
# draws stay random, and Hypothesis keeps any failure it finds in .hypothesis/.
hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "programme.toml"


# "Now" for every test: no test reads the wall clock or the machine's time zone.
NOW = datetime(2026, 11, 25, 20, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()


def fixed_environment(progress: Path, cache: Path) -> dict[str, str]:
    """What every test's mldsplan sees, in this process or a child: its own progress file
    and cache, this computer's config folder, NOW as "now" (MLDSPLAN_NOW), the zone, the
    terminal, and XDG folders of its own (never the real user's)."""
    home = cache.parent / "xdg"
    return {
        "MLDSPLAN_FILE": str(progress),
        "MLDSPLAN_CACHE_DIR": str(cache),
        "MLDSPLAN_CONFIG_DIR": str(home / "config" / "mldsplan"),
        "MLDSPLAN_SEED": "tests",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "MLDSPLAN_NOW": NOW.isoformat(),
        "TZ": "Europe/London",
        "COLUMNS": "120",
        "NO_COLOR": "1",
    }


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith("MLDSPLAN_"):
            monkeypatch.delenv(name)
    progress = tmp_path / "data" / "progress.toml"
    for name, value in fixed_environment(progress, tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    yield progress


def child_env(progress: Path | None = None, **changes: str) -> dict[str, str]:
    """A subprocess's environment: this test's, clock and zone included (as `set_now` left
    them), with `progress` as its progress file and `changes` on top."""
    assert os.environ.get("MLDSPLAN_NOW"), "only a test under `isolated` starts children"
    env = dict(os.environ)
    if progress is not None:
        env["MLDSPLAN_FILE"] = str(progress)
    return env | changes


@pytest.fixture
def progress_file(isolated: Path) -> Path:
    return isolated


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Move the clock the CLI reads (an aware date-time)."""

    def move(moment: datetime) -> None:
        monkeypatch.setenv("MLDSPLAN_NOW", moment.isoformat())

    return move


Run = Callable[..., Result]
RunJson = Callable[..., Any]


@functools.cache
def command_tree() -> Any:
    """The click command tree of `app`, built once: Typer builds it anew on every invoke,
    which is a third of a CliRunner call. Each invoke still parses into a fresh Context."""
    return typer.main.get_command(app)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    build, command = typer.main.get_command, command_tree()
    # typer.testing.CliRunner.invoke builds the tree through the name it imported (Typer
    # 0.27's runner has no click base class to hand a built command to). A Typer without
    # that name ignores the patch, and each invoke builds its own tree as before.
    monkeypatch.setattr(
        typer.testing,
        "_get_command",
        lambda given: command if given is app else build(given),
        raising=False,
    )
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True) -> Result:
        result = runner.invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


MadeWith = Callable[..., None]
# What a setup's commands left: the folder's mode, and each file's bytes and mode.
_MADE: dict[tuple[Any, ...], tuple[int, dict[str, tuple[bytes, int]]]] = {}


@pytest.fixture
def made_with(run: Run, progress_file: Path) -> MadeWith:
    """Set up the student's files with these commands (each a tuple of arguments).

    They run through the CLI the first time a session needs them; after that the files
    they left (the progress file, its .bak and .lock, modes included) are put in place
    byte for byte, which is what the same commands write under the same clock and
    environment. Only for setting up: a test of what a command does runs it.
    """

    def make(*commands: tuple[str, ...]) -> None:
        folder = progress_file.parent
        setting = sorted(
            (k, v)
            for k, v in os.environ.items()
            if (k.startswith("MLDSPLAN_") or k == "TZ")
            and k not in {"MLDSPLAN_FILE", "MLDSPLAN_CACHE_DIR"}
        )
        key = (commands, tuple(setting))
        if key not in _MADE:
            assert not folder.exists(), folder
            for args in commands:
                run(*args)
            files = {
                p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in folder.iterdir()
            }
            _MADE[key] = (stat.S_IMODE(folder.stat().st_mode), files)
            return
        mode, files = _MADE[key]
        folder.mkdir(parents=True)
        folder.chmod(mode)
        for name, (content, file_mode) in files.items():
            (folder / name).write_bytes(content)
            (folder / name).chmod(file_mode)

    return make


@pytest.fixture
def run_json(run: Run) -> RunJson:
    def invoke(*args: str) -> Any:
        result = run(*args, "--json")
        data = json.loads(result.stdout)
        assert data["schema_version"] == JSON_SCHEMA_VERSION
        return data

    return invoke


def assert_one_line_error(result: Result, *needles: str) -> None:
    """Exit 1, an `Error:` line (and maybe a `hint:`), nothing on stdout, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("Error: "), result.stderr
    assert len(lines) <= 2 and all(line.startswith("hint: ") for line in lines[1:]), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


Refuse = Callable[..., Result]


@pytest.fixture
def refuse(run: Run, progress_file: Path) -> Refuse:
    """Run a command that must fail: one `Error:` line with `needles`, the file byte-for-byte as before."""

    def invoke(*args: str, needles: tuple[str, ...] = ()) -> Result:
        before = progress_file.read_bytes() if progress_file.exists() else None
        result = run(*args, ok=False)
        assert_one_line_error(result, *needles)
        assert (progress_file.read_bytes() if progress_file.exists() else None) == before
        return result

    return invoke


def mldsplan_command() -> list[str]:
    return [sys.executable, "-m", "mldsplan"]
