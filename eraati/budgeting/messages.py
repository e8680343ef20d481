"""Translated messages for the codes that ballot checks and voting raise."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_currency, format_percent
from flask_babel import lazy_gettext as _l

VOTING_ERRORS = {
    "unknown_code": _l(
        "This vote code is not valid. Check that you typed all of it correctly."
    ),
    "code_used": _l("This code has already been used. Each code can vote once."),
    "not_eligible": _l("Your account is not on the list of voters in this vote."),
    "already_voted": _l("You have already voted in this vote. Thank you!"),
    "not_voting": _l("Voting is not open in this process."),
    "over_budget": _l(
        "The projects you chose cost %(total)s, more than the budget of %(budget)s. "
        "Remove a project."
    ),
    "too_many": _l("The most projects you can choose is %(limit)s. Remove some."),
    "too_few": _l(
        "The fewest projects you can choose is %(limit)s. Add some, or vote blank."
    ),
    "below_min_share": _l(
        "Your choices must use at least %(share)s of the budget, or vote blank."
    ),
    "unknown_project": _l("A project you chose is not on this ballot. Choose again."),
    "duplicate_project": _l("You chose the same project more than once."),
    "malformed": _l("The ballot could not be read. Fill it in again."),
    "not_integer": _l("Give the points as whole numbers, for example 3."),
    "negative_points": _l("Points cannot be negative."),
    "too_many_points": _l("You can give at most %(limit)s points in all."),
    "rank_count": _l(
        "Projects to rank: %(limit)s. Fill in every choice, or vote blank."
    ),
    "no_change_key": _l("This change key is not valid. Check that you copied it all."),
}


def _formatted(details: dict) -> dict:
    """Numbers in the reader's format: money in euros, shares as percentages."""
    shown = dict(details)
    for key in ("total", "budget"):
        if isinstance(shown.get(key), Decimal | int | float):
            shown[key] = format_currency(shown[key], "EUR")
    if isinstance(shown.get("share"), Decimal | float):
        shown["share"] = format_percent(shown["share"])
    return shown


def voting_error(code: str, details: dict | None = None) -> str:
    """The message for ``code``, with its numbers filled in."""
    message = VOTING_ERRORS.get(code, VOTING_ERRORS["malformed"])
    try:
        return str(message) % _formatted(details or {})
    except (KeyError, TypeError, ValueError):
        # Never a 500 for a message whose numbers are missing.
        return str(VOTING_ERRORS["malformed"])
