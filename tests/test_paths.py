"""The user cache folder without importing platformdirs in the plain cases (a speed cut,
`paths._plain_xdg_cache`) is the folder platformdirs gives, whatever HOME and
XDG_CACHE_HOME hold; anything unusual is left to platformdirs."""

from __future__ import annotations

import os
import sys

import platformdirs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mldsplan import paths

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the cut is Linux's only")

UNSET = None


def both(monkeypatch: pytest.MonkeyPatch, env: dict[str, str | None]) -> tuple[object, object]:
    """Our folder and platformdirs', in an environment holding `env` (None: unset)."""
    with monkeypatch.context() as m:
        m.delenv("MLDSPLAN_CACHE_DIR", raising=False)
        for name, value in env.items():
            if value is None:
                m.delenv(name, raising=False)
            else:
                m.setenv(name, value)
        found = []
        for where in (lambda: paths.cache_folder(dict(os.environ)), platformdirs.user_cache_path):
            try:
                found.append(
                    where("mldsplan") if where is platformdirs.user_cache_path else where()
                )
            except RuntimeError:  # no home to be had: platformdirs' own error
                found.append(RuntimeError)
        return found[0], found[1]


@pytest.mark.parametrize(
    ("xdg", "home", "plain"),
    [
        (UNSET, "/home/ann", True),
        ("", "/home/ann/", True),
        ("/data/cache", "/home/ann", True),
        ("/data/cache/", UNSET, True),
        (UNSET, "/", True),
        ("relative/cache", "/home/ann", False),
        (" ", "/home/ann", False),
        (UNSET, "relative-home", False),
        (UNSET, UNSET, False),
    ],
)
def test_the_cache_folder_is_platformdirs_own(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str | None, plain: bool
) -> None:
    env = {"XDG_CACHE_HOME": xdg, "HOME": home}
    given = {k: v for k, v in env.items() if v is not None}
    assert (paths._plain_xdg_cache(given) is not None) == plain
    ours, theirs = both(monkeypatch, env)
    assert ours == theirs


@given(
    xdg=st.none() | st.text(alphabet="/a. ~", max_size=8),
    home=st.none() | st.text(alphabet="/a. ~", max_size=8),
)
def test_any_home_and_xdg_give_platformdirs_folder(xdg: str | None, home: str | None) -> None:
    env = {"XDG_CACHE_HOME": xdg, "HOME": home}
    given = {k: v for k, v in env.items() if v is not None}
    plain = paths._plain_xdg_cache(given)
    if plain is None:
        return  # platformdirs decides, as before
    with pytest.MonkeyPatch.context() as m:
        assert both(m, env) == (plain, plain)
