"""What one run of mldsplan works on, resolved once at the edge (`cli.main`).

The progress file, the programme file, the cache folder and the lock timeout
come from the command line and the environment; the clock is read once, on
first use, so that every date a command works with agrees, even at midnight.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.progress import Progress
    from mldsplan.domain.rules import Problem
    from mldsplan.storage.cache import Cache
    from mldsplan.storage.store import Rules

Change = Callable[["Progress"], "Progress"]
# More conflict copies than this are said in one line (`check` lists each).
MANY_COPIES = 3


class Session:
    """A plain class (no dataclass to build at start-up)."""

    def __init__(
        self,
        progress: Path,
        programme: Path | None,
        clock: Callable[[], datetime],
        cache_folder: Callable[[], Path],
        lock_timeout: Callable[[], float],
        warn: Callable[[str], None],
        zone: Callable[[datetime], tzinfo],
        named_by: str | None = None,
        config: Callable[[], Path] | None = None,
        seed: str | None = None,
        after_change: Callable[[Session], list[str]] | None = None,
    ) -> None:
        """`named_by`: how the progress file was named, `--file` or `MLDSPLAN_FILE`, or
        None for the default one. `after_change`: what follows a change that was written
        (the kept exports' refresh, `files.refresh_kept`), returning its warnings."""
        self.progress_file = progress
        self.named_by = named_by
        self._notes: list[str] = []
        self.programme_file = programme
        self._clock = clock
        self._cache_folder = cache_folder
        self._lock_timeout = lock_timeout
        self.warn = warn
        self._zone = zone
        self._now: datetime | None = None
        self._programme: Programme | None = None
        self._config = config
        self._seed = seed
        self._after_change = after_change
        self._node: str | None = None
        # Sync tools' conflict copies beside the file: looked for once, after the command,
        # unless it said them itself (check, merge) or works on other files (merge-driver).
        self.look_for_copies = True
        self.merged_copies: set[Path] = set()

    @property
    def now(self) -> datetime:
        """The clock, read once, as a clock in the student's zone shows it: today, `--at`
        and a timer's dates all agree."""
        if self._now is None:
            instant = self._clock()
            self._now = instant.astimezone(self._zone(instant))
        return self._now

    @property
    def today(self) -> date:
        return self.now.date()

    def zone(self) -> tzinfo:
        """The student's time zone, in which a wall time (`--at 00:30`) is read."""
        zone = self.now.tzinfo
        assert zone is not None
        return zone

    def notes(self) -> list[str]:
        """What to tell the student after the command's output (then forgotten)."""
        said, self._notes = self._notes, []
        return [*said, *(f"warning: {text}" for text in self.copy_warnings())]

    def command(self, *args: str) -> str:
        """The command line that runs `mldsplan ARGS` on this run's progress file."""
        named = ["--file", str(self.progress_file)] if self.named_by == "--file" else []
        return " ".join(_quoted(arg) for arg in ["mldsplan", *named, *args])

    def copy_warnings(self, every: bool = False) -> list[str]:
        """The conflict copies a sync tool left beside the progress file, said once a run:
        each with what to do (merge it, or delete it when it holds nothing new), or, past
        `MANY_COPIES` and unless `every` (check lists them), one line for all of them.
        One directory listing; a copy is read only when there is one to name. The git
        driver's stale temporary files found in that listing are removed."""
        if not self.look_for_copies:
            return []
        self.look_for_copies = False
        from mldsplan.storage import driverfile
        from mldsplan.storage.conflicts import look_beside

        path = self.progress_file
        beside = look_beside(path)
        driverfile.clean(path.parent, beside.leftovers, older_than=driverfile.STALE_SECONDS)
        copies = beside.copies
        if path.is_symlink():  # a link into the synced folder: its copies are over there
            copies += look_beside(path.resolve()).copies
        merged = {p.resolve() for p in self.merged_copies}
        left = [c for c in dict.fromkeys(copies) if c.path.resolve() not in merged]
        if not left:
            return []
        if len(left) > MANY_COPIES and not every:
            tools = ", ".join(dict.fromkeys(c.tool for c in left))
            return [
                f"{len(left)} conflict copies ({tools}) are beside {path};"
                f" '{self.command('check')}' lists them, each with what to do"
            ]
        lines = []
        mine = self._record_as_is()
        for copy in left:
            found = f"{copy.path} looks like a conflict copy {copy.tool} left;"
            if mine is not None and _holds_nothing_new(mine, copy.path):
                lines.append(f"{found} it holds nothing new: delete it")
            else:
                lines.append(f"{found} merge it: {self.command('merge', str(copy.path))}")
        return lines

    def _record_as_is(self) -> Progress | None:
        """The progress file's record, to compare copies with; None when it does not read."""
        from mldsplan.domain.errors import MldsplanError
        from mldsplan.storage import store

        try:
            return store.load(self.progress_file, self.cache())
        except (MldsplanError, OSError):
            return None

    def _no_file_yet(self) -> None:
        """A read of a progress file that does not exist works on an empty record, and says
        so once: a mistyped path must not look like a record that was lost."""
        path = self.progress_file
        if path.exists() or any(path.name in note for note in self._notes):
            return
        folder = path.parent
        if self.named_by is not None and not folder.is_dir():
            self._notes.append(
                f"no progress file at {path}, and its folder {folder} does not exist:"
                " is the path mistyped?"
            )
            return
        self._notes.append(f"no progress file at {path} yet; '{self.command('init')}' creates one")

    def lock_timeout(self) -> float:
        return self._lock_timeout()

    def config_file(self) -> Path:
        """This computer's own config file (`storage.computer`)."""
        if self._config is None:
            from mldsplan.storage.computer import config_path

            return config_path({})
        return self._config()

    def node(self) -> str:
        """This computer's id, which the change stamps of a write name."""
        if self._node is None:
            from mldsplan.storage.computer import computer_id

            self._node = computer_id(self.config_file())
        return self._node

    def stamp(self, before: Progress, after: Progress) -> Progress:
        """`after` as this computer writes it: new entries given ids, changes stamped."""
        from mldsplan.domain.stamps import restamp
        from mldsplan.storage.ids import fresh_entry_id, seeded_ids

        node = self.node()
        fresh = (
            fresh_entry_id
            if self._seed is None
            else seeded_ids(self._seed, str(self.progress_file), node, before.revision)
        )
        return restamp(before, after, node, fresh)

    def cache(self) -> Cache:
        from mldsplan.storage.cache import Cache

        return Cache(self._cache_folder())

    def programme_path(self) -> Path:
        """The programme file this run reads: `--programme`'s, else the shipped one (an
        error when this installation lacks it)."""
        if self.programme_file is not None:
            return self.programme_file
        from mldsplan.paths import default_programme_path

        return default_programme_path()

    def programme(self) -> Programme:
        """The programme, loaded once (validated in full unless the cache knows it)."""
        if self._programme is None:
            from mldsplan.storage.programme_file import load_programme

            self._programme = load_programme(self.programme_path(), self.cache())
        return self._programme

    def rules(self, *, judge_entered: bool = True) -> Rules:
        """What a record breaks against the programme and the clock (`domain.rules`), as
        every read and write of this run checks it. The values a change entered are
        judged against the clock, unless `judge_entered` is False: what a merge or an
        import brings in was entered on another computer, whose clock may be ahead."""
        from mldsplan.domain.rules import record_problems

        programme, now = self.programme(), self.now

        def broken(record: Progress, entered: Progress | None) -> list[Problem]:
            return record_problems(
                record,
                programme,
                now.date(),
                now=now,
                entered=entered if judge_entered else None,
            )

        return broken

    def record(self) -> Progress:
        """The record, checked against every rule."""
        from mldsplan.storage import store

        return store.load_for(self.progress_file, self.rules(), self.cache())

    def load(self) -> tuple[Programme, Progress]:
        """The programme and the record, the record checked against every rule."""
        programme = self.programme()
        self._no_file_yet()
        return programme, self.record()

    def update(
        self,
        change: Change,
        *,
        say_created: bool = True,
        merging: bool = False,
        entered_elsewhere: bool = False,
    ) -> tuple[Progress, Progress]:
        """Apply `change` to the checked record under the lock; (before, after).

        A command's change is stamped by this computer and its new values judged
        against the clock. A merge (`merging`) carries the stamps it merged; what it
        or an import (`entered_elsewhere`) brings in was entered on another computer
        (whose clock may be ahead), so the clock judges none of it.

        The first write of a new file says where it went (and that it made its
        folder), so that a mistyped path is seen at once; `init` says it itself.
        """
        from mldsplan.storage import store

        path = self.progress_file
        rules = self.rules(judge_entered=not (merging or entered_elsewhere))
        new, new_folder = not path.exists(), not path.parent.is_dir()
        done = store.update(
            path,
            change,
            rules,
            self.lock_timeout(),
            self.warn,
            stamp=None if merging else self.stamp,
        )
        if say_created and new and path.exists():
            self._notes.append(
                f"created {path}" + (f" and its folder {path.parent}" if new_folder else "")
            )
        if done[1] is not done[0]:  # something was written: the kept exports follow it
            self.refresh_kept()
        return done

    def refresh_kept(self) -> None:
        """Rewrite the exports kept fresh on this computer (`export --keep`) after a change
        to the record; a failed refresh is a warning after the command, the change saved."""
        if self._after_change is not None:
            self._notes += [f"warning: {text}" for text in self._after_change(self)]


def _holds_nothing_new(mine: Progress, copy: Path) -> bool:
    """Whether merging `copy` into `mine` would change nothing (a parse; False when the
    copy does not read: `merge` then says why)."""
    from mldsplan.domain.errors import MldsplanError
    from mldsplan.domain.keymerge import merge
    from mldsplan.storage import store

    try:
        raw = store.read_bytes(copy)
        if raw is None:
            return False
        merged = merge(mine, store.parse(copy, raw))
    except (MldsplanError, OSError):
        return False
    return not merged.conflicts and merged.record.content() == mine.content()


def _quoted(arg: str) -> str:
    """`arg` as a shell reads it back: in double quotes when it holds an apostrophe (as a
    Dropbox copy's name does) and nothing a shell expands there, else as `shlex` quotes."""
    import shlex

    plain = shlex.quote(arg)
    if plain != arg and "'" in arg and not set(arg) & set('"$`\\!'):
        return f'"{arg}"'
    return plain
