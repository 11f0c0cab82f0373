"""`merge` (another copy of the progress file into this one) and `merge-driver` (git's)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from mldsplan.commands.session import Session
from mldsplan.domain.errors import FileFormatError, InputError, RuleBroken, StoreError
from mldsplan.domain.keymerge import Conflict, Merged, Prefer, merge
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


def _revision_room(mine: Progress, theirs: Progress, other: Path) -> None:
    """A merge writes one above both revisions: refused when that is past the last."""
    from mldsplan.domain.constraints import MAX_REVISION

    top = max(mine.revision, theirs.revision)
    if top + 1 >= MAX_REVISION:
        holder = other if theirs.revision == top else "the progress file"
        raise InputError(
            f"{holder}'s revision {top} leaves none for the merge to write"
            f" (the last a file can hold is {MAX_REVISION}); nothing was written",
            hint=f"set 'revision' in {other} by hand to {mine.revision}, then merge again"
            if theirs.revision == top
            else "'mldsplan check' says what to do",
        )


def _not_taken(merged: Merged, prefer: Prefer | None) -> tuple[Conflict, ...]:
    """The conflicts settled for this file's value: the copy's values the merge did not take."""
    return merged.conflicts if prefer == "mine" else ()


def _delete(other: Path, raw: bytes, after: Progress, dropped: tuple[Conflict, ...]) -> str:
    """`--delete-copy`: the copy goes only when the record now holds all it holds (no
    conflict settled for mine) and the copy is still as it was read; what was done, or
    why not."""
    try:
        now_raw = store.read_bytes(other)
    except FileFormatError:
        now_raw = None
    if now_raw != raw:
        return f"{other} is kept: it changed during the merge (--delete-copy)"
    again = merge(after, store.parse(other, raw))
    if again.conflicts or dropped or again.record.content() != after.content():
        whats = ", ".join(c.what for c in (*again.conflicts, *dropped)) or "values"
        return (
            f"{other} is kept: it holds other {whats} that the merge did not take"
            " (--prefer mine); delete it yourself once the merge looks right"
        )
    try:
        other.unlink()
    except OSError as exc:
        return f"{other} is kept: cannot delete it: {store.describe(exc)}"
    return f"deleted {other} (--delete-copy)"


def merge_copy(
    session: Session,
    other: Path,
    dry_run: bool,
    choice: str | None,
    delete_copy: bool = False,
) -> Outcome:
    """Merge `other` (a copy of the progress file) into the progress file; `other` is
    left as it was (`delete_copy`: deleted when the merge took all it holds). With
    conflicts and no `choice` (mine or theirs), nothing is written."""
    prefer = _side(choice)
    path = session.progress_file
    if _same_file(path, other):
        raise InputError(f"{other} is the progress file itself", argument="other")
    raw = _raw(other, "other")
    theirs = _read(other)
    new = not (path.exists() or path.is_symlink())
    # A merge into no file yet creates it (its note "init creates one" would not be true).
    programme, mine = (session.programme(), Progress()) if new else session.load()
    merged = merge(mine, theirs, prefer, node=session.node() if prefer else None)
    if merged.conflicts and prefer is None:
        return Outcome(conflicts=_conflicts(merged))
    _revision_room(mine, theirs, other)
    notes = [f"note: {text}" for text in merged.notes]
    if dry_run:
        from mldsplan.domain.rules import record_problems

        now = session.now
        problems = record_problems(merged.record, programme, now.date(), now=now)
        if problems:
            raise _rule_broken(other, str(problems[0]))
        said = f"would merge {other} into {path}: {_came_in(mine, merged, prefer, other)}"
        kept = f"; {other} is kept" if delete_copy else ""
        return Outcome([f"{said}; nothing was written (--dry-run){kept}", *notes])
    if merged.record.content() == mine.content() and not new:
        session.merged_copies.add(other)
        kept = ""
        if merged.conflicts:
            whats = ", ".join(c.what for c in merged.conflicts)
            kept = f" but other values for {whats} (--prefer mine keeps this file's)"
        said = f"{other} holds nothing that {path} lacks{kept}; nothing was written"
        if not delete_copy:
            return Outcome([f"{said}; you can delete the copy", *notes])
        return Outcome([said, *notes, _delete(other, raw, mine, _not_taken(merged, prefer))])

    done = [merged]

    def change(before: Progress) -> Progress:
        # the file as read under the lock
        again = merge(before, theirs, prefer, node=session.node() if prefer else None)
        if again.conflicts and prefer is None:
            raise StoreError(f"{path} changed during the merge", hint="merge again")
        done.append(again)
        return again.record

    try:
        before, after = session.update(change, say_created=False, merging=True)
    except RuleBroken as exc:
        raise _rule_broken(other, exc.details["problem"]) from None
    session.merged_copies.add(other)
    came = f"{_came_in(before, done[-1], prefer, other)}"
    if new:
        return Outcome(
            [
                f"created {path} from {other}: {came}",
                *notes,
                f"now revision {after.revision}; there is no earlier version for"
                f" 'mldsplan undo' to put back. {other} is left as it was",
                *(
                    [_delete(other, raw, after, _not_taken(done[-1], prefer))]
                    if delete_copy
                    else []
                ),
            ]
        )
    left = (
        [_delete(other, raw, after, _not_taken(done[-1], prefer))]
        if delete_copy
        else [f"{other} is left as it was: delete it once the merge looks right"]
    )
    return Outcome(
        [
            f"merged {other} into {path}: {came}",
            *notes,
            f"now revision {after.revision}; 'mldsplan undo' takes the merge back",
            *left,
        ]
    )


# git's names for the three files it gives the driver, and what each one is.
ROLES = {
    "base": ("BASE", "the common ancestor"),
    "ours": ("OURS", "your branch's version"),
    "theirs": ("THEIRS", "the version being merged in"),
}


def _named(role: str, path: Path) -> str:
    """A file git gives the driver, by its role; git's temporary path in brackets."""
    return f"{ROLES[role][0]} [{path}]"


