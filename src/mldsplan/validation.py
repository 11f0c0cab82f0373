"""Validating records with pydantic, and rebuilding records already validated.

`validate` is the one check of a file's content; pydantic (and its schema
build) is imported only here. `build` turns a document whose exact bytes were
validated before (under the same rules; see `mldsplan.cache`) into records
without pydantic, converting each field as pydantic would.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from mldsplan import tomlfile

T = TypeVar("T")

_hints: dict[type, dict[str, Any]] = {}


def validate(
    path: Path, cls: type[T], data: Any, *, from_json: bool = False
) -> tuple[T | None, list[str]]:
    """`data` as a `cls`, or None and one `<file>: <field>: <message>` line per problem.

    `from_json`: the values come from JSON, where dates are ISO strings.
    """
    from pydantic import TypeAdapter, ValidationError

    try:
        adapter = TypeAdapter(cls)
        if from_json:
            import json

            return adapter.validate_json(json.dumps(data)), []
        return adapter.validate_python(data), []
    except ValidationError as exc:
        return None, tomlfile.validation_problems(path, exc.errors())


def _fields(cls: type) -> dict[str, Any]:
    if cls not in _hints:
        _hints[cls] = typing.get_type_hints(cls)
    return _hints[cls]


def build(kind: Any, value: Any) -> Any:
    """`value` (a validated document's part) as the type `kind`, as pydantic would give it."""
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return build(typing.get_args(kind)[0], value)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return build(options[0], value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(build(item, v) for v in value)
    if origin is dict:
        key, item = typing.get_args(kind)
        return {build(key, k): build(item, v) for k, v in value.items()}
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = _fields(kind)
        return kind(**{name: build(hints[name], v) for name, v in value.items()})
    if kind is float:
        return float(value)
    if kind in (int, str, bool, date, datetime):
        return value
    raise TypeError(f"cannot rebuild {kind!r}")
