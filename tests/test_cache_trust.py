"""Issue 18, point 13: a forged cache marker never lets bad bytes through.

A marker's name is a keyed hash whose key (the rules' source) is public, so
anyone who can write to the cache folder can mark any bytes "validated". A
read that finds a marker rebuilds the records without pydantic
(`validation.build`); `build` checks every field by the very limits pydantic
applies, and whatever it cannot vouch for is validated in full, as if there
were no marker: the student gets the same one-line error either way.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from conftest import SHIPPED, Run, assert_one_line_error, child_env
from mldsplan.domain import constraints
from mldsplan.domain.errors import FileFormatError
from mldsplan.domain.progress import Progress
from mldsplan.storage import document, store, validation
from mldsplan.storage.cache import Cache

VALID = """\
schema_version = 3
revision = 3
start = "2025-10"
weekly_hours = 21.0
log = '''
2026-11-20 2.0 bayesian lecture
'''

[completions.programming]
on = 2026-01-10
resit = false
mark = 68.0

[deferrals]

[term_dates."1.2"]
start = 2026-01-19
end = 2026-04-24

[[assessments.bayesian]]
name = "Coursework"
weight = 40.0
due = 2026-12-01

[timer]
started_at = 2026-11-25T19:00:00+00:00
module = "bayesian"
note = "reading"
"""

# (what, the valid text, the bad text, the field the error names)
FORGED = [
    ("nan hours", "weekly_hours = 21.0", "weekly_hours = nan", "weekly_hours"),
    ("inf hours", "weekly_hours = 21.0", "weekly_hours = -inf", "weekly_hours"),
    ("huge hours", "weekly_hours = 21.0", "weekly_hours = 1e308", "weekly_hours"),
    ("huge integer hours", "weekly_hours = 21.0", f"weekly_hours = {10**400}", "weekly_hours"),
    ("text weight", "weight = 40.0", 'weight = "x"', "assessments.bayesian[0].weight"),
    ("zero weight", "weight = 40.0", "weight = 0", "assessments.bayesian[0].weight"),
    ("mark 1000", "mark = 68.0", "mark = 1000", "completions.programming.mark"),
    ("mark -1", "mark = 68.0", "mark = -1", "completions.programming.mark"),
    ("bool for a float", "mark = 68.0", "mark = true", "completions.programming.mark"),
    ("float for a bool", "resit = false", "resit = 0.0", "completions.programming.resit"),
    ("text for a date", "on = 2026-01-10", 'on = "2026-01-10"', "completions.programming.on"),
    ("date-time for a date", "on = 2026-01-10", "on = 2026-01-10T10:00:00Z", "completions.programming.on"),
    ("unknown key", "resit = false", 'resit = false\ncolour = "red"', "completions.programming.colour"),
    ("unknown top-level key", "revision = 3", "revision = 3\nmood = 1", "mood"),
    ("missing required key", "end = 2026-04-24", "", 'term_dates.1.2.end'),
    ("code breaks the pattern", "[completions.programming]", "[completions.Programming]", "completions.Programming"),
    ("timer module breaks the pattern", 'module = "bayesian"', 'module = "Bayes ian"', "timer.module"),
    ("naive timer start", "started_at = 2026-11-25T19:00:00+00:00", "started_at = 2026-11-25T19:00:00", "timer.started_at"),
    ("control character in a note", 'note = "reading"', 'note = "read\\u0007ing"', "timer.note"),
    ("line separator in a name", 'name = "Coursework"', 'name = "Course\\u2028work"', "assessments.bayesian[0].name"),
    ("empty name", 'name = "Coursework"', 'name = ""', "assessments.bayesian[0].name"),
    ("long note", 'note = "reading"', f'note = "{"x" * 201}"', "timer.note"),
    ("negative revision", "revision = 3", "revision = -1", "revision"),
    ("float revision", "revision = 3", "revision = 3.0", "revision"),
    ("deferral of 0 years", "[deferrals]", "[deferrals]\nagents = 0", "deferrals.agents"),
    ("bad term key", '[term_dates."1.2"]', '[term_dates."1.2 "]', "term_dates"),
    ("bad start month", 'start = "2025-10"', 'start = "2025-13"', "start"),
    ("start month with a newline", 'start = "2025-10"', 'start = "2025-10\\n"', "start"),
    ("assessments not a list", "[[assessments.bayesian]]", "[assessments.bayesian]", "assessments.bayesian"),
    ("completion not a table", "[deferrals]", '[deferrals]\n\n[completions]\nmaths = "yes"', "completions.maths"),
    ("schema version as a float", "schema_version = 3\n", "schema_version = 3.0\n", "schema_version"),
]  # fmt: skip


def _forge(cache_dir: Path, content: bytes) -> Cache:
    cache = Cache(cache_dir)
    cache.remember("progress", content)  # what an attacker (or a bug) can do
    assert cache.knows("progress", content)
    return cache


@pytest.fixture
def cache_dir() -> Path:
    return Path(os.environ["MLDSPLAN_CACHE_DIR"])


@pytest.fixture
def valid(run: Run, progress_file: Path, cache_dir: Path) -> bytes:
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_text(VALID)
    run("progress", "--json")  # validated in full, and remembered
    assert Cache(cache_dir).knows("progress", VALID.encode())
    return VALID.encode()


@pytest.mark.parametrize(
    "old,new,field", [case[1:] for case in FORGED], ids=[case[0] for case in FORGED]
)
def test_a_forged_marker_gives_the_error_full_validation_gives(
    run: Run, progress_file: Path, cache_dir: Path, valid: bytes, old: str, new: str, field: str
) -> None:
    text = VALID.replace(old, new, 1)
    assert text != VALID
    bad = text.encode()
    progress_file.write_bytes(bad)
    unmarked = run("progress", "--json", ok=False)
    assert_one_line_error(unmarked, str(progress_file), field)
    assert not Cache(cache_dir).knows("progress", bad)  # a refused file is never remembered
    _forge(cache_dir, bad)
    marked = run("progress", "--json", ok=False)
    assert "internal error" not in marked.stderr
    assert_one_line_error(marked, str(progress_file), field)
    assert marked.stderr == unmarked.stderr
    assert progress_file.read_bytes() == bad


def test_a_forged_marker_in_a_fresh_process(
    progress_file: Path, cache_dir: Path, valid: bytes
) -> None:
    """The first reproduction as the student meets it: a real `mldsplan` process."""
    bad = valid.replace(b"weekly_hours = 21.0", b"weekly_hours = nan")
    progress_file.write_bytes(bad)
    _forge(cache_dir, bad)
    done = subprocess.run(
        [sys.executable, "-m", "mldsplan", "progress", "--json"],
        env=child_env(progress_file, MLDSPLAN_CACHE_DIR=str(cache_dir)),
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"Error: {progress_file}: weekly_hours: "), done.stderr
    assert "internal error" not in done.stderr


def test_a_true_marker_still_skips_pydantic(
    run: Run, valid: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = run("progress", "--json").stdout

    def no_pydantic(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a marked, valid file was validated again")

    monkeypatch.setattr(validation, "validate", no_pydantic)
    assert run("progress", "--json").stdout == uncached


def test_a_file_of_the_previous_schema_is_marked_too(
    run: Run, progress_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade, a student who only reads keeps fast reads before the first write."""
    fixture = Path(__file__).parent / "fixtures" / "progress-v2.toml"
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_bytes(fixture.read_bytes())
    uncached = run("progress", "--json").stdout

    def no_pydantic(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a marked, valid file was validated again")

    monkeypatch.setattr(validation, "validate", no_pydantic)
    assert run("progress", "--json").stdout == uncached
    assert progress_file.read_bytes() == fixture.read_bytes()  # a read never migrates the file


def test_a_forged_marker_is_validated_in_full_and_not_remembered_again(
    progress_file: Path, cache_dir: Path, valid: bytes
) -> None:
    bad = valid.replace(b"mark = 68.0", b"mark = 1000")
    cache = _forge(cache_dir, bad)
    before = sorted(p.name for p in cache_dir.iterdir())
    with pytest.raises(FileFormatError, match=r"completions\.programming\.mark"):
        store.parse(progress_file, bad, cache)
    assert sorted(p.name for p in cache_dir.iterdir()) == before


# --- build agrees with pydantic -----------------------------------------------

ADAPTER = TypeAdapter(Progress)
PATH = Path("progress.toml")


def _pydantic(data: dict[str, Any]) -> Progress | None:
    try:
        return ADAPTER.validate_python(data)
    except ValidationError:
        return None


def _same(built: Any, validated: Any) -> None:
    """Equal, and of the same types throughout (5 and 5.0 are equal, but not the same)."""
    assert built == validated
    assert repr(built) == repr(validated)


# One line of text: words of letters, digits, punctuation and symbols, one space apart.
_word = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=12)


