"""Casting secret ballots, one person one vote, with pluggable eligibility checks.

A verifier answers "may this voter vote in this area now?" and records *that* they
voted, in the same transaction as the ballot; the ballot row itself knows nothing of
the voter. Vote codes and eligible accounts come first; strong identification
(Suomi.fi) plugs in later as another :class:`Verifier`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from eraati.budgeting.ballots import BallotProblem, BallotRules, check_ballot
from eraati.budgeting.models import (
    Area,
    Ballot,
    Eligibility,
    Phase,
    Process,
    Project,
    ProjectStatus,
    VoteCode,
    VoterRecord,
)
from eraati.extensions import db

#: Vote-code alphabet without look-alikes (0/O, 1/I/L), for codes typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


class VotingError(Exception):
    """Why a vote cannot be taken; ``code`` is translated by the caller."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


class Verifier(Protocol):
    """Decides who may vote, and records that they did (never how)."""

    def area_id(self, process: Process) -> int:
        """The area this voter votes in (or :class:`VotingError`)."""

    def claim(self, process: Process) -> None:
        """Record the vote once; a second claim raises ``already_voted``."""


@dataclass
class CodeVerifier:
    """A single-use paper code; the conditional UPDATE makes races count once."""

    code: str
    #: The code's row, looked up once per request (area, check and claim all need it).
    _found: VoteCode | None = field(default=None, init=False, repr=False, compare=False)
    #: Its area, loaded with it. Held here because the session holds objects only
    #: weakly: while it lives, db.session.get(Area, ...) asks the database nothing.
    _area: Area | None = field(default=None, init=False, repr=False, compare=False)

    def _lookup(self, process: Process) -> VoteCode:
        if self._found is None or self._found.process_id != process.id:
            self._found, self._area = self._row(process)
        return self._found

    def _row(self, process: Process) -> tuple[VoteCode, Area]:
        return self._select(_hash(normalise_code(self.code)), process)

    @staticmethod
    def _select(code_hash: str, process: Process) -> tuple[VoteCode, Area]:
        row = db.session.execute(
            select(VoteCode, Area)
            .join(Area, Area.id == VoteCode.area_id)
            .where(VoteCode.code_hash == code_hash)
        ).first()
        if row is None or row[0].process_id != process.id:
            raise VotingError("unknown_code")
        return row[0], row[1]

    def area_id(self, process: Process) -> int:
        row = self._lookup(process)
        if row.used:
            raise VotingError("code_used")
        return row.area_id

    def claim(self, process: Process) -> None:
        row = self._lookup(process)
        claimed = db.session.execute(
            update(VoteCode)
            .where(VoteCode.id == row.id, VoteCode.used.is_(False))
            .values(used=True)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            raise VotingError("code_used")


@dataclass
class AccountVerifier:
    """A signed-in account marked eligible; the register's unique key stops a second vote."""

    user_id: int
    _found: tuple[int, int] | None = field(default=None, init=False, repr=False)

    def area_id(self, process: Process) -> int:
        if self._found is not None and self._found[0] == process.id:
            return self._found[1]  # asked again by cast_ballot and claim
        area_id = db.session.scalar(
            select(Eligibility.area_id).where(
                Eligibility.process_id == process.id,
                Eligibility.user_id == self.user_id,
            )
        )
        if area_id is None:
            raise VotingError("not_eligible")
        self._found = (process.id, area_id)
        return area_id

    def has_voted(self, process: Process) -> bool:
        return (
            db.session.scalar(
                select(VoterRecord.id).where(
                    VoterRecord.process_id == process.id,
                    VoterRecord.user_id == self.user_id,
                )
            )
            is not None
        )

    def claim(self, process: Process) -> None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    VoterRecord(
                        process_id=process.id,
                        user_id=self.user_id,
                        area_id=self.area_id(process),
                    )
                )
        except IntegrityError as error:
            raise VotingError("already_voted") from error


def ballot_rules(process: Process, area: Area) -> BallotRules:
    return BallotRules(
        ballot_type=process.ballot_type.value,
        budget=area.budget,
        min_projects=process.min_projects,
        max_projects=process.max_projects,
        min_budget_share=process.min_budget_share,
        max_points=process.max_points,
        rank_count=process.rank_count,
    )


def ballot_costs(area: Area) -> dict[str, Decimal]:
    """The projects on this area's ballot, by id (as text, as ballots store them)."""
    rows = db.session.execute(
        select(Project.id, Project.cost).where(
            Project.area_id == area.id, Project.status == ProjectStatus.ON_BALLOT
        )
    )
    return {str(project_id): cost for project_id, cost in rows}


def cast_ballot(
    process: Process,
    verifier: Verifier,
    raw_choices,
    now: datetime,
    *,
    paper: bool = False,
) -> tuple[Ballot, str | None]:
    """Validate and store a ballot once; returns it and, if the process lets voters
    change their ballot, the key that allows it (shown to the voter, never stored)."""
    if process.phase is not Phase.VOTING:
        raise VotingError("not_voting")
    area = db.session.get(Area, verifier.area_id(process))
    try:
        choices = check_ballot(
            ballot_rules(process, area), ballot_costs(area), raw_choices
        )
    except BallotProblem as problem:
        raise VotingError(problem.code, **problem.details) from problem
    verifier.claim(process)
    change_key = secrets.token_urlsafe(24) if process.allow_ballot_change else None
    ballot = Ballot(
        process_id=process.id,
        area_id=area.id,
        choices=choices,
        cast_on=_local_day(now),
        change_key_hash=_hash(change_key) if change_key else None,
        paper=paper,
    )
    db.session.add(ballot)
    db.session.flush()
    return ballot, change_key


def change_ballot(process: Process, change_key: str, raw_choices) -> Ballot:
    """Replace a ballot by its change key (the last one counts) while voting is open."""
    if process.phase is not Phase.VOTING or not process.allow_ballot_change:
        raise VotingError("not_voting")
    ballot = db.session.scalar(
        select(Ballot).where(
            Ballot.change_key_hash == _hash(change_key or ""),
            Ballot.process_id == process.id,
        )
    )
    if ballot is None:
        raise VotingError("unknown_code")
    area = db.session.get(Area, ballot.area_id)
    try:
        ballot.choices = check_ballot(
            ballot_rules(process, area), ballot_costs(area), raw_choices
        )
    except BallotProblem as problem:
        raise VotingError(problem.code, **problem.details) from problem
    db.session.flush()
    return ballot


def _local_day(now: datetime):
    return now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def generate_codes(process: Process, area: Area, count: int) -> list[str]:
    """New single-use codes for an area; the plain codes exist only in this return
    value (for the CSV and the printed sheets), the database keeps hashes."""
    codes = []
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        codes.append(code)
    db.session.add_all(
        VoteCode(process_id=process.id, area_id=area.id, code_hash=_hash(code))
        for code in codes
    )
    db.session.flush()
    return codes


def shuffled_ballots(process: Process) -> list[Ballot]:
    """Every ballot of a process in a random order (exports must not keep any order)."""
    ballots = list(
        db.session.scalars(select(Ballot).where(Ballot.process_id == process.id))
    )
    secrets.SystemRandom().shuffle(ballots)
    return ballots
