"""Counting rules for participatory budgeting: pure functions on frozen dataclasses.

This module is the one entry: it gathers the election types (:mod:`.election`),
the greedy rules (:mod:`.greedy`) and equal shares (:mod:`.equal_shares`), and
names the rules as ``eraati pb tally`` does (:func:`count`).

No Flask, no SQLAlchemy: the standard library, and numpy for the many runs of the
add1 completion (:mod:`.mes_fast`). Money is exact, so outcomes equal pabutools'.

Rules
-----
``greedy``: pabutools ``greedy_utilitarian_welfare``. Fund projects by
    satisfaction per unit of cost, skipping those that no longer fit; under
    ``Cost_Sat`` (``utility="cost"``) that is simply by number of votes.
``method_of_equal_shares``: with cost or approval utilities and the add1
    completions (see :mod:`.equal_shares`).
``greedy_by_score``: the count the Polish cities in Pabulib publish (greedy,
    greedy-threshold, greedy-no-skip): rank by votes, summed points or Borda points
    (k, k-1, ..., 1 for a ranking of k), drop projects under the threshold, fund in
    order skipping what does not fit, or stopping there (greedy-no-skip).
"""

from __future__ import annotations

from eraati.budgeting.election import (
    CHEAPEST_FIRST,
    COSTLIEST_FIRST,
    LEXICOGRAPHIC,
    ApprovalBallot,
    Ballot,
    Completion,
    CumulativeBallot,
    Election,
    Money,
    OrdinalBallot,
    OrdinalScoring,
    Outcome,
    Project,
    Step,
    TieBreak,
    Utility,
    fixed_order,
)
from eraati.budgeting.equal_shares import method_of_equal_shares
from eraati.budgeting.greedy import greedy, greedy_by_score

__all__ = [
    "CHEAPEST_FIRST",
    "COMPLETIONS",
    "COSTLIEST_FIRST",
    "LEXICOGRAPHIC",
    "RULES",
    "ApprovalBallot",
    "Ballot",
    "Completion",
    "CumulativeBallot",
    "Election",
    "Money",
    "OrdinalBallot",
    "OrdinalScoring",
    "Outcome",
    "Project",
    "Step",
    "TieBreak",
    "Utility",
    "count",
    "fixed_order",
    "greedy",
    "greedy_by_score",
    "method_of_equal_shares",
]

RULES = ("greedy", "mes-cost", "mes-approval")
COMPLETIONS: tuple[Completion, ...] = ("none", "add1", "add1-greedy", "add1-exhaustion")


def count(
    election: Election,
    rule: str,
    completion: Completion = "none",
    *,
    tie_break: TieBreak = LEXICOGRAPHIC,
) -> Outcome:
    """A rule by the names ``eraati pb tally`` uses: greedy, mes-cost, mes-approval."""
    if rule not in RULES or completion not in COMPLETIONS:
        raise ValueError(f"unknown rule {rule!r} or completion {completion!r}")
    if rule == "greedy":
        if completion != "none":
            raise ValueError("greedy has no completion")
        return greedy(election, tie_break=tie_break)
    utility: Utility = "cost" if rule == "mes-cost" else "cardinality"
    return method_of_equal_shares(
        election, utility=utility, completion=completion, tie_break=tie_break
    )
