"""Participatory budgeting: processes, areas, proposals, projects, ballots, decisions.

Secret ballot by design: :class:`Ballot` has a random id, no voter, and only the day it
was cast; :class:`VoterRecord` and :class:`VoteCode` say *that* someone voted, never
how. No key, no shared timestamp joins the two.
"""

from __future__ import annotations

import enum
import uuid
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
from eraati.core.time import utcnow
from eraati.extensions import db

MONEY = Numeric(14, 2)


class Phase(enum.StrEnum):
    """The yearly cycle, in order."""

    DRAFT = "draft"
    INFORMATION = "information"
    PROPOSALS = "proposals"
    DEVELOPMENT = "development"  #: officials merge ideas into projects and cost them
    VOTING = "voting"
    COUNCIL = "council"  #: the council reviews the outcome
    IMPLEMENTATION = "implementation"
    FINISHED = "finished"


class BallotType(enum.StrEnum):
    APPROVAL_BUDGET = "approval_budget"  #: pick projects whose total fits the budget
    APPROVAL_COUNT = "approval_count"  #: pick up to a number of projects
    CUMULATIVE = "cumulative"  #: spread points
    RANKED = "ranked"  #: rank k projects


class CountingRule(enum.StrEnum):
    GREEDY = "greedy"
    MES_COST = "mes-cost"
    MES_APPROVAL = "mes-approval"
    POINTS = "points"  #: cumulative: sum of points, with the city's threshold


class Process(TimestampMixin, db.Model):
    __tablename__ = "pb_processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    title: Mapped[dict[str, str]] = translated_column()
    description: Mapped[dict[str, str]] = translated_column(default=dict)
    #: In plain words: what residents decide, and what the council decides.
    residents_decide: Mapped[dict[str, str]] = translated_column(default=dict)
    council_decides: Mapped[dict[str, str]] = translated_column(default=dict)
    total_budget: Mapped[Decimal] = mapped_column(MONEY)
    phase: Mapped[Phase] = mapped_column(enum_type(Phase, 16), default=Phase.DRAFT)
    #: When each phase starts (UTC); a job moves ``phase`` at these times.
    phase_starts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    ballot_type: Mapped[BallotType] = mapped_column(
        enum_type(BallotType, 20), default=BallotType.APPROVAL_BUDGET
    )
    min_projects: Mapped[int | None]
    max_projects: Mapped[int | None]
    #: Minimum share of the area budget a ballot must use (0-1), if any.
    min_budget_share: Mapped[Decimal | None] = mapped_column(Numeric(4, 3))
    max_points: Mapped[int | None]
    rank_count: Mapped[int | None]
    allow_ballot_change: Mapped[bool] = mapped_column(default=False)
    rule: Mapped[CountingRule] = mapped_column(
        enum_type(CountingRule, 16), default=CountingRule.MES_COST
    )
    #: None, "add1" or "add1-greedy" (see eraati.budgeting.tally).
    completion: Mapped[str | None] = mapped_column(String(16), default="add1-greedy")
    #: Points a project needs to be funded under the points rule (city rules).
    score_threshold: Mapped[int | None]

    areas: Mapped[list[Area]] = relationship(
        back_populates="process", order_by="Area.id", cascade="all, delete-orphan"
    )


class Area(db.Model):
    __tablename__ = "pb_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict[str, str]] = translated_column()
    budget: Mapped[Decimal] = mapped_column(MONEY)
    is_citywide: Mapped[bool] = mapped_column(default=False)

    process: Mapped[Process] = relationship(back_populates="areas")


class ProjectStatus(enum.StrEnum):
    CANDIDATE = "candidate"  #: being developed by officials
    REJECTED = "rejected"  #: not feasible; the reason is published
    ON_BALLOT = "on_ballot"
    SELECTED = "selected"  #: won the vote
    DROPPED = "dropped"  #: dropped by the council, with a reason
    FUNDED = "funded"  #: confirmed by the council's decision


class Project(TimestampMixin, db.Model):
    __tablename__ = "pb_projects"
    __table_args__ = (UniqueConstraint("process_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))
    #: The id the project has in an imported Pabulib file, kept for export.
    external_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[dict[str, str]] = translated_column()
    description: Mapped[dict[str, str]] = translated_column(default=dict)
    cost: Mapped[Decimal] = mapped_column(MONEY)
    feasibility: Mapped[dict[str, str]] = translated_column(default=dict)
    status: Mapped[ProjectStatus] = mapped_column(
        enum_type(ProjectStatus, 12), default=ProjectStatus.CANDIDATE
    )
    #: Why it was rejected in development, or dropped by the council.
    status_reason: Mapped[str | None] = mapped_column(Text)

    area: Mapped[Area] = relationship()


class Proposal(TimestampMixin, db.Model):
    """A resident's idea for an area; officials link it to the project it became."""

    __tablename__ = "pb_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    estimated_cost: Mapped[Decimal | None] = mapped_column(MONEY)
    photo_path: Mapped[str | None] = mapped_column(String(200))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("pb_projects.id", ondelete="SET NULL")
    )
    #: Why it did not become a project (published to the proposer).
    outcome_note: Mapped[str | None] = mapped_column(Text)


class VoteCode(db.Model):
    """A single-use code mailed on paper; only its hash is kept."""

    __tablename__ = "pb_vote_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Deliberately no time: a time could be matched to a ballot's.
    used: Mapped[bool] = mapped_column(default=False)


class VoterRecord(db.Model):
    """The register: this account has voted in this process (never how)."""

    __tablename__ = "pb_voter_records"
    __table_args__ = (UniqueConstraint("process_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))


class Eligibility(db.Model):
    """Accounts marked eligible to vote in a process (and in which area)."""

    __tablename__ = "pb_eligibility"
    __table_args__ = (UniqueConstraint("process_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))


def _ballot_id() -> str:
    return uuid.uuid4().hex


class Ballot(db.Model):
    """One secret ballot: a random id, the area, the choices and the day."""

    __tablename__ = "pb_ballots"
    __table_args__ = (Index("ix_pb_ballots_process_area", "process_id", "area_id"),)

    #: Random, so insertion order tells nothing about who voted when.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_ballot_id)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE")
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))
    #: Approval: [project ids]; cumulative: {id: points}; ranked: [ids, best first].
    choices: Mapped[dict | list] = mapped_column(JSON)
    cast_on: Mapped[date] = mapped_column(Date)
    #: Hash of a key only the voter holds: lets them change their ballot, if allowed,
    #: without the database knowing whose ballot it is.
    change_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    paper: Mapped[bool] = mapped_column(default=False)


class PaperBallotEntry(db.Model):
    """Audit record of a paper ballot keyed in by staff (who and when, not what)."""

    __tablename__ = "pb_paper_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE")
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    entered_on: Mapped[date] = mapped_column(Date)


class CouncilDecision(db.Model):
    __tablename__ = "pb_council_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("pb_processes.id", ondelete="CASCADE"), unique=True
    )
    rejected_whole: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    #: Once set, the decision cannot change.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class ImplementationStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    CANCELLED = "cancelled"  #: a reason is mandatory


class ProjectUpdate(db.Model):
    """The implementation history of a funded project."""

    __tablename__ = "pb_project_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("pb_projects.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ImplementationStatus] = mapped_column(
        enum_type(ImplementationStatus, 12)
    )
    note: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
