"""Live panel sessions: agenda, participants, messages, hands, moderation, ideas.

Every message is stored before it is broadcast; its id is the order everyone replays.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.accounts.models import User
from eraati.core.models import TimestampMixin, UTCDateTime, enum_type, translated_column
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Panel
from eraati.rooms.rules import IdeaStatus, SessionStatus


class RoomSession(TimestampMixin, db.Model):
    """A scheduled online meeting of a panel."""

    __tablename__ = "room_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[dict[str, str]] = translated_column()
    description: Mapped[dict[str, str]] = translated_column(default=dict)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus, 12), default=SessionStatus.SCHEDULED
    )
    #: Who is invited besides named guests: the panel's members, the opt-in pool.
    invite_members: Mapped[bool] = mapped_column(default=True)
    invite_opt_in_pool: Mapped[bool] = mapped_column(default=False)
    #: Required (and shown to participants) when notice is under three days.
    short_notice_reason: Mapped[str | None] = mapped_column(Text)
    #: Material to review, as Kela's panels review letters: a text and/or a link.
    material: Mapped[dict[str, str]] = translated_column(default=dict)
    material_url: Mapped[str | None] = mapped_column(String(500))
    floor_mode: Mapped[bool] = mapped_column(default=False)
    floor_holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_participants.id", ondelete="SET NULL", use_alter=True)
    )
    slow_mode_seconds: Mapped[int] = mapped_column(default=0)
    turn_length_limit: Mapped[int | None]
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_agenda_items.id", ondelete="SET NULL", use_alter=True)
    )
    #: Order of the current "everyone in turn" round, as participant ids.
    round_order: Mapped[list[int]] = mapped_column(db.JSON, default=list)
    agenda_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    summary: Mapped[dict[str, str]] = translated_column(default=dict)
    summary_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    panel: Mapped[Panel] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="session",
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
        foreign_keys="AgendaItem.session_id",
    )

    @property
    def room(self) -> str:
        """The Socket.IO room of this session (named from its database id)."""
        return f"session-{self.id}"

    def __repr__(self) -> str:
        return f"<RoomSession {self.id} {self.status.value}>"


class AgendaItem(db.Model):
    __tablename__ = "room_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("room_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict[str, str]] = translated_column()

    session: Mapped[RoomSession] = relationship(
        back_populates="agenda", foreign_keys=[session_id]
    )


class ParticipantRole(enum.StrEnum):
    PARTICIPANT = "participant"
    MODERATOR = "moderator"
    #: A visitor such as a council member: may listen and speak, queues after residents.
    GUEST = "guest"


class Participant(db.Model):
    """A person invited to a session, and how they take part in it."""

    __tablename__ = "room_participants"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("room_sessions.id", ondelete="CASCADE"), index=True
    )
    #: None once the person has erased their account ("removed participant").
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    role: Mapped[ParticipantRole] = mapped_column(
        enum_type(ParticipantRole, 12), default=ParticipantRole.PARTICIPANT
    )
    #: The name others see in this session (a pseudonym is welcome).
    display_name: Mapped[str] = mapped_column(String(80), default="")
    language: Mapped[str] = mapped_column(String(8), default="fi")
    muted: Mapped[bool] = mapped_column(default=False)
    removed: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Messages posted, kept here so fair turns need no count query.
    message_count: Mapped[int] = mapped_column(default=0)

    session: Mapped[RoomSession] = relationship(foreign_keys=[session_id])
    user: Mapped[User | None] = relationship()

    @property
    def is_moderator(self) -> bool:
        return self.role is ParticipantRole.MODERATOR


class GroundRulesAcceptance(db.Model):
    """A person accepted a panel's ground rules (once per panel and rules version)."""

    __tablename__ = "room_ground_rules_acceptances"
    __table_args__ = (UniqueConstraint("panel_id", "user_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(20))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MessageKind(enum.StrEnum):
    MESSAGE = "message"
    #: Said by the system: session opened, agenda item changed, floor given...
    NOTICE = "notice"


class Message(db.Model):
    __tablename__ = "room_messages"
    __table_args__ = (
        # The client's own id: a resend after a lost acknowledgement is the same row.
        UniqueConstraint("session_id", "client_id"),
        Index("ix_room_messages_session_id_id", "session_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("room_sessions.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_participants.id", ondelete="SET NULL")
    )
    client_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[MessageKind] = mapped_column(
        enum_type(MessageKind, 10), default=MessageKind.MESSAGE
    )
    body: Mapped[str] = mapped_column(Text)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_agenda_items.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    pinned: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    participant: Mapped[Participant | None] = relationship()


class RaisedHand(db.Model):
    __tablename__ = "room_raised_hands"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("room_sessions.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("room_participants.id", ondelete="CASCADE")
    )
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ModerationAction(db.Model):
    """The audit log of a session: who did what to whom, and why."""

    __tablename__ = "room_moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("room_sessions.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_participants.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(40))
    #: The message or participant acted on.
    target_id: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MessageReport(db.Model):
    __tablename__ = "room_message_reports"
    __table_args__ = (UniqueConstraint("message_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("room_messages.id", ondelete="CASCADE")
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_participants.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled: Mapped[bool] = mapped_column(default=False)


class Idea(TimestampMixin, db.Model):
    """An idea raised in a session; its status history tells what became of it."""

    __tablename__ = "room_ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_sessions.id", ondelete="SET NULL")
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_messages.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[IdeaStatus] = mapped_column(
        enum_type(IdeaStatus, 24), default=IdeaStatus.NEW
    )
    #: False while it is a participant's suggestion the moderator has not accepted.
    accepted: Mapped[bool] = mapped_column(default=True)
    suggested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_participants.id", ondelete="SET NULL")
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    history: Mapped[list[IdeaStatusChange]] = relationship(
        back_populates="idea",
        order_by="IdeaStatusChange.id",
        cascade="all, delete-orphan",
    )


class IdeaStatusChange(db.Model):
    __tablename__ = "room_idea_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("room_ideas.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[IdeaStatus] = mapped_column(enum_type(IdeaStatus, 24))
    #: Mandatory when the idea does not go ahead: people are told why.
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="history")
