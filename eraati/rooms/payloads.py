"""What travels to live clients: the shapes of the ``/rooms`` events' payloads.

docs/realtime.md describes each one; handlers, views and jobs build them here only.
"""

from __future__ import annotations

from flask_babel import gettext as _

from eraati.rooms import turns
from eraati.rooms.messages import notice_name
from eraati.rooms.models import Idea, Message, MessageKind, Participant, RoomSession


def message_payload(message: Message) -> dict:
    """How a message travels to clients (hidden ones without their text)."""
    author = message.participant
    notice = message.kind is MessageKind.NOTICE
    return {
        "id": message.id,
        "session": message.session_id,
        "kind": message.kind.value,
        "author": None if notice else author_name(author),
        "author_id": message.participant_id,
        "moderator": bool(author and author.is_moderator),
        "body": None if message.hidden or notice else message.body,
        # A notice is a code (and a name) that each reader's page words in its language.
        "notice": notice_parts(message) if notice else None,
        "hidden": message.hidden,
        "hidden_reason": message.hidden_reason if message.hidden else None,
        "pinned": message.pinned,
        "item": message.agenda_item_id,
        "at": message.created_at.isoformat(),
    }


def notice_parts(message: Message) -> dict:
    code, _tab, name = message.body.partition("\t")
    return {"code": code, "name": notice_name(name) or None}


def author_name(participant: Participant | None) -> str:
    if participant is None or participant.user_id is None:
        return _("removed participant")
    return participant.display_name or _("participant")


def state_payload(
    session: RoomSession,
    present: set[int],
    everyone: list[Participant] | None = None,
) -> dict:
    """The room's state for everyone in it; ``everyone`` saves a query if loaded."""
    return {
        "session": session.id,
        "status": session.status.value,
        "floor_mode": session.floor_mode,
        "floor_holder": session.floor_holder_id,
        "slow_mode": session.slow_mode_seconds,
        "turn_limit": session.turn_length_limit,
        "item": session.current_item_id,
        "round": list(session.round_order or []),
        "queue": [
            {"id": p.id, "name": author_name(p), "count": p.message_count}
            for p in turns.queue(session, everyone)
        ],
        "presence": len(present),
    }


def participant_row(participant: Participant, present: bool) -> dict:
    """One person in the moderators' list; ``participant`` events carry parts of it."""
    return {
        "id": participant.id,
        "name": author_name(participant),
        "role": participant.role.value,
        "count": participant.message_count,
        "muted": participant.muted,
        "removed": participant.removed,
        "present": present,
    }


def participants_payload(everyone: list[Participant], present: set[int]) -> list[dict]:
    """For moderators: everyone with message counts (fair turns at a glance)."""
    return [participant_row(p, p.id in present) for p in everyone]


def presence_payload(session_id: int, present: set[int]) -> dict:
    return {"session": session_id, "presence": len(present)}


def idea_payload(idea: Idea) -> dict:
    return {
        "id": idea.id,
        "title": idea.title,
        "status": idea.status.value,
        "accepted": idea.accepted,
        "message": idea.message_id,
    }
