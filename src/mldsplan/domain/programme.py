"""The programme: its modules, terms and rules (the file's loader: storage.programme_file).

The records are plain frozen dataclasses, so that a command reading a file
that has been validated before needs neither pydantic nor its schema build;
pydantic validates them (see `storage.validation`) whenever a file is new.
Annotations are evaluated as the classes are made (no `from __future__ import
annotations`): rebuilding a validated file then reads them without compiling
each again, about 5 ms of every command (benchmarks/startup.py).
"""

from typing import Annotated

from mldsplan.domain.constraints import (
    EPSILON,
    Code,
    Count,
    Flag,
    Hours,
    Mark,
    Month,
    Months,
    Positive,
    Rule,
    Text,
    shown,
)
from mldsplan.domain.errors import InputError
from mldsplan.domain.results import frozen_record

FORBID_EXTRA = {"extra": "forbid"}  # read by pydantic when it validates these dataclasses


@frozen_record
class Module:
    __pydantic_config__ = FORBID_EXTRA
    code: Code
    title: Text
    year: Count
    term: Count
    ects: Positive
    part_of: Code | None = None
    assumed: Flag = False
    runs_every_years: Count = 1
    must_be_last: Flag = False
    project: Flag = False  # the project module of a `taught_and_project` classification


@frozen_record
class Term:
    __pydantic_config__ = FORBID_EXTRA
    year: Count
    term: Count
    ects: Positive


@frozen_record
class TermStart:
    """When a term starts: `months` after the academic year's start, on day `day`."""

    __pydantic_config__ = FORBID_EXTRA
    term: Count
    months: Annotated[int, Rule(ge=0, le=11)]
    day: Annotated[int, Rule(ge=1, le=28)]


@frozen_record
class Group:
    __pydantic_config__ = FORBID_EXTRA
    code: Code
    title: Text


WEIGHTED = "weighted"
TAUGHT_AND_PROJECT = "taught_and_project"
METHODS = (WEIGHTED, TAUGHT_AND_PROJECT)
Method = Annotated[str, Rule(pattern=f"^({'|'.join(METHODS)})$")]


@frozen_record
class Compensation:
    """Failed marks at `floor` or above count as compensated passes, up to `max_ects` ECTS.

    The file calls `floor` `from` (a Python keyword: `storage.programme_file` renames it).
    """

    __pydantic_config__ = FORBID_EXTRA
    floor: Mark = 40
    max_ects: Annotated[float, Rule(ge=0, le=1000)] = 0  # 0: compensation is off
    assumed: Flag = False

    @property
    def on(self) -> bool:
        return self.max_ects > 0


@frozen_record
class Classification:
    __pydantic_config__ = FORBID_EXTRA
    pass_mark: Mark
    merit: Mark
    distinction: Mark
    borderline_margin: Mark = 2.5
    resit_cap: Mark | None = None  # None: the pass mark
    assumed: Flag = False  # the bands
    method: Method = WEIGHTED
    method_assumed: Flag = False
    attempts: Count = 2
    attempts_assumed: Flag = False
    compensation: Compensation = Compensation()

    @property
    def bands(self) -> list[tuple[str, float]]:
        """The bands from lowest to highest, as (name, threshold)."""
        return [("pass", self.pass_mark), ("merit", self.merit), ("distinction", self.distinction)]

    @property
    def cap(self) -> float:
        return self.pass_mark if self.resit_cap is None else self.resit_cap

    def counted(self, mark: float, resit: bool) -> float:
        """The mark that counts toward the average: a resit counts at most the cap."""
        return min(mark, self.cap) if resit else mark


@frozen_record
class ExitAward:
    __pydantic_config__ = FORBID_EXTRA
    name: Text
    ects: Positive
    assumed: Flag = False


@frozen_record
class Programme:
    __pydantic_config__ = FORBID_EXTRA
    id: Code
    name: Text
    institution: Text | None = None
    programme_code: Text | None = None
    total_ects: Positive
    module_count: Count | None = None
    weekly_hours: Hours
    hours_per_ects: Positive
    hours_per_ects_assumed: Flag = False
    duration_months: Months
    entry_month: Month | None = None
    terms_per_year: Month = 3
    term_starts: tuple[TermStart, ...] = ()  # none: equal terms
    term_starts_assumed: Flag = False
    max_registration_months: Months | None = None
    max_registration_assumed: Flag = False
    terms: tuple[Term, ...]
    groups: tuple[Group, ...] = ()
    modules: tuple[Module, ...]
    classification: Classification
    exit_awards: tuple[ExitAward, ...] = ()

    @property
    def windows(self) -> list[TermStart]:
        """Where each term of a year starts: the file's, or equal terms."""
        if self.term_starts:
            return sorted(self.term_starts, key=lambda t: t.term)
        months = 12 // self.terms_per_year
        return [TermStart(term=i + 1, months=i * months, day=1) for i in range(self.terms_per_year)]

    def module(self, code: str) -> Module:
        return next(m for m in self.modules if m.code == code)

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.modules]

    def hours(self, module: Module) -> float:
        return module.ects * self.hours_per_ects

    @property
    def counted_modules(self) -> int:
        """Modules as the programme counts them: a group of parts counts once."""
        return len({m.part_of or m.code for m in self.modules})

    def group_title(self, group: str) -> str:
        return next((g.title for g in self.groups if g.code == group), group)

    @property
    def project_module(self) -> Module | None:
        """The project, when the classification is `taught_and_project` (else None)."""
        if self.classification.method != TAUGHT_AND_PROJECT:
            return None
        return next((m for m in self.modules if m.project), None)


