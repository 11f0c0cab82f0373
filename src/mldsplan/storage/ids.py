"""New study-log entries' ids: random, or from a seed for tests and reproducible examples."""

from __future__ import annotations

import secrets
from collections.abc import Callable


def fresh_entry_id() -> str:
    """A new study-log entry's id: random, so two sessions logged apart never share one."""
    return secrets.token_hex(6)


SEED_ENV = "MLDSPLAN_SEED"


def seeded_ids(seed: str, file: str, node: str, revision: int) -> Callable[[], str]:
    """Entry ids made from `seed` (MLDSPLAN_SEED, for tests and reproducible examples, as
    MLDSPLAN_NOW is for the clock), the file, this computer and the revision written,
    in turn: the same command on the same file gives the same ids; another file (a
    sync tool's copy) or another computer, others."""
    import hashlib
    import itertools

    count = itertools.count(1)
    return lambda: hashlib.blake2b(
        f"{seed}|{file}|{node}|{revision}|{next(count)}".encode(), digest_size=6
    ).hexdigest()
