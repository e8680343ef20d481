"""The council's review: the outcome per area, dropped projects, the locked decision.

Outcomes are always recomputed from the stored ballots, so what the council sees is
what the process's rule gives without the projects it dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eraati.accounts.models import Role
from eraati.audit import record
from eraati.budgeting import notices, tally
from eraati.budgeting.models import (
    Area,
    Ballot,
    BallotType,
    CouncilDecision,
    CountingRule,
    Process,
    Project,
    ProjectStatus,
)
from eraati.core.security import role_required
from eraati.core.time import utcnow
from eraati.extensions import db

bp = Blueprint("budgeting_council", __name__, url_prefix="/council/pb")


@dataclass(frozen=True)
class AreaOutcome:
    area: Area
    projects: dict[str, Project]
    voters: int
    official: tally.Outcome  #: by the process's rule
    greedy: tally.Outcome
    equal_shares: tally.Outcome


# --- Counting ------------------------------------------------------------------


def _money(value) -> tally.Money:
    """Exact money for counting: whole euros as int, cents as a Fraction."""
    exact = Fraction(value)
    return exact.numerator if exact.denominator == 1 else exact


def _tally_ballot(choices, ballot_type: BallotType, keep: set[str]) -> tally.Ballot:
    """A stored ballot as the counting module's ballot, without dropped projects."""
    if ballot_type is BallotType.CUMULATIVE:
        return tally.CumulativeBallot.of(
            {pid: int(points) for pid, points in choices.items() if pid in keep}
        )
    if ballot_type is BallotType.RANKED:
        return tally.OrdinalBallot(tuple(pid for pid in choices if pid in keep))
    return tally.ApprovalBallot(frozenset(pid for pid in choices if pid in keep))


def election_for(process: Process, area: Area) -> tuple[tally.Election, dict]:
    """The area's election over the projects on the ballot the council has not dropped
    (after the lock the winners are "funded": they still count)."""
    projects = {
        str(p.id): p
        for p in db.session.scalars(
            select(Project).where(
                Project.area_id == area.id,
                Project.status.in_(
                    [
                        ProjectStatus.ON_BALLOT,
                        ProjectStatus.SELECTED,
                        ProjectStatus.FUNDED,
                    ]
                ),
            )
        )
    }
    keep = set(projects)
    stored = db.session.scalars(
        select(Ballot.choices).where(
            Ballot.process_id == process.id, Ballot.area_id == area.id
        )
    )
    ballots = [_tally_ballot(c, process.ballot_type, keep) for c in stored]
    election = tally.Election.of(
        _money(area.budget),
        [tally.Project(pid, _money(p.cost)) for pid, p in projects.items()],
        ballots,
    )
    return election, projects


def _by_rule(process: Process, election: tally.Election) -> tally.Outcome:
    if process.rule is CountingRule.POINTS:
        return tally.greedy_by_score(election, threshold=process.score_threshold)
    if process.rule is CountingRule.GREEDY:
        return tally.count(election, "greedy")
    return tally.count(election, process.rule.value, process.completion or "none")


def area_outcome(process: Process, area: Area) -> AreaOutcome:
    election, projects = election_for(process, area)
    # Equal shares as the council is shown it: the process's completion if it has
    # one, else the usual "add1" then greedy.
    completion = process.completion if process.rule.value.startswith("mes") else None
    return AreaOutcome(
        area=area,
        projects=projects,
        voters=election.num_voters,
        official=_by_rule(process, election),
        greedy=tally.count(election, "greedy"),
        equal_shares=tally.count(election, "mes-cost", completion or "add1-greedy"),
    )


def outcomes(process: Process) -> list[AreaOutcome]:
    return [area_outcome(process, area) for area in process.areas]


# --- Decisions -----------------------------------------------------------------


def find_decision(process: Process) -> CouncilDecision | None:
    return db.session.scalar(
        select(CouncilDecision).where(CouncilDecision.process_id == process.id)
    )


