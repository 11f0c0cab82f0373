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
from typing import TYPE_CHECKING, Annotated, Any

if TYPE_CHECKING:
    import re

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # YYYY-MM (the years' range: dates.parse_month)
TERM_KEY_PATTERN = r"^[1-9]\.[1-9]$"

# --- one-line text: every name, title and note, in both files and in arguments ---
#
# No control characters, which would reach a terminal, a calendar or a CSV cell
# as they are: C0 (tab and newline too: a field is one line), DEL, C1 (U+0085
# and U+009B, a terminal's CSI, among them), the line and paragraph separators,
# and the bidirectional controls that reorder what is shown (U+061C, U+200E,
# U+200F, U+202A-U+202E, U+2066-U+2069). No white space at either end (what
# `str.strip` removes; the others are controls). No `'''`, which would end
# the TOML literal string the study log is written in.
CONTROLS = r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
SPACES = r" \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
TRIPLE_QUOTE = "'" * 3
MAX_NAME = 80
MAX_TEXT = 200  # titles and notes


def _line_pattern(controls: str) -> str:
    # Without look-arounds, which pydantic's regex engine lacks: the text is runs
    # of quotes (one or two) between runs of anything else, and starts and ends
    # with neither white space nor a control.
    other = f"[^{controls}']"  # any allowed character but a quote
    solid = f"[^{controls}{SPACES}']"  # ... and not white space
    from_quote = f"'{{1,2}}(?:{other}+'{{1,2}})*(?:{other}*{solid})?"
    return f"^(?:{from_quote}|{solid}(?:{other}*(?:{from_quote}|{solid}))?)?$"


LINE_PATTERN = _line_pattern(CONTROLS)
_line: re.Pattern[str] | None = None  # compiled by Python, lone surrogates refused too


def is_line(text: str) -> bool:
    """Whether `text` is one line of plain text as the files hold it (or empty).

    The same pattern the records' `Text`, `Name` and `Note` fields apply, with
    lone surrogates (from undecodable arguments) refused as pydantic refuses them.
    """
    if text.isascii():
        # The same rule, read off for ASCII (every control there is unprintable, the
        # only white space that prints is " "), without compiling or running the
        # pattern: a log of 20,000 notes is checked on every read.
        return text.isprintable() and text.strip(" ") == text and TRIPLE_QUOTE not in text
    global _line
    if _line is None:
        import re

        _line = re.compile(_line_pattern(CONTROLS + r"\ud800-\udfff"))
    return _line.fullmatch(text) is not None


LINE_RULES = (
    f"one line of plain text (no control characters, no space at either end, no {TRIPLE_QUOTE})"
)


def text_problem(text: str, most: int) -> str | None:
    """Why `text` (already stripped) cannot be a name, title or note; None when it can."""
    if not text:
        return "is empty"
    if len(text) > most:
        return f"has {len(text)} characters, more than {most}"
    if not is_line(text):
        return f"must be {LINE_RULES}"
    return None


def name_key(name: str) -> str:
    """The comparable form of a name: NFC-normalised and case-folded (Unicode's
    canonical caseless match), so that "Café" typed either way is one name."""
    import unicodedata

    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name.strip()).casefold())


# --- numbers ----------------------------------------------------------------

# Every write adds 1 to the revision, and a calendar event's SEQUENCE is the revision:
# RFC 5545 (3.8.7.4, 3.3.8) makes SEQUENCE a signed 32-bit integer, so that is the bound.
MAX_REVISION = 2**31 - 1

# The one tolerance for comparing sums of floats with a limit (ECTS, weights,
# hours): adding 0.1 three times is not exactly 0.3. A single value is compared
# exactly, as the files' limits compare it.
DECIMALS = 9
EPSILON = 10.0**-DECIMALS


def settled(value: float) -> float:
    """A value computed from floats, without the noise below EPSILON: a weighted mean
    of marks of 100 is 100, not 100.00000000000001, before it is checked or stored."""
    return round(value, DECIMALS)


def shown(value: float, *limits: float) -> str:
    """`value` for a message: `:g`, or with just enough digits more to show on
    which side of each limit it lies (never "100 is more than 100")."""
    for digits in range(6, 18):
        text = f"{value:.{digits}g}"
        near = float(text)
        if all((near > x) == (value > x) and (near < x) == (value < x) for x in limits):
            return text
    return repr(value)


