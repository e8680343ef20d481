"""What the counting rules take and give: an election (budget, projects, ballots),
tie-breaking orders, and outcomes. Pure: the standard library only.

Money is exact (``int`` or ``Fraction``), so outcomes equal those of ``pabutools``
1.2, which counts with exact fractions. Ties are broken by an explicit
:class:`TieBreak`; the default, :data:`LEXICOGRAPHIC`, is pabutools' (ids compared
as text: "10" before "9").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Literal, TypeAlias

Money: TypeAlias = int | Fraction
Utility = Literal["cost", "cardinality"]
Completion = Literal["none", "add1", "add1-exhaustion", "add1-greedy"]
OrdinalScoring = Literal["borda", "count"]


def as_money(value: Money, what: str) -> Money:
    """Normalise a money value: reject floats and bools, keep whole numbers as int."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise TypeError(f"{what} must be an int or a Fraction, not {value!r}")
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value


# --- Input ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Project:
    """A project on the ballot: its id (compared as text) and its exact cost."""

    id: str
    cost: Money

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError("a project id must be a non-empty string")
        cost = as_money(self.cost, f"the cost of project {self.id}")
        if cost < 0:
            raise ValueError(f"the cost of project {self.id} is negative")
        object.__setattr__(self, "cost", cost)


@dataclass(frozen=True, slots=True)
class ApprovalBallot:
    """A set of chosen projects (also used for choose-1 ballots)."""

    approved: frozenset[str]

    def supported(self) -> frozenset[str]:
        return self.approved

    def scores(self, ordinal: OrdinalScoring = "borda") -> dict[str, Money]:
        return dict.fromkeys(self.approved, 1)


@dataclass(frozen=True, slots=True)
class CumulativeBallot:
    """Points given to projects, as (project id, points) pairs sorted by id.

    A project listed with 0 points still counts as chosen, as in pabutools.
    """

    points: tuple[tuple[str, Money], ...]

    @classmethod
    def of(cls, points: Mapping[str, Money]) -> CumulativeBallot:
        return cls(tuple(sorted(points.items())))

    def __post_init__(self) -> None:
        ids = [pid for pid, _ in self.points]
        if len(set(ids)) != len(ids):
            raise ValueError("a cumulative ballot lists a project twice")
        points = tuple(
            sorted((pid, as_money(v, f"points for {pid}")) for pid, v in self.points)
        )
        if any(value < 0 for _, value in points):
            raise ValueError("negative points in a cumulative ballot")
        object.__setattr__(self, "points", points)  # one spelling per ballot

    def supported(self) -> frozenset[str]:
        return frozenset(pid for pid, _ in self.points)

    def scores(self, ordinal: OrdinalScoring = "borda") -> dict[str, Money]:
        return dict(self.points)


@dataclass(frozen=True, slots=True)
class OrdinalBallot:
    """Projects ranked from most to least preferred."""

    ranking: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(set(self.ranking)) != len(self.ranking):
            raise ValueError("a ranking lists a project twice")

    def supported(self) -> frozenset[str]:
        return frozenset(self.ranking)

    def scores(self, ordinal: OrdinalScoring = "borda") -> dict[str, Money]:
        """Borda: a ranking of k projects gives k, k-1, ..., 1 points; count: 1 each."""
        size = len(self.ranking)
        if ordinal == "count":
            return dict.fromkeys(self.ranking, 1)
        return {pid: size - place for place, pid in enumerate(self.ranking)}


Ballot: TypeAlias = ApprovalBallot | CumulativeBallot | OrdinalBallot


