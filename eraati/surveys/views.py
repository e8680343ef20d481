"""Respondents' pages: invitation and open links, resume links, the opt-in at the
end, and fast feedback. Works without JavaScript; the answering itself is in
:mod:`eraati.surveys.answering`."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from eraati.core.database import read_without_transaction
from eraati.core.i18n import current_language
from eraati.core.time import utcnow
from eraati.extensions import db, limiter
from eraati.surveys import answering, fast, services
from eraati.surveys.answering import ANSWERED_KEY, error_page, status_of
from eraati.surveys.forms import OptInForm
from eraati.surveys.messages import survey_error
from eraati.surveys.models import Audience, ResponseDraft, Round

bp = Blueprint("surveys", __name__, url_prefix="/s")


class PageForm(FlaskForm):
    """Only the CSRF token, for the pages that are not questionnaire pages."""


@bp.route("/i/<token>", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
def invited(token: str):
    """An invitation link: answer here; the same link resumes saved answers."""
    if request.method == "GET":
        read_without_transaction()
    try:
        invitation, round_, draft = services.invitation_for_answering(token)
        if invitation.answered:
            raise services.SurveyError("already_answered")
        services.ensure_open(round_, utcnow())
    except services.SurveyError as error:
        return error_page(error.code, status_of(error.code))
    return answering.answer(
        answering.Answering(round_, draft, ".invited", {"token": token}, invitation)
    )


@bp.route("/p/<public_token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def public(public_token: str):
    """The open link of a public round: a start page, then a fresh draft."""
    round_ = db.session.scalar(select(Round).where(Round.public_token == public_token))
    if round_ is None or round_.audience is not Audience.PUBLIC:
        abort(404)
    now = utcnow()
    try:
        services.ensure_open(round_, now)
    except services.SurveyError as error:
        return error_page(error.code, 410)
    if round_.id in session.get(ANSWERED_KEY, []):
        return error_page("already_answered", 409)
    form = PageForm()
    if form.validate_on_submit():
        draft, resume = services.start_draft(round_, current_language(), now)
        db.session.commit()
        return redirect(url_for(".answer", resume=resume))
    return render_template("surveys/start.html", round=round_, form=form)


def _load(resume: str) -> tuple[ResponseDraft, Round]:
    draft, round_ = services.draft_for_answering(resume)
    services.ensure_open(round_, utcnow())
    return draft, round_


@bp.route("/r/<resume>", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
def answer(resume: str):
    if request.method == "GET":
        read_without_transaction()
    try:
        draft, round_ = _load(resume)
    except services.SurveyError as error:
        return error_page(error.code, status_of(error.code))
    return answering.answer(
        answering.Answering(round_, draft, ".answer", {"resume": resume})
    )


@bp.get("/r/<resume>/saved")
def saved(resume: str):
    try:
        _load(resume)
    except services.SurveyError as error:
        return error_page(error.code)
    link = url_for(".answer", resume=resume, _external=True)
    return render_template("surveys/saved.html", link=link)


@bp.get("/i/<token>/saved")
def saved_invited(token: str):
    try:
        services.find_invitation(token)
    except services.SurveyError as error:
        return error_page(error.code)
    link = url_for(".invited", token=token, _external=True)
    return render_template("surveys/saved.html", link=link)


@bp.route("/thanks/<int:round_id>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def thanks(round_id: int):
    """The end page, with the invitation to deeper participation."""
    round_ = db.session.get(Round, round_id) or abort(404)
    if round_id not in session.get(ANSWERED_KEY, []):
        abort(404)
    form = OptInForm()
    user = current_user if current_user.is_authenticated else None
    if request.method == "GET" and user is not None:
        form.name.data = user.display_name
        form.email.data = user.email
    if form.validate_on_submit():
        services.record_opt_in(
            round_.panel_id,
            name=form.name.data.strip(),
            email=(form.email.data or "").strip().lower() or None,
            phone=(form.phone.data or "").strip() or None,
            deeper_surveys=form.deeper_surveys.data,
            live_sessions=form.live_sessions.data,
            language=current_language(),
            now=utcnow(),
            user=user,
        )
        db.session.commit()
        session[ANSWERED_KEY] = [
            r for r in session.get(ANSWERED_KEY, []) if r != round_id
        ]
        return render_template("surveys/opted_in.html", round=round_)
    return render_template("surveys/thanks.html", round=round_, form=form), (
        400 if form.errors else 200
    )


@bp.route("/f/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def fast_feedback(token: str):
    """Fast feedback: one question, answered in seconds, no sign-in."""
    point = fast.find_point(token) or abort(404)
    form = PageForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            fast.answer(
                point, request.form.to_dict(flat=False), current_language(), utcnow()
            )
        except services.SurveyError as problem:
            db.session.rollback()
            error = survey_error(problem.code)
        else:
            db.session.commit()
            return render_template("surveys/fast_thanks.html", point=point)
    return render_template(
        "surveys/fast.html", point=point, item=fast.item(point), form=form, error=error
    ), (400 if error else 200)
