"""Socket.IO events of the live rooms (namespace ``/rooms``).

Every handler is thin: it checks the payload, calls :mod:`eraati.rooms.services`,
commits, and only then broadcasts, so nothing is shown that is not stored. Each event
answers its sender with an acknowledgement ``{"ok": true, ...}`` or
``{"ok": false, "error": code, "message": translated text}``; refusals go to the
sender only. docs/realtime.md lists every event, its payload and its receivers.
"""

from __future__ import annotations

import functools
import time
from collections import deque

from flask import current_app, g, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from eraati.core.time import utcnow
from eraati.extensions import db, socketio
from eraati.rooms import rules, services
from eraati.rooms.messages import error_text, identity_code_placeholder
from eraati.rooms.models import Message, MessageKind, Participant, RoomSession
from eraati.rooms.presence import LocalPresence, RedisPresence

NAMESPACE = "/rooms"
#: Where an event keeps the broadcasts it sends once its transaction commits.
PENDING = "room_broadcasts"
#: Any one connection may send this many events in FLOOD_WINDOW seconds.
FLOOD_LIMIT = 30
FLOOD_WINDOW = 10.0


def refuse_reserved_event_names(server) -> None:
    """Drop client events named like the server's own (``connect``, ``disconnect``).

    python-socketio would otherwise route an emitted "disconnect" to
    ``on_disconnect``: the client could clear its own flood counter and presence.
    """
    handle = server._handle_event

    def guarded(eio_sid, namespace, id, data):
        if data and data[0] in server.reserved_events:
            return None
        return handle(eio_sid, namespace, id, data)

    server._handle_event = guarded


def message_payload(message: Message) -> dict:
    """How a message travels to clients (hidden ones without their text)."""
    author = message.participant
    return {
        "id": message.id,
        "session": message.session_id,
        "kind": message.kind.value,
        "author": _author_name(author) if message.kind is MessageKind.MESSAGE else None,
        "author_id": message.participant_id,
        "moderator": bool(author and author.is_moderator),
        "body": None
        if message.hidden or message.kind is MessageKind.NOTICE
        else message.body,
        # A notice is a code (and a name) that each reader's page words in its language.
        "notice": notice_parts(message) if message.kind is MessageKind.NOTICE else None,
        "hidden": message.hidden,
        "hidden_reason": message.hidden_reason if message.hidden else None,
        "pinned": message.pinned,
        "item": message.agenda_item_id,
        "at": message.created_at.isoformat(),
    }


def notice_parts(message: Message) -> dict:
    code, _tab, name = message.body.partition("\t")
    return {"code": code, "name": name or None}


def _author_name(participant: Participant | None) -> str:
    if participant is None or participant.user_id is None:
        return _("removed participant")
    return participant.display_name or _("participant")


def state_payload(session: RoomSession, present: set[int]) -> dict:
    queue = services.queue(session)
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
            {"id": p.id, "name": _author_name(p), "count": p.message_count}
            for p in queue
        ],
        "presence": len(present),
    }


def participants_payload(session: RoomSession, present: set[int]) -> list[dict]:
    """For moderators: everyone with message counts (fair turns at a glance)."""
    return [
        {
            "id": p.id,
            "name": _author_name(p),
            "role": p.role.value,
            "count": p.message_count,
            "muted": p.muted,
            "removed": p.removed,
            "present": p.id in present,
        }
        for p in services.participants(session)
    ]


class Refused(Exception):
    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def handler(function):
    """Run an event in one transaction; refusals become an error acknowledgement."""

    @functools.wraps(function)
    def wrapped(self, payload=None):
        try:
            self.check_flood()
            if not isinstance(payload, dict):
                raise Refused("bad_payload")
            result = function(self, payload)
            db.session.commit()
            self.after_commit()
            return {"ok": True, **(result or {})}
        except (Refused, services.RoomError) as error:
            db.session.rollback()
            g.pop(PENDING, None)
            return self.refusal(error.code, error.details)
        finally:
            db.session.remove()

    return wrapped


