"""Round operations for officials: scheduling, opening and closing, monthly series,
staff-keyed answers, the opt-in pool, fast-feedback points, free-text moderation and
publishing. Every page belongs to one panel; an id of another panel's object is 404.
"""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
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
from flask_babel import ngettext
from sqlalchemy import case, func, or_, select

from eraati.accounts.models import Role
from eraati.core.forms import choices, clean_translations
from eraati.core.i18n import current_language, text_in_reader_language
from eraati.core.security import role_required
from eraati.core.time import utcnow
from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.panels.models import Panel
from eraati.surveys import fast, logic, pool, publishing, services

# The condition hints of the answering pages, so staff read the same wording.
from eraati.surveys.answering import condition_texts as _condition_texts
from eraati.surveys.builtin import FAST_FEEDBACK, ensure_builtin_templates
from eraati.surveys.manage_forms import (
    AUDIENCE_LABELS,
    CHANNEL_LABELS,
    EntryForm,
    FastPointForm,
    NoteForm,
    ScheduleForm,
    SeriesForm,
    utc_to_local,
)
from eraati.surveys.messages import answer_error, survey_error
from eraati.surveys.models import (
    Answer,
    Audience,
    Channel,
    FastFeedbackPoint,
    Invitation,
    MonthlySeries,
    OptIn,
    Questionnaire,
    Response,
    Round,
    RoundState,
    TextReview,
)
from eraati.surveys.qr import qr_svg

bp = Blueprint(
    "surveys_manage", __name__, url_prefix="/manage/panels/<int:panel_id>/surveys"
)

#: Messages for the codes of the services used only here.
MESSAGES = {
    "not_closed": _l("Close the round before publishing its results."),
    "already_published": _l("The results of this round are already published."),
    "not_published": _l("Publish the results before adding status updates."),
    "text_empty": _l("Write the text to publish, or hide the answer."),
    "text_too_long": _l("The text is too long. Shorten it."),
    "closing_passed": _l("The closing time of this round has passed."),
    "not_opened": _l("This round has not opened yet. Open it first."),
    "entry_published": _l(
        "The results of this round are published, so answers can no longer be added."
    ),
    "no_answers": _l("Enter at least one answer."),
    "point_inactive": _l("This fast feedback point is no longer in use."),
}
#: One-question questionnaires of these types work as fast feedback (tap to answer).
FAST_TYPES = {"smiley", "single", "yes_no", "agreement", "recommend"}


def _message(code: str) -> str:
    return str(MESSAGES[code]) if code in MESSAGES else survey_error(code)


def _panel(panel_id: int) -> Panel:
    return db.session.get(Panel, panel_id) or abort(404)


def _round(panel: Panel, round_id: int) -> Round:
    found = db.session.get(Round, round_id)
    if found is None or found.panel_id != panel.id:
        abort(404)
    return found


def _owned(model, id_: int, owner_id: int, attribute: str = "panel_id"):
    found = db.session.get(model, id_)
    if found is None or getattr(found, attribute) != owner_id:
        abort(404)
    return found


def _ensure_templates() -> dict[str, Questionnaire]:
    # Committed at once, so that ids shown in a form are the ids a POST sends back.
    templates = ensure_builtin_templates()
    db.session.commit()
    return templates


def _questionnaires(panel: Panel) -> list[Questionnaire]:
    """The panel's own questionnaires and the organisation-wide templates."""
    return list(
        db.session.scalars(
            select(Questionnaire)
            .where(
                or_(
                    Questionnaire.panel_id == panel.id, Questionnaire.panel_id.is_(None)
                )
            )
            .order_by(Questionnaire.id)
        )
    )


def _questionnaire_choices(questionnaires) -> list:
    return choices((q.id, text_in_reader_language(q.title)) for q in questionnaires)


# --- Rounds and monthly series --------------------------------------------------


@bp.get("/")
@role_required(Role.OFFICIAL)
def rounds(panel_id: int):
    panel = _panel(panel_id)
    _ensure_templates()
    return _render_rounds(panel, _series_form(panel))


def _series_form(panel: Panel) -> SeriesForm:
    form = SeriesForm()
    form.questionnaire_id.choices = _questionnaire_choices(_questionnaires(panel))
    return form


