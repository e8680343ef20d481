"""Why equal shares funded a project or not, on examples worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from eraati.budgeting import tally
from eraati.budgeting.explain import Reason, explain_equal_shares


def election(budget, costs: dict[str, int], ballots: list[str]) -> tally.Election:
    return tally.Election.of(
        budget,
        [tally.Project(pid, cost) for pid, cost in costs.items()],
        [tally.ApprovalBallot(frozenset(chosen)) for chosen in ballots],
    )


def test_prices_and_what_supporters_could_cover():
    """Budget 100, four voters with 25 each; A costs 60, B 40, C 30.

    Voters chose AB, A, AC and BC. Round 1: A's three supporters pay 20 each (the
    cheapest per supporter) and keep 5. Round 2: C's supporters have 5 and 25, just
    its cost: one pays all 5, the other 25. B's supporters then have 5 + 0 of its
    40, an eighth.
    """
    counted = election(100, {"A": 60, "B": 40, "C": 30}, ["AB", "A", "AC", "BC"])
    outcome = tally.method_of_equal_shares(counted)

    explained = explain_equal_shares(counted, outcome)

    assert (explained.voters, explained.share) == (4, 25)
    assert not explained.share_raised
    a, c, b = explained.projects
    assert (a.project_id, a.reason, a.order, a.price) == ("A", Reason.SHARES, 1, 20)
    assert (c.project_id, c.reason, c.order, c.price) == ("C", Reason.SHARES, 2, 25)
    assert (b.project_id, b.reason, b.funded) == ("B", Reason.SHORT, False)
    assert b.covered == Fraction(1, 8) and b.available == 5


def test_a_raised_share_and_projects_nobody_chose():
    """Budget 100, voters A, A, B, C; A costs 50, B 30, C 20, D (nobody's) 10.

    With 25 each B (30) is out of reach of its one supporter. "add1" raises the
    shares a euro at a time: at 30 each A costs its two supporters 25 each, B and C
    are paid in full by theirs, and the 100 is spent, so the count stops there.
    """
    counted = election(100, {"A": 50, "B": 30, "C": 20, "D": 10}, ["A", "A", "B", "C"])
    outcome = tally.method_of_equal_shares(counted, completion="add1")

    explained = explain_equal_shares(counted, outcome)

    assert explained.share == 25 and explained.voter_budget == 30
    assert explained.share_raised
    prices = {p.project_id: p.price for p in explained.projects if p.funded}
    assert prices == {"A": 25, "B": 30, "C": 20}
    nobody = explained.projects[-1]
    assert (nobody.project_id, nobody.reason, nobody.covered) == (
        "D",
        Reason.NO_VOTES,
        None,
    )


def test_the_greedy_fill_after_equal_shares():
    """B and C are bought from the shares; the 70 left then buys A, nobody's choice."""
    counted = election(100, {"A": 60, "B": 10, "C": 20}, ["B", "B", "BC", "BC"])
    outcome = tally.method_of_equal_shares(counted, completion="add1-greedy")

    explained = explain_equal_shares(counted, outcome)

    reasons = {p.project_id: (p.reason, p.order) for p in explained.projects}
    assert reasons == {
        "B": (Reason.SHARES, 1),
        "C": (Reason.SHARES, 2),
        "A": (Reason.COMPLETION, 3),
    }


def test_only_equal_shares_outcomes_are_explained():
    counted = election(100, {"A": 60}, ["A"])
    with pytest.raises(ValueError):
        explain_equal_shares(counted, tally.greedy(counted))
