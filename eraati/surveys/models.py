"""Questionnaires, their questions (a bank with stable identities), rounds, answers.

Privacy by design: a :class:`Response` has no link to a person or an invitation. The
invitation only records *that* its holder answered (no time), so neither a key nor a
timestamp joins an answer to its respondent.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.models import TimestampMixin, UTCDateTime, enum_type, translated_column
from eraati.extensions import db
from eraati.panels.models import Panel


class QuestionType(enum.StrEnum):
    SINGLE = "single"  #: one of the options
    MULTIPLE = "multiple"  #: several options, up to ``max_choices``
    AGREEMENT = "agreement"  #: the seed's 4-point scale, no middle option
    RECOMMEND = "recommend"  #: 1-10, reported in bands 1-3 / 4-7 / 8-10
    YES_NO = "yes_no"
    NUMBER = "number"
    TEXT = "text"
    MATRIX = "matrix"  #: several statements (rows) on the agreement scale
    SMILEY = "smiley"  #: fast feedback: four faces


class Question(TimestampMixin, db.Model):
    """A bank question. Rounds that reuse it are comparable across units and years."""

    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identity across questionnaires, e.g. ``self-eval-meaningful``.
    key: Mapped[str] = mapped_column(String(60), unique=True)
    type: Mapped[QuestionType] = mapped_column(enum_type(QuestionType, 20))
    text: Mapped[dict[str, str]] = translated_column()
    help: Mapped[dict[str, str]] = translated_column(default=dict)
    #: For single and multiple choice: ``[{"key": "a", "label": {"fi": ...}}, ...]``.
    options: Mapped[list[dict]] = mapped_column(JSON, default=list)
    #: For a matrix: the statements, same shape as ``options``.
    rows: Mapped[list[dict]] = mapped_column(JSON, default=list)
    max_choices: Mapped[int | None]
    #: Offer "cannot say" on the agreement scale (reported apart, not in shares).
    allow_cannot_say: Mapped[bool] = mapped_column(default=False)
    number_min: Mapped[int | None]
    number_max: Mapped[int | None]
    #: Age group, gender, municipality...: optional, asked last, used for breakdowns.
    is_background: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Question {self.key} {self.type.value}>"


class Questionnaire(TimestampMixin, db.Model):
    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for an organisation-wide template.
    panel_id: Mapped[int | None] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    #: Set for the built-in templates (``self-evaluation``, ``fast-feedback``).
    template_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    title: Mapped[dict[str, str]] = translated_column()
    #: What the answers are used for: shown on the first page of every round.
    purpose: Mapped[dict[str, str]] = translated_column()
    intro: Mapped[dict[str, str]] = translated_column(default=dict)

    items: Mapped[list[QuestionnaireItem]] = relationship(
        back_populates="questionnaire",
        order_by="(QuestionnaireItem.page, QuestionnaireItem.position)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Questionnaire {self.id}>"


class QuestionnaireItem(db.Model):
    """A bank question placed in a questionnaire, on a page, maybe conditional."""

    __tablename__ = "questionnaire_items"
    __table_args__ = (UniqueConstraint("questionnaire_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"))
    #: Questions on the same page are answered together (one group per page).
    page: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    required: Mapped[bool] = mapped_column(default=False)
    #: Shown only when the answer to this earlier item is one of ``show_if_values``.
    show_if_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_items.id", ondelete="SET NULL")
    )
    show_if_values: Mapped[list[str]] = mapped_column(JSON, default=list)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:
        return f"<QuestionnaireItem {self.id} q={self.question_id}>"


class RoundKind(enum.StrEnum):
    SLOW = "slow"  #: a full questionnaire, e.g. the monthly one
    FAST = "fast"  #: one question at or right after an encounter


class Audience(enum.StrEnum):
    MEMBERS = "members"  #: every member of the panel
    SAMPLE = "sample"  #: a random sample of the members
    OPT_IN = "opt_in"  #: people who opted into deeper questionnaires
    PUBLIC = "public"  #: anyone with the open link


class RoundState(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class Round(TimestampMixin, db.Model):
    """One questionnaire, open for answers between two times."""

    __tablename__ = "survey_rounds"
    __table_args__ = (Index("ix_survey_rounds_state_opens", "state", "opens_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    panel_id: Mapped[int | None] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    #: The service unit answers are about; compared across units.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[RoundKind] = mapped_column(
        enum_type(RoundKind, 10), default=RoundKind.SLOW
    )
    audience: Mapped[Audience] = mapped_column(
        enum_type(Audience, 10), default=Audience.MEMBERS
    )
    sample_size: Mapped[int | None]
    title: Mapped[dict[str, str]] = translated_column(default=dict)
    state: Mapped[RoundState] = mapped_column(
        enum_type(RoundState, 10), default=RoundState.DRAFT
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: When non-responders are reminded (default: three days before closing).
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The secret part of the open link of a public round.
    public_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    invitations_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminders_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: "What we will do": published with the results.
    publication_note: Mapped[dict[str, str]] = translated_column(default=dict)

    questionnaire: Mapped[Questionnaire] = relationship()

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.state.value}>"


class Invitation(db.Model):
    """A person's right to answer a round once. It never points at the answer."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The link's token is an HMAC of this nonce, so reminders can repeat the link
    #: without the token itself ever being stored.
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: True once answered; deliberately no time, so it cannot be matched to a response.
    answered: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Invitation {self.id} answered={self.answered}>"


