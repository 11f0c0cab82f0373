"""A progress file's study log is put aside while tomllib reads the rest (`tomlfile.parse`,
for speed): what the file reads as, or the error it is refused with, is the same as
tomllib reading it whole, for any log block and anything around it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mldsplan.domain.errors import FileFormatError
from mldsplan.storage import tomlfile

PATH = Path("progress.toml")
Q = "'" * 3


def _read(raw: bytes) -> Any:
    try:
        return tomlfile.parse(PATH, raw)
    except FileFormatError as exc:
        return ("refused", exc.message, exc.hint)


def _whole(raw: bytes) -> Any:
    """The same read with the log never put aside."""
    aside = tomlfile._with_log_aside
    tomlfile._with_log_aside = lambda text: None  # type: ignore[assignment]
    try:
        return _read(raw)
    finally:
        tomlfile._with_log_aside = aside


line_text = st.lists(
    st.sampled_from(
        [
            "2026-01-05 1.5 maths 0123456789ab note",
            "é",
            "\t",
            "\r",
            "\x00",
            "\x01",
            "\x7f",
            "'",
            "''",
            '"',
            "\\",
            " ",
            "x",
            "\u2028",
            "\x85",
        ]
    ),
    max_size=6,
).map("".join)
before = st.sampled_from(
    [
        "schema_version = 4\n",
        'schema_version = 4\nlog = "x"\n',
        "[table]\n",
        'a = """\n',
        "# comment\n",
        "",
        'start = "2025-10"\n',
    ]
)
after = st.sampled_from(
    [
        "",
        "\n",
        "'\n",
        "''\n",
        "x = 1\n",
        "log = 'again'\n",
        "\n[completions.maths]\non = 2026-01-01\n",
        '"""\n',
        "= broken\n",
        "\nkey = \n",
    ]
)


@settings(max_examples=600, deadline=None)
@given(before, st.lists(line_text, max_size=5), after, st.booleans())
@example("schema_version = 4\n", ["2026-01-05 1.5 maths 0123456789ab note"], "", True)
@example("schema_version = 4\n", ["a"], "'\n", True)
@example("[table]\n", ["a"], "", True)
@example('a = """\n', ["a"], '"""\n', True)
@example('schema_version = 4\nlog = "x"\n', ["a"], "", True)
@example("schema_version = 4\n", ["a\x01"], "", True)
@example("schema_version = 4\n", ["a"], "= broken\n", True)
def test_a_file_reads_as_tomllib_reads_it_whole(
    head: str, lines: list[str], tail: str, crlf: bool
) -> None:
    text = f"{head}log = {Q}\n" + "".join(f"{line}\n" for line in lines) + f"{Q}{tail}"
    if crlf:
        text = text.replace("\n", "\r\n")
    raw = text.encode("utf-8", "surrogatepass")
    assert _read(raw) == _whole(raw)


def test_the_log_is_put_aside_for_a_file_as_the_store_writes_it() -> None:
    text = f"schema_version = 4\nlog = {Q}\n2026-01-05 1.5 maths 0123456789ab a note\n{Q}\n"
    document = tomlfile._with_log_aside(text)
    assert document is not None
    assert document["log"] == "2026-01-05 1.5 maths 0123456789ab a note\n"
