"""Answering a questionnaire page by page, behind the invitation and resume links:
where the answers are kept, checking a sent page, submitting once, rendering a page.

Every page a respondent opens or sends runs through here, so it works from the
cached questionnaire snapshot, and a question not yet answered is rendered once per
snapshot and language (its HTML depends on nothing else). A page opened with
nothing answered yet, which is how every invited person first sees the
questionnaire, is rendered once too: it differs between respondents only in the
link's secret and the CSRF token, which are put into a copy.
"""

from __future__ import annotations

import re

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from eraati.core.i18n import current_language, text_in_reader_language
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys import labels as labels_module
from eraati.surveys import logic, services, snapshot
from eraati.surveys.messages import answer_error, survey_error

#: The session remembers which rounds this browser answered (open links, opt-in).
ANSWERED_KEY = "answered_rounds"


def error_page(code: str, status: int = 400):
    return render_template(
        "surveys/unavailable.html", message=survey_error(code)
    ), status


def status_of(code: str) -> int:
    return {"closed": 410, "already_answered": 409}.get(code, 400)


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

    @property
    def secret(self) -> str:
        """The secret in the link (invitation token or resume token)."""
        return next(iter(self.url_values.values()))

    def keep(self, checked: logic.Checked, page: int, on_page: list[int], now) -> None:
        if self.draft is None:
            self.draft, _resume = services.start_draft(
                self.round, current_language(), now, self.invitation
            )
        services.forget_page_answers(self.draft, on_page)
        services.save_page(self.draft, checked, page, now)


def answer(answering: Answering):
    """Show the asked page, or keep a sent one and move on (or submit).

    The CSRF token of a sent page is checked by CSRFProtect before any view runs.
    """
    questionnaire = snapshot.questionnaire_view(answering.round.questionnaire_id)
    page_numbers = _shown_pages(questionnaire.specs, answering.values())
    page = request.args.get("page", type=int) or answering.current_page()
    if page not in page_numbers:
        page = page_numbers[0]
    errors: dict[int, str] = {}
    if request.method == "POST":
        outcome = _handle_post(answering, questionnaire.specs, page, page_numbers)
        if not isinstance(outcome, dict):
            return outcome
        errors = outcome
    return _render_page(answering, questionnaire, page, page_numbers, errors)


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
    draft, invitation = answering.draft, answering.invitation
    round_id = answering.round.id  # read before the commit expires it
    try:
        services.submit(
            answering.round,
            values,
            draft.language if draft else current_language(),
            now,
            invitation_id=invitation.id
            if invitation
            else (draft.invitation_id if draft else None),
        )
        if draft is not None:
            db.session.delete(draft)
    except services.SurveyError as error:
        db.session.rollback()
        if error.code == "incomplete":
            return {}
        return error_page(error.code, 409)
    db.session.commit()
    session[ANSWERED_KEY] = [*session.get(ANSWERED_KEY, [])[-20:], round_id]
    return redirect(url_for(".thanks", round_id=round_id))


def _render_page(answering: Answering, questionnaire, page, page_numbers, errors):
    if not errors and not answering.values():
        key = _blank_page_key(answering, page)
        if key is not None:
            return _blank_page(answering, questionnaire, page, page_numbers, key), 200
    return _render_fresh_page(answering, questionnaire, page, page_numbers, errors)


#: Stand-ins for what differs between respondents in a blank page, made of Unicode
#: private use characters (a page that already holds one is never shared).
SECRET_MARK = "\ue000secret\ue000"
CSRF_MARK = "\ue000csrf\ue000"
#: The only query strings of a cached blank page (any other is rendered afresh, so
#: the cache cannot grow with made-up addresses).
PAGE_QUERY = re.compile(rb"(page=\d{1,3})?")


def _blank_page_key(answering: Answering, page: int) -> tuple | None:
    """The cache key of this blank page, or None when it must be rendered afresh:
    a signed-in person's menu, a message waiting to be shown, an unusual address."""
    if current_user.is_authenticated or "_flashes" in session:
        return None
    if len(answering.secret) < 20 or not PAGE_QUERY.fullmatch(request.query_string):
        return None
    return (
        "blank page",
        answering.round.id,
        answering.endpoint,
        page,
        current_language(),
        request.script_root,
        request.query_string,
    )


def _blank_page(answering: Answering, questionnaire, page, page_numbers, key) -> str:
    """The blank page from the copy made by the first respondent to open it, with
    this respondent's secret and CSRF token put in."""
    template = questionnaire.derived.get(key)
    if template is None:
        html, _status = _render_fresh_page(
            answering, questionnaire, page, page_numbers, {}
        )
        template = _as_template(html, answering.secret, generate_csrf())
        if template is None:
            return html
        questionnaire.once(key, lambda: template)
    return template.replace(SECRET_MARK, answering.secret).replace(
        CSRF_MARK, generate_csrf()
    )


def _as_template(html: str, secret: str, csrf_token: str) -> str | None:
    """The page with the respondent's own values replaced by stand-ins; None if the
    page cannot be shared (a stand-in already in it, or a value missing)."""
    if SECRET_MARK in html or CSRF_MARK in html:
        return None
    if secret not in html or csrf_token not in html:
        return None
    return html.replace(secret, SECRET_MARK).replace(csrf_token, CSRF_MARK)


def _render_fresh_page(answering: Answering, questionnaire, page, page_numbers, errors):
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
    messages = {item_id: answer_error(code) for item_id, code in errors.items()}
    status = 400 if errors else 200
    return render_template(
        "surveys/answer.html",
        conditions=condition_texts(questionnaire, items, on_page),
        questionnaire=questionnaire,
        round=answering.round,
        action=answering.url(page=page),
        items=items,
        questions=_question_html(questionnaire, items, values, messages),
        errors=messages,
        page=page,
        page_index=page_numbers.index(page) + 1 if page in page_numbers else 1,
        page_count=len(page_numbers),
        is_last=page == page_numbers[-1],
    ), status


def _question_html(questionnaire, items, values, errors) -> dict[int, Markup]:
    """Each question's HTML by item id. One not answered and without an error looks
    the same for everyone reading the language, so it is rendered once per snapshot."""
    macros = current_app.jinja_env.get_template("surveys/_questions.html").module
    language = current_language()
    rendered = {}
    for item in items:
        if item.id in values or item.id in errors:
            rendered[item.id] = macros.question(item, values, errors)
        else:
            rendered[item.id] = questionnaire.once(
                ("blank", item.id, language),
                lambda item=item: macros.question(item, {}, {}),
            )
    return rendered


def condition_texts(questionnaire, items, on_page) -> dict[int, tuple[str, str]]:
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