def _line(most: int) -> st.SearchStrategy[str]:
    return (
        st.lists(_word, min_size=1, max_size=8)
        .map(" ".join)
        .filter(lambda t: len(t) <= most and constraints.is_line(t))
    )


# Anything a TOML file can hold (no lone surrogates; build refuses those too, see HOSTILE).
_any_char = st.characters(blacklist_categories=("Cs",))
codes = st.from_regex(r"[a-z0-9][a-z0-9-]{0,39}", fullmatch=True)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.builds(
    lambda d, tz: d.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    offsets,
)


def _number(low: float, high: float, *, above: bool = False) -> st.SearchStrategy[Any]:
    floats = st.floats(min_value=low, max_value=high, exclude_min=above)
    ints = st.integers(min_value=int(low) + (1 if above else 0), max_value=int(high))
    return floats | ints | st.sampled_from([high, float(high)])


marks = _number(0, 100)
_completion = st.fixed_dictionaries({"on": days}, optional={"mark": marks, "resit": st.booleans()})
_assessment = st.fixed_dictionaries(
    {
        "name": _line(80),
        "weight": _number(0, 100, above=True),
    },
    optional={"due": days, "mark": marks},
)
_timer = st.fixed_dictionaries(
    {"started_at": moments},
    optional={"module": codes, "note": _line(200)},
)
valid_documents = st.fixed_dictionaries(
    {"schema_version": st.just(3)},
    optional={
        "revision": st.integers(min_value=0, max_value=2**80),
        "start": st.builds(
            lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(1, 12)
        ),
        "weekly_hours": _number(1, 168),
        "completions": st.dictionaries(codes, _completion, max_size=4),
        "deferrals": st.dictionaries(codes, st.integers(1, 10), max_size=3),
        "term_dates": st.dictionaries(
            st.from_regex(r"[1-9]\.[1-9]", fullmatch=True),
            st.fixed_dictionaries({"start": days, "end": days}),
            max_size=3,
        ),
        "assessments": st.dictionaries(codes, st.lists(_assessment, max_size=3), max_size=3),
        "timer": _timer,
    },
)

