"""Changing a scheduled session: a new time is checked like a new session."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from eraati.rooms import rules
from eraati.rooms.models import RoomSession
from eraati.rooms.services import RoomError


def update_session(
    session: RoomSession,
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    short_notice_reason: str | None = None,
    **fields,
) -> RoomSession:
    """Save an edit; a moved start needs today's notice and sends the agenda again."""
    reason = (short_notice_reason or "").strip() or None
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    # An unchanged time keeps the notice it had when it was scheduled.
    scheduled_at = now if moved else session.created_at
    timezone = current_app.config["TIMEZONE"]
    problem = rules.check_schedule(
        scheduled_at, starts_at, ends_at, reason, timezone=timezone
    )
    if problem is not None:
        raise RoomError(problem.value)
    if starts_at != session.starts_at:
        # Everyone gets the agenda (and the reminder) again with the new time.
        session.agenda_sent_at = session.reminder_sent_at = None
    short = not rules.notice_ok(scheduled_at, starts_at, timezone=timezone)
    session.short_notice_reason = reason if short else None
    session.starts_at, session.ends_at = starts_at, ends_at
    for name, value in fields.items():
        setattr(session, name, value)
    return session
