"""Pure ballot rules: is a ballot valid for its process? No Flask, no database.

The same check runs on the server whatever the client did (the live budget meter is
only a help), and for paper ballots keyed in by staff. Errors are codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class BallotRules:
    ballot_type: str  #: approval_budget, approval_count, cumulative, ranked
    budget: Decimal
    min_projects: int | None = None
    max_projects: int | None = None
    min_budget_share: Decimal | None = None
    max_points: int | None = None
    rank_count: int | None = None


class BallotProblem(ValueError):
    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def check_ballot(
    rules: BallotRules,
    costs: Mapping[str, Decimal],
    raw: Sequence[str] | Mapping[str, object],
) -> list[str] | dict[str, int]:
    """The ballot in its stored form, or :class:`BallotProblem`.

    ``costs`` are the projects on this area's ballot; ``raw`` is a list of project ids
    (approval, ranked: best first) or ``{id: points}`` (cumulative). An empty ballot is
    a valid blank ballot unless a minimum says otherwise.
    """
    if rules.ballot_type == "cumulative":
        return _points(rules, costs, raw)
    chosen = _ids(costs, raw)
    if rules.ballot_type == "ranked":
        return _ranked(rules, chosen)
    _count_limits(rules, len(chosen))
    if rules.ballot_type == "approval_budget":
        _budget_limits(rules, sum((costs[i] for i in chosen), Decimal(0)), bool(chosen))
    return chosen


def _ids(costs: Mapping[str, Decimal], raw) -> list[str]:
    if isinstance(raw, Mapping) or isinstance(raw, str | bytes):
        raise BallotProblem("malformed")
    chosen = [str(value) for value in raw]
    unknown = [value for value in chosen if value not in costs]
    if unknown:
        raise BallotProblem("unknown_project", project=unknown[0])
    if len(set(chosen)) != len(chosen):
        raise BallotProblem("duplicate_project")
    return chosen


def _count_limits(rules: BallotRules, count: int) -> None:
    if count == 0:
        return  # a blank ballot is allowed
    if rules.max_projects is not None and count > rules.max_projects:
        raise BallotProblem("too_many", limit=rules.max_projects)
    if rules.min_projects is not None and count < rules.min_projects:
        raise BallotProblem("too_few", limit=rules.min_projects)


def _budget_limits(rules: BallotRules, total: Decimal, any_chosen: bool) -> None:
    if total > rules.budget:
        raise BallotProblem("over_budget", total=total, budget=rules.budget)
    if (
        any_chosen
        and rules.min_budget_share
        and total < rules.budget * rules.min_budget_share
    ):
        raise BallotProblem("below_min_share", share=rules.min_budget_share)


def _ranked(rules: BallotRules, chosen: list[str]) -> list[str]:
    if chosen and rules.rank_count is not None and len(chosen) != rules.rank_count:
        raise BallotProblem("rank_count", limit=rules.rank_count)
    return chosen


def _points(rules: BallotRules, costs, raw) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        raise BallotProblem("malformed")
    points: dict[str, int] = {}
    for project, value in raw.items():
        project = str(project)
        if project not in costs:
            raise BallotProblem("unknown_project", project=project)
        if isinstance(value, bool) or not isinstance(value, int):
            raise BallotProblem("not_integer")
        if value < 0:
            raise BallotProblem("negative_points")
        if value:
            points[project] = value
    total = sum(points.values())
    if rules.max_points is not None and total > rules.max_points:
        raise BallotProblem("too_many_points", limit=rules.max_points)
    _count_limits(rules, len(points))
    return points
