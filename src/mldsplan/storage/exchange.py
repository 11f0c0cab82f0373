"""Exports that hold the whole record (json, toml): written as documents, read back by import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mldsplan.domain.dates import json_default
from mldsplan.domain.errors import FileFormatError
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import SCHEMA_VERSION, Progress
from mldsplan.storage import tomlfile
from mldsplan.storage.document import from_document, migrate, to_document

FORMATS = ("json", "toml")


def export_document(programme: Programme, progress: Progress) -> dict[str, Any]:
    """The whole state an import needs, with the programme's identity."""
    return {
        "kind": EXPORT_KIND,
        "schema_version": SCHEMA_VERSION,
        "programme": {"id": programme.id, "name": programme.name},
        **{k: v for k, v in to_document(progress).items() if k != "schema_version"},
    }


def to_json(programme: Programme, progress: Progress) -> str:
    document = export_document(programme, progress)
    return json.dumps(document, default=json_default, indent=2, ensure_ascii=False) + "\n"


def to_toml(programme: Programme, progress: Progress) -> str:
    import tomli_w

    return tomli_w.dumps(export_document(programme, progress))


def export(fmt: str, programme: Programme, progress: Progress) -> bytes:
    return (to_json if fmt == "json" else to_toml)(programme, progress).encode("utf-8")


EXPORT_KIND = "mldsplan-export"


def _not_an_export(path: Path) -> FileFormatError:
    return FileFormatError(
        f"{path}: is not an mldsplan export (json or toml)",
        reason="not_an_export",
    )


def read_export(path: Path, programme_id: str) -> Progress:
    """A json or toml export, migrated and validated in full; nothing is written here."""
    raw = tomlfile.read_bytes(path)
    from_json = raw.lstrip().startswith((b"{", b"["))
    try:
        data = json.loads(tomlfile.decode(path, raw)) if from_json else tomlfile.parse(path, raw)
    except (FileFormatError, ValueError, RecursionError):
        raise _not_an_export(path) from None
    if not isinstance(data, dict) or data.get("kind") != EXPORT_KIND:
        raise _not_an_export(path)
    identity = data.get("programme")
    given = identity.get("id") if isinstance(identity, dict) else identity
    if given is None:
        raise FileFormatError(f"{path}: programme: the export names no programme")
    if given != programme_id:
        raise FileFormatError(
            f"{path}: programme: the export is for {given!r}, not {programme_id!r}",
            reason="other_programme",
        )
    document = {k: v for k, v in data.items() if k not in {"kind", "programme"}}
    return from_document(path, migrate(path, document), from_json=from_json)
