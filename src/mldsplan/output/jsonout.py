"""`--json` output: one JSON object on stdout.

Apart from the standard library this imports nothing, so a `--json` run never
loads Rich (SPEC §5): results are dataclasses or plain dicts, dates become ISO text.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

from mldsplan.domain.dates import json_default


def print_json(result: Any) -> None:
    """Write `result` (a dataclass instance or a dict) to stdout as one indented JSON object."""
    is_record = dataclasses.is_dataclass(result) and not isinstance(result, type)
    data = dataclasses.asdict(result) if is_record else result
    sys.stdout.write(json.dumps(data, default=json_default, indent=2, ensure_ascii=False) + "\n")
