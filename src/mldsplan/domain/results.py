"""The base of every command's result: what `--json` carries besides the data."""

from __future__ import annotations

from dataclasses import dataclass

from mldsplan.domain.progress import SCHEMA_VERSION


@dataclass(kw_only=True, eq=False, repr=False)
class Result:
    schema_version: int = SCHEMA_VERSION