@dataclass(frozen=True)
class Election:
    """A budget, the projects and the distinct ballots with how many voters cast each.

    Blank ballots count as voters: under equal shares they get their share of the
    budget and spend none of it, as in pabutools.
    """

    budget: Money
    projects: tuple[Project, ...]
    ballots: tuple[tuple[Ballot, int], ...] = ()

    def __post_init__(self) -> None:
        budget = as_money(self.budget, "the budget")
        if budget < 0:
            raise ValueError("the budget is negative")
        object.__setattr__(self, "budget", budget)
        ids = {p.id for p in self.projects}
        if len(ids) != len(self.projects):
            raise ValueError("two projects have the same id")
        counts = [count for _, count in self.ballots]
        if not all(type(count) is int and count >= 1 for count in counts):
            raise ValueError("a ballot count must be a positive int")
        named = set().union(*(ballot.supported() for ballot, _ in self.ballots))
        if not named <= ids:
            raise ValueError(f"a ballot names unknown projects: {sorted(named - ids)}")

    @classmethod
    def of(
        cls, budget: Money, projects: Iterable[Project], ballots: Iterable[Ballot]
    ) -> Election:
        """Build an election from one ballot per voter, grouping identical ballots."""
        return cls(budget, tuple(projects), tuple(Counter(ballots).items()))

    @property
    def num_voters(self) -> int:
        return sum(count for _, count in self.ballots)

    def votes(self) -> dict[str, int]:
        """How many voters chose each project (listed, ranked or given points)."""
        return dict(self._votes)

    @cached_property
    def _votes(self) -> dict[str, int]:  # every rule needs it: count once
        totals = dict.fromkeys((p.id for p in self.projects), 0)
        for ballot, count in self.ballots:
            for pid in ballot.supported():
                totals[pid] += count
        return totals

    def scores(self, ordinal: OrdinalScoring = "borda") -> dict[str, Money]:
        """Points per project: votes, summed points, or Borda points (see module doc)."""
        totals: dict[str, Money] = dict.fromkeys((p.id for p in self.projects), 0)
        for ballot, count in self.ballots:
            for pid, points in ballot.scores(ordinal).items():
                totals[pid] += points * count
        return totals


# --- Tie-breaking ----------------------------------------------------------------


@dataclass(frozen=True)
class TieBreak:
    """Which of several tied projects wins: the smallest ``key``, then the smallest id.

    The id, compared as text, makes every order total and so every result
    reproducible.
    """

    name: str
    key: Callable[[Project], Money] = field(compare=False)

    def ranks(self, projects: Iterable[Project]) -> dict[str, int]:
        """Position of each project in the tie-breaking order (0 wins every tie)."""
        ordered = sorted(projects, key=lambda p: (self.key(p), p.id))
        return {p.id: place for place, p in enumerate(ordered)}


LEXICOGRAPHIC = TieBreak("lexicographic", lambda project: 0)
"""pabutools' default ``lexico_tie_breaking``: the smallest project id as text."""
CHEAPEST_FIRST = TieBreak("cheapest-first", lambda project: project.cost)
"""pabutools' ``min_cost_tie_breaking``, then the smallest id."""
COSTLIEST_FIRST = TieBreak("costliest-first", lambda project: -project.cost)
"""pabutools' ``max_cost_tie_breaking``, then the smallest id."""


def fixed_order(ids: Sequence[str], name: str = "fixed-order") -> TieBreak:
    """Ties go to the project listed first in ``ids`` (e.g. a published lottery)."""
    place = {pid: index for index, pid in enumerate(ids)}
    return TieBreak(name, lambda project: place.get(project.id, len(place)))


# --- Output ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One funded project, in order of selection.

    ``score`` is what the rule ranked by: votes, points or satisfaction per cost for
    the greedy rules; for equal shares the effective vote count, the project's cost
    divided by the most any supporter paid (equalshares.net's measure). ``rho`` is
    the equal-shares price per unit of utility (``None`` for greedy steps).
    """

    project_id: str
    cost: Money
    votes: int
    score: Fraction
    rho: Fraction | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The funded projects in order of selection, with what it took to fund them.

    ``voter_budget`` is each voter's share in the equal-shares run that produced
    the result, ``passes`` how many equal-shares runs were made, and ``coverage``
    for every supported project left unfunded by equal shares the share of its
    cost that its supporters could still pay at the end (at most 1).
    """

    rule: str
    budget: Money
    selected: tuple[str, ...]
    total_cost: Money
    steps: tuple[Step, ...]
    voter_budget: Fraction | None = None
    passes: int = 0
    coverage: tuple[tuple[str, Fraction], ...] = ()


def make_outcome(
    rule: str,
    election: Election,
    steps: Sequence[Step],
    voter_budget: Fraction | None = None,
    passes: int = 0,
    coverage: tuple[tuple[str, Fraction], ...] = (),
) -> Outcome:
    total = as_money(sum((s.cost for s in steps), Fraction(0)), "total cost")
    selected = tuple(s.project_id for s in steps)
    return Outcome(
        rule,
        election.budget,
        selected,
        total,
        tuple(steps),
        voter_budget,
        passes,
        coverage,
    )
