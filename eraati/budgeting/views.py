"""Participatory budgeting for residents: processes, and voting with a review step.

Who is voting (a code's hash, an account or a change key) is kept in the signed
session between the pages, never in form fields; the choices waiting for
confirmation are kept there too, so the confirm step casts exactly what was reviewed.
Every check runs again when the ballot is cast (eraati.budgeting.voting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from eraati.budgeting import voting
from eraati.budgeting.ballots import BallotProblem, check_ballot
from eraati.budgeting.messages import voting_error
from eraati.budgeting.models import (
    Area,
    Ballot,
    BallotType,
    Phase,
    Process,
    Project,
    ProjectStatus,
    VoteCode,
)
from eraati.budgeting.proposals import followed_project_ids
from eraati.core.database import read_without_transaction
from eraati.core.time import utcnow
from eraati.extensions import db, limiter

bp = Blueprint("budgeting", __name__, url_prefix="/pb")

VOTER_KEY = "pb_voter"  #: {"process", "kind": code|account|change, "ref"}
PENDING_KEY = "pb_pending"  #: {"process", "choices"} waiting for confirmation
CHANGE_KEYS = "pb_change_keys"  #: {process id: change key} of this browser
SHOW_KEY = "pb_show_key"  #: the process whose change key the thanks page shows once
#: A code shown back in its field is cut to this (codes have 12 characters).
MAX_CODE_LENGTH = 40

PHASE_LABELS = {
    Phase.INFORMATION: _l("Information"),
    Phase.PROPOSALS: _l("Proposals"),
    Phase.DEVELOPMENT: _l("Development of the projects"),
    Phase.VOTING: _l("Voting"),
    Phase.COUNCIL: _l("Council decision"),
    Phase.IMPLEMENTATION: _l("Implementation"),
    Phase.FINISHED: _l("Finished"),
}
STATUS_LABELS = {
    ProjectStatus.CANDIDATE: _l("Being developed"),
    ProjectStatus.REJECTED: _l("Not feasible"),
    ProjectStatus.ON_BALLOT: _l("On the ballot"),
    ProjectStatus.SELECTED: _l("Won the vote"),
    ProjectStatus.DROPPED: _l("Dropped by the council"),
    ProjectStatus.FUNDED: _l("Funded"),
}


class HashedCodeVerifier(voting.CodeVerifier):
    """A vote code known by its hash: the session never holds the code itself."""

    def _row(self, process: Process) -> tuple[VoteCode, Area]:
        return self._select(self.code, process)


@dataclass
class Voter:
    area: Area
    verifier: voting.Verifier | None = None
    change_key: str | None = None  #: set when the voter changes a cast ballot


def _process(process_id: int) -> Process:
    process = db.session.get(Process, process_id)
    if process is None or process.phase is Phase.DRAFT:
        abort(404)
    return process


def _unavailable(code: str, status: int):
    return render_template(
        "budgeting/unavailable.html", message=voting_error(code)
    ), status


@bp.get("/")
def index():
    processes = db.session.scalars(
        select(Process)
        .where(Process.phase != Phase.DRAFT)
        .order_by(Process.year.desc(), Process.id.desc())
    )
    return render_template("budgeting/index.html", processes=list(processes))


@bp.get("/<int:process_id>")
def process_page(process_id: int):
    process = _process(process_id)
    projects = db.session.scalars(
        select(Project)
        .where(Project.process_id == process.id)
        .order_by(Project.area_id, Project.id)
    )
    by_area: dict[int, list[Project]] = {}
    for project in projects:
        by_area.setdefault(project.area_id, []).append(project)
    return render_template(
        "budgeting/process.html",
        process=process,
        phases=_phases(process),
        by_area=by_area,
        status_labels=STATUS_LABELS,
        followed=followed_project_ids(current_user, process.id),
    )


def _phases(process: Process) -> list[tuple[str, datetime | None, bool]]:
    """(label, start as an aware UTC time, is current) for each phase after draft."""
    rows = []
    for phase, label in PHASE_LABELS.items():
        start = process.phase_starts.get(phase.value)
        when = datetime.fromisoformat(start) if start else None
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)  # stored as UTC
        rows.append((label, when, phase is process.phase))
    return rows


@bp.route("/<int:process_id>/vote", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def start(process_id: int):
    """How do you vote? A vote code, or the account if it is marked eligible."""
    if request.method == "GET":
        read_without_transaction()
    process = _process(process_id)
    if process.phase is not Phase.VOTING:
        return _unavailable("not_voting", 409)
    error = None
    if request.method == "POST":
        error = _identify(process)
        if error is None:
            return redirect(url_for(".ballot", process_id=process.id))
    # A QR code on the letter opens this page with the code; a refused code stays
    # in the field so that a typo can be mended rather than typed again.
    source = request.form if request.method == "POST" else request.args
    return render_template(
        "budgeting/start.html",
        process=process,
        code=source.get("code", "")[:MAX_CODE_LENGTH],
        account_status=_account_status(process),
        has_change_key=str(process.id) in session.get(CHANGE_KEYS, {}),
        error=error,
    ), (400 if error else 200)


def _account_status(process: Process) -> str | None:
    """None when the signed-in account may vote, else the reason (or "anonymous")."""
    if not current_user.is_authenticated:
        return "anonymous"
    verifier = voting.AccountVerifier(current_user.id)
    try:
        verifier.area_id(process)
    except voting.VotingError as error:
        return error.code
    return "already_voted" if verifier.has_voted(process) else None


def _identify(process: Process) -> str | None:
    """Remember the verified voter in the session; the error message otherwise."""
    session.pop(PENDING_KEY, None)
    if request.form.get("action") == "account":
        status = _account_status(process)
        if status is not None:
            return voting_error("not_eligible" if status == "anonymous" else status)
        session[VOTER_KEY] = _voter_ref(process, "account", current_user.id)
        return None
    code_hash = voting._hash(voting.normalise_code(request.form.get("code", "")))
    try:
        HashedCodeVerifier(code_hash).area_id(process)
    except voting.VotingError as error:
        return voting_error(error.code)
    session[VOTER_KEY] = _voter_ref(process, "code", code_hash)
    return None


def _voter_ref(process: Process, kind: str, ref) -> dict:
    return {"process": process.id, "kind": kind, "ref": ref}


def _voter(process: Process) -> Voter | None:
    """The voter this session verified for ``process``, checked again now."""
    ref = session.get(VOTER_KEY)
    if not ref or ref["process"] != process.id:
        return None
    if ref["kind"] == "change":
        ballot = db.session.scalar(
            select(Ballot).where(
                Ballot.change_key_hash == voting._hash(ref["ref"]),
                Ballot.process_id == process.id,
            )
        )
        if ballot is None:
            raise voting.VotingError("no_change_key")
        return Voter(db.session.get(Area, ballot.area_id), change_key=ref["ref"])
    if ref["kind"] == "account":
        # Signed out, or another person signed in on this browser: start again.
        if not current_user.is_authenticated or current_user.id != ref["ref"]:
            return None
        verifier = voting.AccountVerifier(ref["ref"])
    else:
        verifier = HashedCodeVerifier(ref["ref"])
    return Voter(db.session.get(Area, verifier.area_id(process)), verifier)


def _open_voter(process_id: int):
    """(process, voter) or the response to give instead."""
    process = _process(process_id)
    if process.phase is not Phase.VOTING:
        return process, _unavailable("not_voting", 409)
    try:
        voter = _voter(process)
    except voting.VotingError as error:
        session.pop(VOTER_KEY, None)
        return process, _unavailable(error.code, 409)
    if voter is None:
        return process, redirect(url_for(".start", process_id=process.id))
    return process, voter


@bp.route("/<int:process_id>/ballot", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def ballot(process_id: int):
    """The ballot of the voter's area; a valid one goes to the review step."""
    if request.method == "GET":
        read_without_transaction()
    process, voter = _open_voter(process_id)
    if not isinstance(voter, Voter):
        return voter
    values, error = _pending_choices(process), None
    if request.method == "POST":
        values = _raw_choices(process)
        try:
            choices = check_ballot(
                voting.ballot_rules(process, voter.area),
                voting.ballot_costs(voter.area),
                values,
            )
        except BallotProblem as problem:
            error = voting_error(problem.code, problem.details)
        else:
            session[PENDING_KEY] = {"process": process.id, "choices": choices}
            return redirect(url_for(".confirm", process_id=process.id))
    return _render_ballot(process, voter, _ballot_projects(voter.area), values, error)


