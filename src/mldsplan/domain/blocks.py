"""Study blocks (SPEC §4): the week's plan placed in the free part of the student's windows.

Pure: the windows, the busy intervals, now, the zone and the last schedule are
arguments. Times inside are whole minutes since the epoch (UTC), intervals half-open.

- free time = the windows of the week (wall times in the student's zone, each on its
  own date, so a clock change counts) minus busy intervals minus time already past;
- each deadline's left hours (need - logged this week) become blocks of MIN-MAX
  minutes, earliest driving deadline first, in the earliest free time that ends
  before the deadline's day ends; a need shorter than a block takes one block of
  MIN (a deadline's placed hours count at most its need);
- stable: the last schedule's blocks that are still valid stay where they were
  (trimmed from the latest when the need fell); only what is missing is placed
  anew; a block keeps its id (module, deadline, ordinal), so its calendar UID. When
  keeping blocks would leave an earlier deadline short while a later one holds time
  before it, the week is placed afresh: the earliest deadline first always wins.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from mldsplan.domain.results import Result
from mldsplan.domain.windows import Window

if TYPE_CHECKING:
    from mldsplan.domain.programme import Programme
    from mldsplan.domain.progress import Progress

QUANTUM = 5  # block starts fall on 5-minute marks; a need is rounded up to 5 minutes
START_AHEAD_MINUTES = 15  # `start` with no code picks a block starting this soon

Interval = tuple[int, int]  # minutes since the epoch, [start, end)


def minute(moment: datetime) -> int:
    """An aware datetime as whole minutes since the epoch (seconds dropped)."""
    return int(moment.timestamp()) // 60


def moment(minutes: int, zone: tzinfo) -> datetime:
    return datetime.fromtimestamp(minutes * 60, UTC).astimezone(zone)


def wall(day: date, minutes: int, zone: tzinfo) -> int:
    """Wall time `minutes` after midnight of `day` in `zone`, as epoch minutes (24:00 is
    the next day's midnight; a time a clock change skipped reads with the offset before)."""
    base = datetime.combine(day, time(0), tzinfo=zone) if minutes < 24 * 60 else None
    if base is None:
        return wall(day + timedelta(days=1), minutes - 24 * 60, zone)
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return minute(local)


def day_end(day: date, zone: tzinfo) -> int:
    """The end of `day` in `zone` (the next midnight), as epoch minutes."""
    return wall(day + timedelta(days=1), 0, zone)


class Demand(NamedTuple):
    """One deadline's hours to place this week."""

    key: str  # "CODE/ASSESSMENT-ID", or "CODE/term" when the term's end drives
    code: str
    assessment: str | None  # its name; None: the term's end
    due: date
    minutes: int  # left this week, rounded up to QUANTUM
    ends: int  # epoch minutes: the due date's end in the student's zone (or the week's)
    after_week: bool = False  # due after the week: its hours are placed by the week's end

    @property
    def order(self) -> tuple[date, str, str]:
        return (self.due, self.code, self.key)


class Placed(NamedTuple):
    id: str  # "CODE/DEADLINE/N": kept while the block exists, the calendar UID's core
    key: str  # the demand it serves
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def subtract(free: Sequence[Interval], taken: Iterable[Interval]) -> list[Interval]:
    """`free` (merged, sorted) minus `taken`."""
    cuts = _merge(taken)
    out: list[Interval] = []
    j = 0
    for a, b in free:
        while j < len(cuts) and cuts[j][1] <= a:
            j += 1
        k = j
        start = a
        while k < len(cuts) and cuts[k][0] < b:
            ca, cb = cuts[k]
            if ca > start:
                out.append((start, ca))
            start = max(start, cb)
            k += 1
        if start < b:
            out.append((start, b))
    return out


def window_time(monday: date, windows: Sequence[Window], zone: tzinfo) -> list[Interval]:
    """The week's windows (Monday to Sunday) as instants, merged."""
    spans = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        for w in windows:
            if day.weekday() in w.days:
                spans.append((wall(day, w.start, zone), wall(day, w.end, zone)))
    return _merge(spans)


def free_time(
    monday: date, windows: Sequence[Window], busy: Iterable[Interval], now: int, zone: tzinfo
) -> list[Interval]:
    """Windows - busy - the past (from now, to the next 5-minute mark)."""
    past = (-(2**62), _align(now))
    return subtract(window_time(monday, windows, zone), [*busy, past])


def _align(t: int) -> int:
    return -(-t // QUANTUM) * QUANTUM


def _inside(free: Sequence[Interval], a: int, b: int) -> bool:
    return any(fa <= a and b <= fb for fa, fb in free)


def _fill(
    d: Demand,
    want: int,
    free: list[Interval],
    bounds: tuple[int, int],
    ordinals: Callable[[], int],
) -> list[Placed]:
    """Greedy: `want` minutes of `d` in the earliest free time before `d.ends`; `free` is
    updated in place."""
    low, high = bounds
    placed: list[Placed] = []
    rest = max(want, low) if want > 0 else 0
    i = 0
    while rest > 0 and i < len(free):
        a, b = free[i]
        s = _align(a)
        e = min(b, d.ends)
        if e - s < low:
            if s >= d.ends:
                break
            i += 1
            continue
        length = min(high, rest, e - s)
        left = rest - length
        if 0 < left < low and length - (low - left) >= low:
            length -= low - left  # leave a whole shortest block for the rest
        block = (s, s + length)
        placed.append(Placed(f"{d.key}/{ordinals()}", d.key, *block))
        rest -= length
        if rest and rest < low:
            rest = low
        free[i : i + 1] = [iv for iv in ((a, s), (s + length, b)) if iv[1] - iv[0] > 0]
        i += 1 if s > a else 0
    return placed


def place(
    demands: Sequence[Demand],
    free: Sequence[Interval],
    bounds: tuple[int, int],
    previous: Sequence[Placed] = (),
    now: int | None = None,
) -> list[Placed]:
    """The week's blocks, in time order: the last schedule's valid blocks kept (a block
    in progress at `now` included), the rest of each deadline's need placed earliest
    deadline first. See the module's docstring."""
    low, high = bounds
    by_key = {d.key: d for d in demands}
    kept: list[Placed] = []
    taken: list[Interval] = []
    ongoing = free if now is None else _merge([*free, *_running(previous, free, now)])
    for p in sorted(previous, key=lambda p: p.start):
        d = by_key.get(p.key)
        if (
            d is None
            or not low <= p.minutes <= high
            or p.end > d.ends
            or not _inside(ongoing, p.start, p.end)
            or any(a < p.end and p.start < b for a, b in taken)
        ):
            continue
        kept.append(p)
        taken.append((p.start, p.end))
    kept = _trim(kept, by_key, low)
    left = subtract(list(free), [(p.start, p.end) for p in kept])
    blocks = list(kept)
    for d in sorted(demands, key=lambda d: d.order):
        mine = [p for p in kept if p.key == d.key]
        have = sum(p.minutes for p in mine)
        used = {p.id for p in mine}
        counter = iter(range(1, 10_000))

        def ordinal(used: set[str] = used, counter: Iterable[int] = counter, d: Demand = d) -> int:
            for n in counter:
                if f"{d.key}/{n}" not in used:
                    return n
            raise AssertionError("no ordinal left")  # pragma: no cover

        if d.minutes > have:
            blocks += _fill(d, d.minutes - have, left, bounds, ordinal)
    blocks.sort(key=lambda p: p.start)
    if previous and not earliest_first(demands, blocks):
        return place(demands, free, bounds, (), None)
    return blocks


def _running(previous: Sequence[Placed], free: Sequence[Interval], now: int) -> list[Interval]:
    """The part before now of a last-schedule block running at now, whose rest is free."""
    return [
        (p.start, _align(now))
        for p in previous
        if p.start < now < p.end and _inside(free, _align(now), p.end)
    ]


def _trim(kept: list[Placed], demands: dict[str, Demand], low: int) -> list[Placed]:
    """Each deadline's kept blocks cut to its need: the latest dropped, then the last
    shortened when it runs a whole shortest block over (an hour less is then at most two
    blocks changed, with blocks of at least half an hour)."""
    out: list[Placed] = []
    for key, d in demands.items():
        mine = sorted((p for p in kept if p.key == key), key=lambda p: p.start)
        need = max(d.minutes, low) if d.minutes > 0 else 0
        total = sum(p.minutes for p in mine)
        while mine and total - mine[-1].minutes >= need:
            total -= mine.pop().minutes
        if mine and total - need >= low:  # less than a block over is left (as placing does)
            last = mine[-1]
            length = max(low, last.minutes - (total - need))
            mine[-1] = last._replace(end=last.start + length)
        out += mine
    return out


def placed_minutes(demands: Sequence[Demand], blocks: Sequence[Placed]) -> dict[str, int]:
    """Each deadline's placed minutes, at most its need."""
    got = dict.fromkeys((d.key for d in demands), 0)
    for p in blocks:
        got[p.key] = got.get(p.key, 0) + p.minutes
    return {d.key: min(got[d.key], d.minutes) for d in demands}


def earliest_first(demands: Sequence[Demand], blocks: Sequence[Placed]) -> bool:
    """No deadline is short while a later one holds a block that starts before it ends."""
    placed = placed_minutes(demands, blocks)
    order = {d.key: d.order for d in demands}
    for d in demands:
        if placed[d.key] >= d.minutes:
            continue
        if any(order[p.key] > d.order and p.start < d.ends for p in blocks):
            return False
    return True


# --- the week's schedule, as commands and output use it ----------------------


@dataclass(kw_only=True, eq=False, repr=False)
class Block:
    id: str
    code: str
    assessment: str | None  # None: the block serves the term's end
    due: date
    start: datetime  # in the student's zone
    end: datetime
    minutes: int


@dataclass(kw_only=True, eq=False, repr=False)
class Shortfall:
    code: str
    assessment: str | None
    due: date
    hours_short: float
    options: list[str]


@dataclass(kw_only=True, eq=False, repr=False)
class Schedule(Result):
    week_start: date
    week_end: date
    blocks: list[Block]
    need_hours: float  # the week's plan's left hours (need - logged this week)
    placed_hours: float  # of the need, at most each deadline's
    free_hours: float  # the free part of the windows, from now
    short: list[Shortfall]
    windows: list[str]  # the windows the week was placed in (none: `suggested` says)
    suggested: list[str] = field(default_factory=list)
    busy_events: int = 0

    @property
    def short_hours(self) -> float:
        return sum(s.hours_short for s in self.short)

    def next_block(self, now: datetime, ahead_minutes: int = 0) -> Block | None:
        """The block running at `now`, or the next one (starting within `ahead_minutes`
        when that is given and positive)."""
        for b in self.blocks:
            if b.end > now and (
                ahead_minutes <= 0 or b.start <= now + timedelta(minutes=ahead_minutes)
            ):
                return b
        return None


def demands_of(plan_rows: Iterable[object], zone: tzinfo, week_end: date) -> list[Demand]:
    """The week's plan's rows (`weekplan.PlanRow`) as deadlines to place; a deadline after
    the week is placed before the week's end."""
    from mldsplan.domain.weekplan import PlanRow

    out = []
    for row in plan_rows:
        assert isinstance(row, PlanRow)
        minutes = _align(math.ceil(round(row.left_hours * 60, 6)))
        if minutes <= 0:
            continue
        ident = row.deadline.name if row.deadline else None
        key = f"{row.code}/{_slug(ident) if ident else 'term'}"
        out.append(
            Demand(
                key=key,
                code=row.code,
                assessment=ident,
                due=row.due,
                minutes=minutes,
                ends=day_end(min(row.due, week_end), zone),
                after_week=row.due > week_end,
            )
        )
    return out


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "x"


def week_schedule(
    programme: Programme,
    progress: Progress,
    on: date,
    now: datetime,
    zone: tzinfo,
    busy: Iterable[Interval],
    previous: Sequence[Placed] = (),
    busy_events: int = 0,
    *,
    defer_command: Callable[[str], str],
) -> tuple[Schedule, list[Placed]]:
    """The schedule of the week of `on`, and its blocks as the next run keeps them.

    `busy`: the busy calendars' intervals over the week (epoch minutes); `previous`:
    the blocks the last run placed in this week (none: placed afresh); `defer_command`:
    the words of the command that defers a module (the domain names no command)."""
    from mldsplan.domain.dates import week_bounds
    from mldsplan.domain.studytime import week_plan
    from mldsplan.domain.windows import parse_blocks, parse_window, suggest

    first, last = week_bounds(on)
    from mldsplan.domain.facts import Facts

    weekly = progress.weekly(programme)
    plan = week_plan(Facts(programme, progress, on), weekly)
    demands = demands_of(plan.plan, zone, last)
    ids = {(code, a.name): a.id for code, items in progress.assessments.items() for a in items}
    demands = [
        d._replace(key=f"{d.code}/{ids.get((d.code, d.assessment), _slug(d.assessment))}")
        if d.assessment
        else d
        for d in demands
    ]
    need = sum(d.minutes for d in demands) / 60
    windows = [parse_window(w) for w in progress.windows]
    bounds = parse_blocks(progress.blocks)
    free = free_time(first, windows, busy, minute(now), zone)
    placed = place(demands, free, bounds, previous, minute(now)) if windows else []
    got = placed_minutes(demands, placed)
    by_key = {d.key: d for d in demands}
    blocks = [
        Block(
            id=p.id,
            code=by_key[p.key].code,
            assessment=by_key[p.key].assessment,
            due=by_key[p.key].due,
            start=moment(p.start, zone),
            end=moment(p.end, zone),
            minutes=p.minutes,
        )
        for p in placed
    ]
    short = [
        Shortfall(
            code=d.code,
            assessment=d.assessment,
            due=d.due,
            hours_short=(d.minutes - got[d.key]) / 60,
            options=_options(
                programme, progress, d, (d.minutes - got[d.key]) / 60, bounds, defer_command
            ),
        )
        for d in sorted(demands, key=lambda d: d.order)
        if got[d.key] < d.minutes and windows
    ]
    result = Schedule(
        week_start=first,
        week_end=last,
        blocks=blocks,
        need_hours=need,
        placed_hours=sum(got.values()) / 60,
        free_hours=sum(b - a for a, b in free) / 60 if windows else 0.0,
        short=short,
        windows=list(progress.windows),
        suggested=[] if windows else suggest(weekly),
        busy_events=busy_events,
    )
    return result, placed


def _options(
    programme: Programme,
    progress: Progress,
    d: Demand,
    hours: float,
    bounds: tuple[int, int],
    defer_command: Callable[[str], str],
) -> list[str]:
    """What would fit a shortfall: more window time before its deadline (whole blocks),
    or deferring its module a year, with the finish date that gives."""
    from dataclasses import replace

    from mldsplan.domain.facts import Facts
    from mldsplan.domain.numbers import hours_text

    def planned_end(programme: Programme, progress: Progress) -> date | None:
        return Facts(programme, progress, d.due).planned_end

    extra = max(hours, bounds[0] / 60)
    before = f"{d.due:%a} {d.due.isoformat()}"
    where = "this week" if d.after_week else f"before the end of {before}"
    found = [f"add {hours_text(extra)} h of free study windows {where}"]
    now_end = planned_end(programme, progress)
    later = dict(progress.deferrals)
    later[d.code] = later.get(d.code, 0) + 1
    try:
        then = planned_end(programme, replace(progress, deferrals=later))
    except ValueError:  # pragma: no cover - a deferral past the last year
        then = None
    if then is not None and d.code not in progress.completions:
        was = (
            f"instead of {now_end.isoformat()}"
            if now_end and now_end != then
            else "(your finish date stays)"
        )
        found.append(
            f"defer {d.code} a year ({defer_command(d.code)}): finish {then.isoformat()} {was}"
        )
    return found