class ResponseDraft(db.Model):
    """Answers in progress, kept so that a respondent can leave and resume by link."""

    __tablename__ = "survey_response_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE")
    )
    resume_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Deleted with the draft on submit, so the link lives only while answering.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    page: Mapped[int] = mapped_column(default=1)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Channel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    EVENT = "event"
    INTERVIEW = "interview"


class Response(db.Model):
    """One submitted questionnaire. No person, no token, only the day it came in."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(
        enum_type(Channel, 10), default=Channel.ONLINE
    )
    language: Mapped[str] = mapped_column(String(8))
    submitted_on: Mapped[date] = mapped_column(Date)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class TextReview(enum.StrEnum):
    PENDING = "pending"  #: not yet read by a moderator: never published
    PUBLISHED = "published"  #: shown (as ``text_published``, personal details removed)
    HIDDEN = "hidden"


class Answer(db.Model):
    """One value of a response: an option, a matrix cell, a number or a text.

    ``round_id`` and ``question_id`` are copied from the response and item so that
    results are one indexed GROUP BY, not a join per row.
    """

    __tablename__ = "survey_answers"
    __table_args__ = (
        Index(
            "ix_survey_answers_round_question", "round_id", "question_id", "option_key"
        ),
        Index("ix_survey_answers_question_round", "question_id", "round_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"))
    option_key: Mapped[str | None] = mapped_column(String(40))
    row_key: Mapped[str | None] = mapped_column(String(40))
    number: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    text: Mapped[str | None] = mapped_column(Text)
    text_review: Mapped[TextReview | None] = mapped_column(enum_type(TextReview, 10))
    text_published: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")


class OptIn(TimestampMixin, db.Model):
    """Contact details left for deeper participation: kept apart from any answer."""

    __tablename__ = "survey_opt_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int | None] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    #: Set when a signed-in person opted in (their consent log has the same event).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    deeper_surveys: Mapped[bool] = mapped_column(default=False)
    live_sessions: Mapped[bool] = mapped_column(default=False)
    consent_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    #: The last time this contact was invited to something (for retention).
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FollowUp(TimestampMixin, db.Model):
    """A later status update on a round's "what we will do" note."""

    __tablename__ = "survey_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[dict[str, str]] = translated_column()


class FastFeedbackPoint(TimestampMixin, db.Model):
    """A unit's fast-feedback link (and QR code): one question, no sign-in."""

    __tablename__ = "survey_fast_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    token: Mapped[str] = mapped_column(String(40), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)


class MonthlySeries(TimestampMixin, db.Model):
    """A panel's standing monthly questionnaire: a job creates each month's round."""

    __tablename__ = "survey_monthly_series"
    __table_args__ = (UniqueConstraint("panel_id", "questionnaire_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    audience: Mapped[Audience] = mapped_column(
        enum_type(Audience, 10), default=Audience.MEMBERS
    )
    is_active: Mapped[bool] = mapped_column(default=True)

    panel: Mapped[Panel] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship()
