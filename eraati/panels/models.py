"""Organisations, their units and statutory councils, and the panels that meet in them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.accounts.models import User
from eraati.core.models import TimestampMixin, UTCDateTime, enum_type, translated_column
from eraati.core.time import utcnow
from eraati.extensions import db


class Organisation(TimestampMixin, db.Model):
    """A municipality or a wellbeing services county."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[dict[str, str]] = translated_column()

    units: Mapped[list[Unit]] = relationship(
        back_populates="organisation", order_by="Unit.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class UnitKind(enum.StrEnum):
    SERVICE = "service"  #: a service, e.g. adult social work or a child health clinic
    COUNCIL = "council"  #: a statutory council: older people's, disability, youth


class Unit(TimestampMixin, db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[UnitKind] = mapped_column(
        enum_type(UnitKind, 20), default=UnitKind.SERVICE
    )
    name: Mapped[dict[str, str]] = translated_column()

    organisation: Mapped[Organisation] = relationship(back_populates="units")
    panels: Mapped[list[Panel]] = relationship(
        back_populates="unit", order_by="Panel.id"
    )

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.kind.value}>"


class Panel(TimestampMixin, db.Model):
    """An asiakasraati: members who meet monthly and answer the monthly questionnaire."""

    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[dict[str, str]] = translated_column()
    description: Mapped[dict[str, str]] = translated_column(default=dict)
    is_archived: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit] = relationship(back_populates="panels")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="panel", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Panel {self.id}>"


class PanelRole(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[PanelRole] = mapped_column(
        enum_type(PanelRole, 20), default=PanelRole.MEMBER
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    panel: Mapped[Panel] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return (
            f"<Membership panel={self.panel_id} user={self.user_id} {self.role.value}>"
        )
