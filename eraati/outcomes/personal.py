"""One person's own list: the ideas they raised in sessions, the sessions they took
part in and the ideas raised there, the budgeting ideas they sent or follow, and the
projects they follow or could vote on.

Voting by account is known only from :class:`VoterRecord` (that they voted, and in
which area), never from a ballot: the list says "you voted in this process".
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from eraati.budgeting.models import (
    Follow,
    Phase,
    Process,
    Project,
    ProjectStatus,
    Proposal,
    VoterRecord,
)
from eraati.core.i18n import text_in_reader_language as tr
from eraati.extensions import db
from eraati.outcomes import labels
from eraati.outcomes.items import Kind, Outcome, Stage, merged
from eraati.outcomes.queries import idea_outcome, project_outcomes, proposal_outcome
from eraati.panels.models import Panel
from eraati.rooms.labels import SESSION_STATUS
from eraati.rooms.models import Idea, Message, Participant, RoomSession
from eraati.rooms.rules import SessionStatus

#: Projects of a process a voter saw on the ballot (not those dropped before it).
ON_THE_BALLOT = (
    ProjectStatus.ON_BALLOT,
    ProjectStatus.SELECTED,
    ProjectStatus.DROPPED,
    ProjectStatus.FUNDED,
)


def person_outcomes(user_id: int) -> list[Outcome]:
    """Everything on the person's list, each item once."""
    return merged(
        [
            *_raised_ideas(user_id),
            *_sessions_and_their_ideas(user_id),
            *_proposals(user_id),
            *_projects(user_id),
        ]
    )


def _raised_ideas(user_id: int) -> list[Outcome]:
    """Ideas they suggested, or that a moderator made of their message."""
    mine = select(Participant.id).where(Participant.user_id == user_id)
    ideas = db.session.scalars(
        select(Idea)
        .join(Panel, Panel.id == Idea.panel_id)
        .outerjoin(Message, Message.id == Idea.message_id)
        .where(
            Panel.is_archived.is_(False),
            or_(Idea.suggested_by_id.in_(mine), Message.participant_id.in_(mine)),
        )
        .options(selectinload(Idea.history))
    )
    return [idea_outcome(idea, labels.text(labels.RAISED_IDEA)) for idea in ideas]


def _sessions_and_their_ideas(user_id: int) -> list[Outcome]:
    sessions = db.session.scalars(
        select(RoomSession)
        .join(Participant, Participant.session_id == RoomSession.id)
        .join(Panel, Panel.id == RoomSession.panel_id)
        .where(
            Participant.user_id == user_id,
            Participant.joined_at.is_not(None),
            Panel.is_archived.is_(False),
        )
    ).all()
    ideas = db.session.scalars(
        select(Idea)
        .where(
            Idea.session_id.in_([session.id for session in sessions]),
            Idea.accepted.is_(True),
        )
        .options(selectinload(Idea.history))
    )
    from_session = labels.text(labels.FROM_YOUR_SESSION)
    return [
        *(_session_outcome(session) for session in sessions),
        *(idea_outcome(idea, from_session) for idea in ideas),
    ]


def _session_outcome(session: RoomSession) -> Outcome:
    published = session.summary_sent_at is not None
    if published:
        link = url_for("rooms.summary", session_id=session.id)
        status = labels.SUMMARY_PUBLISHED
    else:
        link = url_for("rooms.calendar", panel=session.panel_id)
        status = SESSION_STATUS[session.status]
    closed = session.status is SessionStatus.CLOSED
    return Outcome(
        key=f"session-{session.id}",
        kind=Kind.SESSION,
        title=tr(session.title),
        stage=Stage.DONE if closed else Stage.UNDER_WAY,
        status=labels.text(status),
        updated=session.summary_sent_at or session.ends_at,
        link=link,
        relations=(labels.text(labels.TOOK_PART),),
    )


def _proposals(user_id: int) -> list[Outcome]:
    followed = set(
        db.session.scalars(
            select(Follow.proposal_id).where(
                Follow.user_id == user_id, Follow.proposal_id.is_not(None)
            )
        )
    )
    proposals = db.session.scalars(
        select(Proposal)
        .join(Process, Process.id == Proposal.process_id)
        .where(
            Process.phase != Phase.DRAFT,
            or_(Proposal.author_id == user_id, Proposal.id.in_(followed)),
        )
    ).all()
    projects = project_outcomes(
        db.session.scalars(
            select(Project).where(
                Project.id.in_({p.project_id for p in proposals if p.project_id})
            )
        )
    )
    return [
        proposal_outcome(
            proposal,
            projects.get(proposal.project_id),
            *_proposal_relations(proposal, user_id, followed),
        )
        for proposal in proposals
    ]


def _proposal_relations(proposal: Proposal, user_id: int, followed: set[int]):
    if proposal.author_id == user_id:
        yield labels.text(labels.SENT_PROPOSAL)
    if proposal.id in followed:
        yield labels.text(labels.FOLLOWING)


def _projects(user_id: int) -> list[Outcome]:
    """Projects they follow, and those on the ballot of an area they voted in."""
    followed = set(
        db.session.scalars(
            select(Follow.project_id).where(
                Follow.user_id == user_id, Follow.project_id.is_not(None)
            )
        )
    )
    voted = (
        select(VoterRecord.id)
        .where(
            VoterRecord.user_id == user_id,
            VoterRecord.process_id == Project.process_id,
            VoterRecord.area_id == Project.area_id,
        )
        .exists()
    )
    rows = db.session.execute(
        select(Project, voted)
        .join(Process, Process.id == Project.process_id)
        .where(
            Process.phase != Phase.DRAFT,
            or_(Project.id.in_(followed), voted & Project.status.in_(ON_THE_BALLOT)),
        )
    ).all()
    relations = {
        project.id: tuple(
            labels.text(label)
            for label, applies in (
                (labels.FOLLOWING, project.id in followed),
                (labels.VOTED, has_voted and project.status in ON_THE_BALLOT),
            )
            if applies
        )
        for project, has_voted in rows
    }
    return list(project_outcomes([row[0] for row in rows], relations).values())
