"""Every module of the domain fits in 600 lines (issue 29): one that grows past it is
split by what it holds, not left to grow."""

from __future__ import annotations

from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[1] / "src" / "mldsplan" / "domain"
MOST = 600


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_a_domain_module_has_at_most_600_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MOST