def _ballot_projects(area: Area) -> list[Project]:
    return list(
        db.session.scalars(
            select(Project)
            .where(
                Project.area_id == area.id, Project.status == ProjectStatus.ON_BALLOT
            )
            .order_by(Project.id)
        )
    )


def _pending_choices(process: Process):
    pending = session.get(PENDING_KEY)
    if pending and pending["process"] == process.id:
        return pending["choices"]
    return {} if process.ballot_type is BallotType.CUMULATIVE else []


def _raw_choices(process: Process):
    """The choices as sent, in the shape check_ballot reads; "vote blank" is empty."""
    blank = request.form.get("action") == "blank"
    if process.ballot_type is BallotType.CUMULATIVE:
        if blank:
            return {}
        return {
            key.removeprefix("points-"): _as_int(value)
            for key, value in request.form.items()
            if key.startswith("points-") and value.strip()
        }
    if blank:
        return []
    if process.ballot_type is BallotType.RANKED:
        ranks = sorted(
            (int(key.removeprefix("rank-")), value)
            for key, value in request.form.items()
            if key.startswith("rank-") and key[5:].isdigit() and value
        )
        return [value for _rank, value in ranks]
    return request.form.getlist("project")


def _as_int(value: str):
    # Anything not a whole number goes on as text so that the check names it.
    try:
        return int(value.strip())
    except ValueError:
        return value


