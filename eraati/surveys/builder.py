"""Questionnaire builder for officials: the question bank, questionnaires, preview.

Server-rendered and usable without JavaScript: more option rows come from a submit
button, and a condition's answers from a "show its answers" button.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eraati.accounts.models import Role
from eraati.core.forms import choices, clean_translations
from eraati.core.i18n import text_in_reader_language
from eraati.core.security import role_required
from eraati.extensions import db
from eraati.panels.models import Panel
from eraati.surveys import builder_services as bs
from eraati.surveys import labels, snapshot
from eraati.surveys.builder_forms import (
    TYPE_LABELS,
    AddItemForm,
    ItemForm,
    NewQuestionnaireForm,
    QuestionForm,
    QuestionnaireForm,
    builder_error,
    condition_error,
    first_message,
)
from eraati.surveys.builtin import (
    FAST_FEEDBACK,
    SELF_EVALUATION,
    ensure_builtin_templates,
)
from eraati.surveys.models import (
    Question,
    Questionnaire,
    QuestionnaireItem,
    QuestionType,
)

bp = Blueprint("surveys_builder", __name__, url_prefix="/manage/surveys")

#: Full language names for screen readers next to the "fi ✓" marks.
LANGUAGE_WORDS = {"fi": _l("Finnish"), "sv": _l("Swedish"), "en": _l("English")}
#: Blank option rows offered on a new question, and on an existing one.
BLANK_ROWS_NEW, BLANK_ROWS_EDIT = 4, 2


@bp.context_processor
def builder_helpers():
    return {
        "question_status": bs.question_status,
        "questionnaire_status": bs.questionnaire_status,
        "type_labels": TYPE_LABELS,
        "language_words": LANGUAGE_WORDS,
        "first_message": first_message,
        "condition_error": condition_error,
    }


def _get_or_404(model, id_: int):
    return db.session.get(model, id_) or abort(404)


def _question_type(value: str) -> QuestionType:
    if value not in {kind.value for kind in QuestionType}:
        abort(400, _("Unknown question type. Choose one from the list."))
    return QuestionType(value)


# --- Question bank ---------------------------------------------------------------


@bp.get("/questions")
@role_required(Role.OFFICIAL)
def questions():
    kind = request.args.get("type") or None
    query = select(Question).order_by(Question.key)
    if kind:
        query = query.where(Question.type == _question_type(kind))
    return render_template(
        "surveys/builder/questions.html",
        questions=db.session.scalars(query).all(),
        kind=kind,
        usage=bs.usage_counts(),
        answered=bs.answered_question_ids(),
    )


@bp.route("/questions/new", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def new_question():
    add_to = _add_to()
    kind = request.args.get("type")
    if not kind:
        return render_template("surveys/builder/choose_type.html", add_to=add_to)
    return _question_page(None, _question_type(kind), add_to)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_question(question_id: int):
    question = _get_or_404(Question, question_id)
    return _question_page(question, question.type, None)


def _add_to() -> Questionnaire | None:
    """The questionnaire a new question goes into (``?add_to=``), if any."""
    questionnaire_id = request.args.get("add_to", type=int)
    if questionnaire_id is None:
        return None
    questionnaire = _get_or_404(Questionnaire, questionnaire_id)
    if bs.questionnaire_has_answers(questionnaire):
        abort(409, builder_error("has_answers"))
    return questionnaire


def _question_page(question, kind: QuestionType, add_to):
    locked = question is not None and bs.has_answers(question)
    form = QuestionForm(obj=question, question_type=kind)
    if request.method == "GET":
        if not locked:
            form.pad(BLANK_ROWS_EDIT if question else BLANK_ROWS_NEW)
    elif request.form.get("action") == "more":
        if not locked:
            form.pad(BLANK_ROWS_EDIT)
    elif form.validate_on_submit():
        done = _save_question(form, question, kind, add_to)
        if done is not None:
            return done
    return render_template(
        "surveys/builder/question.html",
        form=form,
        question=question,
        kind=kind,
        locked=locked,
        add_to=add_to,
        usage=bs.usage_counts().get(question.id, 0) if question else 0,
    ), (400 if form.has_errors else 200)


def _save_question(form, question, kind, add_to):
    try:
        saved = bs.save_question(question, kind, form.to_input())
        if add_to is not None:
            bs.add_item(add_to, saved, page=_last_page(add_to), required=False)
    except bs.BuilderError as error:
        db.session.rollback()
        form.add_error(error.field, builder_error(error.code))
        return None
    except IntegrityError:  # someone saved the same key a moment earlier
        db.session.rollback()
        form.add_error("key", builder_error("key_taken"))
        return None
    _commit()
    flash(_("Saved."), "success")
    if add_to is not None:
        return redirect(url_for(".edit_questionnaire", questionnaire_id=add_to.id))
    return redirect(url_for(".questions"))


def _last_page(questionnaire: Questionnaire) -> int:
    return max((item.page for item in questionnaire.items), default=1)


# --- Questionnaires --------------------------------------------------------------


@bp.get("/")
@role_required(Role.OFFICIAL)
def index():
    questionnaires = db.session.scalars(
        select(Questionnaire)
        .options(
            selectinload(Questionnaire.items).joinedload(QuestionnaireItem.question)
        )
        .order_by(Questionnaire.id)
    ).all()
    panels = db.session.scalars(select(Panel).order_by(Panel.id)).all()
    return render_template(
        "surveys/builder/index.html",
        templates=[q for q in questionnaires if q.panel_id is None],
        panels=[
            (panel, [q for q in questionnaires if q.panel_id == panel.id])
            for panel in panels
        ],
        answered=bs.answered_questionnaire_ids(),
    )


def _panel_choices() -> list[tuple[str, str]]:
    panels = db.session.scalars(select(Panel).order_by(Panel.id))
    return [("", _("Organisation-wide template"))] + [
        (
            str(panel.id),
            f"{text_in_reader_language(panel.unit.name)}: "
            f"{text_in_reader_language(panel.name)}",
        )
        for panel in panels
    ]


def _source_choices() -> list[tuple[str, str]]:
    existing = db.session.scalars(
        select(Questionnaire)
        .where(Questionnaire.template_key.is_(None))
        .order_by(Questionnaire.id)
    )
    return [
        ("blank", _("A blank questionnaire")),
        (SELF_EVALUATION, _("Built-in template: panel self-evaluation")),
        (FAST_FEEDBACK, _("Built-in template: fast feedback")),
    ] + [
        (
            str(q.id),
            _("Copy of: %(title)s", title=text_in_reader_language(q.title)),
        )
        for q in existing
    ]


def _resolve_source(value: str) -> Questionnaire | None:
    if value == "blank":
        return None
    if value in bs.BUILTIN_SOURCES:
        return ensure_builtin_templates()[value]
    return _get_or_404(Questionnaire, int(value))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def new_questionnaire():
    form = NewQuestionnaireForm(
        panel_id=request.args.get("panel", ""),
        source=request.args.get("source", "blank"),
    )
    form.panel_id.choices = choices(_panel_choices())
    form.source.choices = choices(_source_choices())
    if form.validate_on_submit():
        try:
            created = bs.create_questionnaire(
                int(form.panel_id.data) if form.panel_id.data else None,
                _resolve_source(form.source.data),
                clean_translations(form.title.data),
                clean_translations(form.purpose.data),
                clean_translations(form.intro.data),
            )
        except bs.BuilderError as error:
            db.session.rollback()
            form.source.errors.append(builder_error(error.code))
        else:
            _commit()
            flash(_("Questionnaire created."), "success")
            return redirect(url_for(".edit_questionnaire", questionnaire_id=created.id))
    return render_template("surveys/builder/new.html", form=form), (
        400 if form.errors else 200
    )


@bp.route("/<int:questionnaire_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_questionnaire(questionnaire_id: int):
    """Texts (always editable) and the list of items with their actions."""
    questionnaire = _get_or_404(Questionnaire, questionnaire_id)
    form = QuestionnaireForm(obj=questionnaire)
    if form.validate_on_submit():
        questionnaire.title = clean_translations(form.title.data)
        questionnaire.purpose = clean_translations(form.purpose.data)
        questionnaire.intro = clean_translations(form.intro.data)
        _commit()
        flash(_("Saved."), "success")
        return redirect(
            url_for(".edit_questionnaire", questionnaire_id=questionnaire_id)
        )
    return _render_questionnaire(
        questionnaire, form=form, status=400 if form.errors else 200
    )


def _add_form(questionnaire: Questionnaire) -> AddItemForm:
    used = {item.question_id for item in questionnaire.items}
    bank = db.session.scalars(select(Question).order_by(Question.key))
    form = AddItemForm(page=_last_page(questionnaire))
    form.question_id.choices = choices(
        (q.id, f"{q.key}: {text_in_reader_language(q.text)}")
        for q in bank
        if q.id not in used
    )
    return form


def _render_questionnaire(
    questionnaire, *, form=None, add_form=None, problems=None, message=None, status=200
):
    items = bs.ordered_items(questionnaire)
    return render_template(
        "surveys/builder/questionnaire.html",
        questionnaire=questionnaire,
        panel=db.session.get(Panel, questionnaire.panel_id)
        if questionnaire.panel_id
        else None,
        form=form or QuestionnaireForm(obj=questionnaire),
        add_form=add_form or _add_form(questionnaire),
        pages=[(page, list(group)) for page, group in groupby(items, lambda i: i.page)],
        problems=bs.condition_problems(questionnaire) if problems is None else problems,
        conditions=_condition_texts(items),
        locked=bs.questionnaire_has_answers(questionnaire),
        message=message,
    ), status


def _refused(questionnaire, error: bs.BuilderError, **kwargs):
    """The questionnaire page again, with why the change was refused."""
    return _render_questionnaire(
        questionnaire,
        problems=error.problems or None,
        message=builder_error(error.code),
        status=409 if error.code == "has_answers" else 400,
        **kwargs,
    )


def _condition_texts(items) -> dict[int, tuple[str, str]]:
    """For each conditional item: the earlier question's text and the answers."""
    by_id = {item.id: item for item in items}
    texts = {}
    for item in items:
        source = by_id.get(item.show_if_item_id)
        if source is None:
            continue
        names = dict(labels.option_choices(source.question))
        wanted = [names.get(key, key) for key in item.show_if_values or []]
        texts[item.id] = (
            text_in_reader_language(source.question.text),
            " / ".join(wanted),
        )
    return texts