def _git_file(role: str, path: Path) -> Progress | None:
    """The record in one of git's files (None: an empty BASE, no common ancestor).

    Its errors name the file by its role: git's path is a temporary file of git's,
    gone by the time the student reads the message."""
    name, what = ROLES[role]

    def own(text: str) -> str:
        return text.removeprefix(f"{path}: ")

    try:
        raw = store.read_bytes(path)
        if raw is None:
            raise FileFormatError(f"{path}: no such file")
        if role == "base" and not raw.strip():
            return None
        return store.parse(path, raw)
    except FileFormatError as exc:
        problems = [f"{_named(role, path)}: {own(p)}" for p in exc.problems]
        raise FileFormatError(
            f"{_named(role, path)} ({what}): {own(exc.message)}",
            hint=f"fix the progress file in the commit {name} comes from"
            " ('mldsplan check' says where), commit it, and merge again; nothing was written",
            problems=problems,
        ) from None


class DriverError(StoreError):
    """The driver could not write OURS; `landed`: OURS holds the merge all the same."""


def merge_driver(
    session: Session, base: Path, ours: Path, theirs: Path, choice: str | None
) -> Outcome:
    """git's merge driver (`%O %A %B`): OURS becomes the three-way merge. On a conflict it
    holds every change that did not conflict and ours' value for each conflict, and the
    conflicts are returned (the caller exits 1, so git reports the file as conflicted)."""
    prefer = _side(choice)
    from mldsplan.domain.constraints import MAX_REVISION
    from mldsplan.domain.difference import difference
    from mldsplan.domain.rules import record_problems
    from mldsplan.storage import driverfile

    session.look_for_copies = False  # it works on git's files, not the progress file
    driverfile.clean(ours.parent)  # what a killed run left (git runs one merge at a time)
    ancestor = _git_file("base", base)
    mine, other = _git_file("ours", ours), _git_file("theirs", theirs)
    assert mine is not None and other is not None  # only an empty BASE is no record
    merged = merge(mine, other, prefer, base=ancestor, node=session.node() if prefer else None)
    top = max(mine.revision, other.revision)
    if top + 1 >= MAX_REVISION:
        role = "ours" if mine.revision == top else "theirs"
        raise InputError(
            f"{_named(role, ours if role == 'ours' else theirs)}: revision {top} leaves none"
            f" for the merge to write (the last is {MAX_REVISION}); OURS is left as ours",
            hint="lower 'revision' in that commit's progress file by hand, then merge again",
        )
    record = replace(merged.record, revision=top + 1)
    now = session.now
    problems = record_problems(record, session.programme(), now.date(), now=now)
    if problems:
        raise InputError(
            f"the merged record would break a rule: {problems[0]}; OURS [{ours}] is left as ours",
            hint="resolve the conflict by hand, then 'mldsplan check'",
        )
    content = store.checked_content(ours, record)
    phrases = difference(mine, record)
    came = ", ".join(phrases) or "nothing new from theirs"
    unsettled = bool(merged.conflicts) and prefer is None
    holds = "the merge, with ours' value for each conflict," if unsettled else "the merge"
    try:
        driverfile.write(ours, content, _mode(ours))
    except store.Landed as landed:
        raise DriverError(
            f"OURS [{ours}] holds {holds} but then: {store.describe(landed.cause)}",
            hint="git reports the file as conflicted: 'mldsplan check' it, then git add it",
        ) from None
    except OSError as exc:
        raise DriverError(
            f"cannot write OURS [{ours}]: {store.describe(exc)}; OURS is unchanged",
            hint="git reports the file as conflicted; to merge it again:"
            " git merge --abort, then merge again",
        ) from None
    if unsettled:
        return Outcome([f"mldsplan merged: {came}"], conflicts=_conflicts(merged))
    return Outcome([f"mldsplan merged: {came}"])


def _mode(path: Path) -> int:
    """OURS keeps its permissions (git made it; the working tree's file gets its own)."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o600