def consistency_problems(programme: Programme) -> list[str]:
    """Every rule the fields cannot check alone, as `field: message` lines."""
    problems: list[str] = []
    p = programme
    if not p.terms:
        problems.append("terms: at least one term is needed")
    if not p.modules:
        problems.append("modules: at least one module is needed")
    seen: set[str] = set()
    for i, m in enumerate(p.modules):
        if m.code in seen:
            problems.append(f"modules[{i}].code: duplicate module code '{m.code}'")
        seen.add(m.code)
    group_codes = [g.code for g in p.groups]
    for i, g in enumerate(p.groups):
        if group_codes.count(g.code) > 1 or g.code in seen:
            problems.append(f"groups[{i}].code: code '{g.code}' is used twice")
    if p.term_starts:
        numbers = sorted(t.term for t in p.term_starts)
        if numbers != list(range(1, p.terms_per_year + 1)):
            problems.append(f"term_starts: give terms 1 to {p.terms_per_year}, once each")
        else:
            offsets = [(t.months, t.day) for t in p.windows]
            if offsets[0] != (0, 1) or offsets != sorted(set(offsets)):
                problems.append(
                    "term_starts: term 1 starts the year (months = 0, day = 1)"
                    " and each later term starts after the one before"
                )
    elif 12 % p.terms_per_year:
        problems.append(f"terms_per_year: {p.terms_per_year} equal terms do not make a year")
    term_keys = [(t.year, t.term) for t in p.terms]
    last_term = p.duration_months * p.terms_per_year // 12
    for i, t in enumerate(p.terms):
        if term_keys.count((t.year, t.term)) > 1:
            problems.append(f"terms[{i}]: year {t.year} term {t.term} is listed twice")
        if t.term > p.terms_per_year:
            problems.append(f"terms[{i}].term: {t.term} is more than terms_per_year")
        elif (t.year - 1) * p.terms_per_year + t.term > last_term:
            problems.append(f"terms[{i}]: year {t.year} term {t.term} is after the programme ends")
    for i, m in enumerate(p.modules):
        if (m.year, m.term) not in term_keys:
            problems.append(f"modules[{i}].term: year {m.year} term {m.term} is not in terms")
        if m.part_of is not None and m.part_of not in group_codes:
            problems.append(f"modules[{i}].part_of: no group '{m.part_of}' in groups")
    for i, t in enumerate(p.terms):
        total = sum(m.ects for m in p.modules if (m.year, m.term) == (t.year, t.term))
        if abs(total - t.ects) > EPSILON:
            problems.append(
                f"terms[{i}].ects: year {t.year} term {t.term} is {shown(t.ects, total)} ECTS"
                f" but its modules add up to {shown(total, t.ects)}"
            )
    terms_total = sum(t.ects for t in p.terms)
    if abs(terms_total - p.total_ects) > EPSILON:
        problems.append(
            f"total_ects: {shown(p.total_ects, terms_total)} but the terms add up to"
            f" {shown(terms_total, p.total_ects)}"
        )
    if p.module_count is not None and p.module_count != p.counted_modules:
        problems.append(
            f"module_count: {p.module_count} but the modules count {p.counted_modules}"
            " (a group of parts counts once)"
        )
    c = p.classification
    if not c.pass_mark < c.merit < c.distinction:
        problems.append("classification: bands must rise: pass_mark < merit < distinction")
    if c.resit_cap is not None and c.resit_cap < c.pass_mark:
        problems.append("classification.resit_cap: below pass_mark (a resit that passes passes)")
    if c.compensation.floor >= c.pass_mark:
        problems.append(
            f"classification.compensation.from: {shown(c.compensation.floor, c.pass_mark)}"
            f" is not below pass_mark {c.pass_mark:g} (compensation is for failed marks)"
        )
    projects = [m.code for m in p.modules if m.project]
    if c.method == TAUGHT_AND_PROJECT and len(projects) != 1:
        problems.append(
            f"modules: method {TAUGHT_AND_PROJECT} needs exactly one module with project = true"
            f" ({len(projects)} {'has' if len(projects) == 1 else 'have'} it"
            f"{': ' + ', '.join(projects) if projects else ''})"
        )
    for i, award in enumerate(p.exit_awards):
        if award.ects > p.total_ects:
            problems.append(f"exit_awards[{i}].ects: more than total_ects")
    if p.max_registration_months is not None and p.max_registration_months < p.duration_months:
        problems.append("max_registration_months: shorter than duration_months")
    return problems


def resolve_code(programme: Programme, typed: str, argument: str = "code") -> str:
    """The module code a student meant: exact, any case, or a unique prefix."""
    codes = programme.codes
    wanted = typed.strip().lower()
    if wanted in codes:
        return wanted
    matches = [c for c in codes if c.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(
            f"'{typed}' matches several modules: {', '.join(matches)}",
            hint="type more of the code",
            argument=argument,
        )
    import difflib

    close = difflib.get_close_matches(wanted, codes, n=3, cutoff=0.5)
    raise InputError(
        f"unknown module '{typed}'",
        hint=f"did you mean {' or '.join(close)}?" if close else None,
        argument=argument,
        reason=None if close else "unknown_code",
    )
