"""Pages where officials run participatory budgeting: the process, its areas and
projects, phases, vote codes, paper ballots and implementation updates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from eraati.accounts.models import Role
from eraati.budgeting import codes as vote_codes
from eraati.budgeting.messages import voting_error
from eraati.budgeting.models import (
    Area,
    BallotType,
    CountingRule,
    ImplementationStatus,
    Phase,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
)
from eraati.budgeting.voting import VotingError
from eraati.core.forms import choices, clean_translations, translated_field
from eraati.core.i18n import text_in_reader_language
from eraati.core.security import role_required
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys.qr import qr_svg

bp = Blueprint("budgeting_manage", __name__, url_prefix="/manage/pb")

PHASE_LABELS = {
    Phase.DRAFT: _l("Draft"),
    Phase.INFORMATION: _l("Information"),
    Phase.PROPOSALS: _l("Proposals"),
    Phase.DEVELOPMENT: _l("Development of projects"),
    Phase.VOTING: _l("Voting"),
    Phase.COUNCIL: _l("Council decision"),
    Phase.IMPLEMENTATION: _l("Implementation follow-up"),
    Phase.FINISHED: _l("Finished"),
}
BALLOT_LABELS = {
    BallotType.APPROVAL_BUDGET: _l("Approval within the area budget"),
    BallotType.APPROVAL_COUNT: _l("Approval of up to a number of projects"),
    BallotType.CUMULATIVE: _l("Cumulative points"),
    BallotType.RANKED: _l("Ranked choice"),
}
RULE_LABELS = {
    CountingRule.GREEDY: _l("Greedy: most votes first"),
    CountingRule.MES_COST: _l(
        "Equal shares: each voter's share pays for projects, valued by cost"
    ),
    CountingRule.MES_APPROVAL: _l(
        "Equal shares: each voter's share pays for projects, valued by count"
    ),
    CountingRule.POINTS: _l("Most points first, with a minimum score"),
}
COMPLETION_LABELS = {
    "none": _l("No completion: leave unused money"),
    "add1": _l("Raise every voter's share step by step"),
    "add1-greedy": _l("Raise every voter's share, then fill by most votes"),
}
STATUS_LABELS = {
    ProjectStatus.CANDIDATE: _l("Being developed"),
    ProjectStatus.REJECTED: _l("Rejected"),
    ProjectStatus.ON_BALLOT: _l("On the ballot"),
    ProjectStatus.SELECTED: _l("Selected by vote"),
    ProjectStatus.DROPPED: _l("Dropped by the council"),
    ProjectStatus.FUNDED: _l("Funded"),
}
IMPLEMENTATION_LABELS = {
    ImplementationStatus.PLANNED: _l("Planned"),
    ImplementationStatus.IN_PROGRESS: _l("In progress"),
    ImplementationStatus.DONE: _l("Done"),
    ImplementationStatus.DELAYED: _l("Delayed"),
    ImplementationStatus.CANCELLED: _l("Cancelled"),
}
MONEY = {"places": 2, "validators": [InputRequired(), NumberRange(min=0)]}


def _optional_int(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0)])


class ProcessForm(FlaskForm):
    year = IntegerField(
        _l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)]
    )
    title = translated_field(_l("Title"))
    description = translated_field(
        _l("Description"), required=False, multiline=True, max_length=5000
    )
    residents_decide = translated_field(
        _l("What residents decide"), required=False, multiline=True, max_length=2000
    )
    council_decides = translated_field(
        _l("What the council decides"), required=False, multiline=True, max_length=2000
    )
    total_budget = DecimalField(_l("Total budget (euros)"), **MONEY)
    ballot_type = SelectField(
        _l("Ballot"), choices=choices((k.value, v) for k, v in BALLOT_LABELS.items())
    )
    min_projects = _optional_int(_l("Minimum number of projects"))
    max_projects = _optional_int(_l("Maximum number of projects"))
    min_budget_share = DecimalField(
        _l("Minimum share of the area budget (0-1)"),
        places=3,
        validators=[Optional(), NumberRange(0, 1)],
    )
    max_points = _optional_int(_l("Points per voter"))
    rank_count = _optional_int(_l("Projects to rank"))
    rule = SelectField(
        _l("Counting rule"),
        choices=choices((k.value, v) for k, v in RULE_LABELS.items()),
    )
    completion = SelectField(
        _l("Completion of equal shares"), choices=choices(COMPLETION_LABELS.items())
    )
    score_threshold = _optional_int(_l("Points a project needs (points rule)"))
    allow_ballot_change = BooleanField(_l("Voters may change their ballot"))


# One start date per phase after the draft, as local dates (stored as UTC instants).
for _phase in list(Phase)[1:]:
    setattr(
        ProcessForm,
        f"start_{_phase.value}",
        DateField(PHASE_LABELS[_phase], validators=[Optional()]),
    )


class AreaForm(FlaskForm):
    name = translated_field(_l("Name"))
    budget = DecimalField(_l("Budget (euros)"), **MONEY)
    is_citywide = BooleanField(_l("Citywide pot"))


class ProjectForm(FlaskForm):
    area_id = SelectField(_l("Area"), coerce=int)
    title = translated_field(_l("Title"))
    description = translated_field(
        _l("Description"), required=False, multiline=True, max_length=5000
    )
    cost = DecimalField(_l("Cost (euros)"), **MONEY)
    feasibility = translated_field(
        _l("Feasibility"), required=False, multiline=True, max_length=2000
    )
    status = SelectField(
        _l("Status"), choices=choices((k.value, v) for k, v in STATUS_LABELS.items())
    )
    status_reason = TextAreaField(
        _l("Reason (published)"),
        description=_l("Required when the project is rejected."),
    )


class PhaseForm(FlaskForm):
    phase = SelectField(
        _l("Phase"), choices=choices((k.value, v) for k, v in PHASE_LABELS.items())
    )


class CodesForm(FlaskForm):
    count = IntegerField(
        _l("Number of codes"),
        validators=[
            InputRequired(message=_l("Enter the number of codes.")),
            NumberRange(
                1,
                vote_codes.MAX_BATCH,
                message=_l(
                    "Make 1 to %(max)d codes at a time.", max=vote_codes.MAX_BATCH
                ),
            ),
        ],
    )


class UpdateForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=choices((k.value, v) for k, v in IMPLEMENTATION_LABELS.items()),
    )
    note = TextAreaField(_l("Note (published)"))


def _status(form) -> int:
    return 400 if form.errors else 200


def _process(process_id: int) -> Process:
    return db.session.get(Process, process_id) or abort(404)


def _child(model, id_: int, process: Process):
    found = db.session.get(model, id_)
    if found is None or found.process_id != process.id:
        abort(404)
    return found


# --- Processes ---------------------------------------------------------------------


@bp.get("/")
@role_required(Role.OFFICIAL)
def index():
    processes = db.session.scalars(
        select(Process).order_by(Process.year.desc(), Process.id.desc())
    ).all()
    return render_template(
        "budgeting/manage/index.html", processes=processes, phases=PHASE_LABELS
    )


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def _start_dates(process: Process) -> dict[str, date]:
    """Stored UTC instants as the local dates officials entered."""
    return {
        f"start_{phase}": datetime.fromisoformat(start).astimezone(_zone()).date()
        for phase, start in (process.phase_starts or {}).items()
    }


def _phase_starts(form: ProcessForm) -> dict[str, str]:
    """Each phase starts at local midnight of its date, stored as a UTC instant."""
    starts = {}
    for phase in list(Phase)[1:]:
        day = getattr(form, f"start_{phase.value}").data
        if day:
            local = datetime.combine(day, time(0), tzinfo=_zone())
            starts[phase.value] = local.astimezone(UTC).isoformat()
    return starts


def _fill_process(process: Process, form: ProcessForm) -> None:
    for name in ("title", "description", "residents_decide", "council_decides"):
        setattr(process, name, clean_translations(getattr(form, name).data))
    for name in ("year", "total_budget", "min_projects", "max_projects"):
        setattr(process, name, getattr(form, name).data)
    for name in ("min_budget_share", "max_points", "rank_count", "score_threshold"):
        setattr(process, name, getattr(form, name).data)
    process.ballot_type = BallotType(form.ballot_type.data)
    process.rule = CountingRule(form.rule.data)
    # "none" is stored as such: None would take the column's default.
    process.completion = form.completion.data
    process.allow_ballot_change = form.allow_ballot_change.data
    process.phase_starts = _phase_starts(form)


def _areas_total(process: Process, leaving_out: Area | None = None) -> Decimal:
    return db.session.scalar(
        select(func.coalesce(func.sum(Area.budget), 0)).where(
            Area.process_id == process.id,
            Area.id != (leaving_out.id if leaving_out and leaving_out.id else -1),
        )
    )


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:process_id>/edit", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_process(process_id: int | None = None):
    process = _process(process_id) if process_id else None
    form = ProcessForm(
        obj=process,
        data={
            **(_start_dates(process) if process else {}),
            "completion": (process.completion if process else None) or "none",
        },
    )
    if form.validate_on_submit():
        areas = _areas_total(process) if process else 0
        if areas > form.total_budget.data:
            form.total_budget.errors.append(
                _(
                    "The areas already share %(sum)s: the total cannot be less.",
                    sum=areas,
                )
            )
        else:
            process = process or Process()
            _fill_process(process, form)
            db.session.add(process)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".overview", process_id=process.id))
    return render_template(
        "budgeting/manage/process_form.html", form=form, process=process
    ), _status(form)


@bp.get("/<int:process_id>")
@role_required(Role.OFFICIAL)
def overview(process_id: int):
    process = _process(process_id)
    projects = db.session.scalars(
        select(Project).where(Project.process_id == process.id).order_by(Project.id)
    ).all()
    return render_template(
        "budgeting/manage/overview.html",
        process=process,
        projects=projects,
        phase_form=PhaseForm(phase=process.phase.value),
        phases=PHASE_LABELS,
        statuses=STATUS_LABELS,
    )


@bp.post("/<int:process_id>/phase")
@role_required(Role.OFFICIAL)
def move_phase(process_id: int):
    process = _process(process_id)
    form = PhaseForm()
    if not form.validate_on_submit():
        abort(400, _("Choose a phase."))
    process.phase = Phase(form.phase.data)
    db.session.commit()
    flash(
        _("The phase is now: %(phase)s.", phase=PHASE_LABELS[process.phase]), "success"
    )
    return redirect(url_for(".overview", process_id=process.id))


# --- Areas -------------------------------------------------------------------------


@bp.route("/<int:process_id>/areas/new", methods=["GET", "POST"])
@bp.route("/<int:process_id>/areas/<int:area_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_area(process_id: int, area_id: int | None = None):
    process = _process(process_id)
    area = _child(Area, area_id, process) if area_id else None
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        total = _areas_total(process, leaving_out=area) + form.budget.data
        if total > process.total_budget:
            form.budget.errors.append(
                _(
                    "The area budgets would add up to %(sum)s, more than the total "
                    "budget of %(total)s.",
                    sum=total,
                    total=process.total_budget,
                )
            )
        else:
            area = area or Area(process=process)
            area.name = clean_translations(form.name.data)
            area.budget, area.is_citywide = form.budget.data, form.is_citywide.data
            db.session.add(area)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".overview", process_id=process.id))
    return render_template(
        "budgeting/manage/area_form.html", form=form, process=process, area=area
    ), _status(form)


# --- Projects ----------------------------------------------------------------------


@bp.route("/<int:process_id>/projects/new", methods=["GET", "POST"])
@bp.route("/<int:process_id>/projects/<int:project_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_project(process_id: int, project_id: int | None = None):
    process = _process(process_id)
    project = _child(Project, project_id, process) if project_id else None
    form = ProjectForm(obj=project)
    form.area_id.choices = choices(
        (area.id, text_in_reader_language(area.name)) for area in process.areas
    )
    if not form.area_id.choices:
        flash(_("Add an area first."), "info")
        return redirect(url_for(".overview", process_id=process.id))
    if form.validate_on_submit() and _reason_given(form):
        project = project or Project(process_id=process.id, external_id="")
        _fill_project(project, form)
        db.session.add(project)
        db.session.flush()
        # New projects get their own id as their Pabulib id, for export.
        project.external_id = project.external_id or str(project.id)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".overview", process_id=process.id))
    return render_template(
        "budgeting/manage/project_form.html",
        form=form,
        process=process,
        project=project,
    ), _status(form)


def _reason_given(form: ProjectForm) -> bool:
    if (
        form.status.data == ProjectStatus.REJECTED.value
        and not (form.status_reason.data or "").strip()
    ):
        form.status_reason.errors = [_("Give the reason for rejecting the project.")]
        return False
    return True


def _fill_project(project: Project, form: ProjectForm) -> None:
    project.area_id = form.area_id.data
    for name in ("title", "description", "feasibility"):
        setattr(project, name, clean_translations(getattr(form, name).data))
    project.cost = form.cost.data
    project.status = ProjectStatus(form.status.data)
    project.status_reason = (form.status_reason.data or "").strip() or None


# --- Vote codes and paper ballots --------------------------------------------------


@bp.route("/<int:process_id>/areas/<int:area_id>/codes", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def codes(process_id: int, area_id: int):
    process = _process(process_id)
    area = _child(Area, area_id, process)
    form = CodesForm()
    if form.validate_on_submit():
        made = vote_codes.generate_for_print(process, area, form.count.data)
        db.session.commit()
        # The one response that carries the plain codes; the database keeps hashes.
        return Response(
            vote_codes.codes_csv(process, area, made),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="codes-{area.id}.csv"',
                "Cache-Control": "no-store",
            },
        )
    return render_template(
        "budgeting/manage/codes.html", form=form, process=process, area=area
    ), _status(form)


@bp.get("/<int:process_id>/areas/<int:area_id>/codes/print")
@role_required(Role.OFFICIAL)
def print_codes(process_id: int, area_id: int):
    process = _process(process_id)
    area = _child(Area, area_id, process)
    sheets = [
        (code, qr_svg(vote_codes.vote_url(process, code), _("Vote with this code")))
        for code in vote_codes.take_print_codes(area)
    ]
    response = Response(
        render_template(
            "budgeting/manage/code_sheets.html",
            process=process,
            area=area,
            sheets=sheets,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _paper_choices(process: Process, area: Area):
    """The ballot as staff keyed it in, in the form voting.cast_ballot takes."""
    if process.ballot_type is BallotType.CUMULATIVE:
        return {
            key.removeprefix("points-"): request.form.get(key, type=int) or 0
            for key in request.form
            if key.startswith("points-")
        }
    if process.ballot_type is BallotType.RANKED:
        ranks = {
            key.removeprefix("rank-"): request.form.get(key, type=int)
            for key in request.form
            if key.startswith("rank-") and request.form.get(key, type=int)
        }
        return sorted(ranks, key=ranks.get)
    return request.form.getlist("project")


@bp.route("/<int:process_id>/areas/<int:area_id>/paper", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def paper(process_id: int, area_id: int):
    process = _process(process_id)
    area = _child(Area, area_id, process)
    error = None
    if request.method == "POST":
        try:
            vote_codes.cast_paper(
                process, area, _paper_choices(process, area), current_user.id, utcnow()
            )
        except VotingError as problem:
            db.session.rollback()
            error = voting_error(problem.code, problem.details)
        else:
            db.session.commit()
            flash(_("The paper ballot was stored."), "success")
            return redirect(url_for(".paper", process_id=process.id, area_id=area.id))
    projects = db.session.scalars(
        select(Project)
        .where(Project.area_id == area.id, Project.status == ProjectStatus.ON_BALLOT)
        .order_by(Project.id)
    ).all()
    return render_template(
        "budgeting/manage/paper.html",
        process=process,
        area=area,
        projects=projects,
        error=error,
    ), 400 if error else 200


# --- Implementation follow-up ------------------------------------------------------


@bp.route(
    "/<int:process_id>/projects/<int:project_id>/updates", methods=["GET", "POST"]
)
@role_required(Role.OFFICIAL)
def updates(process_id: int, project_id: int):
    process = _process(process_id)
    project = _child(Project, project_id, process)
    if project.status is not ProjectStatus.FUNDED:
        abort(409, _("Only funded projects have implementation updates."))
    form = UpdateForm()
    if form.validate_on_submit() and _note_given(form):
        db.session.add(
            ProjectUpdate(
                project_id=project.id,
                status=ImplementationStatus(form.status.data),
                note=(form.note.data or "").strip() or None,
                updated_by_id=current_user.id,
            )
        )
        db.session.commit()
        flash(_("The update is published."), "success")
        return redirect(
            url_for(".updates", process_id=process.id, project_id=project.id)
        )
    history = db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id == project.id)
        .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
    ).all()
    return render_template(
        "budgeting/manage/updates.html",
        form=form,
        process=process,
        project=project,
        history=history,
        labels=IMPLEMENTATION_LABELS,
    ), _status(form)


def _note_given(form: UpdateForm) -> bool:
    if (
        form.status.data == ImplementationStatus.CANCELLED.value
        and not (form.note.data or "").strip()
    ):
        form.note.errors = [_("Give the reason for cancelling the project.")]
        return False
    return True