def _render_ballot(process, voter: Voter, projects, values, error):
    costs = {str(p.id): p.cost for p in projects}
    chosen = values if isinstance(values, list) else []
    used = sum((costs.get(str(i), Decimal(0)) for i in chosen), Decimal(0))
    return render_template(
        "budgeting/ballot.html",
        process=process,
        area=voter.area,
        projects=projects,
        values=values,
        used=used,
        rank_count=process.rank_count or len(projects),
        error=error,
        changing=voter.change_key is not None,
    ), (400 if error else 200)


@bp.route("/<int:process_id>/confirm", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def confirm(process_id: int):
    """Review before the ballot is final (WCAG 3.3.4); the POST casts it."""
    if request.method == "GET":
        read_without_transaction()
    process, voter = _open_voter(process_id)
    if not isinstance(voter, Voter):
        return voter
    pending = session.get(PENDING_KEY)
    if not pending or pending["process"] != process.id:
        return redirect(url_for(".ballot", process_id=process.id))
    if request.method == "POST":
        return _cast(process, voter, pending["choices"])
    return _render_confirm(process, voter, pending["choices"])


def _render_confirm(process: Process, voter: Voter, choices):
    projects = {str(p.id): p for p in _ballot_projects(voter.area)}
    # A project taken off the ballot meanwhile is left out here; casting refuses it.
    if isinstance(choices, dict):
        rows = [(projects[i], n) for i, n in choices.items() if i in projects]
    else:
        rows = [(projects[i], None) for i in choices if i in projects]
    return render_template(
        "budgeting/confirm.html",
        process=process,
        area=voter.area,
        rows=rows,
        total=sum((project.cost for project, _points in rows), Decimal(0)),
        changing=voter.change_key is not None,
    )


def _cast(process: Process, voter: Voter, choices):
    try:
        if voter.change_key is not None:
            voting.change_ballot(process, voter.change_key, choices)
            change_key = None
        else:
            _ballot, change_key = voting.cast_ballot(
                process, voter.verifier, choices, utcnow()
            )
    except voting.VotingError as error:
        db.session.rollback()
        if error.code in {"not_voting", "code_used", "already_voted", "unknown_code"}:
            session.pop(VOTER_KEY, None)
            return _unavailable(error.code, 409)
        return _render_ballot(
            process,
            voter,
            _ballot_projects(voter.area),
            choices,
            voting_error(error.code, error.details),
        )
    process_id = process.id  # read before the commit expires it (no reload)
    db.session.commit()
    _remember_cast(process_id, change_key)
    return redirect(url_for(".thanks", process_id=process_id))


def _remember_cast(process_id: int, change_key: str | None) -> None:
    """Forget the voter; keep the change key so that this browser can change later."""
    session.pop(VOTER_KEY, None)
    session.pop(PENDING_KEY, None)
    if change_key:
        session[CHANGE_KEYS] = {
            **session.get(CHANGE_KEYS, {}),
            str(process_id): change_key,
        }
        session[SHOW_KEY] = process_id


@bp.get("/<int:process_id>/thanks")
def thanks(process_id: int):
    process = _process(process_id)
    change_key = None
    if session.pop(SHOW_KEY, None) == process.id:
        change_key = session.get(CHANGE_KEYS, {}).get(str(process.id))
    return render_template(
        "budgeting/thanks.html", process=process, change_key=change_key
    )


@bp.route("/<int:process_id>/change", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def change(process_id: int):
    """Change a cast ballot with its change key (the last ballot counts)."""
    process = _process(process_id)
    if process.phase is not Phase.VOTING or not process.allow_ballot_change:
        return _unavailable("not_voting", 409)
    key = request.form.get("change_key", "").strip() or None
    if request.method == "GET":
        key = session.get(CHANGE_KEYS, {}).get(str(process.id))
    error = None
    if key:
        session[VOTER_KEY] = _voter_ref(process, "change", key)
        session.pop(PENDING_KEY, None)
        try:
            _voter(process)
        except voting.VotingError as problem:
            session.pop(VOTER_KEY, None)
            error = voting_error(problem.code)
        else:
            return redirect(url_for(".ballot", process_id=process.id))
    elif request.method == "POST":
        error = voting_error("no_change_key")
    return render_template("budgeting/change.html", process=process, error=error), (
        400 if error else 200
    )


# Residents' ideas, comments and following add their routes to this blueprint.
from eraati.budgeting import proposal_views  # noqa: E402, F401

# Results of the vote, their downloads and the implementation report.
from eraati.budgeting.results_views import bp as results_bp  # noqa: E402

bp.register_blueprint(results_bp)
