"""Socket.IO events of the live rooms (namespace ``/rooms``).

Every handler is thin: it checks the payload, calls :mod:`eraati.rooms.services`,
commits, and only then broadcasts (:mod:`eraati.rooms.broadcast`), so nothing is
shown that is not stored. Each event answers its sender with an acknowledgement
``{"ok": true, ...}`` or ``{"ok": false, "error": code, "message": translated
text}``; refusals go to the sender only. docs/realtime.md lists every event, its
payload and its receivers; the payloads are built in :mod:`eraati.rooms.payloads`
and the moderator actions are in :mod:`eraati.rooms.moderation`.
"""

from __future__ import annotations

import functools
import threading
from contextlib import AbstractContextManager, nullcontext

from flask import current_app, request
from flask_babel import force_locale, get_locale
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.rooms import broadcast, rules, services, turns
from eraati.rooms.announcer import PresenceAnnouncer
from eraati.rooms.broadcast import NAMESPACE
from eraati.rooms.connections import (
    Connection,
    Connections,
    refuse_reserved_event_names,
)
from eraati.rooms.messages import error_text, identity_code_placeholder
from eraati.rooms.models import RoomSession
from eraati.rooms.moderation import MODERATION
from eraati.rooms.payloads import (
    author_name,
    idea_payload,
    message_payload,
    participant_row,
    participants_payload,
    state_payload,
)
from eraati.rooms.presence import LocalPresence, RedisPresence
from eraati.rooms.services import RoomError

__all__ = ["NAMESPACE", "RoomsNamespace", "refuse_reserved_event_names"]


def handler(function=None, *, in_order=False):
    """Run an event in one transaction; refusals become an error acknowledgement.

    The event's broadcasts go out when it commits and are dropped on a refusal.
    ``in_order``: events that store messages commit and broadcast one at a time per
    session in this process, so its clients get the ids in commit order.
    """

    def decorate(function):
        @functools.wraps(function)
        def wrapped(self, payload=None):
            connection = self.connections.get(request.sid)
            try:
                if connection is None:
                    raise RoomError("not_in_room")
                if connection.flooding():
                    raise RoomError("flood")
                if not isinstance(payload, dict):
                    raise RoomError("bad_payload")
                with self.one_at_a_time(payload) if in_order else nullcontext():
                    result = function(self, connection, payload)
                    db.session.commit()
                return {"ok": True, **(result or {})}
            except RoomError as error:
                db.session.rollback()
                return self.refusal(connection, error.code, error.details)
            finally:
                db.session.remove()

        return wrapped

    return decorate(function) if function else decorate


def _reader_locale() -> str:
    """The language refusals are worded in: the person's, else the browser's."""
    return str(get_locale() or current_app.config["DEFAULT_LANGUAGE"])


