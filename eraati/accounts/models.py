"""People, their roles, one-time sign-in links and the consent log."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.models import TimestampMixin, UTCDateTime, enum_type
from eraati.extensions import db


class Role(enum.StrEnum):
    """A person's role on the platform; panel moderation is also given per panel."""

    RESIDENT = "resident"
    MODERATOR = "moderator"
    OFFICIAL = "official"
    COUNCIL = "council"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.RESIDENT


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased, the sign-in identity and the address mail goes to.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: A name or a pseudonym: shown to others in rooms and on proposals.
    display_name: Mapped[str] = mapped_column(String(80), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role, 20), default=Role.RESIDENT)
    #: None until the person picks a language; then it wins over the browser's.
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    #: Argon2 hash; staff may sign in with a password if their organisation wants.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_active_account: Mapped[bool] = mapped_column(default=True)
    #: Set when the person erased their account: the row stays, emptied, so that its
    #: id is never given to someone else (an old session cookie names the id).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    consent_events: Mapped[list[ConsentEvent]] = relationship(
        back_populates="user", order_by="ConsentEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def has_role(self, *roles: Role) -> bool:
        return self.role is Role.ADMIN or self.role in roles

    @property
    def name_for_display(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class LoginToken(db.Model):
    """A one-time sign-in link. Only its hash is stored; the link carries the token."""

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    #: Where to go after signing in: a local path only.
    next_path: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(8))
    #: Set when the link confirms a new contact address for this existing account.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<LoginToken {self.id} used={self.used_at is not None}>"


class ConsentPurpose(enum.StrEnum):
    """What a person may opt into; each is granted and withdrawn separately."""

    DEEPER_SURVEYS = "deeper_surveys"
    LIVE_SESSIONS = "live_sessions"


class ConsentEvent(db.Model):
    """Append-only log of consents given and withdrawn; the latest event is the state."""

    __tablename__ = "consent_events"
    __table_args__ = (
        Index("ix_consent_events_user_purpose", "user_id", "purpose", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_type(ConsentPurpose, 40))
    granted: Mapped[bool]
    #: The version of the consent text the person was shown.
    text_version: Mapped[str] = mapped_column(String(40))
    #: The language the text was shown in.
    language: Mapped[str] = mapped_column(String(8))
    #: The text itself as shown, so the record stands even if the wording changes.
    text_shown: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="consent_events")

    def __repr__(self) -> str:
        return f"<ConsentEvent {self.purpose.value} granted={self.granted}>"
