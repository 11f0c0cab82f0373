"""`--json` output: one JSON object on stdout.

Apart from the standard library this imports nothing, so a `--json` run never
loads Rich (SPEC §5): results are dataclasses or plain dicts, dates become ISO text.

A key holds one kind of number (docs/json.md): a result field declared `float` (ECTS,
hours, marks, weights) is written as a JSON float even when the value computed is an
int (a sum over nothing, a programme's `5`), and one declared `int` as an integer. The
declared type decides, here, once; the domain keeps its plain arithmetic.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import types
import typing
from typing import Any

from mldsplan.domain.dates import json_default


def print_json(result: Any) -> None:
    """Write `result` (a dataclass instance or a dict) to stdout as one indented JSON object."""
    text = json.dumps(plain(result), default=json_default, indent=2, ensure_ascii=False)
    sys.stdout.write(text + "\n")


def plain(value: Any, declared: Any = Any) -> Any:
    """`value` as JSON's types: dataclasses as dicts (field order kept), an int where the
    declared type says `float` as a float; dates are left for `json_default`."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = _hints(type(value))
        return {
            f.name: plain(getattr(value, f.name), hints.get(f.name, Any))
            for f in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        _, item = _arguments(declared, 2)
        return {key: plain(v, item) for key, v in value.items()}
    if isinstance(value, list | tuple):
        (item,) = _arguments(declared, 1)
        return [plain(v, item) for v in value]
    if type(value) is int and _is_float(declared):
        return float(value)
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """A result class's declared field types (its annotations are strings, evaluated once)."""
    return typing.get_type_hints(cls)


def _options(declared: Any) -> tuple[Any, ...]:
    """The types a declared type allows: `float | None` is (float, NoneType)."""
    if typing.get_origin(declared) in (typing.Union, types.UnionType):
        return typing.get_args(declared)
    return (declared,)


def _is_float(declared: Any) -> bool:
    return float in _options(declared)


def _arguments(declared: Any, count: int) -> tuple[Any, ...]:
    """The item types of a declared `list[X]`, `tuple[X, ...]` or `dict[K, V]`
    (the last `count`), or Any for each."""
    for option in _options(declared):
        args = tuple(a for a in typing.get_args(option) if a is not Ellipsis)
        if typing.get_origin(option) in (list, tuple, dict) and args:
            return (args[-1],) * count if len(args) < count else args[-count:]
    return (Any,) * count
