"""Mail to the people who follow participatory budgeting: phase changes, what became
of an idea, implementation status, and the council's decision.

Each change reaches each person once, however many of the things they follow it
touches: recipients are collected as a set of accounts before anything is sent.
Everything goes through :func:`eraati.mail.notify.notify`, which honours the
person's notification settings.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, union

from eraati.accounts.models import User
from eraati.budgeting.manage_labels import IMPLEMENTATION_LABELS
from eraati.budgeting.models import (
    CouncilDecision,
    Follow,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Proposal,
    ProposalStatus,
    VoterRecord,
)
from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.mail.notify import Category, notify


def _users(*id_queries: Select) -> list[User]:
    """The accounts whose ids any of the queries give, each once."""
    ids = union(*id_queries) if len(id_queries) > 1 else id_queries[0]
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(select(ids.subquery().c[0])))
            .order_by(User.id)
        )
    )


def _send(users, category: Category, template: str, subject, **context) -> int:
    return sum(
        notify(user, category, template, subject, **context) is not None
        for user in users
    )


def process_link(process: Process) -> str:
    return public_url("budgeting.process_page", process_id=process.id)


def proposal_link(proposal: Proposal) -> str:
    return public_url(
        "budgeting.proposal_page",
        process_id=proposal.process_id,
        proposal_id=proposal.id,
    )


# --- Who hears of what ---------------------------------------------------------


def process_followers(process: Process) -> list[User]:
    """Everyone who follows an idea or a project of the process."""
    return _users(
        select(Follow.user_id)
        .join(Proposal, Proposal.id == Follow.proposal_id)
        .where(Proposal.process_id == process.id),
        select(Follow.user_id)
        .join(Project, Project.id == Follow.project_id)
        .where(Project.process_id == process.id),
    )


def proposal_audience(proposal: Proposal) -> list[User]:
    """The proposer and the idea's followers."""
    return _users(
        select(Proposal.author_id).where(
            Proposal.id == proposal.id, Proposal.author_id.is_not(None)
        ),
        select(Follow.user_id).where(Follow.proposal_id == proposal.id),
    )


def project_audience(project: Project) -> list[User]:
    """The project's followers, and the proposers and followers of its ideas."""
    ideas = select(Proposal.id).where(Proposal.project_id == project.id)
    return _users(
        select(Follow.user_id).where(Follow.project_id == project.id),
        select(Follow.user_id).where(Follow.proposal_id.in_(ideas)),
        select(Proposal.author_id).where(
            Proposal.project_id == project.id, Proposal.author_id.is_not(None)
        ),
    )


# --- Notices ---------------------------------------------------------------------


def phase_changed(process: Process) -> int:
    """Tell the process's followers which phase it is in now; returns mails sent."""
    from eraati.budgeting.views import PHASE_LABELS

    label = PHASE_LABELS.get(process.phase)
    if label is None:  # moved back to draft: nothing public to say
        return 0
    return _send(
        process_followers(process),
        Category.PB_PHASES,
        "pb_phase_changed",
        _l("Participatory budgeting has moved to a new phase"),
        process=process,
        phase_label=label,
        link=process_link(process),
    )


def proposal_decided(proposal: Proposal) -> int:
    """Tell the proposer and followers what became of the idea."""
    return _send(
        proposal_audience(proposal),
        Category.STATUS_CHANGES,
        "pb_proposal_outcome",
        _l("Officials have handled an idea"),
        proposal=proposal,
        linked=proposal.status is ProposalStatus.LINKED,
        link=proposal_link(proposal),
    )


def project_status_changed(project: Project, update: ProjectUpdate) -> int:
    """Tell everyone who follows the project (or its ideas) the new status."""
    return _send(
        project_audience(project),
        Category.STATUS_CHANGES,
        "pb_project_status",
        _l("A participatory budgeting project has moved on"),
        project=project,
        update=update,
        status_label=IMPLEMENTATION_LABELS[update.status],
        link=public_url(
            "budgeting_follow_up.project",
            process_id=project.process_id,
            project_id=project.id,
        ),
    )


def council_decided(process: Process, decision: CouncilDecision) -> int:
    """Proposers hear what became of each of their ideas (one mail per person);
    everyone else who voted with an account hears that the council has decided."""
    rows = db.session.execute(
        select(Proposal, Project)
        .join(Project, Project.id == Proposal.project_id)
        .where(Proposal.process_id == process.id, Proposal.author_id.is_not(None))
        .order_by(Proposal.id)
    ).all()
    ideas: dict[int, list] = defaultdict(list)
    for proposal, project in rows:
        ideas[proposal.author_id].append(
            (proposal, project, project.status is ProjectStatus.FUNDED)
        )
    follow_up = public_url("budgeting_follow_up.process", process_id=process.id)
    proposers = db.session.scalars(select(User).where(User.id.in_(list(ideas))))
    sent = sum(
        _send(
            [user],
            Category.STATUS_CHANGES,
            "pb_decision",
            _l("The council has decided on participatory budgeting"),
            ideas=ideas[user.id],
            link=follow_up,
        )
        for user in proposers
    )
    voters = select(VoterRecord.user_id).where(
        VoterRecord.process_id == process.id, VoterRecord.user_id.not_in(list(ideas))
    )
    return sent + _send(
        _users(voters),
        Category.PB_PHASES,
        "pb_council_decided",
        _l("The council has decided on participatory budgeting"),
        process=process,
        rejected_whole=decision.rejected_whole,
        note=decision.note,
        link=follow_up,
        process_link=process_link(process),
    )