HOSTILE = [
    float("nan"), float("inf"), -float("inf"), 1e308, -0.0, 0, 0.0, -1, 1, 2.0, 100, 100.000001,
    168, 168.5, 10**400, 2**63, True, False, "", "x", "2026-01-10", "Ab", "a\n", "ok\n",
    "a\u2028b", "a\x85", "a\ud800", "a\u200eb", "a" + "'" * 3 + "b", "it's", "'", " a", "a ",
    "\u00a0a", [], {}, [1], {"x": 1}, None, date(2026, 1, 10), datetime(2026, 1, 10, 9, 0),
    datetime(2026, 1, 10, 9, 0, tzinfo=UTC),
]  # fmt: skip
# What a hand edit, a bug or an attacker may put anywhere.
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.floats(),
    st.integers(),
    st.text(_any_char, max_size=210),
    days,
    moments,
)


def _places(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document: keys of tables and indices of lists, depth first."""
    found = [where] if where else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _places(v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _places(v, (*where, i))
    return found


def _mutate(data: dict[str, Any], place: tuple[Any, ...], how: str, new: Any) -> dict[str, Any]:
    changed: Any = copy.deepcopy(data)
    parent = changed
    for step in place[:-1]:
        parent = parent[step]
    last = place[-1]
    if how == "replace":
        parent[last] = new
    elif how == "delete":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[f"x{new!r}"[:20] if not isinstance(new, str) else new] = new
    elif how == "rename" and isinstance(parent, dict) and isinstance(new, str):
        parent[new] = parent.pop(last)
    return typing.cast(dict[str, Any], changed)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents)
def test_build_gives_what_pydantic_gives_for_every_valid_document(data: dict[str, Any]) -> None:
    validated = _pydantic(data)
    assume(validated is not None)  # nearly always (a text rule may refuse three quotes in a row)
    _same(validation.build(Progress, data), validated)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents, st.data())
def test_build_never_accepts_what_pydantic_refuses(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    places = _places(data)
    if not places:
        places = [("schema_version",)]
    place = draw.draw(st.sampled_from(places))
    how = draw.draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "rename"]))
    new = draw.draw(hostile)
    mutated = _mutate(data, place, how, new)
    validated = _pydantic(mutated)
    try:
        built = validation.build(Progress, mutated)
    except validation.Unchecked:
        event("left to full validation")
        return
    event("rebuilt")
    assert validated is not None, ("build let through what pydantic refuses", mutated)
    _same(built, validated)


_RULED = [
    (name, kind)
    for name, kind in vars(constraints).items()
    if typing.get_origin(kind) is typing.Annotated
]


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


@pytest.mark.parametrize("name,kind", _RULED, ids=[name for name, _ in _RULED])
@settings(max_examples=150, deadline=None)
@given(value=hostile)
def test_each_constrained_type_agrees_with_pydantic(name: str, kind: Any, value: Any) -> None:
    if name not in _ADAPTERS:
        _ADAPTERS[name] = TypeAdapter(kind)
    adapter = _ADAPTERS[name]
    try:
        expected = adapter.validate_python(value)
    except ValidationError:
        expected = None
    try:
        built = validation.build(kind, value)
    except validation.Unchecked:
        built = None
    if built is not None:
        _same(built, expected)
    # build leaves to pydantic only what pydantic refuses, or a string with a final
    # newline (Python's `$` matches before it, the Rust regex pydantic uses does not).
    elif expected is not None:
        assert isinstance(value, str) and value.endswith("\n"), (name, value, expected)


def test_every_limit_of_every_rule_is_one_build_checks() -> None:
    """A new kind of limit in `constraints` must be taught to `build`, not skipped."""
    for name, kind in _RULED:
        for rule in typing.get_args(kind)[1:]:
            assert set(rule.limits) <= validation.LIMITS, name


def test_from_validated_falls_back_to_full_validation() -> None:
    with pytest.raises(FileFormatError, match=r"weekly_hours: nan is not a number"):
        document.from_validated(PATH, {"schema_version": 3, "weekly_hours": float("nan")})


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("total_ects = 90", "total_ects = 95", "total_ects"),  # a rule across fields
        ("weekly_hours = 21", "weekly_hours = nan", "weekly_hours"),  # a field's own limit
    ],
)
def test_a_forged_programme_marker_gives_the_error_full_validation_gives(
    run: Any, tmp_path: Path, old: str, new: str, needle: str
) -> None:
    text = SHIPPED.read_text()
    assert old in text
    bad = tmp_path / "programme.toml"
    bad.write_text(text.replace(old, new))
    unmarked = run("--programme", str(bad), "plan", ok=False)
    Cache(tmp_path / "cache").remember("programme", bad.read_bytes())
    marked = run("--programme", str(bad), "plan", ok=False)
    assert "internal error" not in marked.stderr
    assert_one_line_error(marked, needle)
    assert marked.stderr == unmarked.stderr
