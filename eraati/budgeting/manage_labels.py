"""Officials' wording of phases, ballots, counting rules and statuses, shared by the
staff pages, the results and the exports (residents' pages word some differently)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eraati.budgeting.models import (
    BallotType,
    CountingRule,
    ImplementationStatus,
    Phase,
    ProjectStatus,
)

PHASE_LABELS = {
    Phase.DRAFT: _l("Draft"),
    Phase.INFORMATION: _l("Information"),
    Phase.PROPOSALS: _l("Proposals"),
    Phase.DEVELOPMENT: _l("Development of projects"),
    Phase.VOTING: _l("Voting"),
    Phase.COUNCIL: _l("Council decision"),
    Phase.IMPLEMENTATION: _l("Implementation follow-up"),
    Phase.FINISHED: _l("Finished"),
}
BALLOT_LABELS = {
    BallotType.APPROVAL_BUDGET: _l("Approval within the area budget"),
    BallotType.APPROVAL_COUNT: _l("Approval of up to a number of projects"),
    BallotType.CUMULATIVE: _l("Cumulative points"),
    BallotType.RANKED: _l("Ranked choice"),
}
RULE_LABELS = {
    CountingRule.GREEDY: _l("Greedy: most votes first"),
    CountingRule.MES_COST: _l(
        "Equal shares: each voter's share pays for projects, valued by cost"
    ),
    CountingRule.MES_APPROVAL: _l(
        "Equal shares: each voter's share pays for projects, valued by count"
    ),
    CountingRule.POINTS: _l("Most points first, with a minimum score"),
}
COMPLETION_LABELS = {
    "none": _l("No completion: leave unused money"),
    "add1": _l("Raise every voter's share step by step"),
    "add1-greedy": _l("Raise every voter's share, then fill by most votes"),
}
STATUS_LABELS = {
    ProjectStatus.CANDIDATE: _l("Being developed"),
    ProjectStatus.REJECTED: _l("Rejected"),
    ProjectStatus.ON_BALLOT: _l("On the ballot"),
    ProjectStatus.SELECTED: _l("Selected by vote"),
    ProjectStatus.DROPPED: _l("Dropped by the council"),
    ProjectStatus.FUNDED: _l("Funded"),
}
IMPLEMENTATION_LABELS = {
    ImplementationStatus.PLANNED: _l("Planned"),
    ImplementationStatus.IN_PROGRESS: _l("In progress"),
    ImplementationStatus.DONE: _l("Done"),
    ImplementationStatus.DELAYED: _l("Delayed"),
    ImplementationStatus.CANCELLED: _l("Cancelled"),
}
