"""Where the programme and progress files are, without importing pydantic or Rich."""

from __future__ import annotations

from pathlib import Path

PROGRAMME_ENV = "MLDSPLAN_PROGRAMME"
FILE_ENV = "MLDSPLAN_FILE"
LOCK_TIMEOUT_ENV = "MLDSPLAN_LOCK_TIMEOUT"


def shipped_programme() -> Path | None:
    """The shipped programme: inside the installed wheel, or at the repository root.

    An editable install imports the package from `src/` while hatchling's
    force-include lands in site-packages, so there the repository copy is read.
    """
    here = Path(__file__).resolve().parent
    for candidate in (
        here / "data" / "programme.toml",
        here.parents[1] / "data" / "programme.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


def default_progress() -> Path:
    from platformdirs import user_data_path

    return user_data_path("mldsplan") / "progress.toml"


def module_codes(programme: Path | None) -> list[str]:
    """The module codes in a programme file, read without validating it (for completion)."""
    path = programme or shipped_programme()
    try:
        with open(path or "", "rb") as handle:
            text = handle.read().decode()
        plain = _plain_codes(text)
        if plain is not None:
            return plain
        import tomllib

        modules = tomllib.loads(text).get("modules", [])
        return [
            m["code"] for m in modules if isinstance(m, dict) and isinstance(m.get("code"), str)
        ]
    except (OSError, ValueError):
        return []


def _plain_codes(text: str) -> list[str] | None:
    """The codes of a programme laid out as the shipped one is (each module a `[[modules]]`
    table with a `code = "..."` line), read line by line: a TAB press without tomllib (about
    5 ms). None for any other layout, which tomllib then reads."""
    if "'''" in text or '"""' in text:
        return None  # a multi-line string could hold lines that look like tables
    codes: list[str] = []
    module = found = False
    for line in text.splitlines():
        words = line.strip()
        if words.startswith("["):
            if module and not found:
                return None
            header = words.split("#", 1)[0].replace(" ", "")
            module, found = header == "[[modules]]", False
            if not module and "modules" in header and not header.startswith("[[modules."):
                return None
        elif words.lstrip("\"'").startswith("modules"):
            return None  # `modules = [...]`, inline
        elif module and words.split("=", 1)[0].strip() == "code":
            value = words.split("=", 1)[1].strip()
            end = value.find('"', 1)
            if found or not value.startswith('"') or end < 0 or "\\" in value[:end]:
                return None
            codes.append(value[1:end])
            found = True
    return None if module and not found else codes


CACHE_ENV = "MLDSPLAN_CACHE_DIR"


def cache_folder(environ: dict[str, str]) -> Path:
    """Where validated-content markers live: MLDSPLAN_CACHE_DIR or the user cache folder."""
    given = environ.get(CACHE_ENV)
    if given:
        return Path(given)
    plain = _plain_xdg_cache(environ)
    if plain is not None:
        return plain
    from platformdirs import user_cache_path

    return user_cache_path("mldsplan")


def _plain_xdg_cache(environ: dict[str, str]) -> Path | None:
    """platformdirs' user cache folder on Linux in the plain cases, where every platformdirs
    since 4.2 gives the same: an absolute XDG_CACHE_HOME, or none (unset or empty) and an
    absolute HOME. Any other case (another system, a relative or blank value) is
    platformdirs' own. Speed: importing platformdirs (it imports tempfile and random) costs
    about 5 ms of every command, 3-4% of the floor; `tests/test_paths.py` holds this equal
    to platformdirs."""
    import sys

    if sys.platform != "linux":
        return None
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg.startswith("/"):
        return Path(xdg, "mldsplan")
    home = environ.get("HOME", "")
    if xdg == "" and home.startswith("/"):
        return Path(home.rstrip("/") + "/.cache", "mldsplan")
    return None


def assessment_names(progress: Path, code: str) -> list[str]:
    """A module's assessment names in a progress file, read without validating it (completion)."""
    import tomllib

    try:
        with open(progress, "rb") as handle:
            items = tomllib.load(handle).get("assessments", {})
        found = (
            [v for k, v in items.items() if k.startswith(code)] if isinstance(items, dict) else []
        )
        if len(found) != 1 or not isinstance(found[0], list):
            return []
        return [
            a["name"] for a in found[0] if isinstance(a, dict) and isinstance(a.get("name"), str)
        ]
    except (OSError, ValueError, AttributeError):
        return []


def default_programme_path() -> Path:
    path = shipped_programme()
    if path is None:
        from mldsplan.domain.errors import FileFormatError  # here: a TAB press imports no domain

        raise FileFormatError(
            "the shipped programme file data/programme.toml is missing from this installation",
            hint="reinstall mldsplan, or pass --programme PATH",
        )
    return path
