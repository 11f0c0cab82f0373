"""The base of every command's result: what `--json` carries besides the data; and the
cheap class decorators: `record`, which every result class uses, and `frozen_record`,
which every class of the two files' records (`programme`, `progress`) uses."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import MISSING, Field, field
from operator import attrgetter
from types import SimpleNamespace
from typing import Any, TypeVar, dataclass_transform, overload

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


# What `dataclasses` and pydantic read of a frozen record's parameters.
_FROZEN_PARAMS = SimpleNamespace(
    **{**vars(_PARAMS), "repr": True, "eq": True, "frozen": True, "slots": True}
)
_FROZEN_POSITIONAL = SimpleNamespace(**{**vars(_FROZEN_PARAMS), "kw_only": False})


def _frozen_init(self: Any, *given: Any, **values: Any) -> None:
    """Every frozen record's `__init__`: as `_init` (the first fields given in order where
    the class takes them so), into slots, then `__post_init__`."""
    cls = type(self)
    if given:
        if cls.__dataclass_params__.kw_only:
            raise TypeError(
                f"{cls.__qualname__}.__init__() takes 1 positional argument"
                f" but {len(given) + 1} were given"
            )
        fields = cls.__record_init__
        if len(given) > len(fields):
            raise TypeError(
                f"{cls.__qualname__}.__init__() takes from 1 to {len(fields) + 1}"
                f" positional arguments but {len(given) + 1} were given"
            )
        for (name, _, _), value in zip(fields, given, strict=False):
            if name in values:
                raise TypeError(
                    f"{cls.__qualname__}.__init__() got multiple values for argument {name!r}"
                )
            values[name] = value
    for name, default, factory in cls.__record_init__:
        if name in values:
            value = values.pop(name)
        elif factory is not MISSING:
            value = factory()
        elif default is not MISSING:
            value = default
        else:
            raise TypeError(
                f"{cls.__qualname__}.__init__() missing 1 required keyword-only argument: {name!r}"
            )
        _set(self, name, value)
    if values:
        raise TypeError(
            f"{cls.__qualname__}.__init__() got an unexpected keyword argument"
            f" {next(iter(values))!r}"
        )
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


_set = object.__setattr__


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _frozen_eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_values__(self) == other.__record_values__(other)
    return NotImplemented


def _frozen_hash(self: Any) -> int:
    return hash(self.__record_values__(self))


def _frozen_repr(self: Any) -> str:
    values = self.__record_values__(self)
    return (
        f"{type(self).__qualname__}("
        + ", ".join(f"{name}={value!r}" for name, value in zip(self.__slots__, values, strict=True))
        + ")"
    )


@overload
def frozen_record(cls: type[T], /) -> type[T]: ...
@overload
def frozen_record(*, kw_only: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def frozen_record(
    cls: type[T] | None = None, /, *, kw_only: bool = True
) -> type[T] | Callable[[type[T]], type[T]]:
    """A file record's class as `@dataclass(frozen=True, slots=True, kw_only=True)` makes
    it, for `dataclasses` and pydantic alike (the same fields, parameters, slots, equality,
    hash and repr, and `__post_init__`), made without generating and compiling code per
    class. Speed: the 15 classes of `programme` and `progress` cost about 10 ms of every
    command as dataclasses (about 0.7 ms a class, the slots doubling it), about 1 ms so.

    A frozen record has no base class of its own (none needs one). `kw_only=False`:
    its fields may be given in order too, as `@dataclass(frozen=True, slots=True)`'s."""
    if cls is None:
        return lambda cls: _frozen_record(cls, kw_only)
    return _frozen_record(cls, kw_only)


def _frozen_record(cls: type[T], kw_only: bool) -> type[T]:
    names = tuple(inspect.get_annotations(cls))
    fields: dict[str, Field[Any]] = {}
    namespace = dict(cls.__dict__)
    for name in names:
        given = namespace.pop(name, MISSING)
        made = given if isinstance(given, Field) else field(default=given)
        made.name, made.type, made.kw_only = name, namespace["__annotations__"][name], kw_only
        made._field_type = dataclasses._FIELD  # type: ignore[union-attr, attr-defined]
        fields[name] = made
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace.update(
        __slots__=names,
        __dataclass_fields__=fields,
        __dataclass_params__=_FROZEN_PARAMS if kw_only else _FROZEN_POSITIONAL,
        __match_args__=() if kw_only else names,
        __record_init__=tuple((f.name, f.default, f.default_factory) for f in fields.values()),
        # A tuple of the values, whatever their number (attrgetter of one name gives the value).
        __record_values__=attrgetter(*names)
        if len(names) > 1
        else staticmethod(lambda self: (getattr(self, names[0]),)),
        __init__=_frozen_init,
        __setattr__=_frozen_setattr,
        __delattr__=_frozen_delattr,
        __eq__=_frozen_eq,
        __hash__=_frozen_hash,
        __repr__=_frozen_repr,
        __getstate__=dataclasses._dataclass_getstate,  # type: ignore[attr-defined]
        __setstate__=dataclasses._dataclass_setstate,  # type: ignore[attr-defined]
    )
    frozen: type[T] = type(cls.__name__, cls.__bases__, namespace)
    frozen.__qualname__ = cls.__qualname__
    return frozen


@record
class Result:
    schema_version: int = JSON_SCHEMA_VERSION
