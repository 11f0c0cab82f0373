"""Loading a programme file: validated in full, or rebuilt when the cache knows its bytes."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mldsplan.domain.errors import FileFormatError
from mldsplan.domain.programme import Programme, consistency_problems
from mldsplan.storage import tomlfile, validation

if TYPE_CHECKING:
    from mldsplan.storage.cache import Cache


# The file's `[classification.compensation] from` is the record's `floor` (`from` is a
# Python keyword): renamed on the way in, and back in every message.
_FILE_NAME, _RECORD_NAME = "from", "floor"


def _renamed(data: dict[str, Any]) -> dict[str, Any]:
    classification = data.get("classification")
    if not isinstance(classification, dict):
        return data
    compensation = classification.get("compensation")
    if not isinstance(compensation, dict) or _RECORD_NAME in compensation:
        return data  # `floor` written as is is read as is
    renamed = {_RECORD_NAME if k == _FILE_NAME else k: v for k, v in compensation.items()}
    return {**data, "classification": {**classification, "compensation": renamed}}


def programme_problems(path: Path, data: dict[str, Any]) -> tuple[Programme | None, list[str]]:
    """Validate a parsed programme document; every problem, each naming file and field."""
    data = _renamed(data)
    programme, problems = validation.validate(path, Programme, data)
    if programme is None:
        here = f"compensation.{_RECORD_NAME}"
        return None, [line.replace(here, f"compensation.{_FILE_NAME}") for line in problems]
    problems = [f"{path}: {line}" for line in consistency_problems(programme)]
    return (None if problems else programme), problems


def load_programme(path: Path, cache: Cache | None = None) -> Programme:
    """The programme in `path`, validated in full unless `cache` knows these exact bytes."""
    raw = tomlfile.read_bytes(path)
    data = tomlfile.parse(path, raw)
    if cache is not None and cache.knows("programme", raw):
        # A marker can be forged: what `build` cannot vouch for, or what breaks a rule
        # across fields, is validated in full below and reported as without a marker.
        with suppress(validation.Unchecked):
            built: Programme = validation.build(Programme, _renamed(data))
            if not consistency_problems(built):
                return built
    programme, problems = programme_problems(path, data)
    if programme is None:
        raise FileFormatError(problems[0], problems=problems)
    if cache is not None:
        cache.remember("programme", raw)
    return programme