def _item_or_404(questionnaire_id: int, item_id: int):
    questionnaire = _get_or_404(Questionnaire, questionnaire_id)
    item = db.session.get(QuestionnaireItem, item_id)
    if item is None or item.questionnaire_id != questionnaire.id:
        abort(404)
    return questionnaire, item


@bp.post("/<int:questionnaire_id>/items")
@role_required(Role.OFFICIAL)
def add_item(questionnaire_id: int):
    questionnaire = _get_or_404(Questionnaire, questionnaire_id)
    form = _add_form(questionnaire)
    if not form.validate_on_submit():
        return _render_questionnaire(questionnaire, add_form=form, status=400)
    question = _get_or_404(Question, int(form.question_id.data))
    try:
        item = bs.add_item(questionnaire, question, form.page.data, form.required.data)
    except bs.BuilderError as error:
        db.session.rollback()
        return _refused(questionnaire, error, add_form=form)
    except IntegrityError:  # the same question added a moment earlier
        db.session.rollback()
        return _refused(questionnaire, bs.BuilderError("already_in"), add_form=form)
    _commit()
    flash(_("Question added."), "success")
    return redirect(_items_url(questionnaire, item.id))


def _items_url(questionnaire, item_id=None) -> str:
    anchor = f"item-{item_id}" if item_id else "items"
    return url_for(
        ".edit_questionnaire", questionnaire_id=questionnaire.id, _anchor=anchor
    )


