"""The constrained field types of the records, as ordinary module-level names.

Each is `Annotated[base, Rule(...)]`. A `Rule` holds pydantic-core schema
limits (`ge`, `le`, `pattern`, `strict`, ...) and applies them when pydantic
builds a validator, so this module imports neither pydantic nor
annotated_types: a command reading an already-validated file pays for neither.
Every field is strict: a file that says `mark = "71"` or `mark = true` is
wrong, not quietly converted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # YYYY-MM (the years' range: dates.parse_month)
TERM_KEY_PATTERN = r"^[1-9]\.[1-9]$"
# Text fields are one line: no control characters (which would reach the
# terminal, a calendar or a CSV cell unescaped).
LINE_PATTERN = r"^[^\x00-\x1f\x7f\u0085\u2028\u2029]*$"


class Rule:
    """Limits pydantic applies to a field (see `__get_pydantic_core_schema__`)."""

    __slots__ = ("limits",)

    def __init__(self, **limits: Any) -> None:
        self.limits = {"strict": True, **limits}

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema.update(self.limits)
        return schema

    def __repr__(self) -> str:  # part of the validation-rules fingerprint
        return f"Rule({sorted(self.limits.items())!r})"


Code = Annotated[str, Rule(pattern=CODE_PATTERN)]
Text = Annotated[str, Rule(min_length=1, max_length=200, pattern=LINE_PATTERN)]
Name = Annotated[str, Rule(min_length=1, max_length=80, pattern=LINE_PATTERN)]
Note = Annotated[str, Rule(max_length=200, pattern=LINE_PATTERN)]
Positive = Annotated[float, Rule(gt=0, le=100_000)]
Hours = Annotated[float, Rule(ge=1, le=168)]
Mark = Annotated[float, Rule(ge=0, le=100)]
Weight = Annotated[float, Rule(gt=0, le=100)]
Count = Annotated[int, Rule(ge=1, le=1000)]
Month = Annotated[int, Rule(ge=1, le=12)]
Months = Annotated[int, Rule(ge=1, le=240)]
Years = Annotated[int, Rule(ge=1, le=10)]
Revision = Annotated[int, Rule(ge=0)]
MonthText = Annotated[str, Rule(pattern=MONTH_PATTERN)]
TermKey = Annotated[str, Rule(pattern=TERM_KEY_PATTERN)]
Flag = Annotated[bool, Rule()]
Day = Annotated[date, Rule()]
Moment = Annotated[datetime, Rule(tz_constraint="aware")]