def _render_rounds(panel: Panel, series_form: SeriesForm):
    found = db.session.scalars(
        select(Round)
        .where(Round.panel_id == panel.id)
        .order_by(Round.opens_at.desc(), Round.id.desc())
    ).all()
    series = db.session.scalars(
        select(MonthlySeries)
        .where(MonthlySeries.panel_id == panel.id)
        .order_by(MonthlySeries.id)
    ).all()
    return render_template(
        "surveys/manage/rounds.html",
        panel=panel,
        rounds=found,
        counts=_counts([r.id for r in found]),
        series=series,
        series_form=series_form,
        audience_labels=AUDIENCE_LABELS,
    ), (400 if series_form.errors else 200)


def _counts(round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Responses, invitations and answered invitations per round (never who)."""
    counts = {rid: {"responses": 0, "invited": 0, "answered": 0} for rid in round_ids}
    if not round_ids:
        return counts
    responses = db.session.execute(
        select(Response.round_id, func.count(Response.id))
        .where(Response.round_id.in_(round_ids))
        .group_by(Response.round_id)
    )
    for round_id, number in responses:
        counts[round_id]["responses"] = number
    invitations = db.session.execute(
        select(
            Invitation.round_id,
            func.count(Invitation.id),
            func.sum(case((Invitation.answered.is_(True), 1), else_=0)),
        )
        .where(Invitation.round_id.in_(round_ids))
        .group_by(Invitation.round_id)
    )
    for round_id, invited, answered in invitations:
        counts[round_id].update(invited=invited, answered=int(answered or 0))
    return counts


@bp.route("/rounds/new", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def schedule(panel_id: int):
    panel = _panel(panel_id)
    _ensure_templates()
    form = ScheduleForm(**_schedule_defaults())
    form.questionnaire_id.choices = _questionnaire_choices(_questionnaires(panel))
    if form.validate_on_submit():
        round_ = _schedule(panel, form)
        if round_ is not None:
            return redirect(url_for(".round", panel_id=panel.id, round_id=round_.id))
    return render_template("surveys/manage/schedule.html", panel=panel, form=form), (
        400 if form.errors else 200
    )


def _schedule_defaults() -> dict:
    """Next whole month in local time, and the audience asked for (the pool's link)."""
    timezone = current_app.config["TIMEZONE"]
    local_now = utc_to_local(utcnow(), timezone)
    year, month = (
        (local_now.year + 1, 1)
        if local_now.month == 12
        else (local_now.year, local_now.month + 1)
    )
    opens, closes = services.month_window(year, month, timezone)
    audience = request.args.get("audience")
    return {
        "opens_at": utc_to_local(opens, timezone),
        "closes_at": utc_to_local(closes, timezone),
        "audience": audience if audience in set(Audience) else Audience.MEMBERS.value,
    }


def _schedule(panel: Panel, form: ScheduleForm) -> Round | None:
    """Schedule the round (and invite the pool's email contacts); None on refusal."""
    audience = Audience(form.audience.data)
    try:
        round_ = services.schedule_round(
            db.session.get(Questionnaire, form.questionnaire_id.data),
            form.opens_utc,
            form.closes_utc,
            panel=panel,
            audience=audience,
            sample_size=form.sample_size.data if audience is Audience.SAMPLE else None,
            title=clean_translations(form.title.data),
        )
    except services.SurveyError as error:
        db.session.rollback()
        form.questionnaire_id.errors.append(_message(error.code))
        return None
    mailed = pool.invite_contacts(round_, utcnow())
    db.session.commit()
    flash(_("The round is scheduled."), "success")
    if audience is Audience.OPT_IN:
        _flash_pool_invitations(panel, mailed)
    return round_


def _flash_pool_invitations(panel: Panel, mailed: int) -> None:
    flash(
        ngettext(
            "%(num)d person in the pool without an account was sent an invitation by email.",
            "%(num)d people in the pool without an account were sent an invitation by email.",
            mailed,
        ),
        "info",
    )
    phones = pool.phone_only_count(panel.id)
    if phones:
        flash(
            ngettext(
                "%(num)d person in the pool left only a phone number: contact them yourself.",
                "%(num)d people in the pool left only a phone number: contact them yourself.",
                phones,
            ),
            "info",
        )


@bp.get("/rounds/<int:round_id>", endpoint="round")
@role_required(Role.OFFICIAL)
def show_round(panel_id: int, round_id: int):
    panel = _panel(panel_id)
    round_ = _round(panel, round_id)
    public_link = (
        public_url("surveys.public", public_token=round_.public_token)
        if round_.audience is Audience.PUBLIC and round_.public_token
        else None
    )
    return render_template(
        "surveys/manage/round.html",
        panel=panel,
        round=round_,
        counts=_counts([round_.id])[round_.id],
        public_link=public_link,
        pending=len(publishing.free_texts(round_, TextReview.PENDING)),
        audience_labels=AUDIENCE_LABELS,
        now=utcnow(),
    )


@bp.post("/rounds/<int:round_id>/state")
@role_required(Role.OFFICIAL)
def change_state(panel_id: int, round_id: int):
    """Open or close a round by hand."""
    round_ = _round(_panel(panel_id), round_id)
    action, now = request.form.get("action"), utcnow()
    if action not in ("open", "close"):
        abort(400, _("Unknown action."))
    try:
        if action == "open":
            # A closed round says so (from the service) rather than "time passed".
            if round_.state is not RoundState.CLOSED and round_.closes_at <= now:
                raise services.SurveyError("closing_passed")
            services.open_round(round_, now)
        else:
            services.close_round(round_, now)
    except services.SurveyError as error:
        db.session.rollback()
        abort(409, _message(error.code))
    db.session.commit()
    flash(
        _("The round is open.") if action == "open" else _("The round is closed."),
        "success",
    )
    return redirect(url_for(".round", panel_id=panel_id, round_id=round_id))


@bp.post("/series")
@role_required(Role.OFFICIAL)
def start_series(panel_id: int):
    """Start (or restart) a standing monthly questionnaire."""
    panel = _panel(panel_id)
    form = _series_form(panel)
    if not form.validate_on_submit():
        return _render_rounds(panel, form)
    series = db.session.scalar(
        select(MonthlySeries).where(
            MonthlySeries.panel_id == panel.id,
            MonthlySeries.questionnaire_id == form.questionnaire_id.data,
        )
    ) or MonthlySeries(panel=panel, questionnaire_id=form.questionnaire_id.data)
    series.audience = Audience(form.audience.data)
    series.is_active = True
    db.session.add(series)
    db.session.commit()
    flash(
        _(
            "The monthly series is on: each month's round is scheduled automatically the night before."
        ),
        "success",
    )
    return redirect(url_for(".rounds", panel_id=panel.id))


@bp.post("/series/<int:series_id>")
@role_required(Role.OFFICIAL)
def change_series(panel_id: int, series_id: int):
    series = _owned(MonthlySeries, series_id, _panel(panel_id).id)
    action = request.form.get("action")
    if action not in ("stop", "start"):
        abort(400, _("Unknown action."))
    series.is_active = action == "start"
    db.session.commit()
    flash(
        _(
            "The monthly series is stopped. Rounds already scheduled stay: close them by hand if needed."
        )
        if action == "stop"
        else _("The monthly series is on again."),
        "success",
    )
    return redirect(url_for(".rounds", panel_id=panel_id))


# --- Staff-keyed answers: paper, event, interview ---------------------------------


def _check_entry_allowed(round_: Round) -> None:
    if round_.state not in (RoundState.OPEN, RoundState.CLOSED):
        abort(409, _message("not_opened"))
    if round_.published_at is not None:
        abort(409, _message("entry_published"))


@bp.route("/rounds/<int:round_id>/entry", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def entry(panel_id: int, round_id: int):
    """Key in one response collected on paper, at an event or in an interview."""
    panel = _panel(panel_id)
    round_ = _round(panel, round_id)
    _check_entry_allowed(round_)
    form = EntryForm(language=current_language())
    values: dict = {}
    errors: dict[int, str] = {}
    general = None
    if request.method == "POST":
        outcome = _enter(round_, form)
        if not isinstance(outcome, tuple):
            return outcome
        values, errors, general = outcome
    failed = bool(errors or general or form.errors)
    return render_template(
        "surveys/manage/entry.html",
        panel=panel,
        round=round_,
        form=form,
        items=round_.questionnaire.items,
        conditions=_all_conditions(round_.questionnaire),
        values=values,
        errors=errors,
        general_error=general,
        channel_counts=_channel_counts(round_),
        channel_labels=CHANNEL_LABELS,
    ), (400 if failed else 200)


def _enter(round_: Round, form: EntryForm):
    """Store the response, or return ``(values typed, errors by item, general)``."""
    data = request.form.to_dict(flat=False)
    specs = services.item_specs(round_.questionnaire)
    parsed, parse_errors = {}, {}
    for spec in specs:
        value, error = logic.parse_item(spec, data)
        if error:
            parse_errors[spec.id] = error
        elif value is not None:
            parsed[spec.id] = value
    checked = logic.check_all(specs, parsed)
    codes = {**checked.errors, **parse_errors}
    errors = {item_id: answer_error(code) for item_id, code in codes.items()}
    general = None if codes or checked.values else _message("no_answers")
    if form.validate_on_submit() and not errors and general is None:
        services.submit(
            round_,
            checked.values,
            form.language.data,
            utcnow(),
            channel=Channel(form.channel.data),
        )
        db.session.commit()
        flash(_("The answers are saved. You can key in the next ones."), "success")
        return redirect(request.path)
    return _typed_values(specs, data), errors, general


def _typed_values(specs, data) -> dict:
    """What was typed, also invalid parts, so that nothing has to be keyed in again."""
    typed: dict = {}
    for spec in specs:
        name = f"q{spec.id}"
        if spec.type == "matrix":
            rows = {
                row: data[f"{name}-{row}"][0]
                for row in spec.rows
                if data.get(f"{name}-{row}")
            }
            if rows:
                typed[spec.id] = rows
        elif spec.type == "multiple":
            typed[spec.id] = data.get(name, [])
        elif data.get(name):
            typed[spec.id] = data[name][0]
    return typed


def _all_conditions(questionnaire) -> dict[int, tuple[str, str]]:
    items = questionnaire.items
    return _condition_texts(questionnaire, items, {item.id for item in items})


def _channel_counts(round_: Round) -> dict[Channel, int]:
    rows = db.session.execute(
        select(Response.channel, func.count(Response.id))
        .where(Response.round_id == round_.id)
        .group_by(Response.channel)
    )
    return dict(rows.all())


# --- Free-text moderation ----------------------------------------------------------


@bp.get("/rounds/<int:round_id>/texts")
@role_required(Role.OFFICIAL)
def texts(panel_id: int, round_id: int):
    panel = _panel(panel_id)
    return _render_texts(panel, _round(panel, round_id))


def _render_texts(panel, round_, errors=None, edited=None):
    shown = request.args.get("state")
    review = TextReview(shown) if shown in set(TextReview) else None
    by_item = {item.question_id: item for item in round_.questionnaire.items}
    return render_template(
        "surveys/manage/texts.html",
        panel=panel,
        round=round_,
        answers=publishing.free_texts(round_, review),
        questions={qid: item.question for qid, item in by_item.items()},
        review=review,
        errors=errors or {},
        edited=edited or {},
    ), (400 if errors else 200)


@bp.post("/rounds/<int:round_id>/texts/<int:answer_id>")
@role_required(Role.OFFICIAL)
def moderate_text(panel_id: int, round_id: int, answer_id: int):
    """Publish one free-text answer as edited (personal details removed), or hide it."""
    panel = _panel(panel_id)
    round_ = _round(panel, round_id)
    answer = _owned(Answer, answer_id, round_.id, "round_id")
    if answer.text is None:
        abort(404)
    text = request.form.get("text")
    try:
        publishing.moderate_text(answer, request.form.get("action", ""), text)
    except services.SurveyError as error:
        db.session.rollback()
        if error.code == "unknown_action":
            abort(400, _("Unknown action."))
        return _render_texts(
            panel, round_, {answer.id: _message(error.code)}, {answer.id: text}
        )
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(
        url_for(
            ".texts",
            panel_id=panel.id,
            round_id=round_.id,
            state=request.args.get("state"),
            _anchor=f"answer-{answer.id}",
        )
    )


# --- Publishing and follow-up ------------------------------------------------------


@bp.get("/rounds/<int:round_id>/publication")
@role_required(Role.OFFICIAL)
def publication(panel_id: int, round_id: int):
    panel = _panel(panel_id)
    return _render_publication(panel, _round(panel, round_id), NoteForm())


def _render_publication(panel: Panel, round_: Round, form: NoteForm):
    return render_template(
        "surveys/manage/publication.html",
        panel=panel,
        round=round_,
        form=form,
        follow_ups=publishing.follow_ups(round_),
        results_link=publishing.results_link(round_),
    ), (400 if form.errors else 200)


@bp.post("/rounds/<int:round_id>/publish")
@role_required(Role.OFFICIAL)
def publish(panel_id: int, round_id: int):
    """Publish the results with the "what we will do" note; members are told."""
    return _note_action(panel_id, round_id, publishing.publish)


@bp.post("/rounds/<int:round_id>/follow-ups")
@role_required(Role.OFFICIAL)
def follow_up(panel_id: int, round_id: int):
    """A status update on the note; members are told again."""
    return _note_action(panel_id, round_id, publishing.add_follow_up)


def _note_action(panel_id: int, round_id: int, action):
    panel = _panel(panel_id)
    round_ = _round(panel, round_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render_publication(panel, round_, form)
    try:
        action(round_, clean_translations(form.note.data), utcnow())
    except services.SurveyError as error:
        db.session.rollback()
        abort(409, _message(error.code))
    db.session.commit()
    flash(
        _("Published. The panel's members were told by email.")
        if action is publishing.publish
        else _("The update is saved. The panel's members were told by email."),
        "success",
    )
    return redirect(url_for(".publication", panel_id=panel.id, round_id=round_.id))


# --- The opt-in pool -------------------------------------------------------------


@bp.get("/pool")
@role_required(Role.OFFICIAL)
def pool_page(panel_id: int):
    panel = _panel(panel_id)
    return render_template(
        "surveys/manage/pool.html", panel=panel, opt_ins=pool.active_opt_ins(panel.id)
    )


@bp.post("/pool/<int:opt_in_id>/withdraw")
@role_required(Role.OFFICIAL)
def withdraw(panel_id: int, opt_in_id: int):
    """Mark a contact withdrawn (e.g. they asked by phone)."""
    opt_in = _owned(OptIn, opt_in_id, _panel(panel_id).id)
    pool.withdraw(opt_in, utcnow())
    db.session.commit()
    flash(_("Marked as withdrawn."), "success")
    return redirect(url_for(".pool_page", panel_id=panel_id))


# --- Fast feedback points --------------------------------------------------------


@bp.route("/fast", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def fast_points(panel_id: int):
    """The unit's fast-feedback links and QR codes; add a new one."""
    panel = _panel(panel_id)
    templates = _ensure_templates()
    form = FastPointForm(questionnaire_id=templates[FAST_FEEDBACK].id)
    form.questionnaire_id.choices = _questionnaire_choices(
        q for q in _questionnaires(panel) if _is_one_tap(q)
    )
    if form.validate_on_submit():
        db.session.add(
            FastFeedbackPoint(
                unit_id=panel.unit_id,
                questionnaire_id=form.questionnaire_id.data,
                token=secrets.token_urlsafe(12),
            )
        )
        db.session.commit()
        flash(_("The fast feedback point is ready. Print its QR code."), "success")
        return redirect(url_for(".fast_points", panel_id=panel.id))
    points = db.session.scalars(
        select(FastFeedbackPoint)
        .where(FastFeedbackPoint.unit_id == panel.unit_id)
        .order_by(FastFeedbackPoint.is_active.desc(), FastFeedbackPoint.id)
    ).all()
    return render_template(
        "surveys/manage/fast.html",
        panel=panel,
        form=form,
        points=[_point_view(point) for point in points],
    ), (400 if form.errors else 200)


def _is_one_tap(questionnaire: Questionnaire) -> bool:
    items = questionnaire.items
    return len(items) == 1 and items[0].question.type.value in FAST_TYPES


def _point_view(point: FastFeedbackPoint) -> dict:
    link = public_url("surveys.fast_feedback", token=point.token)
    question = fast.item(point).question
    return {
        "point": point,
        "link": link,
        "question": question,
        "qr": qr_svg(link, _("QR code: %(link)s", link=link)),
    }


@bp.post("/fast/<int:point_id>/deactivate")
@role_required(Role.OFFICIAL)
def deactivate_point(panel_id: int, point_id: int):
    point = _owned(FastFeedbackPoint, point_id, _panel(panel_id).unit_id, "unit_id")
    point.is_active = False
    db.session.commit()
    flash(_("The fast feedback point is no longer in use."), "success")
    return redirect(url_for(".fast_points", panel_id=panel_id))


@bp.get("/fast/<int:point_id>/print")
@role_required(Role.OFFICIAL)
def print_point(panel_id: int, point_id: int):
    """A printable sheet: the QR code big, the unit and the question."""
    panel = _panel(panel_id)
    point = _owned(FastFeedbackPoint, point_id, panel.unit_id, "unit_id")
    if not point.is_active:
        abort(410, _message("point_inactive"))
    return render_template(
        "surveys/manage/fast_print.html", panel=panel, **_point_view(point)
    )