class RoomsNamespace(Namespace):
    def __init__(self, namespace: str = NAMESPACE):
        super().__init__(namespace)
        self.presence = None
        self.flood: dict[str, deque] = {}

    # --- plumbing -----------------------------------------------------------------

    def presence_store(self):
        if self.presence is None:
            url = current_app.config.get(
                "SOCKETIO_MESSAGE_QUEUE", current_app.config["REDIS_URL"]
            )
            self.presence = RedisPresence(url) if url else LocalPresence()
        return self.presence

    def check_flood(self) -> None:
        window = self.flood.setdefault(request.sid, deque())
        now = time.monotonic()
        while window and now - window[0] > FLOOD_WINDOW:
            window.popleft()
        if len(window) >= FLOOD_LIMIT:
            raise Refused("flood")
        window.append(now)

    def refusal(self, code: str, details: dict | None = None) -> dict:
        return {"ok": False, "error": code, "message": error_text(code, details or {})}

    def broadcast(
        self, event: str, data, session: RoomSession, moderators_only=False
    ) -> None:
        """Queue an emit for after the commit (a rolled-back change is never shown)."""
        room = f"{session.room}-moderators" if moderators_only else session.room
        # Per event (in ``g``), not per namespace: under gevent many events run at
        # once, and a shared list would send or drop other events' broadcasts.
        g.setdefault(PENDING, []).append((event, data, room))

    def after_commit(self) -> None:
        for event, data, room in g.pop(PENDING, []):
            socketio.emit(event, data, to=room, namespace=self.namespace)

    def load(self, payload) -> tuple[RoomSession, Participant]:
        """The session of the payload and the caller's participant row, or refusal."""
        session_id = payload.get("session")
        if not isinstance(session_id, int):
            raise Refused("bad_payload")
        session = db.session.get(RoomSession, session_id)
        if session is None:
            raise Refused("unknown_session")
        participant = services.participant_of(session, current_user)
        if participant is None or session.id not in self.joined_sessions():
            raise Refused("not_in_room")
        if participant.removed:
            raise Refused("removed")
        return session, participant

    def joined_sessions(self) -> set[int]:
        rooms = socketio.server.rooms(request.sid, namespace=self.namespace)
        return {
            int(room.split("-")[1])
            for room in rooms
            if room.startswith("session-") and room.count("-") == 1
        }

    def present(self, session: RoomSession) -> set[int]:
        return self.presence_store().participant_ids(session.id)

    def push_state(self, session: RoomSession) -> None:
        present = self.present(session)
        self.broadcast("state", state_payload(session, present), session)
        self.broadcast(
            "participants",
            participants_payload(session, present),
            session,
            moderators_only=True,
        )

    # --- connection ---------------------------------------------------------------

    def on_connect(self, auth=None):
        """Sent by the client on (re)connect with ``{"csrf": token}``: signed in only."""
        if not current_user.is_authenticated:
            return False
        try:
            validate_csrf((auth or {}).get("csrf") if isinstance(auth, dict) else None)
        except ValidationError:
            return False
        return True

    def on_disconnect(self, reason=None):
        self.flood.pop(request.sid, None)
        for session_id in self.presence_store().remove(request.sid):
            session = db.session.get(RoomSession, session_id)
            if session is not None:
                self.push_state(session)
                self.after_commit()
        db.session.remove()

    @handler
    def on_join(self, payload):
        """Client → server ``{session, last_seen}``; replies with state and missed messages."""
        session_id, last_seen = payload.get("session"), payload.get("last_seen", 0)
        if not isinstance(session_id, int) or not isinstance(last_seen, int):
            raise Refused("bad_payload")
        session = db.session.get(RoomSession, session_id)
        if session is None:
            raise Refused("unknown_session")
        participant = services.enter(session, current_user, utcnow())
        join_room(session.room)
        if participant.is_moderator:
            join_room(f"{session.room}-moderators")
        self.presence_store().add(session.id, request.sid, participant.id)
        missed = services.history(session, last_seen)
        self.push_state(session)
        present = self.present(session)
        return {
            "participant": participant.id,
            "moderator": participant.is_moderator,
            "state": state_payload(session, present),
            "participants": participants_payload(session, present)
            if participant.is_moderator
            else None,
            "messages": [message_payload(m) for m in missed],
            "more": len(missed) == services.HISTORY_PAGE,
        }

    @handler
    def on_leave(self, payload):
        session, _participant = self.load(payload)
        leave_room(session.room)
        leave_room(f"{session.room}-moderators")
        self.presence_store().remove(request.sid)
        self.push_state(session)

    # --- participants -------------------------------------------------------------

    @handler
    def on_message(self, payload):
        """``{session, client_id, body, confirm}`` → stored, then ``message`` to the room."""
        session, participant = self.load(payload)
        body = payload.get("body")
        if not isinstance(body, str) or not isinstance(payload.get("client_id"), str):
            raise Refused("bad_payload")
        with force_locale(participant.language):
            placeholder = identity_code_placeholder()
        message, created = services.post_message(
            session,
            participant,
            payload["client_id"],
            body,
            utcnow(),
            personal_data_confirmed=payload.get("confirm") is True,
            identity_code_placeholder=placeholder,
        )
        # A resend (same client id) is broadcast again: if the first attempt was
        # stored but never broadcast (a process died), the room sees it now;
        # clients drop ids they already show.
        self.broadcast("message", message_payload(message), session)
        if created:
            if session.floor_mode:
                self.push_state(session)
            else:
                self.broadcast(
                    "participants",
                    participants_payload(session, self.present(session)),
                    session,
                    moderators_only=True,
                )
        return {"id": message.id, "duplicate": not created}

    @handler
    def on_raise_hand(self, payload):
        session, participant = self.load(payload)
        if session.status is not rules.SessionStatus.OPEN:
            raise Refused("not_open")
        services.raise_hand(session, participant, utcnow())
        self.push_state(session)

    @handler
    def on_lower_hand(self, payload):
        session, participant = self.load(payload)
        services.lower_hand(session, participant.id)
        self.push_state(session)

    @handler
    def on_report(self, payload):
        """A participant reports a message to the moderators."""
        session, participant = self.load(payload)
        report, created = services.report_message(
            session,
            participant,
            payload.get("message"),
            str(payload.get("reason") or ""),
        )
        if not created:
            return None  # reported already: the moderators know
        self.broadcast(
            "report",
            {
                "message": report.message_id,
                "reason": report.reason,
                "by": _author_name(participant),
            },
            session,
            moderators_only=True,
        )

    @handler
    def on_suggest_idea(self, payload):
        """ "This is an idea": waits for a moderator to accept it."""
        session, participant = self.load(payload)
        idea = services.make_idea(
            session,
            str(payload.get("title") or ""),
            message_id=payload.get("message"),
            suggested_by=participant,
            accepted=False,
            now=utcnow(),
        )
        self.broadcast("idea", idea_payload(idea), session, moderators_only=True)
        return {"idea": idea.id}

    # --- moderators ---------------------------------------------------------------

    @handler
    def on_moderate(self, payload):
        """``{session, action, ...}`` from a moderator; every client sees the result."""
        session, moderator = self.load(payload)
        services.require_moderator(moderator)
        action = payload.get("action")
        if action not in services.MODERATOR_ACTIONS:
            raise Refused("unknown_action")
        now = utcnow()
        result = MODERATION[action](self, session, moderator, payload, now) or {}
        services.log(
            session,
            moderator,
            action,
            result.pop("target", None),
            payload.get("reason"),
            now,
        )
        self.push_state(session)
        return result


