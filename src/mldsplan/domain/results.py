"""The base of every command's result: what `--json` carries besides the data; and
`record`, the cheap class decorator every result class uses."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import MISSING, Field, field
from types import SimpleNamespace
from typing import Any, TypeVar, dataclass_transform

# The `--json` output's own version (docs/json.md), apart from the progress file's
# SCHEMA_VERSION: renaming a JSON key and migrating the file are separate changes.
JSON_SCHEMA_VERSION = 2

T = TypeVar("T")

# What `dataclasses` reads of a base class's parameters (a dataclass may subclass a record).
_PARAMS = SimpleNamespace(
    init=True,
    repr=False,
    eq=False,
    order=False,
    unsafe_hash=False,
    frozen=False,
    match_args=False,
    kw_only=True,
    slots=False,
    weakref_slot=False,
)


def _init(self: Any, **values: Any) -> None:
    """Every record's `__init__`: keyword arguments only, each field's default or factory
    for one not given (as `dataclass(kw_only=True)` generates, without generating it)."""
    into = self.__dict__
    for name, default, factory in type(self).__record_init__:
        if name in values:
            into[name] = values.pop(name)
        elif factory is not MISSING:
            into[name] = factory()
        elif default is not MISSING:
            into[name] = default
        else:
            raise TypeError(f"{type(self).__name__}() missing keyword argument {name!r}")
    if values:
        raise TypeError(
            f"{type(self).__name__}() got an unexpected keyword argument {next(iter(values))!r}"
        )


@dataclass_transform(kw_only_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """A result class as `@dataclass(kw_only=True, eq=False, repr=False)` makes it (its
    fields, in the same order, seen by `dataclasses.fields`, so `--json` is unchanged, and a
    dataclass may subclass it), but about eight times cheaper to create: no code is
    generated and compiled per class, which is most of a dataclass's start-up cost."""
    fields: dict[str, Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        fields.update(getattr(base, "__dataclass_fields__", {}))
    for name, kind in inspect.get_annotations(cls).items():  # `dataclasses` imports inspect
        given = cls.__dict__.get(name, MISSING)
        made = given if isinstance(given, Field) else field(default=given)
        made.name, made.type, made.kw_only = name, kind, True
        made._field_type = dataclasses._FIELD  # type: ignore[union-attr, attr-defined]
        if isinstance(given, Field):
            if made.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, made.default)
        fields[name] = made
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    cls.__dataclass_params__ = _PARAMS  # type: ignore[attr-defined]
    cls.__record_init__ = tuple(  # type: ignore[attr-defined]
        (f.name, f.default, f.default_factory) for f in fields.values()
    )
    cls.__init__ = _init  # type: ignore[method-assign]
    return cls


@record
class Result:
    schema_version: int = JSON_SCHEMA_VERSION
