"""Ballot validity: the server checks every ballot whatever the client sent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eraati.budgeting.ballots import BallotProblem, BallotRules, check_ballot

COSTS = {
    "1": Decimal(40_000),
    "2": Decimal(35_000),
    "3": Decimal(30_000),
    "4": Decimal(5_000),
}
BUDGET = BallotRules("approval_budget", Decimal(70_000))


@pytest.mark.parametrize(
    ("rules", "raw", "expected"),
    [
        (BUDGET, ["1", "3"], ["1", "3"]),
        (BUDGET, [], []),  # blank ballot
        (BUDGET, [2, 4], ["2", "4"]),
        (
            BallotRules("approval_count", Decimal(0), max_projects=2),
            ["1", "2"],
            ["1", "2"],
        ),
        (
            BallotRules("cumulative", Decimal(0), max_points=10),
            {"1": 7, "2": 3, "3": 0},
            {"1": 7, "2": 3},
        ),
        (
            BallotRules("ranked", Decimal(0), rank_count=3),
            ["3", "1", "2"],
            ["3", "1", "2"],
        ),
    ],
)
def test_valid_ballots(rules, raw, expected):
    assert check_ballot(rules, COSTS, raw) == expected


@pytest.mark.parametrize(
    ("rules", "raw", "code"),
    [
        (BUDGET, ["1", "2"], "over_budget"),
        (BUDGET, ["1", "99"], "unknown_project"),
        (BUDGET, ["1", "1"], "duplicate_project"),
        (BUDGET, "1,2", "malformed"),
        (BUDGET, {"1": 1}, "malformed"),
        (
            BallotRules(
                "approval_budget", Decimal(70_000), min_budget_share=Decimal("0.5")
            ),
            ["4"],
            "below_min_share",
        ),
        (
            BallotRules("approval_count", Decimal(0), max_projects=2),
            ["1", "2", "3"],
            "too_many",
        ),
        (BallotRules("approval_count", Decimal(0), min_projects=2), ["1"], "too_few"),
        (
            BallotRules("cumulative", Decimal(0), max_points=10),
            {"1": 11},
            "too_many_points",
        ),
        (
            BallotRules("cumulative", Decimal(0), max_points=10),
            {"1": -1},
            "negative_points",
        ),
        (
            BallotRules("cumulative", Decimal(0), max_points=10),
            {"1": 2.5},
            "not_integer",
        ),
        (
            BallotRules("cumulative", Decimal(0), max_points=10),
            {"1": True},
            "not_integer",
        ),
        (BallotRules("cumulative", Decimal(0), max_points=10), ["1"], "malformed"),
        (BallotRules("ranked", Decimal(0), rank_count=3), ["1", "2"], "rank_count"),
    ],
)
def test_invalid_ballots_are_refused_with_a_code(rules, raw, code):
    with pytest.raises(BallotProblem) as problem:
        check_ballot(rules, COSTS, raw)
    assert problem.value.code == code