def idea_payload(idea) -> dict:
    return {
        "id": idea.id,
        "title": idea.title,
        "status": idea.status.value,
        "accepted": idea.accepted,
        "message": idea.message_id,
    }


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
            raise Refused("unknown_message")
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
        target = services._participant_in(session, payload.get("participant"))
        if target.id == moderator.id:
            raise Refused("not_yourself")
        setattr(target, field, value)
        if field == "removed" and value:
            services.lower_hand(session, target.id)
            if session.floor_holder_id == target.id:
                session.floor_holder_id = None
            namespace.broadcast("removed", {"participant": target.id}, session)
        return {"target": target.id}

    return act


def _floor_mode(namespace, session, moderator, payload, now):
    on = payload.get("on")
    if not isinstance(on, bool):
        raise Refused("bad_payload")
    session.floor_mode = on
    if not on:
        session.round_order = []


def _slow_mode(namespace, session, moderator, payload, now):
    seconds = payload.get("seconds")
    if not isinstance(seconds, int) or not 0 <= seconds <= 600:
        raise Refused("bad_payload")
    session.slow_mode_seconds = seconds


def _turn_limit(namespace, session, moderator, payload, now):
    limit = payload.get("limit")
    if limit is not None and (not isinstance(limit, int) or not 20 <= limit <= 2000):
        raise Refused("bad_payload")
    session.turn_length_limit = limit


def _give_floor(namespace, session, moderator, payload, now):
    target = services.give_floor(session, payload.get("participant"))
    if target is not None:
        code = f"floor	{_author_name(target)}"
        notice = services.notice(session, code, now, moderator)
        namespace.broadcast("message", message_payload(notice), session)
    return {"target": target.id if target else None}


def _start_round(namespace, session, moderator, payload, now):
    order = services.start_round(session, namespace.present(session))
    return {"order": order}


def _next_in_round(namespace, session, moderator, payload, now):
    return {"target": services.next_in_round(session, namespace.present(session))}


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
    from eraati.rooms.models import Idea

    idea = (
        db.session.get(Idea, payload.get("idea"))
        if isinstance(payload.get("idea"), int)
        else None
    )
    if idea is None or idea.session_id != session.id:
        raise Refused("unknown_idea")
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
