"""The moderator actions of the ``moderate`` event, one function per action.

Each takes the namespace, the session (locked), the acting moderator, the payload
and ``now``; changes state through :mod:`eraati.rooms.services`; queues what the
room must see; and returns the acknowledgement's extra fields (``target`` goes to the
audit log instead). docs/realtime.md has the table of actions.
"""

from __future__ import annotations

from eraati.extensions import db
from eraati.rooms import rules, services, turns
from eraati.rooms.models import Idea
from eraati.rooms.payloads import author_name, idea_payload, message_payload
from eraati.rooms.services import RoomError


def _status(status):
    def act(namespace, session, moderator, payload, now):
        services.set_status(session, status)
        notice = services.notice(session, status.value, now, moderator)
        namespace.broadcast("message", message_payload(notice), session)

    return act


def _set_item(namespace, session, moderator, payload, now):
    item = services.set_agenda_item(session, payload.get("item"))
    return {"target": item.id if item else None}


def _pin(pinned: bool):
    def act(namespace, session, moderator, payload, now):
        message = services.message_in(session, payload.get("message"))
        if message.hidden:
            raise RoomError("unknown_message")
        message.pinned = pinned
        namespace.broadcast("message_update", message_payload(message), session)
        return {"target": message.id}

    return act


def _hide(namespace, session, moderator, payload, now):
    message = services.hide_message(
        session, payload.get("message"), str(payload.get("reason") or "")
    )
    namespace.broadcast("message_update", message_payload(message), session)
    return {"target": message.id}


def _restore(namespace, session, moderator, payload, now):
    message = services.restore_message(session, payload.get("message"))
    namespace.broadcast("message_update", message_payload(message), session)
    return {"target": message.id}


def _participant_flag(field: str, value: bool):
    def act(namespace, session, moderator, payload, now):
        target = services.participant_in(session, payload.get("participant"))
        if target.id == moderator.id:
            raise RoomError("not_yourself")
        setattr(target, field, value)
        if field == "removed" and value:
            turns.lower_hand(session, target.id)
            if session.floor_holder_id == target.id:
                session.floor_holder_id = None
            namespace.broadcast("removed", {"participant": target.id}, session)
        namespace.tell_moderators(session, {"id": target.id, field: value})
        return {"target": target.id}

    return act


def _floor_mode(namespace, session, moderator, payload, now):
    on = payload.get("on")
    if not isinstance(on, bool):
        raise RoomError("bad_payload")
    session.floor_mode = on
    if not on:
        session.round_order = []


def _slow_mode(namespace, session, moderator, payload, now):
    seconds = payload.get("seconds")
    if not isinstance(seconds, int) or not 0 <= seconds <= 600:
        raise RoomError("bad_payload")
    session.slow_mode_seconds = seconds


def _turn_limit(namespace, session, moderator, payload, now):
    limit = payload.get("limit")
    if limit is not None and (not isinstance(limit, int) or not 20 <= limit <= 2000):
        raise RoomError("bad_payload")
    session.turn_length_limit = limit


def _give_floor(namespace, session, moderator, payload, now):
    target = turns.give_floor(session, payload.get("participant"))
    if target is not None:
        code = f"floor\t{author_name(target)}"
        notice = services.notice(session, code, now, moderator)
        namespace.broadcast("message", message_payload(notice), session)
    return {"target": target.id if target else None}


def _start_round(namespace, session, moderator, payload, now):
    order = turns.start_round(session, namespace.present(session))
    return {"order": order}


def _next_in_round(namespace, session, moderator, payload, now):
    return {"target": turns.next_in_round(session, namespace.present(session))}


def _make_idea(namespace, session, moderator, payload, now):
    idea = services.make_idea(
        session,
        str(payload.get("title") or ""),
        message_id=payload.get("message"),
        now=now,
    )
    namespace.broadcast("idea", idea_payload(idea), session)
    return {"target": idea.id, "idea": idea.id}


def _accept_idea(namespace, session, moderator, payload, now):
    idea_id = payload.get("idea")
    idea = db.session.get(Idea, idea_id) if isinstance(idea_id, int) else None
    if idea is None or idea.session_id != session.id:
        raise RoomError("unknown_idea")
    idea.accepted = True
    namespace.broadcast("idea", idea_payload(idea), session)
    return {"target": idea.id}


MODERATION = {
    "open": _status(rules.SessionStatus.OPEN),
    "pause": _status(rules.SessionStatus.PAUSED),
    "close": _status(rules.SessionStatus.CLOSED),
    "set_item": _set_item,
    "pin": _pin(True),
    "unpin": _pin(False),
    "hide": _hide,
    "restore": _restore,
    "mute": _participant_flag("muted", True),
    "unmute": _participant_flag("muted", False),
    "remove": _participant_flag("removed", True),
    "floor_mode": _floor_mode,
    "slow_mode": _slow_mode,
    "turn_limit": _turn_limit,
    "give_floor": _give_floor,
    "start_round": _start_round,
    "next_in_round": _next_in_round,
    "make_idea": _make_idea,
    "accept_idea": _accept_idea,
}