class RoomsNamespace(Namespace):
    def __init__(self, namespace: str = NAMESPACE):
        super().__init__(namespace)
        self.connections = Connections()
        self.presence = None
        self.announcer = None
        self._in_order: dict[int, threading.Lock] = {}

    # --- plumbing -----------------------------------------------------------------

    def presence_store(self):
        if self.presence is None:
            config = current_app.config
            url = config.get("SOCKETIO_MESSAGE_QUEUE", config["REDIS_URL"])
            self.presence = (
                RedisPresence(
                    url,
                    prefix=f"eraati:{config['SOCKETIO_CHANNEL']}",
                    ttl=config["PRESENCE_TTL"],
                )
                if url
                else LocalPresence()
            )
            # Synchronous under test (the test client has no background tasks).
            delay = config.get("ROOMS_PRESENCE_DELAY", 0 if config["TESTING"] else 0.5)
            self.announcer = PresenceAnnouncer(self.presence, self.namespace, delay)
        return self.presence

    def one_at_a_time(self, payload: dict) -> AbstractContextManager:
        """The lock of the payload's session in this process.

        PostgreSQL's row lock orders the commits, but a greenlet that committed
        first could broadcast second; holding this over the commit and the
        broadcast keeps them in the same order.
        """
        session_id = payload.get("session")
        if not isinstance(session_id, int):
            return nullcontext()
        return self._in_order.setdefault(session_id, threading.Lock())

    def refusal(self, connection: Connection | None, code: str, details: dict) -> dict:
        locale = connection.locale if connection else _reader_locale()
        with force_locale(locale):
            text = error_text(code, details or {})
        return {"ok": False, "error": code, "message": text}

    def broadcast(
        self, event: str, data, session: RoomSession, moderators_only=False
    ) -> None:
        """Queue an emit for after the commit (a rolled-back change is never shown)."""
        room = f"{session.room}-moderators" if moderators_only else session.room
        broadcast.after_commit(db.session, event, data, room)

    def tell_moderators(self, session: RoomSession, row: dict) -> None:
        """A change to one row of the moderators' list (``id`` and what changed),
        rather than the whole list again."""
        data = {"session": session.id, **row}
        self.broadcast("participant", data, session, moderators_only=True)

    def load(self, connection: Connection, payload, lock=False):
        """The session of the payload and the caller's participant row, or refusal.

        Both are read fresh, in one query: mute, removal and role may have changed
        since the join. ``lock`` (events that store messages) keeps ids in commit
        order.
        """
        session_id = payload.get("session")
        if not isinstance(session_id, int):
            raise RoomError("bad_payload")
        participant_id = connection.joined.get(session_id)
        if participant_id is None:
            if db.session.get(RoomSession, session_id) is None:
                raise RoomError("unknown_session")
            raise RoomError("not_in_room")
        session, participant = services.load_live(session_id, participant_id, lock=lock)
        if session is None:
            raise RoomError("unknown_session")
        if participant is None or participant.user_id != connection.user_id:
            raise RoomError("not_in_room")  # the account was erased meanwhile
        if participant.removed:
            raise RoomError("removed")
        return session, participant

    def present(self, session: RoomSession) -> set[int]:
        return self.presence_store().participant_ids(session.id)

    def push_state(self, session: RoomSession) -> None:
        self.broadcast("state", state_payload(session, self.present(session)), session)

    # --- connection ---------------------------------------------------------------

    def on_connect(self, auth=None):
        """Sent by the client on (re)connect with ``{"csrf": token}``: signed in only."""
        if not current_user.is_authenticated:
            return False
        try:
            validate_csrf((auth or {}).get("csrf") if isinstance(auth, dict) else None)
        except ValidationError:
            return False
        # The person is loaded once per connection, here; events use the id.
        self.connections.open(request.sid, current_user.id, _reader_locale())
        # Flask-SocketIO keeps the copy of the session it made above for the whole
        # connection; without the cookie, Flask does not verify that same cookie
        # again (an HMAC and a decode) on every event of the connection.
        request.environ.pop("HTTP_COOKIE", None)
        return True

    def on_disconnect(self, reason=None):
        self.connections.close(request.sid)
        store = self.presence_store()
        for session_id in store.remove(request.sid):
            self.announcer.changed(session_id)

    @handler
    def on_join(self, connection, payload):
        """Client → server ``{session, last_seen}``; replies with state and missed messages."""
        session_id, last_seen = payload.get("session"), payload.get("last_seen", 0)
        if not isinstance(session_id, int) or not isinstance(last_seen, int):
            raise RoomError("bad_payload")
        session, participant = services.enter_live(
            session_id, connection.user_id, utcnow()
        )
        moderator = participant.is_moderator
        join_room(session.room)
        if moderator:
            join_room(f"{session.room}-moderators")
        connection.joined[session.id] = participant.id
        store = self.presence_store()
        store.add(session.id, request.sid, participant.id)
        self.announcer.start_heartbeat()
        self.announcer.changed(session.id)
        present = store.participant_ids(session.id)
        missed = services.history(session, last_seen)
        everyone = services.participants(session) if moderator else None
        # Moderators get this person's row; the room gets the count, in a while.
        self.tell_moderators(session, participant_row(participant, True))
        return {
            "participant": participant.id,
            "moderator": moderator,
            "state": state_payload(session, present, everyone),
            "participants": participants_payload(everyone, present)
            if moderator
            else None,
            "messages": [message_payload(m) for m in missed],
            "more": len(missed) == services.HISTORY_PAGE,
        }

    @handler
    def on_leave(self, connection, payload):
        session, _participant = self.load(connection, payload)
        leave_room(session.room)
        leave_room(f"{session.room}-moderators")
        connection.joined.pop(session.id, None)
        if self.presence_store().remove(request.sid, session.id):
            self.announcer.changed(session.id)

    # --- participants -------------------------------------------------------------

    @handler(in_order=True)
    def on_message(self, connection, payload):
        """``{session, client_id, body, confirm}`` → stored, then ``message`` to the room."""
        body, client_id = payload.get("body"), payload.get("client_id")
        if not isinstance(body, str) or not isinstance(client_id, str):
            raise RoomError("bad_payload")
        session, participant = self.load(connection, payload, lock=True)
        with force_locale(participant.language):
            placeholder = identity_code_placeholder()
        message, created = services.post_message(
            session,
            participant,
            client_id,
            body,
            utcnow(),
            personal_data_confirmed=payload.get("confirm") is True,
            identity_code_placeholder=placeholder,
            locked=True,
        )
        # A resend (same client id) is broadcast again: if the first attempt was
        # stored but never broadcast (a process died), the room sees it now;
        # clients drop ids they already show.
        self.broadcast("message", message_payload(message), session)
        if created:
            row = {"id": participant.id, "count": participant.message_count}
            self.tell_moderators(session, row)
            if session.floor_mode:
                self.push_state(session)
        return {"id": message.id, "duplicate": not created}

    @handler
    def on_raise_hand(self, connection, payload):
        session, participant = self.load(connection, payload)
        if session.status is not rules.SessionStatus.OPEN:
            raise RoomError("not_open")
        turns.raise_hand(session, participant, utcnow())
        self.push_state(session)

    @handler
    def on_lower_hand(self, connection, payload):
        session, participant = self.load(connection, payload)
        turns.lower_hand(session, participant.id)
        self.push_state(session)

    @handler
    def on_report(self, connection, payload):
        """A participant reports a message to the moderators."""
        session, participant = self.load(connection, payload)
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
                "by": author_name(participant),
            },
            session,
            moderators_only=True,
        )

    @handler
    def on_suggest_idea(self, connection, payload):
        """ "This is an idea": waits for a moderator to accept it."""
        session, participant = self.load(connection, payload)
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

    @handler(in_order=True)
    def on_moderate(self, connection, payload):
        """``{session, action, ...}`` from a moderator; every client sees the result."""
        session, moderator = self.load(connection, payload, lock=True)
        services.require_moderator(moderator)
        action = payload.get("action")
        if action not in services.MODERATOR_ACTIONS:
            raise RoomError("unknown_action")
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
