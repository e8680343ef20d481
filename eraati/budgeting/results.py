"""The outcome of a participatory budgeting vote in one area, for publication.

Pure: no Flask, no SQLAlchemy. The process's rule, greedy and equal shares are
counted on the same ballots, without the projects the council dropped; votes and
points are counted on every project that was on the ballot, dropped ones too.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from eraati.budgeting import tally
from eraati.budgeting.explain import EqualSharesExplanation, explain_equal_shares

#: Ballot types whose ballots give points (shown next to the votes).
POINT_BALLOTS = {"cumulative": "count", "ranked": "borda"}


def exact_money(value: Decimal | int) -> tally.Money:
    """Exact money for counting: whole euros as int, cents as a Fraction."""
    exact = Fraction(value)
    return exact.numerator if exact.denominator == 1 else exact


def tally_ballot(choices: Sequence | Mapping, ballot_type: str) -> tally.Ballot:
    """A stored ballot (see ``models.Ballot.choices``) as the counting module's."""
    if ballot_type == "cumulative":
        return tally.CumulativeBallot.of(
            {str(pid): int(points) for pid, points in choices.items()}
        )
    if ballot_type == "ranked":
        return tally.OrdinalBallot(tuple(str(pid) for pid in choices))
    return tally.ApprovalBallot(frozenset(str(pid) for pid in choices))


def without(election: tally.Election, dropped: Collection[str]) -> tally.Election:
    """The same election with ``dropped`` projects off the ballot and every ballot."""
    if not dropped:
        return election
    projects = tuple(p for p in election.projects if p.id not in dropped)
    ballots: dict[tally.Ballot, int] = {}
    for ballot, count in election.ballots:
        kept = ballot_without(ballot, dropped)
        ballots[kept] = ballots.get(kept, 0) + count
    return tally.Election(election.budget, projects, tuple(ballots.items()))


def ballot_without(ballot: tally.Ballot, dropped: Collection[str]) -> tally.Ballot:
    if isinstance(ballot, tally.CumulativeBallot):
        return tally.CumulativeBallot(
            tuple(pair for pair in ballot.points if pair[0] not in dropped)
        )
    if isinstance(ballot, tally.OrdinalBallot):
        return tally.OrdinalBallot(
            tuple(pid for pid in ballot.ranking if pid not in dropped)
        )
    return tally.ApprovalBallot(ballot.approved - frozenset(dropped))


def percent(part: tally.Money, whole: tally.Money) -> int | None:
    """A whole percent, rounded half up (None when the whole is 0)."""
    if not whole:
        return None
    return math.floor(Fraction(part) * 100 / Fraction(whole) + Fraction(1, 2))


@dataclass(frozen=True)
class Turnout:
    ballots: int
    #: Vote codes issued plus accounts on the voter list; None when neither is used.
    eligible: int | None

    @property
    def percent(self) -> int | None:
        return None if not self.eligible else percent(self.ballots, self.eligible)


@dataclass(frozen=True)
class AreaCount:
    budget: tally.Money
    voters: int
    votes: dict[str, int]  #: every project on the ballot, dropped ones too
    points: dict[str, tally.Money] | None  #: cumulative and ranked ballots only
    official: tally.Outcome  #: by the process's rule
    greedy: tally.Outcome
    equal_shares: tally.Outcome
    explanation: EqualSharesExplanation

    @property
    def only_greedy(self) -> tuple[str, ...]:
        chosen = set(self.equal_shares.selected)
        return tuple(pid for pid in self.greedy.selected if pid not in chosen)

    @property
    def only_equal_shares(self) -> tuple[str, ...]:
        chosen = set(self.greedy.selected)
        return tuple(pid for pid in self.equal_shares.selected if pid not in chosen)


def count_area(
    election: tally.Election,
    *,
    rule: str,
    completion: str | None,
    ballot_type: str,
    threshold: int | None = None,
    dropped: Collection[str] = (),
) -> AreaCount:
    """Count an area by the process's rule, greedy and equal shares.

    ``rule`` is a ``CountingRule`` value. Equal shares is the process's own count
    when its rule is an equal-shares rule; otherwise it is counted as the council
    sees it, by cost with "add1" then greedy.
    """
    counted = without(election, dropped)
    greedy = tally.count(counted, "greedy")
    if rule.startswith("mes"):
        official = tally.count(counted, rule, completion or "none")
        equal_shares = official
    else:
        equal_shares = tally.count(counted, "mes-cost", "add1-greedy")
        if rule == "points":
            official = tally.greedy_by_score(counted, threshold=threshold)
        else:
            official = greedy
    scoring = POINT_BALLOTS.get(ballot_type)
    return AreaCount(
        budget=election.budget,
        voters=election.num_voters,
        votes=election.votes(),
        points=None if scoring is None else election.scores(scoring),
        official=official,
        greedy=greedy,
        equal_shares=equal_shares,
        explanation=explain_equal_shares(counted, equal_shares),
    )
