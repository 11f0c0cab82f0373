"""The programme: its modules, terms and rules, and its validating loader.

The records are plain frozen dataclasses, so that a command reading a file
that has been validated before needs neither pydantic nor its schema build;
pydantic validates them (see `mldsplan.validation`) whenever a file is new.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mldsplan import cache, tomlfile, validation
from mldsplan.errors import FileFormatError, InputError
from mldsplan.paths import shipped_programme

if TYPE_CHECKING:  # at run time these names are bound by validation.bind_constraints
    from mldsplan.validation import Code, Count, Hours, Mark, Month, Months, Positive, Text

EPSILON = 1e-9  # ECTS sums of halves and quarters are exact; this absorbs any other float
FORBID_EXTRA = {"extra": "forbid"}  # read by pydantic when it validates these dataclasses


@dataclass(frozen=True, slots=True, kw_only=True)
class Module:
    __pydantic_config__ = FORBID_EXTRA
    code: Code
    title: Text
    year: Count
    term: Count
    ects: Positive
    part_of: Code | None = None
    assumed: bool = False
    runs_every_years: Count = 1
    must_be_last: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    __pydantic_config__ = FORBID_EXTRA
    year: Count
    term: Count
    ects: Positive


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    __pydantic_config__ = FORBID_EXTRA
    code: Code
    title: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class Classification:
    __pydantic_config__ = FORBID_EXTRA
    pass_mark: Mark
    merit: Mark
    distinction: Mark
    borderline_margin: Mark = 2.5
    resit_cap: Mark | None = None  # None: the pass mark
    assumed: bool = False

    @property
    def bands(self) -> list[tuple[str, float]]:
        """The bands from lowest to highest, as (name, threshold)."""
        return [("pass", self.pass_mark), ("merit", self.merit), ("distinction", self.distinction)]

    @property
    def cap(self) -> float:
        return self.pass_mark if self.resit_cap is None else self.resit_cap


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitAward:
    __pydantic_config__ = FORBID_EXTRA
    name: Text
    ects: Positive
    assumed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Programme:
    __pydantic_config__ = FORBID_EXTRA
    id: Code
    name: Text
    institution: Text = "Imperial College London"
    programme_code: str | None = None
    total_ects: Positive
    module_count: Count | None = None
    weekly_hours: Hours
    hours_per_ects: Positive
    hours_per_ects_assumed: bool = False
    duration_months: Months
    entry_month: Month | None = None
    terms_per_year: Month = 3
    term_months: Month = 4
    max_registration_months: Months | None = None
    max_registration_assumed: bool = False
    terms: tuple[Term, ...]
    groups: tuple[Group, ...] = ()
    modules: tuple[Module, ...]
    classification: Classification
    exit_awards: tuple[ExitAward, ...] = ()

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> Programme:
        """Rebuild from `asdict` output (the validated-content cache)."""
        return cls(
            **{
                **data,
                "terms": tuple(Term(**t) for t in data["terms"]),
                "groups": tuple(Group(**g) for g in data["groups"]),
                "modules": tuple(Module(**m) for m in data["modules"]),
                "classification": Classification(**data["classification"]),
                "exit_awards": tuple(ExitAward(**a) for a in data["exit_awards"]),
            }
        )

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
    if p.terms_per_year * p.term_months != 12:
        problems.append(
            f"term_months: {p.terms_per_year} terms of {p.term_months} months do not make a year"
        )
    term_keys = [(t.year, t.term) for t in p.terms]
    last_term = p.duration_months // p.term_months
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
                f"terms[{i}].ects: year {t.year} term {t.term} is {t.ects:g} ECTS"
                f" but its modules add up to {total:g}"
            )
    terms_total = sum(t.ects for t in p.terms)
    if abs(terms_total - p.total_ects) > EPSILON:
        problems.append(f"total_ects: {p.total_ects:g} but the terms add up to {terms_total:g}")
    if p.module_count is not None and p.module_count != p.counted_modules:
        problems.append(
            f"module_count: {p.module_count} but the modules count {p.counted_modules}"
            " (a group of parts counts once)"
        )
    c = p.classification
    if not c.pass_mark < c.merit < c.distinction:
        problems.append("classification: bands must rise: pass_mark < merit < distinction")
    for i, award in enumerate(p.exit_awards):
        if award.ects > p.total_ects:
            problems.append(f"exit_awards[{i}].ects: more than total_ects")
    if p.max_registration_months is not None and p.max_registration_months < p.duration_months:
        problems.append("max_registration_months: shorter than duration_months")
    return problems


def programme_problems(path: Path, data: dict[str, Any]) -> tuple[Programme | None, list[str]]:
    """Validate a parsed programme document; every problem, each naming file and field."""
    programme, problems = validation.validate(path, Programme, data)
    if programme is None:
        return None, problems
    problems = [f"{path}: {line}" for line in consistency_problems(programme)]
    return (None if problems else programme), problems


def load_programme(path: Path) -> Programme:
    """The programme in `path`, validated once per distinct content (then cached)."""
    raw = tomlfile.read_bytes(path)
    key = cache.key("programme", raw)
    plain = cache.load(key)
    if plain is not None:
        try:
            return Programme.from_plain(plain)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged cache entry: validate the file again
    programme, problems = programme_problems(path, tomlfile.parse(path, raw))
    if programme is None:
        raise FileFormatError(problems[0], problems=problems)
    cache.save(key, asdict(programme))
    return programme


def default_programme_path() -> Path:
    path = shipped_programme()
    if path is None:
        raise FileFormatError(
            "the shipped programme file data/programme.toml is missing from this installation",
            hint="reinstall mldsplan, or pass --programme PATH",
        )
    return path


def resolve_code(programme: Programme, typed: str, argument: str = "CODE") -> str:
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
            f"{argument}: '{typed}' matches several modules: {', '.join(matches)}",
            hint="type more of the code",
        )
    import difflib

    close = difflib.get_close_matches(wanted, codes, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}?" if close else "'mldsplan plan' lists the codes"
    raise InputError(f"{argument}: unknown module '{typed}'", hint=hint)
