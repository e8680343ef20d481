"""Who is connected to which session: in this process, or across processes in Redis.

In Redis every process keeps its own hash per session, with a short time to live
that its heartbeat (:meth:`RedisPresence.beat`) renews. A process killed without
cleaning up stops renewing, so its people stop counting as present within ``ttl``
seconds; a set per session lists the processes to look at.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict


class LocalPresence:
    """Connections of this process only (the single-process default)."""

    #: Nothing to renew: the connections are all here.
    heartbeat = None

    def __init__(self):
        self._rooms: dict[int, dict[str, int]] = defaultdict(dict)
        self._lock = threading.Lock()

    def add(self, session_id: int, sid: str, participant_id: int) -> None:
        with self._lock:
            self._rooms[session_id][sid] = participant_id

    def remove(self, sid: str, only: int | None = None) -> list[int]:
        """Forget a connection (in session ``only``, or in all); returns the
        sessions it left."""
        with self._lock:
            left = [
                room
                for room, sids in self._rooms.items()
                if only in (None, room) and sids.pop(sid, None) is not None
            ]
            for room in left:
                if not self._rooms[room]:
                    del self._rooms[room]
        return left

    def participant_ids(self, session_id: int) -> set[int]:
        with self._lock:
            return set(self._rooms.get(session_id, {}).values())

    def entries(self) -> dict[int, dict[str, int]]:
        """A copy of this process's connections: session -> {sid: participant}."""
        with self._lock:
            return {room: dict(sids) for room, sids in self._rooms.items()}


class RedisPresence:
    """Connections of every process, in a hash per session and process."""

    def __init__(self, url: str, prefix: str, ttl: int = 30):
        import redis

        # A blocking pool: under gevent, hundreds of connects at once must wait for
        # a connection rather than fail (the default pool raises past its size).
        pool = redis.BlockingConnectionPool.from_url(
            url, max_connections=50, timeout=10
        )
        self._redis = redis.Redis(connection_pool=pool)
        self._local = LocalPresence()
        # Held over a local change and its Redis write, so that a heartbeat never
        # writes back an entry that a disconnect has just deleted.
        self._writing = threading.Lock()
        self._prefix = prefix
        self.process = uuid.uuid4().hex
        self.ttl = ttl
        #: Seconds between renewals: a missed beat or two does not drop anyone.
        self.heartbeat = max(1.0, ttl / 3)

    def key(self, session_id: int, process: str | None = None) -> str:
        return f"{self._prefix}:presence:{session_id}:{process or self.process}"

    def processes_key(self, session_id: int) -> str:
        return f"{self._prefix}:presence:{session_id}"

    def add(self, session_id: int, sid: str, participant_id: int) -> None:
        with self._writing, self._redis.pipeline(transaction=False) as pipe:
            self._local.add(session_id, sid, participant_id)
            self._write(pipe, session_id, {sid: participant_id})
            pipe.execute()

    def remove(self, sid: str, only: int | None = None) -> list[int]:
        with self._writing, self._redis.pipeline(transaction=False) as pipe:
            left = self._local.remove(sid, only)
            for session_id in left:
                pipe.hdel(self.key(session_id), sid)
            if left:
                pipe.execute()
        return left

    def participant_ids(self, session_id: int) -> set[int]:
        processes = self._redis.smembers(self.processes_key(session_id))
        if not processes:
            return set()
        with self._redis.pipeline(transaction=False) as pipe:
            for process in processes:
                pipe.hvals(self.key(session_id, process.decode()))
            found = pipe.execute()
        return {int(value) for values in found for value in values}

    def entries(self) -> dict[int, dict[str, int]]:
        return self._local.entries()

    def beat(self) -> None:
        """Renew this process's entries (and write them again: Redis may have
        restarted empty)."""
        with self._writing, self._redis.pipeline(transaction=False) as pipe:
            entries = self._local.entries()
            for session_id, sids in entries.items():
                self._write(pipe, session_id, sids)
            if entries:
                pipe.execute()

    def _write(self, pipe, session_id: int, sids: dict[str, int]) -> None:
        key = self.key(session_id)
        pipe.hset(key, mapping=sids)
        pipe.expire(key, self.ttl)
        # The list of processes outlives them by a day at most; a dead process in
        # it costs one lookup of an expired key.
        pipe.sadd(self.processes_key(session_id), self.process)
        pipe.expire(self.processes_key(session_id), 24 * 3600)
