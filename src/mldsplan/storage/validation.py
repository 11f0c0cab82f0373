"""Validating records with pydantic, and rebuilding records already validated.

`validate` is the one check of a file's content; pydantic (and its schema
build) is imported only here. `build` turns a document whose exact bytes were
validated before (see `storage.cache`) into records without pydantic.

A cache marker is no proof: anyone who can write to the cache folder can make
one for any bytes. So `build` checks every value against the very limits
pydantic applies, read from the same `constraints.Rule` objects (there is no
second copy of any limit), and accepts only the exact types strict validation
accepts. Whatever it cannot vouch for raises `Unchecked`, and the caller then
validates in full, as if there were no marker: `build` may refuse more than
pydantic (a string ending in a newline, an integer written 2.0 where pydantic
is lax), never less, and what it accepts it converts as pydantic does.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from mldsplan.domain.constraints import LINE_PATTERN, Rule, is_line
from mldsplan.storage import tomlfile

T = TypeVar("T")

# Every limit a `Rule` may hold, by the kinds of value `build` checks it on. A
# limit not listed here is a TypeError (a bug), never a limit quietly skipped.
_NUMBER_LIMITS = frozenset({"strict", "ge", "gt", "le", "lt"})
_TEXT_LIMITS = frozenset({"strict", "pattern", "min_length", "max_length"})
_ALLOWED: dict[type, frozenset[str]] = {
    float: _NUMBER_LIMITS,
    int: _NUMBER_LIMITS,
    str: _TEXT_LIMITS,
    bool: frozenset({"strict"}),
    date: frozenset({"strict"}),
    datetime: frozenset({"strict", "tz_constraint"}),
}
LIMITS = frozenset().union(*_ALLOWED.values())


class Unchecked(Exception):
    """A value `build` cannot vouch for: validate the document in full instead."""


def validate(
    path: Path, cls: type[T], data: Any, *, from_json: bool = False
) -> tuple[T | None, list[str]]:
    """`data` as a `cls`, or None and one `<file>: <field>: <message>` line per problem.

    `from_json`: the values come from JSON, where dates are ISO strings.
    """
    from pydantic import ValidationError

    try:
        adapter = _adapter(cls)
        if from_json:
            import json

            return adapter.validate_json(json.dumps(data)), []
        return adapter.validate_python(data), []
    except ValidationError as exc:
        return None, tomlfile.validation_problems(path, exc.errors())


_adapters: dict[type, Any] = {}


def _adapter(cls: type[T]) -> Any:
    """One pydantic TypeAdapter per record class and process: building one costs 3-5 ms,
    and a write validates twice (the file read, the bytes about to be written)."""
    if cls not in _adapters:
        from pydantic import TypeAdapter

        _adapters[cls] = TypeAdapter(cls)
    return _adapters[cls]


class _Record(typing.NamedTuple):
    """What `build` needs of a dataclass: each field's type, which fields are required."""

    hints: dict[str, Any]
    required: frozenset[str]


_records: dict[type, _Record] = {}
_patterns: dict[str, re.Pattern[str]] = {}


def _record(cls: type) -> _Record:
    if cls not in _records:
        fields = [f for f in dataclasses.fields(cls) if f.init]
        if any(isinstance(f.type, str) for f in fields):
            hints = typing.get_type_hints(cls, include_extras=True)
            kinds = {f.name: hints[f.name] for f in fields}
        else:
            # Annotations evaluated as the class was made (the files' records are): the
            # types as they are. Speed: get_type_hints costs about 1 ms of every read.
            kinds = {f.name: f.type for f in fields}
        required = frozenset(
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )
        _records[cls] = _Record(kinds, required)
    return _records[cls]


def build(kind: Any, value: Any) -> Any:
    """`value` (a document's part) as the type `kind`, exactly as pydantic would give it.

    Raises `Unchecked` for anything strict validation might refuse, and
    TypeError for a kind or limit it does not know (a bug, not a bad file).
    """
    return _build(kind, value, {})


