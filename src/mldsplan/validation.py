"""Pydantic validation of the records, imported only when a file is new to us.

The records (`Programme`, `Progress`, ...) are plain dataclasses whose field
types name the constrained types below (`Code`, `Mark`, ...). Their modules
see those names only under TYPE_CHECKING; `bind_constraints` binds them, with
their real `annotated_types` constraints, just before pydantic first reads
the annotations. A read of an already-validated file so never pays for
importing pydantic or annotated_types.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from mldsplan import tomlfile

T = TypeVar("T")
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")

if TYPE_CHECKING:
    Code = str
    Text = str
    Note = str
    Positive = float
    Hours = float
    Mark = float
    Count = int
    Month = int
    Months = int
    Years = int
    MonthText = str


def is_a_code(value: str) -> bool:
    """Lower-case letters, digits and '-', at most 40 characters."""
    return _CODE.fullmatch(value) is not None


def is_a_month(value: str) -> bool:
    """YYYY-MM."""
    return _MONTH.fullmatch(value) is not None


def constraints() -> dict[str, Any]:
    from annotated_types import Ge, Gt, Le, MaxLen, MinLen, Predicate

    return {
        "Code": Annotated[str, Predicate(is_a_code)],
        "Text": Annotated[str, MinLen(1), MaxLen(200)],
        "Positive": Annotated[float, Gt(0)],
        "Hours": Annotated[float, Gt(0), Le(168)],
        "Mark": Annotated[float, Ge(0), Le(100)],
        "Count": Annotated[int, Ge(1)],
        "Month": Annotated[int, Ge(1), Le(12)],
        "Months": Annotated[int, Ge(1), Le(240)],
        "Years": Annotated[int, Ge(1), Le(10)],
        "MonthText": Annotated[str, Predicate(is_a_month)],
    }


def bind_constraints(cls: type) -> None:
    """Make the constrained type names resolvable in `cls`'s module."""
    namespace = vars(sys.modules[cls.__module__])
    if "Code" not in namespace:
        namespace.update(constraints())


def validate(path: Path, cls: type[T], data: Any) -> tuple[T | None, list[str]]:
    """`data` as a `cls`, or None and one `<file>: <field>: <message>` line per problem."""
    from pydantic import TypeAdapter, ValidationError

    bind_constraints(cls)
    try:
        return TypeAdapter(cls).validate_python(data), []
    except ValidationError as exc:
        return None, tomlfile.validation_problems(path, exc.errors())
