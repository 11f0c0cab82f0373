"""`merge` (another copy of the progress file into this one) and `merge-driver` (git's)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from mldsplan.commands.session import Session
from mldsplan.domain.errors import FileFormatError, InputError, RuleBroken, StoreError
from mldsplan.domain.merge import Merged, Prefer, merge
from mldsplan.domain.progress import Progress
from mldsplan.storage import store


@dataclass
class Outcome:
    """What to say; or, when `conflicts` is not empty, the conflicts (nothing was written)."""

    said: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _raw(path: Path, argument: str) -> bytes:
    """Another copy's bytes (`argument` names it for the error)."""
    try:
        raw = store.read_bytes(path)
    except FileFormatError as exc:
        raise FileFormatError(exc.message, problems=exc.problems) from None
    if raw is None:
        raise InputError(f"{path}: no such file", argument=argument)
    return raw


def _read(path: Path, argument: str = "other") -> Progress:
    """The record in another copy, which is never written."""
    raw = _raw(path, argument)
    try:
        return store.parse(path, raw)
    except FileFormatError as exc:  # not the `.bak` hint of our own file: it is another one
        raise FileFormatError(
            exc.message,
            hint=f"{path} is left as it was; fix it by hand and merge again",
            problems=exc.problems,
        ) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _conflicts(merged: Merged) -> list[str]:
    return [str(c) for c in merged.conflicts]


def _came_in(mine: Progress, merged: Merged, prefer: Prefer | None, other: Path) -> str:
    """What the merge brings in, and what it drops: nothing, or the conflicts' other side."""
    from mldsplan.domain.difference import difference

    phrases = difference(mine, merged.record)
    came = ", ".join(phrases) if phrases else "nothing new"
    if not merged.conflicts:
        return f"{came}; nothing lost"
    whats = ", ".join(c.what for c in merged.conflicts)
    side = "this file's" if prefer == "mine" else f"{other.name}'s"
    return f"{came}; --prefer {prefer}: {side} value for {whats}"


def _rule_broken(other: Path, problem: str) -> InputError:
    return InputError(
        f"merged with {other}, the record would break a rule: {problem}; nothing was written",
        hint="fix one copy (mldsplan check says where), then merge again",
    )


def _side(prefer: str | None) -> Prefer | None:
    if prefer in (None, "mine", "theirs"):
        return prefer  # type: ignore[return-value]  # just checked to be one of them
    raise InputError(f"'{prefer}' is neither mine nor theirs", argument="prefer")


def merge_copy(session: Session, other: Path, dry_run: bool, choice: str | None) -> Outcome:
    """Merge `other` (a copy of the progress file) into the progress file; `other` is
    left as it was. With conflicts and no `choice` (mine or theirs), nothing is written."""
    prefer = _side(choice)
    path = session.progress_file
    if _same_file(path, other):
        raise InputError(f"{other} is the progress file itself", argument="other")
    theirs = _read(other)
    programme, mine = session.load()
    merged = merge(mine, theirs, prefer, node=session.node() if prefer else None)
    if merged.conflicts and prefer is None:
        return Outcome(conflicts=_conflicts(merged))
    notes = [f"note: {text}" for text in merged.notes]
    if dry_run:
        from mldsplan.domain.rules import record_problems

        now = session.now
        problems = record_problems(merged.record, programme, now.date(), now=now)
        if problems:
            raise _rule_broken(other, str(problems[0]))
        said = f"would merge {other} into {path}: {_came_in(mine, merged, prefer, other)}"
        return Outcome([f"{said}; nothing was written (--dry-run)", *notes])
    if merged.record.content() == mine.content():
        session.merged_copies.add(other)
        kept = ""
        if merged.conflicts:
            whats = ", ".join(c.what for c in merged.conflicts)
            kept = f" but other values for {whats} (--prefer mine keeps this file's)"
        return Outcome(
            [
                f"{other} holds nothing that {path} lacks{kept}; nothing was written;"
                " you can delete the copy",
                *notes,
            ]
        )

    done = [merged]

    def change(before: Progress) -> Progress:
        # the file as read under the lock
        again = merge(before, theirs, prefer, node=session.node() if prefer else None)
        if again.conflicts and prefer is None:
            raise StoreError(f"{path} changed during the merge", hint="merge again")
        done.append(again)
        return again.record

    try:
        before, after = session.update(change, merging=True)
    except RuleBroken as exc:
        raise _rule_broken(other, exc.details["problem"]) from None
    session.merged_copies.add(other)
    return Outcome(
        [
            f"merged {other} into {path}: {_came_in(before, done[-1], prefer, other)}",
            *notes,
            f"now revision {after.revision}; 'mldsplan undo' takes the merge back."
            f" {other} is left as it was: delete it once the merge looks right",
        ]
    )


def merge_driver(
    session: Session, base: Path, ours: Path, theirs: Path, choice: str | None
) -> Outcome:
    """git's merge driver (`%O %A %B`): OURS becomes the three-way merge, or, on a conflict
    or a broken rule, stays exactly as it was."""
    prefer = _side(choice)
    from mldsplan.domain.difference import difference
    from mldsplan.domain.rules import record_problems

    session.look_for_copies = False  # it works on git's files, not the progress file
    # No common ancestor (git gives an empty BASE): the two-way merge, max(n, k), so that
    # what both sides hold is not counted twice as ours + theirs - nothing.
    ancestor = _read(base, "base") if (_raw(base, "base").strip()) else None
    mine, other = _read(ours, "ours"), _read(theirs, "theirs")
    merged = merge(mine, other, prefer, base=ancestor, node=session.node() if prefer else None)
    if merged.conflicts and prefer is None:
        return Outcome(conflicts=_conflicts(merged))
    record = replace(merged.record, revision=max(mine.revision, other.revision) + 1)
    now = session.now
    problems = record_problems(record, session.programme(), now.date(), now=now)
    if problems:
        raise InputError(
            f"the merged record would break a rule: {problems[0]}; {ours} is left as ours",
            hint="resolve the conflict by hand, then 'mldsplan check'",
        )
    store.write_atomic(ours, store.checked_content(ours, record), mode=_mode(ours))
    phrases = difference(mine, record)
    return Outcome([f"mldsplan merged: {', '.join(phrases) or 'nothing new from theirs'}"])


def _mode(path: Path) -> int:
    """OURS keeps its permissions (git made it; the working tree's file gets its own)."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o600
