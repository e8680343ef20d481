"""Mail to the people invited to a session, each in their own language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eraati.accounts.models import User
from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.mail.notify import Category, notify
from eraati.rooms import labels
from eraati.rooms.models import Idea, IdeaStatusChange, Participant, RoomSession


def recipients(session: RoomSession) -> list[tuple[Participant, User]]:
    """Invited people who can get mail: not removed, with an active account."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Participant, User)
            .join(User, User.id == Participant.user_id)
            .where(
                Participant.session_id == session.id,
                Participant.removed.is_(False),
                User.is_active_account.is_(True),
            )
            .order_by(Participant.id)
        )
    ]


def _session_context(session: RoomSession) -> dict:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return {
        "session": session,
        "starts_at": session.starts_at.astimezone(zone),
        "ends_at": session.ends_at.astimezone(zone),
        "link": public_url("rooms.room", session_id=session.id),
    }


def _send(
    session: RoomSession, category: Category, template: str, subject, **context
) -> int:
    """One mail per recipient in their language; returns how many were sent."""
    shared = {**_session_context(session), **context}
    sent = 0
    for participant, user in recipients(session):
        # The person's current choice wins over the language at invitation time.
        notify(
            user,
            category,
            template,
            subject,
            fallback_language=participant.language,
            **shared,
        )
        sent += 1
    return sent


def send_agenda(session: RoomSession) -> int:
    """The advance notice: time, agenda, material and any short-notice reason."""
    return _send(
        session,
        Category.SESSION_NOTICES,
        "session_agenda",
        _l("Your panel meets soon: the agenda"),
    )


def send_reminder(session: RoomSession) -> int:
    """The reminder on the day of the session."""
    return _send(
        session,
        Category.REMINDERS,
        "session_reminder",
        _l("Reminder: your panel meets today"),
    )


def send_summary(session: RoomSession) -> int:
    """The published summary of a session."""
    return _send(
        session,
        Category.SUMMARIES,
        "session_summary",
        _l("Summary of your panel's session"),
        summary_link=public_url("rooms.summary", session_id=session.id),
    )


def send_idea_status(idea: Idea, change: IdeaStatusChange) -> int:
    """Tell everyone invited to the idea's session what became of the idea."""
    if idea.session_id is None:
        return 0
    session = db.session.get(RoomSession, idea.session_id)
    return _send(
        session,
        Category.STATUS_CHANGES,
        "idea_status",
        _l("News about an idea from your panel"),
        idea=idea,
        change=change,
        status_label=labels.IDEA_STATUS[change.status],
        ideas_link=public_url("rooms.ideas", panel_id=idea.panel_id),
    )
