"""Issue 18: the record's fields. Whatever `check` accepts, every write can write;
text is text; a limit and the message that states it agree; names compare as Unicode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, SHIPPED, TODAY, Refuse, Run, assert_one_line_error
from mldsplan.domain import changes, timer
from mldsplan.domain.errors import FileFormatError, InputError
from mldsplan.domain.progress import SCHEMA_VERSION, NoteError, Progress, Timer, check_note
from mldsplan.domain.rules import record_problems
from mldsplan.domain.stamps import with_ids
from mldsplan.storage import store
from mldsplan.storage.document import from_document
from mldsplan.storage.ids import fresh_entry_id
from mldsplan.storage.logformat import parse_log
from mldsplan.storage.programme_file import load_programme

PROGRAMME = load_programme(SHIPPED)
CODES = PROGRAMME.codes
# "Now" as the CLI has it: MLDSPLAN_NOW parsed, a fixed UTC offset.
CLI_NOW = datetime.fromisoformat(NOW.isoformat())
SetNow = Callable[[datetime], None]

# Characters no text field may hold (issue 18, point 14).
C0 = ["\x00", "\x07", "\t", "\n", "\r", "\x1b", "\x1f"]
C1 = ["\x80", "\x85", "\x9b", "\x9f"]
BIDI = [
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]
FORBIDDEN = [*C0, "\x7f", *C1, "\u2028", "\u2029", *BIDI]


def toml_text(text: str) -> str:
    """`text` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text)


@pytest.fixture
def student(run: Run, progress_file: Path) -> Path:
    run("init", "--start", "2025-10")
    return progress_file


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def checked(run: Run) -> tuple[bool, str]:
    result = run("check", ok=False)
    return result.exit_code == 0, result.stdout


def export_json(run: Run, tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    data = json.loads(run("export", "--format", "json").stdout)
    edit(data)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data))
    return path


# --- 9. an empty assessment list --------------------------------------------


def test_an_empty_assessment_list_in_the_file_is_harmless(run: Run, student: Path) -> None:
    append(student, "\n[assessments]\nbayesian = []\n")
    assert checked(run)[0]
    run("log", "1")  # failed: "internal check failed: the record would not read back whole"
    run("assess", "add", "bayes", "Exam", "--weight", "50")
    assert checked(run)[0]


def test_an_empty_assessment_list_in_an_import_is_harmless(
    run: Run, student: Path, tmp_path: Path
) -> None:
    export = export_json(run, tmp_path, lambda d: d.update(assessments={"bayesian": []}))
    run("import", str(export))
    run("log", "1")
    assert checked(run)[0]


# --- 10. timer notes, offsets, and one definition of a note ------------------


def _timer(note: str) -> str:
    return f"\n[timer]\nstarted_at = 2026-11-25T19:00:00+00:00\nnote = {toml_text(note)}\n"


@pytest.mark.parametrize(
    "note",
    ["", "chapter 3  ", "  chapter 3", "a'''b", "x\x9by", "x\u202ey", "\u00a0x"],
    ids=["empty", "trailing-spaces", "leading-spaces", "triple-quote", "csi", "rlo", "nbsp"],
)
def test_a_timer_note_that_stop_cannot_log_is_refused_by_check(
    run: Run, refuse: Refuse, student: Path, note: str
) -> None:
    append(student, _timer(note))
    ok, report = checked(run)
    assert not ok and "timer.note" in report, report
    refuse("stop", needles=("timer.note",))


def test_a_timer_note_from_an_import_that_stop_cannot_log_is_refused(
    run: Run, refuse: Refuse, student: Path, tmp_path: Path
) -> None:
    run("start", "--note", "chapter 3")
    export = export_json(run, tmp_path, lambda d: d["timer"].update(note="chapter 3  "))
    refuse("import", str(export), needles=("timer.note",))


def test_an_ordinary_timer_note_is_logged(run: Run, student: Path) -> None:
    append(student, _timer("chapter 3 'quoted' ''twice''"))
    assert checked(run)[0]
    run("stop")
    assert "chapter 3 'quoted' ''twice''" in student.read_text()


def test_a_clock_with_seconds_in_its_utc_offset_is_refused(refuse: Refuse, set_now: SetNow) -> None:
    set_now(datetime(1971, 6, 1, 10, 0, tzinfo=timezone(-timedelta(minutes=44, seconds=30))))
    refuse("start", needles=("MLDSPLAN_NOW", "-00:44:30"))


