"""What this process remembers about each of its live connections.

Set at connect and join, so that an event does not load the person again: the user
id and language from the signed session (fixed for the life of a connection, as
Flask-SocketIO's copy of the session is), and the participant id of each session
joined. Whatever can change meanwhile (mute, removal, role, the session itself) is
read fresh from the database on every event, with the session, in one query.
Also here: the flood limit, and the guard against clients firing the server's own
events.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

#: Any one connection may send this many events in FLOOD_WINDOW seconds.
FLOOD_LIMIT = 30
FLOOD_WINDOW = 10.0


@dataclass
class Connection:
    user_id: int
    #: The language refusals are worded in (the person's, or the browser's).
    locale: str
    #: Session id -> this person's participant id, for the sessions joined.
    joined: dict[int, int] = field(default_factory=dict)
    #: When the recent events came (time.monotonic), for the flood limit.
    recent: deque = field(default_factory=deque)

    def flooding(self) -> bool:
        """Count one more event; True when it is over the limit."""
        now = time.monotonic()
        while self.recent and now - self.recent[0] > FLOOD_WINDOW:
            self.recent.popleft()
        if len(self.recent) >= FLOOD_LIMIT:
            return True
        self.recent.append(now)
        return False


class Connections:
    """The connections of this process, by Socket.IO session id."""

    def __init__(self):
        self._by_sid: dict[str, Connection] = {}

    def open(self, sid: str, user_id: int, locale: str) -> Connection:
        connection = self._by_sid[sid] = Connection(user_id=user_id, locale=locale)
        return connection

    def get(self, sid: str) -> Connection | None:
        return self._by_sid.get(sid)

    def close(self, sid: str) -> Connection | None:
        return self._by_sid.pop(sid, None)


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
