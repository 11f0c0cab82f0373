"""The versions kept of the progress file: undo, redo, history."""

from __future__ import annotations

from datetime import datetime

from mldsplan.commands.session import Session
from mldsplan.domain.difference import HistoryResult, difference, history
from mldsplan.domain.numbers import count_text
from mldsplan.storage import history as kept_versions
from mldsplan.storage import store


def undo(session: Session, to: int | None = None) -> list[str]:
    """One version back, or to revision `to` (back or forward)."""
    return _step(session, kept_versions.Step(back=True, to=to))


def redo(session: Session) -> list[str]:
    return _step(session, kept_versions.Step(back=False))


def _step(session: Session, how: kept_versions.Step) -> list[str]:
    path = session.progress_file
    done = store.step(
        path, session.now, how, session.lock_timeout(), session.warn, stamp=session.stamp
    )
    restored = done.restored
    summary = (
        f"restored {path} to revision {done.revision}"
        f" ({count_text(len(restored.completions), 'completion', 'completions')},"
        f" {count_text(len(restored.log), 'log entry', 'log entries')}),"
        f" written as revision {restored.revision}"
    )
    if done.kept is not None:
        return [f"{summary}; the damaged file is kept as {done.kept}"]
    said = []
    if done.replaced is not None:
        # Undoing, the changes went from the version put back to the one replaced;
        # redoing, they go from the one replaced to the version put back.
        forward = done.steps > 0
        before, after = (done.replaced, restored) if forward else (restored, done.replaced)
        phrases = difference(before, after)
        verb = "redid" if forward else "undid"
        if abs(done.steps) > 1:
            verb += f" {abs(done.steps)} changes"
        said.append(f"{verb}: {'; '.join(phrases) or 'nothing but the revision'}")
    then = []
    if done.newer:
        then.append("'mldsplan redo' redoes " + ("it" if done.steps == -1 else "the next change"))
    if done.older:
        then.append("'mldsplan undo' goes back " + ("again" if done.steps > 0 else "further"))
    else:
        then.append("it is the oldest version kept")
    return [*said, f"{summary}; {', '.join(then)}"]


def versions(session: Session) -> HistoryResult:
    """The versions kept, oldest first, with what each change did."""
    path = session.progress_file
    if not store.own_files(path):  # a new student: nothing to list, nothing to create
        return history([], -1, None)
    with store.settled(path, session.lock_timeout(), session.warn) as real:
        found, current = kept_versions.listing(real, store.disk())
        raw = store.read_bytes(real)
    zone = session.zone()
    rows = [
        (k.record, datetime.fromtimestamp(int(k.when), zone) if k.when else None) for k in found
    ]
    revision = None if raw is None else kept_versions.revision_in(raw)
    return history(rows, current, revision)
