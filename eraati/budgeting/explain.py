"""Why equal shares funded a project or not, in figures a results page can show.

Pure: no Flask, no SQLAlchemy. It reads an :class:`~eraati.budgeting.tally.Election`
and the :class:`~eraati.budgeting.tally.Outcome` that
:func:`~eraati.budgeting.tally.method_of_equal_shares` gave for it, and counts
nothing again, so the explanation always matches the published outcome.

For a project funded from the voters' shares, the figure is the most any supporter
paid (the price per supporter; supporters with less money left paid all they had).
For a project left out, it is the share of its cost that its supporters' remaining
money could cover when the count ended: below 1, or it would have been funded.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction

from eraati.budgeting.tally import Election, Money, Outcome, Step


class Reason(enum.StrEnum):
    SHARES = "shares"  #: its supporters paid for it from their equal shares
    FREE = "free"  #: it costs nothing, so it came first
    COMPLETION = "completion"  #: funded afterwards from the money left over
    SHORT = "short"  #: its supporters' money could not cover it
    NO_VOTES = "no_votes"  #: nobody chose it


@dataclass(frozen=True, slots=True)
class ProjectExplanation:
    project_id: str
    cost: Money
    votes: int
    reason: Reason
    #: Place in the order of funding, from 1 (funded projects only).
    order: int | None = None
    #: The most one supporter paid (``SHARES`` only).
    price: Fraction | None = None
    #: Share of the cost its supporters could still pay at the end (``SHORT``; at
    #: most 1). None when no run of equal shares fitted the budget.
    covered: Fraction | None = None

    @property
    def funded(self) -> bool:
        return self.order is not None

    @property
    def available(self) -> Fraction | None:
        """The money its supporters had left at the end (``SHORT`` only)."""
        return None if self.covered is None else self.covered * self.cost


@dataclass(frozen=True, slots=True)
class EqualSharesExplanation:
    voters: int
    budget: Money
    #: The budget divided equally among the voters.
    share: Fraction
    #: The share the counted run started from: above ``share`` when a completion
    #: raised it to use more of the budget.
    voter_budget: Fraction
    #: Funded projects in order of funding, then the others in the election's order.
    projects: tuple[ProjectExplanation, ...]

    @property
    def share_raised(self) -> bool:
        return self.voter_budget > self.share


def explain_equal_shares(
    election: Election, outcome: Outcome
) -> EqualSharesExplanation:
    """Explain ``outcome``, an equal-shares count of ``election``, project by project."""
    if not outcome.rule.startswith("mes"):
        raise ValueError(f"not an equal-shares outcome: {outcome.rule}")
    votes = election.votes()
    # Free projects lead the steps; a completion's steps follow the shares steps.
    first_paid = next(
        (place for place, step in enumerate(outcome.steps) if step.rho is not None),
        len(outcome.steps),
    )
    funded = [
        _funded(step, votes[step.project_id], place + 1, place < first_paid)
        for place, step in enumerate(outcome.steps)
    ]
    covered = dict(outcome.coverage)
    taken = set(outcome.selected)
    left_out = [
        ProjectExplanation(
            p.id,
            p.cost,
            votes[p.id],
            Reason.SHORT if votes[p.id] else Reason.NO_VOTES,
            covered=covered.get(p.id),
        )
        for p in election.projects
        if p.id not in taken
    ]
    share = Fraction(election.budget, election.num_voters or 1)
    return EqualSharesExplanation(
        voters=election.num_voters,
        budget=election.budget,
        share=share,
        voter_budget=outcome.voter_budget or share,
        projects=(*funded, *left_out),
    )


def _funded(step: Step, votes: int, order: int, leading: bool) -> ProjectExplanation:
    if step.rho is not None:
        # The step's score is its cost divided by the most a supporter paid.
        price = Fraction(step.cost) / step.score
        return ProjectExplanation(
            step.project_id, step.cost, votes, Reason.SHARES, order, price
        )
    reason = Reason.FREE if leading and step.cost == 0 else Reason.COMPLETION
    return ProjectExplanation(step.project_id, step.cost, votes, reason, order)
