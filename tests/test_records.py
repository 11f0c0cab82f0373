"""`domain.results.record`: a result class as `@dataclass(kw_only=True, eq=False, repr=False)`
makes it, for `dataclasses.fields`, `--json` and a dataclass that subclasses one."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from mldsplan.domain.marks import GradesResult
from mldsplan.domain.results import JSON_SCHEMA_VERSION, Result, record
from mldsplan.domain.studytime import StatusResult
from mldsplan.output.jsonout import plain


@record
class Base(Result):
    a: int
    b: list[int] = field(default_factory=list)


@record
class Both(Base):
    c: float = 1.0


@dataclass(kw_only=True, eq=False, repr=False)
class Made(Result):
    """A dataclass subclassing a record keeps the record's fields."""

    d: str


def test_fields_in_a_dataclass_s_order_with_its_defaults() -> None:
    both = Both(a=1)
    assert [f.name for f in dataclasses.fields(both)] == ["schema_version", "a", "b", "c"]
    assert plain(both) == {"schema_version": JSON_SCHEMA_VERSION, "a": 1, "b": [], "c": 1.0}
    assert Both(a=1).b is not both.b  # a fresh list each time
    assert plain(Made(d="x")) == {"schema_version": JSON_SCHEMA_VERSION, "d": "x"}


def test_a_result_of_two_bases_orders_its_fields_as_a_dataclass_would() -> None:
    names = [f.name for f in dataclasses.fields(StatusResult)]
    assert names[0] == "schema_version" and names[1] == "running"
    assert [f.name for f in dataclasses.fields(GradesResult)][:2] == ["schema_version", "method"]


def test_a_missing_or_unknown_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match="missing keyword argument 'a'"):
        Base()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Base(a=1, z=2)  # type: ignore[call-arg]
