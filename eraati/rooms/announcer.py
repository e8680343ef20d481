"""Telling a room how many are present, without a storm of updates.

Two hundred people arriving within seconds would otherwise send the room two hundred
updates each. Instead a change marks the session, and one ``presence`` event goes out
``delay`` seconds later with the count as it is then; moderators get a ``participant``
event for each person who came or went. With Redis the heartbeat also compares each
session with what it last told, so the people of a killed process disappear once
their entries expire.
"""

from __future__ import annotations

import logging
import threading

from eraati.extensions import socketio
from eraati.rooms.payloads import presence_payload

log = logging.getLogger(__name__)


class PresenceAnnouncer:
    def __init__(self, store, namespace: str, delay: float):
        self.store = store
        self.namespace = namespace
        #: 0 announces at once, inside the event (the tests' synchronous client).
        self.delay = delay
        self._told: dict[int, set[int]] = {}
        self._due: set[int] = set()
        self._lock = threading.Lock()
        self._heartbeat_started = False

    def changed(self, session_id: int) -> None:
        """Someone came or went: announce it (soon, once for all who did)."""
        if self.delay <= 0:
            self.announce(session_id)
            return
        with self._lock:
            if session_id in self._due:
                return
            self._due.add(session_id)
        socketio.start_background_task(self._announce_later, session_id)

    def _announce_later(self, session_id: int) -> None:
        socketio.sleep(self.delay)
        with self._lock:
            self._due.discard(session_id)
        try:
            self.announce(session_id)
        except Exception:
            log.exception("presence of session %s not announced", session_id)

    def announce(self, session_id: int) -> None:
        """Tell the room the count, and its moderators who changed, if anything did."""
        present = self.store.participant_ids(session_id)
        with self._lock:
            told = self._told.get(session_id)
            if present:
                self._told[session_id] = present
            else:
                self._told.pop(session_id, None)
        if present == told:
            return
        room = f"session-{session_id}"
        socketio.emit(
            "presence",
            presence_payload(session_id, present),
            to=room,
            namespace=self.namespace,
        )
        # Whoever joined was sent to the moderators in full by the join itself;
        # here only the changes this process has seen since it last told.
        for participant_id in sorted(present ^ (told or present)):
            socketio.emit(
                "participant",
                {
                    "session": session_id,
                    "id": participant_id,
                    "present": participant_id in present,
                },
                to=f"{room}-moderators",
                namespace=self.namespace,
            )

    def start_heartbeat(self) -> None:
        """Renew this process's presence in Redis, and notice other processes'
        expired entries (no-op for the single-process store)."""
        if self.store.heartbeat is None:
            return
        with self._lock:
            if self._heartbeat_started:
                return
            self._heartbeat_started = True
        socketio.start_background_task(self._beat_forever)

    def _beat_forever(self) -> None:
        while True:
            socketio.sleep(self.store.heartbeat)
            try:
                self.store.beat()
                for session_id in self.store.entries():
                    self.announce(session_id)
            except Exception:
                # Redis is away: try again at the next beat.
                log.exception("presence heartbeat failed")
