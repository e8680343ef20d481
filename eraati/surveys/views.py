"""Answering: invitation and open links, one question group per page, resume links,
the opt-in at the end, and fast feedback. Works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from eraati.core.i18n import current_language, text_in_reader_language
from eraati.core.time import utcnow
from eraati.extensions import db, limiter
from eraati.surveys import fast, logic, services
from eraati.surveys import labels as labels_module
from eraati.surveys.forms import OptInForm
from eraati.surveys.messages import answer_error, survey_error
from eraati.surveys.models import Audience, ResponseDraft, Round

bp = Blueprint("surveys", __name__, url_prefix="/s")

#: The session remembers which rounds this browser answered (open links, opt-in).
ANSWERED_KEY = "answered_rounds"


class PageForm(FlaskForm):
    """Only the CSRF token: the questions are read by :mod:`eraati.surveys.logic`."""


def _error_page(code: str, status: int = 400):
    return render_template(
        "surveys/unavailable.html", message=survey_error(code)
    ), status


@bp.get("/i/<token>")
def invited(token: str):
    """An invitation link: start or resume this person's answers."""
    now = utcnow()
    try:
        invitation = services.find_invitation(token)
        round_ = db.session.get(Round, invitation.round_id)
        services.ensure_open(round_, now)
        draft, resume = services.start_draft(
            round_, current_language(), now, invitation
        )
    except services.SurveyError as error:
        return _error_page(error.code, 410 if error.code == "closed" else 400)
    db.session.commit()
    return redirect(url_for(".answer", resume=resume))


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
        return _error_page(error.code, 410)
    if round_.id in session.get(ANSWERED_KEY, []):
        return _error_page("already_answered", 409)
    form = PageForm()
    if form.validate_on_submit():
        draft, resume = services.start_draft(round_, current_language(), now)
        db.session.commit()
        return redirect(url_for(".answer", resume=resume))
    return render_template("surveys/start.html", round=round_, form=form)


def _load(resume: str) -> tuple[ResponseDraft, Round]:
    draft = services.find_draft(resume)
    round_ = db.session.get(Round, draft.round_id)
    services.ensure_open(round_, utcnow())
    return draft, round_


@bp.route("/r/<resume>", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
def answer(resume: str):
    try:
        draft, round_ = _load(resume)
    except services.SurveyError as error:
        return _error_page(error.code, 410 if error.code == "closed" else 400)
    specs = services.item_specs(round_.questionnaire)
    page_numbers = _shown_pages(specs, services.draft_values(draft))
    page = request.args.get("page", type=int) or draft.page
    if page not in page_numbers:
        page = page_numbers[0]
    form = PageForm()
    errors: dict[int, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        outcome = _handle_post(draft, round_, specs, page, page_numbers, resume)
        if not isinstance(outcome, dict):
            return outcome
        errors = outcome
    return _render_page(draft, round_, specs, page, page_numbers, resume, form, errors)


def _shown_pages(specs, values) -> list[int]:
    shown = logic.visible_items(specs, values)
    return sorted({spec.page for spec in shown}) or [1]


def _handle_post(draft, round_, specs, page, page_numbers, resume):
    """Save the page; move on, or return the errors to show next to the fields."""
    now = utcnow()
    earlier = services.draft_values(draft)
    checked = logic.check_page(specs, page, request.form.to_dict(flat=False), earlier)
    on_page = [spec.id for spec in specs if spec.page == page]
    services.forget_page_answers(draft, on_page)
    services.save_page(draft, checked, page, now)
    action = request.form.get("action", "next")
    if action == "later":
        db.session.commit()
        return redirect(url_for(".saved", resume=resume))
    if action == "back":
        db.session.commit()
        previous = [number for number in page_numbers if number < page]
        return redirect(
            url_for(".answer", resume=resume, page=previous[-1] if previous else page)
        )
    if not checked.ok:
        db.session.commit()  # the valid answers of the page are kept
        return checked.errors
    page_numbers = _shown_pages(specs, services.draft_values(draft))
    following = [number for number in page_numbers if number > page]
    if following:
        draft.page = following[0]
        db.session.commit()
        return redirect(url_for(".answer", resume=resume, page=following[0]))
    return _submit(draft, round_)


def _submit(draft, round_):
    try:
        services.submit_draft(draft, round_, utcnow())
    except services.SurveyError as error:
        db.session.rollback()
        if error.code == "incomplete":
            return {}
        return _error_page(error.code, 409)
    db.session.commit()
    session[ANSWERED_KEY] = [*session.get(ANSWERED_KEY, [])[-20:], round_.id]
    return redirect(url_for(".thanks", round_id=round_.id))


def _render_page(draft, round_, specs, page, page_numbers, resume, form, errors):
    values = services.draft_values(draft)
    if errors:
        # Show what was just typed, also the invalid parts, so nothing is lost.
        values = {**values, **_raw_page_values(specs, page)}
    shown = {spec.id for spec in logic.visible_items(specs, values)}
    on_page = {item.id for item in round_.questionnaire.items if item.page == page}
    # A question that depends on one on the same page is always sent (with a hint
    # saying when to answer it): without JavaScript it cannot appear later.
    items = [
        item
        for item in round_.questionnaire.items
        if item.id in on_page and (item.id in shown or item.show_if_item_id in on_page)
    ]
    status = 400 if errors else 200
    return render_template(
        "surveys/answer.html",
        conditions=_condition_texts(round_.questionnaire, items, on_page),
        round=round_,
        items=items,
        shown=shown,
        values=values,
        errors={item_id: answer_error(code) for item_id, code in errors.items()},
        page=page,
        page_index=page_numbers.index(page) + 1 if page in page_numbers else 1,
        page_count=len(page_numbers),
        is_last=page == page_numbers[-1],
        resume=resume,
        form=form,
    ), status


def _condition_texts(questionnaire, items, on_page) -> dict[int, tuple[str, str]]:
    """For questions that depend on one on the same page: that question and answers."""
    by_id = {item.id: item for item in questionnaire.items}
    texts = {}
    for item in items:
        if item.show_if_item_id in on_page:
            source = by_id[item.show_if_item_id]
            labels = dict(labels_module.option_choices(source.question))
            wanted = [labels.get(key, key) for key in item.show_if_values]
            texts[item.id] = (
                text_in_reader_language(source.question.text),
                " / ".join(wanted),
            )
    return texts


def _raw_page_values(specs, page) -> dict:
    raw = {}
    for spec in specs:
        if spec.page != page:
            continue
        if spec.type == "matrix":
            raw[spec.id] = {
                row: request.form.get(f"q{spec.id}-{row}")
                for row in spec.rows
                if request.form.get(f"q{spec.id}-{row}")
            }
        elif spec.type == "multiple":
            raw[spec.id] = request.form.getlist(f"q{spec.id}")
        elif request.form.get(f"q{spec.id}"):
            raw[spec.id] = request.form.get(f"q{spec.id}")
    return raw


@bp.get("/r/<resume>/saved")
def saved(resume: str):
    try:
        _load(resume)
    except services.SurveyError as error:
        return _error_page(error.code)
    return render_template(
        "surveys/saved.html", link=url_for(".answer", resume=resume, _external=True)
    )


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
