"""The mail domain's part of "my data": notification settings, waiting notices and
the mail log (which names people by address)."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from eraati.extensions import db
from eraati.mail import preferences
from eraati.mail.models import (
    MailLog,
    NotificationPreference,
    NotificationSettings,
    QueuedNotice,
)
from eraati.mydata.rows import changed


def export(user) -> dict:
    settings = db.session.get(NotificationSettings, user.id)
    return {
        "notification_settings": {
            "delivery": preferences.delivery(user).value,
            "last_digest_at": settings.last_digest_at if settings else None,
        },
        "notification_choices": [
            {"category": category.value, "by_email": by_email}
            for category, by_email in preferences.choices(user).items()
        ],
        "waiting_notices": [
            {
                "category": notice.category.value,
                "subject": notice.subject,
                "created_at": notice.created_at,
            }
            for notice in db.session.scalars(
                select(QueuedNotice)
                .where(QueuedNotice.user_id == user.id)
                .order_by(QueuedNotice.id)
            )
        ],
        "mail_sent": [
            {
                "subject": mail.subject,
                "template": mail.template,
                "language": mail.language,
                "status": mail.status.value,
                "at": mail.created_at,
            }
            for mail in db.session.scalars(
                select(MailLog).where(_mail_to(user.email)).order_by(MailLog.id)
            )
        ],
    }


def erase(user) -> dict[str, int]:
    return {
        "notification_choices": changed(
            delete(NotificationPreference).where(
                NotificationPreference.user_id == user.id
            )
        ),
        "notification_settings": changed(
            delete(NotificationSettings).where(NotificationSettings.user_id == user.id)
        ),
        "waiting_notices": changed(
            delete(QueuedNotice).where(QueuedNotice.user_id == user.id)
        ),
        "mail_sent": forget_mail_to(user.email),
    }


def forget_mail_to(email: str) -> int:
    """Remove the mail log's rows for an address (also the erasure confirmation's,
    which is written after the rest is erased)."""
    return changed(delete(MailLog).where(_mail_to(email)))


def _mail_to(email: str):
    return func.lower(MailLog.recipient) == email.lower()
