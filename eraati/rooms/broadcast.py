"""Room events sent once the transaction that made them has committed.

Handlers, views and jobs queue events with :func:`after_commit`; they go out when the
database session commits and are dropped when it rolls back, so nobody is told of a
change that was not stored. Inside a Socket.IO event they go through the server's own
manager. Anywhere else (the scheduler process, a job, a view) they go through a
write-only Redis emitter when a message queue is configured, so a process without
connections of its own can still reach every web process; without a queue there is
one process, and the local server delivers them.
"""

from __future__ import annotations

import logging

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from eraati.extensions import socketio

NAMESPACE = "/rooms"
#: Where a database session keeps the events it sends when it commits.
PENDING = "room_broadcasts"

log = logging.getLogger(__name__)


def init_app(app) -> None:
    """Send queued events on commit, drop them on rollback (listeners set once)."""
    if not event.contains(Session, "after_commit", _send_pending):
        event.listen(Session, "after_commit", _send_pending)
        event.listen(Session, "after_soft_rollback", _drop_pending)


def after_commit(session, event_name: str, data, room: str) -> None:
    """Queue ``event_name`` to ``room`` until ``session`` (a database session) commits."""
    session.info.setdefault(PENDING, []).append((event_name, data, room))


def _send_pending(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction may still roll back
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    emit = _emitter()
    for event_name, data, room in pending:
        try:
            emit(event_name, data, to=room, namespace=NAMESPACE)
        except Exception:
            # Stored already: clients get it on their next resync.
            log.exception("room event %s to %s was not sent", event_name, room)


def _drop_pending(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)


def _emitter():
    if has_request_context() and getattr(request, "sid", None):
        return socketio.emit  # a Socket.IO event: this server's manager
    return external_emitter(current_app)


def external_emitter(app):
    """``emit`` for code outside a Socket.IO event: a write-only Redis manager on the
    deployment's channel when there is a queue, else this process's server."""
    url = app.config.get("SOCKETIO_MESSAGE_QUEUE", app.config["REDIS_URL"])
    if not url:
        return socketio.emit
    manager = app.extensions.get("rooms_emitter")
    if manager is None:
        import socketio as python_socketio

        manager = python_socketio.RedisManager(
            url, channel=app.config["SOCKETIO_CHANNEL"], write_only=True
        )
        app.extensions["rooms_emitter"] = manager
    return manager.emit