def test_a_wall_time_in_a_zone_with_seconds_in_its_offset_is_refused(
    refuse: Refuse, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Liberia kept local mean time, UTC-00:44:30, until 1972: TOML cannot write that offset.
    monkeypatch.setenv("TZ", "Africa/Monrovia")
    set_now(datetime(1971, 6, 1, 10, 0, tzinfo=timezone(-timedelta(minutes=45))))
    refuse("start", "--at", "09:00", needles=("--at: ", "-00:44:30", "offset with seconds"))


def test_a_timer_whose_utc_offset_has_seconds_breaks_a_rule() -> None:
    start = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(-timedelta(minutes=44, seconds=30)))
    record = Progress(start="2025-10", timer=Timer(started_at=start))
    problems = record_problems(record, PROGRAMME, TODAY, now=CLI_NOW)
    assert any(p.field == "timer.started_at" and "-00:44:30" in p.message for p in problems)


def _model_note_accepts(text: str) -> bool:
    from pydantic import TypeAdapter, ValidationError

    from mldsplan.domain.constraints import Note

    try:
        TypeAdapter(Note).validate_python(text)
    except ValidationError:
        return False
    return True


def _checked_note(text: str) -> str | None:
    try:
        return check_note(text)
    except NoteError:
        return None


def _logged_note(text: str) -> tuple[bool, str | None]:
    try:
        (entry,) = parse_log(f"2026-11-20 1 - 0123456789ab {text}")
    except ValueError:
        return False, None
    return True, entry.note


note_texts = st.one_of(
    st.text(max_size=12),
    st.lists(
        st.sampled_from([*FORBIDDEN, " ", "\u00a0", "\u3000", "'", "a", "é", "e\u0301", "\u200b"]),
        max_size=6,
    ).map("".join),
    st.text(min_size=195, max_size=205, alphabet="ab "),
)


@settings(max_examples=400, deadline=None)
@given(note_texts)
def test_one_definition_of_a_note(text: str) -> None:
    """The record's Note, the note a command accepts and a log line's note agree."""
    cleaned = _checked_note(text)
    # The record holds a note exactly when a command would store it unchanged.
    assert _model_note_accepts(text) == (cleaned == text and text != "")
    if "\n" not in text:
        ok, note = _logged_note(text)
        assert ok == (cleaned is not None)
        if ok:
            assert note == (cleaned or None)


