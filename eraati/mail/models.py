"""The mail log, people's notification settings and notices waiting for a digest."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eraati.core.models import UTCDateTime, enum_type
from eraati.core.time import utcnow
from eraati.extensions import db


class MailStatus(enum.StrEnum):
    SENT = "sent"  #: accepted by the SMTP server
    LOGGED = "logged"  #: no SMTP configured: written to the log and console
    FAILED = "failed"


class MailLog(db.Model):
    __tablename__ = "mail_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    template: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(255))
    status: Mapped[MailStatus] = mapped_column(enum_type(MailStatus, 10))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )

    def __repr__(self) -> str:
        return f"<MailLog {self.id} {self.template} {self.status.value}>"


class Category(enum.StrEnum):
    """Kinds of notices a person can switch off in their notification settings."""

    INVITATIONS = "invitations"
    REMINDERS = "reminders"
    SESSION_NOTICES = "session_notices"
    SUMMARIES = "summaries"
    STATUS_CHANGES = "status_changes"
    PB_PHASES = "pb_phases"


class Delivery(enum.StrEnum):
    """When notices go out: each at once, or gathered into one mail per period."""

    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"


class NotificationPreference(db.Model):
    """A person's choice for one category; no row means the default (by email)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[Category] = mapped_column(enum_type(Category, 24))
    by_email: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.category.value} {self.by_email}>"


class NotificationSettings(db.Model):
    """How a person's notices are delivered; no row means each at once."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    delivery: Mapped[Delivery] = mapped_column(
        enum_type(Delivery, 10), default=Delivery.IMMEDIATE
    )
    #: When the last digest went out: at most one per day or week.
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<NotificationSettings {self.user_id} {self.delivery.value}>"


class QueuedNotice(db.Model):
    """A notice waiting for its digest, rendered in the recipient's language."""

    __tablename__ = "queued_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[Category] = mapped_column(enum_type(Category, 24))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(255))
    #: The plain-text body as the single mail would have had it.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<QueuedNotice {self.id} {self.category.value}>"
