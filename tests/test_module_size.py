"""Every module fits in 600 lines (issue 29): one that grows past it is split by what it
holds, not left to grow."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mldsplan"
MOST = 600


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_a_module_has_at_most_600_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MOST


def test_every_layer_is_held() -> None:
    held = {p.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py")}
    assert {"cli", "commands", "domain", "storage", "output"} <= held
