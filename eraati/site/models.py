"""Editable statutory pages (accessibility statement, privacy notice) and feedback."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eraati.core.models import TimestampMixin, UTCDateTime, enum_type, translated_column
from eraati.extensions import db


class PageSlug(enum.StrEnum):
    ACCESSIBILITY = "accessibility"
    PRIVACY = "privacy"


class Page(db.Model):
    """A page whose text admins write per language."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[PageSlug] = mapped_column(enum_type(PageSlug, 40), unique=True)
    title: Mapped[dict[str, str]] = translated_column(default=dict)
    #: Plain text; blank lines separate paragraphs (no HTML from editors).
    body: Mapped[dict[str, str]] = translated_column(default=dict)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return f"<Page {self.slug.value}>"


class AccessibilityFeedback(TimestampMixin, db.Model):
    """Feedback on accessibility; the law requires an answer within 14 days."""

    __tablename__ = "accessibility_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(Text)
    page_address: Mapped[str] = mapped_column(String(500), default="")
    #: Optional: only if the person wants an answer.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))

    def __repr__(self) -> str:
        return f"<AccessibilityFeedback {self.id}>"
