"""The cache's fingerprint covers every module of ours that decides what "valid" means.

A marker says "these bytes passed validation under these rules", so the rules are the
source of every module the loading and the validation import, at any depth: an edit of
any of them must miss the cache. The list is `cache._RULE_MODULES`; this test computes
the import closure (with `test_layers.imports`) and holds the list to it.
"""

from __future__ import annotations

from mldsplan.storage import cache
from test_layers import PACKAGE, imports, modules

# What reads a file into records, validated or rebuilt from a marker.
LOADING = (
    "mldsplan.storage.document",
    "mldsplan.storage.programme_file",
    "mldsplan.storage.validation",
    "mldsplan.storage.logformat",
    "mldsplan.storage.tomlfile",
)
NOT_RULES = {"mldsplan.storage.cache"}  # named for its type only (TYPE_CHECKING)


def closure(starts: tuple[str, ...]) -> set[str]:
    known = modules()
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        name = todo.pop()
        if name in seen or name in NOT_RULES:
            continue
        seen.add(name)
        todo += [module for _, module in imports(known[name]) if module in known]
    return {m for m in seen if known[m].name != "__init__.py"}


def test_the_fingerprint_covers_the_import_closure_of_the_loading() -> None:
    known = modules()
    wanted = {known[m].relative_to(PACKAGE).as_posix() for m in closure(LOADING)}
    assert set(cache._RULE_MODULES) == wanted


def test_the_fingerprint_changes_with_a_rule_module(tmp_path, monkeypatch) -> None:
    before = cache.rules_fingerprint()
    monkeypatch.setattr(cache, "_fingerprint", None)
    monkeypatch.setattr(cache, "_RULE_MODULES", cache._RULE_MODULES[:-1])
    assert cache.rules_fingerprint() != before
