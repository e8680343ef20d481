"""Participatory budgeting: processes, areas, proposals, projects, decisions.

The voting register and the secret ballots live in :mod:`.models_voting` and are
re-exported here, so every model can be imported from this module.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.budgeting.models_voting import Ballot as Ballot
from eraati.budgeting.models_voting import Eligibility as Eligibility
from eraati.budgeting.models_voting import PaperBallotEntry as PaperBallotEntry
from eraati.budgeting.models_voting import VoteCode as VoteCode
from eraati.budgeting.models_voting import VoterRecord as VoterRecord
from eraati.core.models import TimestampMixin, UTCDateTime, enum_type, translated_column
from eraati.core.time import utcnow
from eraati.extensions import db

if TYPE_CHECKING:
    from eraati.accounts.models import User

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
    #: When the status last changed: "last updated" on the outcome pages.
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    area: Mapped[Area] = relationship()


class ProposalStatus(enum.StrEnum):
    SUBMITTED = "submitted"  #: not handled by officials yet
    LINKED = "linked"  #: became (part of) a project
    REJECTED = "rejected"  #: did not become a project; the reason is published


class Proposal(TimestampMixin, db.Model):
    """A resident's idea for an area; officials link it to the project it became."""

    __tablename__ = "pb_proposals"
    #: A double submit stores one idea, not two.
    __table_args__ = (UniqueConstraint("process_id", "author_id", "title"),)

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
    #: Why it did not become a project, or how it was merged (published).
    outcome_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_type(ProposalStatus, 12), default=ProposalStatus.SUBMITTED
    )
    #: When officials last changed what became of the idea.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    area: Mapped[Area] = relationship()
    author: Mapped[User | None] = relationship()
    project: Mapped[Project | None] = relationship()

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status.value}>"


def _one_target() -> CheckConstraint:
    """A comment or a follow is about a proposal or a project, never both."""
    return CheckConstraint(
        "(proposal_id IS NULL) <> (project_id IS NULL)", name="one_target"
    )


class Comment(TimestampMixin, db.Model):
    """A signed-in person's plain-text comment on a proposal, or a follow-up
    representative's comment on a funded project's implementation."""

    __tablename__ = "pb_comments"
    __table_args__ = (_one_target(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("pb_proposals.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("pb_projects.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    #: Set by an official: the comment is shown as hidden, with this reason.
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    def __repr__(self) -> str:
        return f"<Comment {self.id}>"


class Follow(TimestampMixin, db.Model):
    """A person follows a proposal or a project and is told when things change."""

    __tablename__ = "pb_follows"
    __table_args__ = (
        _one_target(),
        UniqueConstraint("user_id", "proposal_id"),
        UniqueConstraint("user_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("pb_proposals.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("pb_projects.id", ondelete="CASCADE"), index=True
    )


class AreaRepresentative(TimestampMixin, db.Model):
    """A person named by officials to follow the implementation in an area."""

    __tablename__ = "pb_area_representatives"
    __table_args__ = (UniqueConstraint("area_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("pb_areas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])


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


@event.listens_for(Project.status, "set", active_history=True)
def _project_status_changed(project, value, old, _initiator):
    if value != old:
        project.status_changed_at = utcnow()


@event.listens_for(Proposal.status, "set", active_history=True)
def _proposal_decided(proposal, value, old, _initiator):
    if value != old and value is not ProposalStatus.SUBMITTED:
        proposal.decided_at = utcnow()
