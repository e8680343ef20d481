"""Participatory budgeting: the voting register and the ballots.

Secret ballot by design: :class:`Ballot` has a random id, no voter, and only the day it
was cast; :class:`VoterRecord` and :class:`VoteCode` say *that* someone voted, never
how. No key, no shared timestamp joins the two. (Imported through
:mod:`eraati.budgeting.models`, which re-exports these classes.)
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eraati.extensions import db


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
    #: None once the person erased their account: the row stays, because published
    #: turnout counts the accounts that could vote.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
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
