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
from eraati.surveys import fast, logic, services, snapshot
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


@bp.route("/i/<token>", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
def invited(token: str):
    """An invitation link: answer here; the same link resumes saved answers."""
    try:
        invitation = services.find_invitation(token)
        if invitation.answered:
            raise services.SurveyError("already_answered")
        round_ = db.session.get(Round, invitation.round_id)
        services.ensure_open(round_, utcnow())
    except services.SurveyError as error:
        return _error_page(error.code, _status_of(error.code))
    draft = db.session.scalar(
        select(ResponseDraft).where(ResponseDraft.invitation_id == invitation.id)
    )
    return _answer(Answering(round_, draft, ".invited", {"token": token}, invitation))


def _status_of(code: str) -> int:
    return {"closed": 410, "already_answered": 409}.get(code, 400)


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


class Answering:
    """Where one respondent's answers are kept while answering: a draft, found by a
    resume link or by the invitation (which gets a draft only once there is
    something to keep)."""

    def __init__(self, round_, draft, endpoint, url_values, invitation=None):
        self.round = round_
        self.draft = draft
        self.endpoint = endpoint
        self.url_values = url_values
        self.invitation = invitation

    def values(self) -> dict:
        return services.draft_values(self.draft) if self.draft else {}

    def current_page(self) -> int:
        return self.draft.page if self.draft else 1

    def url(self, **values) -> str:
        return url_for(self.endpoint, **self.url_values, **values)

    def keep(self, checked: logic.Checked, page: int, on_page: list[int], now) -> None:
        if self.draft is None:
            self.draft, _resume = services.start_draft(
                self.round, current_language(), now, self.invitation
            )
        services.forget_page_answers(self.draft, on_page)
        services.save_page(self.draft, checked, page, now)


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
        return _error_page(error.code, _status_of(error.code))
    return _answer(Answering(round_, draft, ".answer", {"resume": resume}))


def _answer(answering: Answering):
    questionnaire = snapshot.questionnaire_view(answering.round.questionnaire_id)
    page_numbers = _shown_pages(questionnaire.specs, answering.values())
    page = request.args.get("page", type=int) or answering.current_page()
    if page not in page_numbers:
        page = page_numbers[0]
    form = PageForm()
    errors: dict[int, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        outcome = _handle_post(answering, questionnaire.specs, page, page_numbers)
        if not isinstance(outcome, dict):
            return outcome
        errors = outcome
    return _render_page(answering, questionnaire, page, page_numbers, form, errors)


def _shown_pages(specs, values) -> list[int]:
    shown = logic.visible_items(specs, values)
    return sorted({spec.page for spec in shown}) or [1]


def _handle_post(answering: Answering, specs, page: int, page_numbers: list[int]):
    """Keep the page; move on or submit, or return the errors to show by the fields."""
    now = utcnow()
    earlier = answering.values()
    checked = logic.check_page(specs, page, request.form.to_dict(flat=False), earlier)
    values = {**earlier, **checked.values}
    following = [n for n in _shown_pages(specs, values) if n > page]
    action = request.form.get("action", "next")
    if action == "next" and checked.ok and not following:
        return _submit(answering, values, now)
    on_page = [spec.id for spec in specs if spec.page == page]
    answering.keep(checked, page, on_page, now)
    if action == "later":
        db.session.commit()
        return redirect(_saved_url(answering))
    if action == "back":
        db.session.commit()
        previous = [number for number in page_numbers if number < page]
        return redirect(answering.url(page=previous[-1] if previous else page))
    if not checked.ok:
        db.session.commit()  # the valid answers of the page are kept
        return checked.errors
    answering.draft.page = following[0]
    db.session.commit()
    return redirect(answering.url(page=following[0]))


def _saved_url(answering: Answering) -> str:
    if answering.invitation is not None:
        return url_for(".saved_invited", token=answering.url_values["token"])
    return url_for(".saved", resume=answering.url_values["resume"])


def _submit(answering: Answering, values: dict, now):
    """Store the response (and drop the draft) in one transaction; once only."""
    try:
        services.submit(
            answering.round,
            values,
            answering.draft.language if answering.draft else current_language(),
            now,
            invitation_id=answering.invitation.id
            if answering.invitation
            else (answering.draft.invitation_id if answering.draft else None),
        )
        if answering.draft is not None:
            db.session.delete(answering.draft)
    except services.SurveyError as error:
        db.session.rollback()
        if error.code == "incomplete":
            return {}
        return _error_page(error.code, 409)
    db.session.commit()
    round_id = answering.round.id
    session[ANSWERED_KEY] = [*session.get(ANSWERED_KEY, [])[-20:], round_id]
    return redirect(url_for(".thanks", round_id=round_id))


def _render_page(answering: Answering, questionnaire, page, page_numbers, form, errors):
    specs = questionnaire.specs
    values = answering.values()
    if errors:
        # Show what was just typed, also the invalid parts, so nothing is lost.
        values = {**values, **_raw_page_values(specs, page)}
    shown = {spec.id for spec in logic.visible_items(specs, values)}
    on_page = {item.id for item in questionnaire.items if item.page == page}
    # A question that depends on one on the same page is always sent (with a hint
    # saying when to answer it): without JavaScript it cannot appear later.
    items = [
        item
        for item in questionnaire.items
        if item.id in on_page and (item.id in shown or item.show_if_item_id in on_page)
    ]
    status = 400 if errors else 200
    return render_template(
        "surveys/answer.html",
        conditions=_condition_texts(questionnaire, items, on_page),
        questionnaire=questionnaire,
        round=answering.round,
        action=answering.url(page=page),
        items=items,
        shown=shown,
        values=values,
        errors={item_id: answer_error(code) for item_id, code in errors.items()},
        page=page,
        page_index=page_numbers.index(page) + 1 if page in page_numbers else 1,
        page_count=len(page_numbers),
        is_last=page == page_numbers[-1],
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
    link = url_for(".answer", resume=resume, _external=True)
    return render_template("surveys/saved.html", link=link)


@bp.get("/i/<token>/saved")
def saved_invited(token: str):
    try:
        services.find_invitation(token)
    except services.SurveyError as error:
        return _error_page(error.code)
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