def mark_shown(value: float, *limits: float) -> str:
    """A mark or an average to two decimals, rounded half up, and never shown on the
    other side of a limit it is near: an average of 69.995 reads 69.99 beside a
    distinction at 70, not "70.00 (merit)"."""
    from mldsplan.domain.numbers import cents

    shown_value = cents(value)
    for limit in limits:
        top, bottom = limit.as_integer_ratio()  # the limit exactly: top / bottom
        if value < limit and top * 100 <= shown_value * bottom:
            shown_value = cents(value, "floor")
        elif shown_value * bottom < top * 100 and limit <= value:
            shown_value = cents(value, "ceiling")
    sign = "-" if shown_value < 0 or (shown_value == 0 and str(value).startswith("-")) else ""
    return f"{sign}{abs(shown_value) // 100}.{abs(shown_value) % 100:02d}"


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
# A code's shape; "" (none yet) is given one by the record (`progress.with_ids`).
AssessmentId = Annotated[str, Rule(pattern=r"^(?:[a-z0-9][a-z0-9-]{0,39})?$")]
Text = Annotated[str, Rule(min_length=1, max_length=MAX_TEXT, pattern=LINE_PATTERN)]
Name = Annotated[str, Rule(min_length=1, max_length=MAX_NAME, pattern=LINE_PATTERN)]
Note = Annotated[str, Rule(min_length=1, max_length=MAX_TEXT, pattern=LINE_PATTERN)]
Positive = Annotated[float, Rule(gt=0, le=100_000)]
# Limits that messages state too: each number once, here.
MIN_WEEKLY_HOURS, MAX_WEEKLY_HOURS = 1.0, 168.0
MAX_MARK = 100.0  # marks and weights are percentages
MAX_DEFER_YEARS = 10

Hours = Annotated[float, Rule(ge=MIN_WEEKLY_HOURS, le=MAX_WEEKLY_HOURS)]
Mark = Annotated[float, Rule(ge=0, le=MAX_MARK)]
Weight = Annotated[float, Rule(gt=0, le=MAX_MARK)]
Count = Annotated[int, Rule(ge=1, le=1000)]
Month = Annotated[int, Rule(ge=1, le=12)]
Months = Annotated[int, Rule(ge=1, le=240)]
Years = Annotated[int, Rule(ge=1, le=MAX_DEFER_YEARS)]
Revision = Annotated[int, Rule(ge=0, le=MAX_REVISION)]
MonthText = Annotated[str, Rule(pattern=MONTH_PATTERN)]
TermKey = Annotated[str, Rule(pattern=TERM_KEY_PATTERN)]
Flag = Annotated[bool, Rule()]
# Schema 4: a study-log entry's id (12 hex digits), a computer's id (8), a change stamp
# ("COMPUTER:COUNTER" pairs, space-separated: a version vector), the key a stamp is for
# ("completions.eda", "assessments.eda.<id>.mark", "log.<id>"), a study window
# ("mon-fri 19:00-22:00", checked in full by `domain.windows`), a reminder's key.
ENTRY_ID_PATTERN = r"^[0-9a-f]{12}$"
NODE_PATTERN = r"^[0-9a-f]{8}$"
STAMP_PATTERN = r"^[0-9a-f]{8}:[1-9][0-9]{0,17}(?: [0-9a-f]{8}:[1-9][0-9]{0,17})*$"
STAMP_KEY_PATTERN = r"^[a-z_]+(?:\.[A-Za-z0-9_.-]{1,60}){0,3}$"
EntryId = Annotated[str, Rule(pattern=ENTRY_ID_PATTERN)]
Stamp = Annotated[str, Rule(pattern=STAMP_PATTERN, max_length=2000)]
StampKey = Annotated[str, Rule(pattern=STAMP_KEY_PATTERN)]
WindowText = Annotated[str, Rule(pattern=r"^[a-z,-]{3,40} [0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$")]
BlocksText = Annotated[str, Rule(pattern=r"^[0-9]{1,4}-[0-9]{1,4}$")]
MAX_REMIND_DAYS = 60
RemindDay = Annotated[int, Rule(ge=0, le=MAX_REMIND_DAYS)]
NoticeKey = Annotated[str, Rule(pattern=r"^[a-z]+:[A-Za-z0-9_.:/-]{1,120}$")]
OpeningHours = Annotated[float, Rule(gt=0, le=100_000)]
Day = Annotated[date, Rule()]
Moment = Annotated[datetime, Rule(tz_constraint="aware")]


def limit_problem(value: float, field: Any) -> str | None:
    """Why `value` is outside a number field's limits (`Mark`, `Hours`, ...), read
    from the field's own `Rule`, as "must be at least 0 and at most 100"; None
    when it is inside. An argument is checked against the same limits as the file."""
    limits = field.__metadata__[0].limits
    low = [
        (f"at least {limits['ge']:g}", value >= limits["ge"]) if "ge" in limits else None,
        (f"more than {limits['gt']:g}", value > limits["gt"]) if "gt" in limits else None,
    ]
    high = [
        (f"at most {limits['le']:g}", value <= limits["le"]) if "le" in limits else None,
        (f"less than {limits['lt']:g}", value < limits["lt"]) if "lt" in limits else None,
    ]
    bounds = [b for b in (*low, *high) if b is not None]
    if all(ok for _, ok in bounds):
        return None
    numbers = [limits[k] for k in ("ge", "gt", "le", "lt") if k in limits]
    return f"{shown(value, *numbers)} must be {' and '.join(text for text, _ in bounds)}"
