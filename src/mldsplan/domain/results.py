"""The base of every command's result: what `--json` carries besides the data."""

from __future__ import annotations

from dataclasses import dataclass

# The `--json` output's own version (docs/json.md), apart from the progress file's
# SCHEMA_VERSION: renaming a JSON key and migrating the file are separate changes.
JSON_SCHEMA_VERSION = 2


@dataclass(kw_only=True, eq=False, repr=False)
class Result:
    schema_version: int = JSON_SCHEMA_VERSION
