"""Pages where officials run participatory budgeting (the /manage/pb blueprint): the
list of processes, a process's settings, overview and phase. Areas, projects, vote
codes and paper ballots, and ideas add their routes from their own modules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from eraati.accounts.models import Role
from eraati.audit import record
from eraati.budgeting import notices
from eraati.budgeting.manage_labels import (
    BALLOT_LABELS,
    COMPLETION_LABELS,
    PHASE_LABELS,
    RULE_LABELS,
    STATUS_LABELS,
)
from eraati.budgeting.models import (
    Area,
    BallotType,
    CountingRule,
    Phase,
    Process,
    Project,
)
from eraati.core.forms import choices, clean_translations, translated_field
from eraati.core.security import role_required
from eraati.extensions import db

bp = Blueprint("budgeting_manage", __name__, url_prefix="/manage/pb")

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


class PhaseForm(FlaskForm):
    phase = SelectField(
        _l("Phase"), choices=choices((k.value, v) for k, v in PHASE_LABELS.items())
    )


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
    before, process.phase = process.phase, Phase(form.phase.data)
    if process.phase is not before:
        notices.phase_changed(process)
        record("pb.phase_changed", process, phase=process.phase)
    db.session.commit()
    flash(
        _("The phase is now: %(phase)s.", phase=PHASE_LABELS[process.phase]), "success"
    )
    return redirect(url_for(".overview", process_id=process.id))


# Areas, projects with their implementation updates, vote codes and paper ballots,
# and the handling of ideas add their routes to this blueprint.
from eraati.budgeting import (  # noqa: E402
    manage_areas,  # noqa: F401
    manage_codes,  # noqa: F401
    manage_projects,  # noqa: F401
    proposal_manage,  # noqa: F401
)
