"""Officials make vote codes for mailing (a CSV download, then printable sheets
with QR codes) and key in paper ballots (routes on the officials' blueprint)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from eraati.accounts.models import Role
from eraati.budgeting import codes as vote_codes
from eraati.budgeting.manage import _child, _process, _status, bp
from eraati.budgeting.messages import voting_error
from eraati.budgeting.models import Area, BallotType, Process, Project, ProjectStatus
from eraati.budgeting.voting import VotingError
from eraati.core.security import role_required
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys.qr import qr_svg


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