def _build(kind: Any, value: Any, limits: dict[str, Any]) -> Any:
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(kind)
        merged = dict(limits)
        for rule in metadata:
            if not isinstance(rule, Rule):
                raise TypeError(f"cannot rebuild {kind!r}: {rule!r} is not a Rule")
            merged.update(rule.limits)
        return _build(base, value, merged)
    if kind in _ALLOWED:
        return _scalar(kind, value, limits)
    if limits:
        raise TypeError(f"cannot rebuild {kind!r} with limits {limits!r}")
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot rebuild {kind!r}")
        return None if value is None else _build(options[0], value, {})
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"cannot rebuild {kind!r}")
        if type(value) not in (list, tuple):
            raise Unchecked
        return tuple(_build(args[0], v, {}) for v in value)
    if origin is dict:
        key, item = typing.get_args(kind)
        if type(value) is not dict:
            raise Unchecked
        return {_build(key, k, {}): _build(item, v, {}) for k, v in value.items()}
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if type(value) is not dict:
            raise Unchecked
        record = _record(kind)
        if not record.required <= value.keys() <= record.hints.keys():
            raise Unchecked  # a required field missing, or one the record does not have
        return kind(**{name: _build(record.hints[name], v, {}) for name, v in value.items()})
    raise TypeError(f"cannot rebuild {kind!r}")


def _scalar(kind: type, value: Any, limits: dict[str, Any]) -> Any:
    """A plain value of `kind` within `limits`, as strict validation gives it."""
    unknown = limits.keys() - _ALLOWED[kind]
    if unknown:
        raise TypeError(f"cannot check {sorted(unknown)} on {kind.__name__}")
    if kind is float:
        # Strict float takes an int too (as a float); never a bool or text.
        if type(value) is not float and type(value) is not int:
            raise Unchecked
        try:
            value = float(value)
        except OverflowError:
            raise Unchecked from None
        if not math.isfinite(value):
            raise Unchecked  # only a bound refuses nan: leave every non-finite to pydantic
    elif type(value) is not kind:  # an int is no bool, a datetime no date, a str subclass no str
        raise Unchecked
    if kind is float or kind is int:
        _bounds(value, limits)
    elif kind is str:
        _text(value, limits)
    elif kind is datetime:
        zone = limits.get("tz_constraint")
        if zone == "aware":
            if value.utcoffset() is None:
                raise Unchecked
        elif zone == "naive":
            if value.tzinfo is not None:
                raise Unchecked
        elif zone is not None:
            raise TypeError(f"cannot check tz_constraint={zone!r}")
    return value


def _bounds(number: float, limits: dict[str, Any]) -> None:
    # Written so that a comparison that fails (as any with nan does) refuses.
    if "ge" in limits and not number >= limits["ge"]:
        raise Unchecked
    if "gt" in limits and not number > limits["gt"]:
        raise Unchecked
    if "le" in limits and not number <= limits["le"]:
        raise Unchecked
    if "lt" in limits and not number < limits["lt"]:
        raise Unchecked


def _text(text: str, limits: dict[str, Any]) -> None:
    if "min_length" in limits and len(text) < limits["min_length"]:
        raise Unchecked
    if "max_length" in limits and len(text) > limits["max_length"]:
        raise Unchecked
    pattern = limits.get("pattern")
    if pattern == LINE_PATTERN:
        # The one-line text rule, as `constraints.is_line` applies it (the same pattern,
        # lone surrogates refused too). Speed: compiling the pattern costs about 1.5 ms of
        # every command that reads a programme; `is_line` reads ASCII text without it.
        if not is_line(text):
            raise Unchecked
    elif pattern is not None:
        if pattern not in _patterns:
            _patterns[pattern] = re.compile(pattern)
        # pydantic searches with Rust's regex, whose `$` is the very end; Python's also
        # matches before a final newline, so text ending in one is left to pydantic.
        if text.endswith("\n") or _patterns[pattern].search(text) is None:
            raise Unchecked
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:  # a lone surrogate: pydantic refuses it
            raise Unchecked from None
