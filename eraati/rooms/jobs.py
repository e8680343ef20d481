"""Scheduled jobs of the live rooms: the agenda three days ahead, a reminder on the day.

Functions of ``now`` that look for what is due and not yet done (``agenda_sent_at``,
``reminder_sent_at``), so running them twice, or late after a restart, mails once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from eraati.extensions import db
from eraati.rooms import mails, rules, services
from eraati.rooms.models import RoomSession

#: The agenda is due at most three days and a morning before the start.
_LOOKAHEAD = rules.ADVANCE_NOTICE + timedelta(days=2)


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
