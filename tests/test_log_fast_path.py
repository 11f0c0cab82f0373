"""The study log's fast path (`parse_log` on the file's text) equals the rule (`make_entry`):
for any line, both give the same entry or both refuse it, and a log read line by line
equals the same lines read at once (what the fast path remembers never leaks)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mldsplan.storage.logformat import make_entry, parse_log

days = st.sampled_from(
    [
        "2026-11-20",
        "2026-02-30",
        "2026-2-03",
        "1899-01-01",
        "2026-11-2O",
        "\uff12026-11-20",
        "2026/11/20",
    ]
) | st.dates().map(str)
amounts = st.sampled_from(
    ["1", "0.25", "24", "24.5", "0", "0.001", "1_0", "1e3", "inf", "nan", "-1", "٢", ".5", "5."]
) | st.floats(0, 30, allow_nan=False).map(repr)
modules = st.sampled_from(["-", "maths", "deep-learning", "Bad_Module", "a" * 41, "é"])
notes = st.none() | st.text(max_size=12)
ID = "0123456789ab"


def _one(day: str, hours: str, module: str, note: str | None, entry: str = ID) -> object:
    line = f"{day} {hours} {module} {entry}" + ("" if note is None else f" {note}")
    try:
        return parse_log(line)
    except ValueError:
        return "refused"


def _rule(day: str, hours: str, module: str, note: str | None) -> object:
    try:
        entry = make_entry(day, hours, None if module == "-" else module, note, ID)
    except ValueError:
        return "refused"
    return (entry,)


@settings(max_examples=400, deadline=None)
@given(days, amounts, modules, notes)
def test_a_line_reads_as_the_rule_says(day: str, hours: str, module: str, note: str | None) -> None:
    if note is not None and ("\n" in note or "\r" in note):
        return  # a line break makes two lines: not one entry's note
    fast = _one(day, hours, module, note)
    rule = _rule(day, hours, module, (note or "").strip() or None)  # a line's note is stripped
    assert fast == rule


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(days, amounts, modules), min_size=1, max_size=8))
def test_a_log_reads_as_its_lines_do(lines: list[tuple[str, str, str]]) -> None:
    ids = [f"{n:012x}" for n in range(len(lines))]
    text = "\n".join(" ".join((*fields, i)) for fields, i in zip(lines, ids, strict=True))
    singly = [_one(*fields, None, i) for fields, i in zip(lines, ids, strict=True)]
    if "refused" in singly:
        try:
            parse_log(text)
        except ValueError:
            return
        raise AssertionError("a log with a bad line was read")
    assert parse_log(text) == tuple(e for entries in singly for e in entries)  # type: ignore[attr-defined]
