"""Where each module with a result stands: passed, compensated or failed (the one
definition of credit, and of "a resit"), below every report so that `Facts` works it out
once. `marks` re-exports these names."""

from __future__ import annotations

from datetime import date

from mldsplan.domain.constraints import EPSILON
from mldsplan.domain.programme import Programme
from mldsplan.domain.progress import Completion, Progress
from mldsplan.domain.results import record

PASSED, COMPENSATED, FAILED = "passed", "compensated", "failed"


@record
class Standing:
    """Where a module with a result stands: passed, compensated or failed."""

    code: str
    state: str  # PASSED, COMPENSATED or FAILED
    failed_marks: list[float]  # each failed attempt's mark, oldest first
    failed_on: list[date]
    attempts_left: int  # attempts the programme still allows (0 once passed)
    credit: Completion | None  # what counts as the pass: the completion, or the compensated try

    @property
    def resit(self) -> bool:
        """A pass after a failed attempt is a resit, whatever the file's flag says."""
        return self.state == PASSED and bool(self.failed_marks)

    @property
    def is_resit(self) -> bool:
        """Whether what counts as the pass is a resit (`is_resit`): the test of "a resit"
        every report uses."""
        return self.credit is not None and is_resit(self.credit.resit, self.resit)


def is_resit(flagged: bool, failed_before: bool) -> bool:
    """The one rule of "a resit": a pass flagged so in the file, or a pass after a failed
    attempt, whatever the flag says (a report's `Standing.is_resit`, a new completion's
    flag in `changes.complete`)."""
    return flagged or failed_before


def standings(programme: Programme, progress: Progress) -> dict[str, Standing]:
    """Every module with a pass or a failed attempt, in the programme's order.

    With compensation on, a failed module whose latest attempt is marked at the
    floor or above is a compensated pass, oldest attempt first (ties in the file's
    order), while the compensated ECTS stay within `max_ects`; past it, failed.
    """
    rules = programme.classification
    found: dict[str, Standing] = {}
    for code, tries in progress.failed_attempts.items():
        found[code] = Standing(
            code=code,
            state=FAILED,
            failed_marks=[t.mark for t in tries],
            failed_on=[t.on for t in tries],
            attempts_left=max(0, rules.attempts - len(tries)),
            credit=None,
        )
    for code, done in progress.completions.items():
        before = found.get(code)
        found[code] = Standing(
            code=code,
            state=PASSED,
            failed_marks=before.failed_marks if before else [],
            failed_on=before.failed_on if before else [],
            attempts_left=0,
            credit=done,
        )
    compensation = rules.compensation
    if compensation.on:
        ects = {m.code: m.ects for m in programme.modules}
        used = 0.0
        failed = [s for s in found.values() if s.state == FAILED and s.code in ects]
        for s in sorted(failed, key=lambda s: s.failed_on[-1]):  # stable: ties in file order
            mark = s.failed_marks[-1]
            if (
                mark >= compensation.floor
                and used + ects[s.code] <= compensation.max_ects + EPSILON
            ):
                used += ects[s.code]
                s.state = COMPENSATED
                s.credit = Completion(on=s.failed_on[-1], mark=mark)
    return {m.code: found[m.code] for m in programme.modules if m.code in found}
