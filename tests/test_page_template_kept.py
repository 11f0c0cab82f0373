"""The page's template is compiled once and kept in the cache folder (issue 29's html
target): a later export loads it compiled, draws the same bytes, and never trusts a folder
someone else can write to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Run


def kept(cache: Path) -> list[Path]:
    folder = cache / "templates"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_the_compiled_page_is_kept_and_drawn_alike(run: Run, progress_file: Path) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    cache = Path(os.environ["MLDSPLAN_CACHE_DIR"])
    first = run("export", "-f", "html").stdout
    compiled = kept(cache)
    assert len(compiled) == 1 and compiled[0].stat().st_size > 0, compiled
    again = run("export", "-f", "html").stdout
    assert again == first
    assert kept(cache) == compiled  # loaded, not written anew under another name


def test_a_folder_others_can_write_keeps_no_compiled_page(run: Run, progress_file: Path) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    cache = Path(os.environ["MLDSPLAN_CACHE_DIR"])
    cache.mkdir(parents=True, exist_ok=True)
    cache.chmod(0o777)
    run("export", "-f", "html")
    assert not (cache / "templates").exists() or kept(cache) == []


def test_a_cache_that_cannot_be_made_costs_no_export(
    run: Run, progress_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("MLDSPLAN_CACHE_DIR", str(blocked))
    assert "<svg" in run("export", "-f", "html").stdout
    assert blocked.read_text() == "not a folder"


def test_a_damaged_compiled_page_is_compiled_afresh(run: Run, progress_file: Path) -> None:
    run("init", "--start", "2025-10", "--weekly-hours", "18")
    cache = Path(os.environ["MLDSPLAN_CACHE_DIR"])
    first = run("export", "-f", "html").stdout
    (compiled,) = kept(cache)
    compiled.write_bytes(compiled.read_bytes()[:20])  # cut short: pickle cannot read it
    assert run("export", "-f", "html").stdout == first
    assert compiled.stat().st_size > 20  # written whole again


def test_the_template_folder_makes_the_cache_folder_ours_alone(tmp_path: Path) -> None:
    """Under a umask that lets the group write (Debian's 002), asking for the template
    folder first still makes the cache folder 0700 (so the validation cache stays on), and
    nothing is made inside a cache folder others can write to."""
    from mldsplan.storage.cache import Cache

    old = os.umask(0o002)
    try:
        cache = Cache(tmp_path / "new" / "mldsplan")
        folder = cache.private_folder("templates")
        shared = tmp_path / "shared"
        shared.mkdir(mode=0o777)
        shared.chmod(0o777)
        refused = Cache(shared).private_folder("templates")
    finally:
        os.umask(old)
    assert folder is not None and folder.stat().st_mode & 0o777 == 0o700
    assert cache.folder.stat().st_mode & 0o777 == 0o700
    assert refused is None and not (shared / "templates").exists()
