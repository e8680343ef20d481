"""Translated words of the outcome pages: kinds, stages, periods and relations."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l

from eraati.budgeting.models import ProposalStatus
from eraati.outcomes.items import Kind, Stage

KIND = {
    Kind.IDEA: _l("Idea from a session"),
    Kind.SESSION: _l("Session"),
    Kind.SURVEY: _l("Questionnaire results"),
    Kind.PROPOSAL: _l("Idea for participatory budgeting"),
    Kind.PROJECT: _l("Project"),
}

STAGE = {
    Stage.NEW: _l("New"),
    Stage.UNDER_WAY: _l("Under way"),
    Stage.DONE: _l("Done"),
    Stage.STOPPED: _l("Not going ahead"),
}

PERIOD = {
    30: _l("In the last month"),
    90: _l("In the last 3 months"),
    365: _l("In the last year"),
}

PROPOSAL_STATUS = {
    ProposalStatus.SUBMITTED: _l("Waiting to be handled"),
    ProposalStatus.LINKED: _l("Became a project"),
    ProposalStatus.REJECTED: _l("Will not become a project"),
}

BECAME_PROJECT = _l("Became a project: %(status)s")
SUGGESTED = _l("Suggested, waiting for the moderator")
SUMMARY_PUBLISHED = _l("Summary published")
RESULTS_PUBLISHED = _l("Results published")
UPDATE_PUBLISHED = _l("Update published")

# Why an item is on a person's own list. Voting says that, never how.
RAISED_IDEA = _l("You raised this idea")
FROM_YOUR_SESSION = _l("Raised in a session you took part in")
TOOK_PART = _l("You took part in this session")
SENT_PROPOSAL = _l("You sent this idea")
FOLLOWING = _l("You follow this")
VOTED = _l("You voted in this process")


def text(label) -> str:
    """A label above in the reader's language, worded once per request: a page of
    thousands of items would otherwise ask the catalog thousands of times."""
    words = g.setdefault("outcome_words", {})
    if id(label) not in words:
        words[id(label)] = str(label)
    return words[id(label)]
