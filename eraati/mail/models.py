"""The mail log: what was sent to whom and whether it went."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String, Text
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
