"""Exports kept fresh on this computer (`export ... --keep`): the `kept` list of
`computer.toml` (`storage.computer`), never in the synced record, since paths differ
between computers.

Each kept export is a table: `path` (the export, absolute), `file` (the progress file it
is an export of: a change to another file does not rewrite it), `format`, and the
options that shaped it (`alarm_days`, `with_notes`, `table`, `only`). A hand edit that
breaks the list is an error naming the file and the field, never a silent reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mldsplan.domain.errors import FileFormatError

KEY = "kept"
FORMATS = ("markdown", "csv", "json", "toml", "ics", "html")
TABLES = ("modules", "assessments", "log")
ONLY = ("deadlines", "blocks")  # as output.formats.ICS_ONLY
DEFAULT_ALARM_DAYS = 3
FIELDS = {"path", "file", "format", "alarm_days", "with_notes", "table", "only"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Kept:
    path: Path  # the export, absolute
    file: Path  # the progress file it follows, absolute
    format: str
    alarm_days: int = DEFAULT_ALARM_DAYS
    with_notes: bool = False
    table: str | None = None  # csv's
    only: str | None = None  # ics's

    def table_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": str(self.path),
            "file": str(self.file),
            "format": self.format,
            "alarm_days": self.alarm_days,
            "with_notes": self.with_notes,
        }
        for key in ("table", "only"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    def options(self) -> list[str]:
        """The export's options as `export` takes them (without --output)."""
        said = ["--format", self.format]
        if self.format == "ics" and self.alarm_days != DEFAULT_ALARM_DAYS:
            said += ["--alarm-days", str(self.alarm_days)]
        if self.with_notes:
            said.append("--with-notes")
        if self.table is not None:
            said += ["--table", self.table]
        if self.only is not None:
            said += ["--only", self.only]
        return said


def where(path: Path) -> Path:
    """`path` as a kept export is known by: absolute, its folder's links resolved (the file
    itself is never a link: an export refuses to write through one)."""
    path = path.expanduser()
    return path.parent.resolve() / path.name


def read(config: Path, data: dict[str, Any]) -> list[Kept]:
    """The kept exports in the config's `data`; FileFormatError names a broken field."""
    items = data.get(KEY, [])
    if not isinstance(items, list):
        raise _broken(config, KEY, "is not a list of tables")
    return [_entry(config, i, item) for i, item in enumerate(items)]


def _entry(config: Path, i: int, item: Any) -> Kept:
    field = f"{KEY}[{i}]"
    if not isinstance(item, dict):
        raise _broken(config, field, "is not a table")
    unknown = sorted(set(item) - FIELDS)
    if unknown:
        raise _broken(config, f"{field}.{unknown[0]}", "is not a field of a kept export")
    for key in ("path", "file"):
        value = item.get(key)
        if not isinstance(value, str) or not value or not Path(value).is_absolute():
            raise _broken(config, f"{field}.{key}", f"{value!r} is not an absolute path")
    fmt = item.get("format")
    if fmt not in FORMATS:
        raise _broken(config, f"{field}.format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    days = item.get("alarm_days", DEFAULT_ALARM_DAYS)
    if type(days) is not int or days < 0:
        raise _broken(config, f"{field}.alarm_days", f"{days!r} is not a number of days")
    notes = item.get("with_notes", False)
    if type(notes) is not bool:
        raise _broken(config, f"{field}.with_notes", f"{notes!r} is not true or false")
    table, only = item.get("table"), item.get("only")
    if table is not None and (fmt != "csv" or table not in TABLES):
        tables = ", ".join(TABLES)
        raise _broken(config, f"{field}.table", f"{table!r} is not a csv table ({tables})")
    if only is not None and (fmt != "ics" or only not in ONLY):
        raise _broken(config, f"{field}.only", f"{only!r} is not what an ics export can hold alone")
    return Kept(
        path=Path(item["path"]),
        file=Path(item["file"]),
        format=fmt,
        alarm_days=days,
        with_notes=notes,
        table=table,
        only=only,
    )


def _broken(config: Path, field: str, problem: str) -> FileFormatError:
    return FileFormatError(
        f"{config}: {field}: {problem}",
        hint=f"fix it by hand, or remove that entry from {config}",
    )


def keep(data: dict[str, Any], config: Path, entry: Kept) -> tuple[dict[str, Any], bool]:
    """The config's `data` with `entry` kept (in place of one at the same path); whether
    one was there."""
    kept = read(config, data)
    there = any(k.path == entry.path for k in kept)
    kept = [k for k in kept if k.path != entry.path] + [entry]
    return {**data, KEY: [k.table_data() for k in kept]}, there


def forget(data: dict[str, Any], config: Path, path: Path) -> tuple[dict[str, Any], Kept | None]:
    """The config's `data` without the kept export at `path`; the one forgotten, or None."""
    kept = read(config, data)
    gone = next((k for k in kept if k.path == path), None)
    if gone is None:
        return data, None
    rest = [k.table_data() for k in kept if k.path != path]
    changed = {key: value for key, value in data.items() if key != KEY}
    if rest:
        changed[KEY] = rest
    return changed, gone
