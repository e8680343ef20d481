"""Scheduled jobs of the live rooms: the agenda three days ahead, a reminder on the day,
and, in the room itself, a notice that the session ends soon and the closing of a
session left open long after its end.

Functions of ``now`` that look for what is due and not yet done (``agenda_sent_at``,
``reminder_sent_at``, the session's status, a notice stored once under a fixed id),
so running them twice, or late after a restart, mails and tells the room once. What
the room must see is stored first and sent when the job's transaction commits, from
whichever process runs the job (:mod:`eraati.rooms.broadcast`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from eraati.extensions import db, socketio
from eraati.rooms import broadcast, mails, rules, services
from eraati.rooms.models import RoomSession
from eraati.rooms.payloads import message_payload, state_payload

#: The agenda is due at most three days and a morning before the start.
_LOOKAHEAD = rules.ADVANCE_NOTICE + timedelta(days=2)
#: The room is told this long before the planned end that the session ends soon.
CLOSING_NOTICE = timedelta(minutes=10)
#: A session still open this long after its planned end is closed for everyone.
CLOSE_AFTER_END = timedelta(hours=1)
_LIVE = (rules.SessionStatus.OPEN, rules.SessionStatus.PAUSED)


def _coming(now: datetime, *conditions) -> list[RoomSession]:
    """Scheduled sessions that have not started and could have a notice due."""
    return list(
        db.session.scalars(
            select(RoomSession)
            .where(
                RoomSession.status == rules.SessionStatus.SCHEDULED,
                RoomSession.starts_at > now,
                RoomSession.starts_at <= now + _LOOKAHEAD,
                *conditions,
            )
            .order_by(RoomSession.starts_at, RoomSession.id)
        )
    )


def send_agenda_notices(now: datetime) -> int:
    """Mail the agenda to everyone invited when the advance notice is due."""
    timezone = current_app.config["TIMEZONE"]
    sent = 0
    for session in _coming(now, RoomSession.agenda_sent_at.is_(None)):
        if rules.notice_plan(session.starts_at, timezone).agenda_at > now:
            continue
        # Members who joined the panel since scheduling are invited too.
        services.sync_participants(session)
        sent += mails.send_agenda(session)
        session.agenda_sent_at = now
    return sent


def send_reminders(now: datetime) -> int:
    """Mail the reminder on the day of the session, once the agenda has gone out."""
    timezone = current_app.config["TIMEZONE"]
    sent = 0
    for session in _coming(
        now,
        RoomSession.reminder_sent_at.is_(None),
        RoomSession.agenda_sent_at.is_not(None),
    ):
        reminder_at = rules.notice_plan(session.starts_at, timezone).reminder_at
        if reminder_at > now:
            continue
        services.sync_participants(session)
        # An agenda that went out on the day itself is reminder enough.
        if session.agenda_sent_at < reminder_at:
            sent += mails.send_reminder(session)
        session.reminder_sent_at = now
    return sent


def send_closing_notices(now: datetime) -> int:
    """Tell everyone in the room, once, that the session is about to end."""
    told = 0
    for session in _live_sessions(
        RoomSession.ends_at > now, RoomSession.ends_at <= now + CLOSING_NOTICE
    ):
        notice = services.notice(session, "closing", now, once_as="job-closing")
        if notice is not None:
            _tell_room(session, "message", message_payload(notice))
            told += 1
    return told


def close_ended_sessions(now: datetime) -> int:
    """Close the sessions nobody closed within an hour of their end: the room is
    told, and nobody can post in a session left open by mistake."""
    closed = 0
    for session in _live_sessions(RoomSession.ends_at <= now - CLOSE_AFTER_END):
        services.set_status(session, rules.SessionStatus.CLOSED)
        notice = services.notice(session, "closed", now)
        _tell_room(session, "message", message_payload(notice))
        _tell_room(session, "state", state_payload(session, _present(session)))
        closed += 1
    return closed


def _live_sessions(*conditions) -> list[RoomSession]:
    return list(
        db.session.scalars(
            select(RoomSession)
            .where(RoomSession.status.in_(_LIVE), *conditions)
            .order_by(RoomSession.id)
        )
    )


def _tell_room(session: RoomSession, event: str, data) -> None:
    broadcast.after_commit(db.session, event, data, session.room)


def _present(session: RoomSession) -> set[int]:
    """Who is connected, as the web processes count them (Redis, or this process)."""
    rooms = socketio.server.namespace_handlers[broadcast.NAMESPACE]
    return rooms.present(session)