@bp.post("/<int:questionnaire_id>/items/<int:item_id>/change")
@role_required(Role.OFFICIAL)
def change_item(questionnaire_id: int, item_id: int):
    """Move an item up or down, or remove it."""
    questionnaire, item = _item_or_404(questionnaire_id, item_id)
    action = request.form.get("action")
    if action not in ("up", "down", "remove"):
        abort(400, _("Unknown action."))
    try:
        if action == "remove":
            bs.remove_item(questionnaire, item)
        else:
            bs.move_item(questionnaire, item, -1 if action == "up" else 1)
    except bs.BuilderError as error:
        db.session.rollback()
        return _refused(questionnaire, error)
    _commit()
    flash(_("Removed.") if action == "remove" else _("Moved."), "success")
    return redirect(_items_url(questionnaire, None if action == "remove" else item_id))


@bp.route("/<int:questionnaire_id>/items/<int:item_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_item(questionnaire_id: int, item_id: int):
    """Page, required flag and condition ("show when X's answer is one of ...")."""
    questionnaire, item = _item_or_404(questionnaire_id, item_id)
    form = ItemForm(
        data={
            "page": item.page,
            "required": item.required,
            "show_if_item_id": str(item.show_if_item_id or ""),
            "show_if_values": list(item.show_if_values or []),
        }
    )
    form.show_if_item_id.choices = choices(_source_item_choices(questionnaire, item))
    status = 200
    if request.method == "POST" and request.form.get("action") == "choose":
        pass  # only show the answers of the chosen question; nothing is saved
    elif form.validate_on_submit():
        try:
            bs.update_item(
                questionnaire,
                item,
                page=form.page.data,
                required=form.required.data,
                show_if_item_id=form.source_id(),
                show_if_values=form.show_if_values.data or [],
            )
        except bs.BuilderError as error:
            db.session.rollback()
            status = _item_refused(form, item, error)
        else:
            _commit()
            flash(_("Saved."), "success")
            return redirect(_items_url(questionnaire, item.id))
    elif form.errors:
        status = 400
    return _render_item(questionnaire, item, form, status)


def _item_refused(form, item, error: bs.BuilderError) -> int:
    """Put the reason next to the condition; the status code to answer with."""
    if error.code == "conditions" and item.id in error.problems:
        message = condition_error(error.problems[item.id])
    else:
        message = builder_error(error.code)
    form.show_if_item_id.errors = [*form.show_if_item_id.errors, message]
    return 409 if error.code == "has_answers" else 400


def _source_item_choices(questionnaire, item) -> list[tuple[str, str]]:
    """Earlier questions whose answers can show this one (and the current one)."""
    options = [("", _("Always show this question"))]
    for other in bs.ordered_items(questionnaire):
        if other.id == item.id:
            break
        if other.question.type in bs.CONDITION_SOURCE_TYPES:
            options.append((str(other.id), _item_name(other)))
    if item.show_if_item_id and str(item.show_if_item_id) not in dict(options):
        source = db.session.get(QuestionnaireItem, item.show_if_item_id)
        if source is not None:
            options.append((str(source.id), _item_name(source)))
    return options


def _item_name(item) -> str:
    return _(
        "Page %(page)d: %(question)s",
        page=item.page,
        question=text_in_reader_language(item.question.text),
    )


def _render_item(questionnaire, item, form, status):
    source = None
    if form.source_id() is not None:
        source = db.session.get(QuestionnaireItem, form.source_id())
        if source is not None and source.questionnaire_id != questionnaire.id:
            source = None
    return render_template(
        "surveys/builder/item.html",
        questionnaire=questionnaire,
        item=item,
        form=form,
        source=source,
        value_choices=labels.option_choices(source.question) if source else [],
        locked=bs.questionnaire_has_answers(questionnaire),
        conditions=_condition_texts(bs.ordered_items(questionnaire)),
    ), status


@bp.get("/<int:questionnaire_id>/preview")
@role_required(Role.OFFICIAL)
def preview(questionnaire_id: int):
    """Every page one after another at phone width, as respondents see them."""
    questionnaire = _get_or_404(Questionnaire, questionnaire_id)
    items = bs.ordered_items(questionnaire)
    return render_template(
        "surveys/builder/preview.html",
        questionnaire=questionnaire,
        pages=[(page, list(group)) for page, group in groupby(items, lambda i: i.page)],
        conditions=_condition_texts(items),
    )


def _commit() -> None:
    """Commit an edit and drop this process's cached questionnaire snapshots.

    (Other processes see the edit within snapshot.MAX_AGE seconds.)
    """
    db.session.commit()
    snapshot.forget()