@pytest.mark.parametrize("ch", FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_no_forbidden_character_is_a_note(ch: str) -> None:
    assert not _model_note_accepts(f"a{ch}b")
    with pytest.raises(NoteError):
        check_note(f"a{ch}b")
    if ch != "\n":  # in the log, a newline ends the entry
        with pytest.raises(ValueError):
            parse_log(f"2026-11-20 1 - a{ch}b")


# The round trip, in-process: any document a file or an export could hold.

PATH = Path("mem.toml")


# Mostly what a student would write, now and then what a hand edit or an import might.
def _mostly(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`odd` about one time in ten (Hypothesis favours the ends of a range, so not at 0 or 9)."""
    return st.integers(0, 9).flatmap(lambda i: odd if i == 4 else usual)


days = _mostly(
    st.dates(min_value=date(2025, 10, 1), max_value=TODAY),
    st.sampled_from([date(2024, 1, 1), TODAY + timedelta(days=1)]),
)
plain_text = st.lists(
    st.text(alphabet="abXYZ'\u00e9", min_size=1, max_size=6), min_size=1, max_size=3
).map(" ".join)
odd_text = st.lists(
    st.sampled_from(
        [
            *("", " ", "'''", "''", "\x9b", "\u202e", "\x7f", "\t", "\u00a0", "\u2028"),
            *("a", "A", "e\u0301", "\u00e9", "\u1e9e", "ss", "\u0130", "\u200b", "\u3000"),
        ]
    ),
    max_size=4,
).map("".join)
texts = _mostly(plain_text, odd_text)
marks = _mostly(
    st.floats(min_value=50, max_value=100),
    st.sampled_from([0.0, 100.0, 100.00000000000001, 49.99999999, -0.0]),
)
offsets = _mostly(
    st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(hours=-12), timedelta(hours=14)]),
    st.sampled_from([timedelta(hours=5, minutes=45), -timedelta(minutes=44, seconds=30)]),
)
# Modules whose term has begun by now, for a 2025-10 start: a completion may be recorded.
BEGUN = ["ethics-1", "programming", "maths", "eda", "supervised", "bayesian", "deep-learning"]


@st.composite
def moments(draw: st.DrawFn) -> datetime:
    offset = draw(offsets)
    seconds = draw(_mostly(st.integers(-20 * 3600, 0), st.integers(-400 * 86400, 3 * 86400)))
    when = (CLI_NOW + timedelta(seconds=seconds)).astimezone(timezone(offset))
    return when.replace(microsecond=draw(st.sampled_from([0, 0, 0, 250_000])))


def _drop_none(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None}


assessment_items = st.builds(
    lambda name, weight, due, mark: _drop_none(
        {"name": name, "weight": weight, "due": due, "mark": mark}
    ),
    texts,
    _mostly(st.floats(min_value=0.5, max_value=30), st.sampled_from([100.0, 50.0000001, 1e-300])),
    st.none() | days,
    st.none() | marks,
)
log_items = st.builds(
    lambda on, hours, module, note: _drop_none(
        {"on": on, "hours": hours, "module": module, "note": note}
    ),
    days,
    _mostly(st.floats(min_value=0.01, max_value=4), st.sampled_from([0.01, 24.0, 1 / 3])),
    st.none() | st.sampled_from(CODES),
    st.none() | texts,
)
documents = st.fixed_dictionaries(
    {
        "schema_version": st.just(SCHEMA_VERSION),
        "revision": st.integers(0, 10**6),
        "start": st.just("2025-10"),
    },
    optional={
        "weekly_hours": st.floats(min_value=1, max_value=168),
        "completions": st.dictionaries(
            st.sampled_from(BEGUN),
            st.builds(
                lambda on, mark, resit: _drop_none({"on": on, "mark": mark, "resit": resit}),
                st.dates(min_value=date(2026, 10, 1), max_value=TODAY),
                st.none() | marks,
                st.booleans(),
            ),
            max_size=3,
        ),
        "assessments": st.dictionaries(
            st.sampled_from(CODES), st.lists(assessment_items, max_size=3), max_size=3
        ),
        "timer": st.builds(
            lambda at, module, note: _drop_none({"started_at": at, "module": module, "note": note}),
            moments(),
            st.none() | st.sampled_from(CODES),
            st.none() | texts,
        ),
        "log": st.lists(log_items, max_size=4),
    },
)


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


def _read(document: dict[str, Any], how: str) -> Progress | None:
    """The record `check` (a TOML file) or `import` (a JSON export) would accept, or None."""
    import tomli_w

    try:
        if how == "json":
            record = from_document(PATH, _as_json(document), from_json=True)
        else:
            if how == "toml-text" and "log" in document:
                from mldsplan.storage.logformat import make_entry

                lines = []
                for item in document["log"]:
                    entry = make_entry(
                        item["on"].isoformat(), item["hours"], item.get("module"), item.get("note")
                    )
                    lines.append(
                        f"{entry.on} {entry.hours!r} {entry.module or '-'} {entry.note or ''}"
                    )
                document = {**document, "log": "\n".join(lines)}
            record = store.parse(PATH, tomli_w.dumps(document).encode())
    except (FileFormatError, ValueError):
        return None
    if record_problems(record, PROGRAMME, TODAY, now=CLI_NOW):
        return None
    return record


def _writable(record: Progress) -> None:
    """What `store.update` asserts before it writes: the bytes read back as this record."""
    record = with_ids(replace(record, revision=record.revision + 1), fresh_entry_id)
    assert store.parse(PATH, store.serialise(record)) == record


Change = Callable[[Progress], Progress]


def _changes(draw: st.DrawFn, record: Progress) -> list[tuple[str, Change]]:
    code = draw(st.sampled_from(CODES))
    name, note = draw(texts), draw(texts)
    named = [a.name for items in record.assessments.values() for a in items]
    existing = draw(st.sampled_from(named)) if named else "Exam"
    owner = next(
        (c for c, items in record.assessments.items() for a in items if a.name == existing), code
    )
    at = draw(moments())
    return [
        ("stop", lambda r: timer.stop(r, CLI_NOW, CLI_NOW).progress),
        ("cancel", changes.cancel_timer),
        ("start", lambda r: changes.start_timer(r, at, code, note)),
        ("log", lambda r: changes.add_log(r, 1.25, TODAY, TODAY, code, note)),
        ("assess add", lambda r: changes.add_assessment(r, code, name, 20, None)),
        ("assess mark", lambda r: changes.mark_assessment(r, owner, existing, 71.5)),
        ("assess edit", lambda r: changes.edit_assessment(r, owner, existing, new_name=name)),
        ("assess remove", lambda r: changes.remove_assessment(r, owner, existing)),
        ("complete", lambda r: changes.complete(r, [code], TODAY)),
    ]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(documents, st.sampled_from(["toml", "toml-text", "json"]), st.data())
def test_whatever_check_accepts_every_write_can_write(
    document: dict[str, Any], how: str, data: st.DataObject
) -> None:
    record = _read(document, how)
    if record is None:
        return
    _writable(record)
    for _name, change in _changes(data.draw, record):
        try:
            after = change(record)
        except InputError:
            continue
        if after != record and not record_problems(after, PROGRAMME, TODAY, now=CLI_NOW):
            _writable(after)


# --- 11. a timer started after now ------------------------------------------


def test_a_timer_started_on_a_computer_whose_clock_is_ahead_reads_everywhere(
    run: Run, student: Path
) -> None:
    # 2026-11-27T11:59Z, 40 hours after now (2026-11-25T20:00Z): started on another
    # computer whose clock is ahead. The record is valid here too (issue 28.4).
    append(student, "\n[timer]\nstarted_at = 2026-11-26T23:59:00-12:00\n")
    ok, report = checked(run)
    assert ok and "note:" in report and "timer" in report, report
    assert run("status").exit_code == 0
    run("log", "1")  # every command works on it
    run("cancel")
    assert "[timer]" not in student.read_text()


def test_a_timer_started_after_now_is_refused_when_a_command_enters_it(run: Run) -> None:
    result = run("start", "--at", "2026-11-25T20:05", ok=False)
    assert result.exit_code != 0 and "in the future" in result.stderr, result.stderr


def test_a_timer_started_now_is_fine(run: Run, student: Path) -> None:
    append(student, "\n[timer]\nstarted_at = 2026-11-25T21:00:00+01:00\n")
    assert checked(run)[0]
    run("stop")


def test_a_timer_started_after_now_on_another_computer_imports_and_cancels(
    run: Run, student: Path, tmp_path: Path
) -> None:
    """A backup from a computer whose clock is ahead is valid here too (issue 28.4)."""
    run("start")
    export = export_json(
        run, tmp_path, lambda d: d["timer"].update(started_at="2026-11-26T10:00:00+00:00")
    )
    run("import", str(export))
    assert "note:" in run("check").stdout
    run("cancel")


# --- 14. control and bidirectional characters --------------------------------


@pytest.mark.parametrize("ch", ["\x9b", "\x85", "\u202e", "\u2066", "\u200f", "\u061c", "\x7f"])
def test_a_file_with_control_characters_in_its_text_is_refused(
    run: Run, student: Path, ch: str
) -> None:
    original = student.read_text()
    cases = {
        "assessments.bayesian[0].name": f"\n[assessments]\nbayesian = [{{ name = {toml_text('a' + ch)}, weight = 5.0 }}]\n",
        "timer.note": _timer(f"a{ch}b"),
    }
    if ch != "\x7f":  # TOML itself refuses DEL in the log's literal string
        cases["log: line 1: note"] = f"\nlog = '''\n2026-11-20 1.0 - a{ch}b\n'''\n"
    for field, text in cases.items():
        # The log is a top-level key: before the file's tables (its stamps come last).
        student.write_text(text.lstrip() + original if field.startswith("log") else original + text)
        ok, report = checked(run)
        assert not ok and field in report, (field, report)
        assert_one_line_error(run("log", "1", ok=False), field)


@pytest.mark.parametrize("ch", ["\x9b", "\u202e", "\u2069", "\x7f"])
def test_a_programme_with_control_characters_in_its_text_is_refused(
    run: Run, tmp_path: Path, ch: str
) -> None:
    for old, new, field in [
        ('title = "Applicable Maths"', f"title = {toml_text('Maths' + ch)}", "title"),
        (
            'programme_code = "I4G1.1"',
            f"programme_code = {toml_text('I4G1' + ch)}",
            "programme_code",
        ),
        ('institution = "Imperial', f'institution = "{toml_text(ch)[1:-1]}Imperial', "institution"),
    ]:
        text = SHIPPED.read_text()
        assert old in text, old
        bad = tmp_path / "programme.toml"
        bad.write_text(text.replace(old, new, 1))
        assert_one_line_error(run("--programme", str(bad), "plan", ok=False), field)


@pytest.mark.parametrize("ch", ["\x9b", "\u202e", "\u2066", "\u200e", "\x7f", "\u2029"])
def test_arguments_with_control_characters_are_refused(
    run: Run, refuse: Refuse, student: Path, ch: str
) -> None:
    run("assess", "add", "bayes", "Exam", "--weight", "50")
    refuse("log", "1", "--note", f"x{ch}y", needles=("--note",))
    refuse("start", "--note", f"x{ch}y", needles=("--note",))
    refuse("assess", "add", "bayes", f"x{ch}y", "--weight", "5", needles=("NAME",))
    refuse("assess", "edit", "bayes", "Exam", "--name", f"x{ch}y", needles=("--name",))


def test_an_import_with_control_characters_is_refused(
    run: Run, refuse: Refuse, student: Path, tmp_path: Path
) -> None:
    run("log", "1", "--note", "fine")
    export = export_json(run, tmp_path, lambda d: d["log"][0].update(note="x\u202ey"))
    refuse("import", str(export), needles=("log",))
    export = export_json(
        run, tmp_path, lambda d: d.update(assessments={"bayesian": [{"name": "\x9b", "weight": 5}]})
    )
    refuse("import", str(export), needles=("assessments.bayesian[0].name",))


# --- 15. messages that agree with their numbers ------------------------------


def test_a_weight_total_just_over_100_says_by_how_much(
    run: Run, refuse: Refuse, student: Path
) -> None:
    run("assess", "add", "bayes", "Exam", "--weight", "50")
    result = refuse("assess", "add", "bayes", "Quiz", "--weight", "50.0000001")
    assert "100.0000001%" in result.stderr, result.stderr


def test_a_weight_total_just_over_100_in_the_file_says_by_how_much(run: Run, student: Path) -> None:
    append(
        student,
        '\n[assessments]\nbayesian = [{ name = "A", weight = 50.0 },'
        ' { name = "B", weight = 50.0000001 }]\n',
    )
    ok, report = checked(run)
    assert not ok and "100.0000001" in report, report


def test_a_mark_just_over_100_says_so(refuse: Refuse, student: Path) -> None:
    result = refuse("complete", "maths", "--mark", "100.00000000000001", needles=("--mark",))
    assert "100.00000000000001 must be at least 0 and at most 100" in result.stderr, result.stderr


def test_a_mark_just_under_the_pass_mark_says_so(refuse: Refuse, student: Path) -> None:
    result = refuse(
        "complete", "maths", "--mark", "49.999999999999", needles=("below the pass mark",)
    )
    assert "49.999999999999 is below" in result.stderr, result.stderr


def test_hours_just_under_the_minimum_say_so(refuse: Refuse, student: Path) -> None:
    result = refuse("log", "0.00999999999999", needles=("at least 0.01",))
    assert "0.00999999999999 must be" in result.stderr, result.stderr


def test_a_day_total_just_over_24_says_by_how_much(run: Run, refuse: Refuse, student: Path) -> None:
    run("log", "23.5")
    result = refuse("log", "0.5000001", needles=("24",))
    assert "24.0000001" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "ran,refused",
    [(timedelta(hours=16, seconds=29), False), (timedelta(hours=16, seconds=31), True)],
    ids=["16h-0min", "16h-1min"],
)
def test_the_timer_limit_is_on_the_minutes_logged(
    run: Run, refuse: Refuse, student: Path, set_now: SetNow, ran: timedelta, refused: bool
) -> None:
    set_now(CLI_NOW - ran)
    run("start")
    set_now(CLI_NOW)
    if refused:
        result = refuse("stop", needles=("16 h 1 min, more than 16 h",))
        assert "16.0 h" not in result.stderr
    else:
        run("stop")


@pytest.mark.parametrize(
    "weights,mark", [(("16.6", "67.4", "16"), "100"), (("0.1", "33.3", "66.6"), "50")]
)
def test_a_module_mark_from_assessments_is_settled_before_it_is_checked(
    run: Run, student: Path, weights: tuple[str, ...], mark: str
) -> None:
    # Σ(w·m)/100 gives 100.00000000000001 and 49.99999999999999 here.
    for i, weight in enumerate(weights):
        run("assess", "add", "maths", f"part {i}", "--weight", weight)
        run("assess", "mark", "maths", f"part {i}", mark)
    run("complete", "maths")  # was: outside 0-100 / below the pass mark
    (maths,) = [
        m for m in json.loads(run("plan", "--json").stdout)["modules"] if m["code"] == "maths"
    ]
    assert maths["mark"] == float(mark)


def test_the_programme_totals_show_their_difference(run: Run, tmp_path: Path) -> None:
    text = SHIPPED.read_text()
    old = 'code = "maths"'
    assert old in text
    start = text.index(old)
    ects = text.index("ects = 5", start)
    bad = tmp_path / "programme.toml"
    bad.write_text(text[:ects] + "ects = 5.0000001" + text[ects + len("ects = 5") :])
    result = run("--programme", str(bad), "plan", ok=False)
    assert "12.5000001" in result.stderr, result.stderr


def test_one_tolerance() -> None:
    from mldsplan.domain import assessments, constraints, programme

    assert programme.EPSILON is constraints.EPSILON
    assert assessments.EPSILON == constraints.EPSILON  # its own copy still (not this file)


# --- 16. names compare as Unicode ----------------------------------------------

CAFE_NFC = "Caf\u00e9"
CAFE_NFD = "Cafe\u0301"


def test_a_name_in_nfd_is_the_same_assessment(run: Run, refuse: Refuse, student: Path) -> None:
    run("assess", "add", "bayes", CAFE_NFC, "--weight", "20")
    refuse("assess", "add", "bayes", CAFE_NFD, "--weight", "20", needles=("already has",))
    run("assess", "mark", "bayes", "CAFE\u0301", "70")
    refuse("assess", "edit", "bayes", "Exam", "--name", "CAF\u00c9", needles=("no assessment",))
    run("assess", "add", "bayes", "Exam", "--weight", "20")
    refuse("assess", "edit", "bayes", "Exam", "--name", "caf\u00e9", needles=("already has",))
    run("assess", "remove", "bayes", CAFE_NFD)


def test_two_names_that_print_the_same_in_the_file_are_refused(run: Run, student: Path) -> None:
    append(
        student,
        f"\n[assessments]\nbayesian = [{{ name = {toml_text(CAFE_NFC)}, weight = 20.0 }},"
        f" {{ name = {toml_text(CAFE_NFD.upper())}, weight = 20.0 }}]\n",
    )
    ok, report = checked(run)
    assert (
        not ok
        and "assessments.bayesian[1].name" in report
        and "already has an assessment" in report
    ), report


def test_the_comparable_form_of_a_name() -> None:
    from mldsplan.domain.constraints import name_key

    assert name_key(CAFE_NFC) == name_key(CAFE_NFD) == name_key("CAFE\u0301")
    assert name_key("Stra\u00dfe") == name_key("STRASSE")
    assert name_key("\u1e9e") == name_key("ss")
    assert name_key("Exam") != name_key("Exams")


# --- the revision: a number TOML can hold, one more each write ------------------


@pytest.mark.parametrize(
    "revision,field",
    [("9" * 4300, "revision"), (str(2**63), "revision"), (str(2**63 - 1), "(revision): ")],
    ids=["4300-digits", "past-toml", "last"],
)
def test_a_revision_no_write_could_follow_is_refused(
    run: Run, refuse: Refuse, student: Path, revision: str, field: str
) -> None:
    student.write_text(
        re.sub(r"(?m)^revision = \d+$", f"revision = {revision}", student.read_text())
    )
    ok, report = checked(run)
    assert not ok and field in report, report
    refuse("log", "1", needles=(field,))  # was: an internal error, or a file TOML cannot hold