def decision_for(process: Process) -> CouncilDecision:
    """The process's decision, made on the first change (reading creates nothing)."""
    decision = find_decision(process)
    if decision is None:
        decision = CouncilDecision(process_id=process.id)
        db.session.add(decision)
        db.session.flush()
    return decision


def _refuse_if_locked(process: Process) -> CouncilDecision:
    decision = decision_for(process)
    if decision.locked_at is not None:
        abort(409, _("The council's decision is locked and cannot change."))
    return decision


def drop_project(project: Project, reason: str) -> None:
    project.status = ProjectStatus.DROPPED
    project.status_reason = reason


def lock_decision(process: Process, decision: CouncilDecision, user_id: int) -> int:
    """Fix the outcome on the projects and tell proposers and account voters;
    returns mails sent.

    The winners become funded, or dropped with the council's reason when the whole
    proposal is rejected; projects that lost the vote stay as they were.
    """
    winners: set[int] = set()
    for outcome in outcomes(process):
        winners |= {int(pid) for pid in outcome.official.selected}
    projects = db.session.scalars(
        select(Project).where(Project.process_id == process.id)
    ).all()
    for project in projects:
        if project.id not in winners:
            continue
        if decision.rejected_whole:
            drop_project(project, decision.note or "")
        else:
            project.status = ProjectStatus.FUNDED
    decision.locked_at = utcnow()
    decision.decided_by_id = user_id
    db.session.flush()
    return notices.council_decided(process, decision)


# --- Routes ----------------------------------------------------------------------


def _process_or_404(process_id: int) -> Process:
    return db.session.get(Process, process_id) or abort(404)


def _reason() -> str:
    return (request.form.get("reason") or "").strip()[:2000]


def _page(process: Process, error: str | None = None):
    decision = find_decision(process) or CouncilDecision(process_id=process.id)
    page = render_template(
        "budgeting/council/review.html",
        process=process,
        decision=decision,
        outcomes=outcomes(process),
        dropped=db.session.scalars(
            select(Project).where(
                Project.process_id == process.id,
                Project.status == ProjectStatus.DROPPED,
            )
        ).all(),
        error=error,
    )
    return page, 400 if error else 200


@bp.get("/<int:process_id>")
@role_required(Role.COUNCIL)
def review(process_id: int):
    return _page(_process_or_404(process_id))


@bp.post("/<int:process_id>/projects/<int:project_id>/drop")
@role_required(Role.COUNCIL)
def drop(process_id: int, project_id: int):
    process = _process_or_404(process_id)
    project = db.session.get(Project, project_id)
    if project is None or project.process_id != process.id:
        abort(404)
    _refuse_if_locked(process)
    if not _reason():
        return _page(process, _("Give the reason for dropping the project."))
    if project.status not in (ProjectStatus.ON_BALLOT, ProjectStatus.SELECTED):
        abort(409, _("Only projects on the ballot can be dropped."))
    drop_project(project, _reason())
    record("council.project_dropped", project)
    db.session.commit()
    flash(_("The project was dropped and the outcome recomputed."), "success")
    return redirect(url_for(".review", process_id=process.id))


@bp.post("/<int:process_id>/reject")
@role_required(Role.COUNCIL)
def reject(process_id: int):
    process = _process_or_404(process_id)
    decision = _refuse_if_locked(process)
    if not _reason():
        return _page(process, _("Give the reason for rejecting the whole proposal."))
    decision.rejected_whole, decision.note = True, _reason()
    record("council.proposal_rejected", process)
    db.session.commit()
    flash(
        _("The whole proposal was rejected. Lock the decision to publish it."),
        "success",
    )
    return redirect(url_for(".review", process_id=process.id))


@bp.post("/<int:process_id>/lock")
@role_required(Role.COUNCIL)
def lock(process_id: int):
    process = _process_or_404(process_id)
    decision = _refuse_if_locked(process)
    lock_decision(process, decision, current_user.id)
    record("council.decision_locked", process, rejected=decision.rejected_whole)
    db.session.commit()
    flash(_("The decision is locked and published."), "success")
    return redirect(url_for(".review", process_id=process.id))
