"""The rooms domain's part of "my data": sessions, messages, ideas, reports.

Erasure keeps what the person said in its place in the transcript, said by a
"removed participant": the participant row stays without its person and name
(:func:`eraati.rooms.payloads.author_name` words it in each reader's language), and
the floor notices that named them store :data:`REMOVED_NAME` instead.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from eraati.extensions import db
from eraati.mydata.rows import changed, without_address
from eraati.rooms.messages import REMOVED_NAME
from eraati.rooms.models import (
    GroundRulesAcceptance,
    Idea,
    IdeaStatusChange,
    Message,
    MessageKind,
    MessageReport,
    ModerationAction,
    Participant,
    RaisedHand,
    RoomSession,
)


def _participant_ids(user):
    return select(Participant.id).where(Participant.user_id == user.id)


def export(user) -> dict:
    mine = _participant_ids(user)
    return {
        "sessions": [
            {
                "session_id": session.id,
                "session": session.title,
                "panel_id": session.panel_id,
                "starts_at": session.starts_at,
                "role": participant.role.value,
                "display_name": participant.display_name,
                "joined_at": participant.joined_at,
                "messages_posted": participant.message_count,
                "muted": participant.muted,
                "removed": participant.removed,
            }
            for participant, session in db.session.execute(
                select(Participant, RoomSession)
                .join(RoomSession, RoomSession.id == Participant.session_id)
                .where(Participant.user_id == user.id)
                .order_by(RoomSession.starts_at, Participant.id)
            )
        ],
        "messages": [
            {
                "session_id": message.session_id,
                "at": message.created_at,
                "text": message.body,
                "hidden": message.hidden,
                "hidden_reason": message.hidden_reason,
            }
            for message in _rows(
                Message,
                Message.participant_id.in_(mine),
                Message.kind == MessageKind.MESSAGE,
            )
        ],
        "ideas": [
            {
                "idea_id": idea.id,
                "session_id": idea.session_id,
                "title": idea.title,
                "description": idea.description,
                "status": idea.status.value,
                "accepted": idea.accepted,
                "created_at": idea.created_at,
            }
            for idea in _rows(Idea, Idea.suggested_by_id.in_(mine))
        ],
        "reports": [
            {
                "message_id": report.message_id,
                "reason": report.reason,
                "created_at": report.created_at,
                "handled": report.handled,
            }
            for report in _rows(MessageReport, MessageReport.reporter_id.in_(mine))
        ],
        "raised_hands": [
            {"session_id": hand.session_id, "at": hand.raised_at}
            for hand in _rows(RaisedHand, RaisedHand.participant_id.in_(mine))
        ],
        "ground_rules": [
            {
                "panel_id": accepted.panel_id,
                "version": accepted.version,
                "at": accepted.accepted_at,
            }
            for accepted in _rows(
                GroundRulesAcceptance, GroundRulesAcceptance.user_id == user.id
            )
        ],
        "moderation_actions": [
            {
                "session_id": action.session_id,
                "action": action.action,
                "reason": action.reason,
                "at": action.created_at,
            }
            for action in _rows(ModerationAction, ModerationAction.actor_id.in_(mine))
        ],
        "idea_decisions": [
            {
                "idea_id": change.idea_id,
                "status": change.status.value,
                "reason": change.reason,
                "at": change.changed_at,
            }
            for change in _rows(
                IdeaStatusChange, IdeaStatusChange.changed_by_id == user.id
            )
        ],
    }


def _rows(model, *where) -> list:
    return list(db.session.scalars(select(model).where(*where).order_by(model.id)))


def erase(user) -> dict[str, int]:
    mine = _participant_ids(user)
    named = db.session.execute(
        select(Participant.session_id, Participant.display_name).where(
            Participant.user_id == user.id, Participant.display_name != ""
        )
    ).all()
    notices = sum(
        changed(
            update(Message)
            .where(
                Message.session_id == session_id,
                Message.kind == MessageKind.NOTICE,
                Message.body == f"floor\t{name}",
            )
            .values(body=f"floor\t{REMOVED_NAME}")
        )
        for session_id, name in named
    )
    without_address(Message.body, user.email, Message.participant_id.in_(mine))
    counts = {
        "floor_notices": notices,
        "raised_hands": changed(
            delete(RaisedHand).where(RaisedHand.participant_id.in_(mine))
        ),
        "ground_rules": changed(
            delete(GroundRulesAcceptance).where(
                GroundRulesAcceptance.user_id == user.id
            )
        ),
        "idea_decisions": changed(
            update(IdeaStatusChange)
            .where(IdeaStatusChange.changed_by_id == user.id)
            .values(changed_by_id=None)
        ),
    }
    # Last: the statements above find the person through these rows. An invitation
    # to a session never joined holds nothing of theirs (nor a future session's).
    counts["sessions_not_joined"] = changed(
        delete(Participant).where(
            Participant.user_id == user.id, Participant.joined_at.is_(None)
        )
    )
    counts["sessions"] = changed(
        update(Participant)
        .where(Participant.user_id == user.id)
        .values(user_id=None, display_name="")
    )
    return counts
