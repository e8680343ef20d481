"""Who is connected to which session: in this process, or across processes in Redis."""

from __future__ import annotations

import threading
from collections import defaultdict


class LocalPresence:
    """Connections of this process only (the single-process default)."""

    def __init__(self):
        self._rooms: dict[int, dict[str, int]] = defaultdict(dict)
        self._lock = threading.Lock()

    def add(self, session_id: int, sid: str, participant_id: int) -> None:
        with self._lock:
            self._rooms[session_id][sid] = participant_id

    def remove(self, sid: str) -> list[int]:
        """Forget a connection; returns the sessions it was in."""
        with self._lock:
            left = [room for room, sids in self._rooms.items() if sids.pop(sid, None)]
        return left

    def participant_ids(self, session_id: int) -> set[int]:
        with self._lock:
            return set(self._rooms.get(session_id, {}).values())


class RedisPresence:
    """Connections of every process, in one Redis hash per session."""

    def __init__(self, url: str):
        import redis

        # A blocking pool: under gevent, hundreds of connects at once must wait for
        # a connection rather than fail (the default pool raises past its size).
        pool = redis.BlockingConnectionPool.from_url(
            url, max_connections=50, timeout=10
        )
        self._redis = redis.Redis(connection_pool=pool)
        self._local = LocalPresence()

    @staticmethod
    def _key(session_id: int) -> str:
        return f"eraati:presence:{session_id}"

    def add(self, session_id: int, sid: str, participant_id: int) -> None:
        self._local.add(session_id, sid, participant_id)
        self._redis.hset(self._key(session_id), sid, participant_id)
        # A process killed without cleaning up leaves entries; they expire with the day.
        self._redis.expire(self._key(session_id), 24 * 3600)

    def remove(self, sid: str) -> list[int]:
        left = self._local.remove(sid)
        for session_id in left:
            self._redis.hdel(self._key(session_id), sid)
        return left

    def participant_ids(self, session_id: int) -> set[int]:
        return {int(value) for value in self._redis.hvals(self._key(session_id))}
