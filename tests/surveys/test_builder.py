"""The questionnaire builder over HTTP: bank questions, questionnaires, conditions,
locks once answers exist, and the phone-width preview (asserted on English pages)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from eraati.accounts.models import Role
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys import builder_services as bs
from eraati.surveys.models import (
    Answer,
    Question,
    Questionnaire,
    QuestionnaireItem,
    QuestionType,
    Response,
)

EN = {"Accept-Language": "en"}
BASE = "/manage/surveys"


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL))


def texts(prefix: str, fi: str = "", sv: str = "", en: str = "") -> dict:
    return {f"{prefix}-fi": fi, f"{prefix}-sv": sv, f"{prefix}-en": en}


def entries(prefix: str, labels: list[tuple[str, str, str, str]]) -> dict:
    """Form data of options or rows: ``(key, fi, sv, en)`` each."""
    data = {}
    for index, (key, fi, sv, en) in enumerate(labels):
        data[f"{prefix}-{index}-key"] = key
        data.update(texts(f"{prefix}-{index}-label", fi, sv, en))
    return data


def page(response) -> str:
    return response.get_data(as_text=True)


def visible(html: str) -> str:
    """The text a sighted reader sees (screen-reader-only words dropped)."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return re.sub(r"<[^>]+>", "", html)


def post(client, url: str, data: dict):
    return client.post(url, data=data, headers=EN)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


YES_NO = [("", "Kyllä", "Ja", "Yes"), ("", "Ei", "Nej", "No")]

TYPE_DATA = {
    "single": entries("options", YES_NO),
    "multiple": {
        **entries("options", [*YES_NO, ("maybe", "Ehkä", "Kanske", "Maybe")]),
        "max_choices": "2",
    },
    "agreement": {"allow_cannot_say": "y"},
    "recommend": {},
    "yes_no": {},
    "number": {"number_min": "0", "number_max": "120"},
    "text": {},
    "matrix": entries("rows", [("", "Rivi", "Rad", "Row"), ("b", "Toinen", "", "")]),
    "smiley": {},
}


def create_question(client, kind: str, text: str = "", **extra) -> Question:
    data = {
        **texts("text", f"Kysymys {kind}", f"Fråga {kind}", text or f"Question {kind}"),
        **TYPE_DATA[kind],
        **extra,
    }
    response = post(client, f"{BASE}/questions/new?type={kind}", data)
    assert response.status_code == 302, page(response)[:3000]
    return db.session.scalars(select(Question).order_by(Question.id.desc())).first()


def new_questionnaire(client, panel=None) -> Questionnaire:
    data = {
        "panel_id": str(panel.id) if panel else "",
        "source": "blank",
        **texts("title", "Kysely", "Enkät", "Survey"),
        **texts("purpose", "Kehitämme palvelua", "Vi utvecklar", "We improve"),
    }
    response = post(client, f"{BASE}/new", data)
    assert response.status_code == 302, page(response)[:3000]
    return db.session.scalars(
        select(Questionnaire).order_by(Questionnaire.id.desc())
    ).first()


def add(client, questionnaire, question, page_number=1, required=False):
    data = {"question_id": str(question.id), "page": str(page_number)}
    if required:
        data["required"] = "y"
    response = post(client, f"{BASE}/{questionnaire.id}/items", data)
    assert response.status_code == 302, page(response)[:3000]
    return db.session.scalar(
        select(QuestionnaireItem).where(
            QuestionnaireItem.questionnaire_id == questionnaire.id,
            QuestionnaireItem.question_id == question.id,
        )
    )


def set_condition(client, questionnaire, item, source, values, page_number=None):
    return post(
        client,
        f"{BASE}/{questionnaire.id}/items/{item.id}",
        {
            "page": str(page_number or item.page),
            "show_if_item_id": str(source.id) if source else "",
            "show_if_values": values,
            "action": "save",
        },
    )


def answer(question: Question, round_, option_key: str | None = None) -> None:
    response = Response(round_id=round_.id, language="fi", submitted_on=utcnow().date())
    response.answers.append(
        Answer(round_id=round_.id, question_id=question.id, option_key=option_key)
    )
    db.session.add(response)
    db.session.commit()


# --- Question bank ---------------------------------------------------------------


@pytest.mark.parametrize("kind", list(TYPE_DATA))
def test_each_question_type_can_be_created(client, official, kind):
    question = create_question(client, kind)
    assert question.type is QuestionType(kind)
    assert question.key == f"kysymys-{kind.replace('_', '-')}"
    assert question.text["en"] == f"Question {kind}"
    listed = page(client.get(f"{BASE}/questions?type={kind}", headers=EN))
    assert question.key in listed


def test_type_settings_are_stored(client, official):
    multiple = create_question(client, "multiple")
    assert multiple.max_choices == 2
    assert [o["key"] for o in multiple.options] == ["kylla", "ei", "maybe"]
    assert create_question(client, "agreement").allow_cannot_say is True
    number = create_question(client, "number")
    assert (number.number_min, number.number_max) == (0, 120)
    matrix = create_question(client, "matrix")
    assert [row["key"] for row in matrix.rows] == ["rivi", "b"]
    assert matrix.options == []


def test_option_keys_come_from_the_first_written_label_and_are_unique(client, official):
    labels = [
        ("", "Kyllä", "", ""),
        ("", "Kyllä!", "", ""),
        ("", "", "Bara på svenska", ""),
        ("own-key", "Oma", "", ""),
        ("", "", "", ""),  # an empty row is left out
    ]
    question = create_question(client, "single", **entries("options", labels))
    assert [o["key"] for o in question.options] == [
        "kylla",
        "kylla-2",
        "bara-pa-svenska",
        "own-key",
    ]
    assert question.options[2]["label"] == {"sv": "Bara på svenska"}


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (
            "single",
            entries("options", [("same", "A", "", ""), ("same", "B", "", "")]),
            "Two have this key. Keys must be unique.",
        ),
        (
            "single",
            entries("options", [("Bad Key", "A", "", ""), ("b", "B", "", "")]),
            "Use only small letters a-z, digits, hyphens and underscores.",
        ),
        (
            "single",
            entries("options", [("", "A", "", "")]),
            "Give at least two options.",
        ),
        (
            "single",
            entries("options", [("a", "", "", ""), ("b", "B", "", "")]),
            "Write the text in at least one language.",
        ),
        ("matrix", {}, "Give at least one statement."),
        (
            "multiple",
            {**entries("options", YES_NO), "max_choices": "3"},
            "There are fewer options than this.",
        ),
        (
            "number",
            {"number_min": "10", "number_max": "5"},
            "Make this at least the smallest number.",
        ),
        ("text", {"text-fi": "x" * 501}, "Use at most 500 characters."),
        ("text", {"text-fi": ""}, "Write this in at least one language."),
    ],
)
def test_bad_question_input_is_refused_and_nothing_saved(
    client, official, kind, data, message
):
    form = {**texts("text", "Kysymys"), **data}
    response = post(client, f"{BASE}/questions/new?type={kind}", form)
    assert response.status_code == 400
    assert message in page(response)
    assert count(Question) == 0


def test_unknown_type_is_refused_and_the_chooser_lists_every_type(client, official):
    response = client.get(f"{BASE}/questions/new?type=slider", headers=EN)
    assert response.status_code == 400
    assert "Unknown question type" in page(response)
    chooser = page(client.get(f"{BASE}/questions/new", headers=EN))
    for kind in QuestionType:
        assert f"type={kind.value}" in chooser


def test_more_rows_button_adds_empty_rows_without_saving(client, official):
    form = {**texts("text", "Kysymys"), **entries("options", YES_NO), "action": "more"}
    response = post(client, f"{BASE}/questions/new?type=single", form)
    assert response.status_code == 200
    assert 'name="options-3-key"' in page(response)
    assert count(Question) == 0


def test_question_key_is_taken_or_immutable(client, official):
    question = create_question(client, "yes_no", key="visit")
    again = post(
        client,
        f"{BASE}/questions/new?type=yes_no",
        {**texts("text", "Toinen"), "key": "visit"},
    )
    assert again.status_code == 400
    assert "Another question already has this key" in page(again)
    changed = post(
        client,
        f"{BASE}/questions/{question.id}",
        {**texts("text", "Uusi"), "key": "other"},
    )
    assert changed.status_code == 400
    assert "The key of a question cannot change" in page(changed)
    db.session.refresh(question)
    assert (question.key, question.text) == (
        "visit",
        {"fi": "Kysymys yes_no", "sv": "Fråga yes_no", "en": "Question yes_no"},
    )


def test_keys_are_locked_once_the_question_has_answers(client, official, open_round):
    question = db.session.scalar(
        select(Question).where(Question.key == "background-age")
    )
    answer(question, open_round, "65-plus")
    url = f"{BASE}/questions/{question.id}"
    shown = page(client.get(url, headers=EN))
    assert "This question has answers" in shown
    assert re.search(r'name="options-0-key"[^>]*readonly', shown)
    same_keys = [(o["key"], o["label"]["fi"], "", "") for o in question.options]
    renamed = [("young", "alle 30", "", ""), *same_keys[1:]]
    for labels in (renamed, [*same_keys, ("new", "Uusi", "", "")]):
        refused = post(
            client, url, {**texts("text", "Ikä"), **entries("options", labels)}
        )
        assert refused.status_code == 400
        assert "its keys cannot change" in page(refused)
    db.session.refresh(question)
    assert question.text["fi"] == "Ikäryhmäsi"
    edited = [(key, f"{fi} vuotta", "", "") for key, fi, _sv, _en in same_keys]
    saved = post(client, url, {**texts("text", "Ikä"), **entries("options", edited)})
    assert saved.status_code == 302
    db.session.refresh(question)
    assert question.text == {"fi": "Ikä"}
    assert question.options[0] == {"key": "under-30", "label": {"fi": "alle 30 vuotta"}}


def test_bank_shows_usage_answers_and_language_completeness(
    client, official, open_round
):
    question = db.session.scalar(
        select(Question).where(Question.key == "panel-recommend")
    )
    answer(question, open_round, "9")
    only_finnish = create_question(
        client, "text", key="only-fi", **texts("text", "Vain suomeksi")
    )
    listed = page(client.get(f"{BASE}/questions", headers=EN))
    row = re.search(
        r"<tr>\s*<td><a[^>]*><code>panel-recommend</code>.*?</tr>", listed, re.S
    )
    assert re.search(r"<td>1</td>\s*<td>Yes</td>", row.group(0))
    row = re.search(r"<tr>\s*<td><a[^>]*><code>only-fi</code>.*?</tr>", listed, re.S)
    plain = re.sub(r"<[^>]+>", "", row.group(0))
    assert re.search(r"<td>0</td>\s*<td>No</td>", row.group(0))
    assert "fi ✓" in plain and "sv –" in plain and "en –" in plain
    assert "Swedish: incomplete" in plain and "Finnish: complete" in plain
    assert only_finnish.text == {"fi": "Vain suomeksi"}


# --- Questionnaires --------------------------------------------------------------


def test_build_a_questionnaire_with_pages_and_a_condition(client, official, panel):
    questionnaire = new_questionnaire(client, panel)
    assert questionnaire.panel_id == panel.id
    visited = create_question(client, "yes_no")
    why = create_question(client, "text")
    first = add(client, questionnaire, visited, 1, required=True)
    second = add(client, questionnaire, why, 2)
    response = set_condition(client, questionnaire, second, first, ["yes"])
    assert response.status_code == 302
    db.session.refresh(second)
    assert (second.show_if_item_id, second.show_if_values) == (first.id, ["yes"])
    assert first.required is True
    assert bs.condition_problems(questionnaire) == {}
    shown = page(client.get(f"{BASE}/{questionnaire.id}", headers=EN))
    assert "Page 1" in shown and "Page 2" in shown
    assert "Shown only when the answer to “Question yes_no” is: Yes" in shown
    listed = page(client.get(f"{BASE}/", headers=EN))
    assert "Survey" in listed and "Organisation-wide templates" in listed


def test_a_new_question_can_be_made_and_added_at_once(client, official):
    questionnaire = new_questionnaire(client)
    data = {**texts("text", "Uusi"), **TYPE_DATA["yes_no"]}
    url = f"{BASE}/questions/new?type=yes_no&add_to={questionnaire.id}"
    response = post(client, url, data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/surveys/{questionnaire.id}")
    db.session.refresh(questionnaire)
    assert [item.question.key for item in questionnaire.items] == ["uusi"]


@pytest.fixture
def two_items(client, official):
    questionnaire = new_questionnaire(client)
    first = add(client, questionnaire, create_question(client, "yes_no"))
    second = add(client, questionnaire, create_question(client, "single"))
    return questionnaire, first, second


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            ["maybe"],
            "The condition uses an answer that the other question does not have.",
        ),
        ([], "Choose at least one answer that shows this question."),
    ],
)
def test_condition_with_bad_values_is_refused(client, two_items, values, message):
    questionnaire, first, second = two_items
    response = set_condition(client, questionnaire, second, first, values)
    assert response.status_code == 400
    assert message in page(response)
    db.session.refresh(second)
    assert second.show_if_item_id is None


def test_forward_and_cyclic_conditions_are_refused(client, two_items):
    questionnaire, first, second = two_items
    forward = set_condition(client, questionnaire, first, second, ["kylla"])
    assert forward.status_code == 400
    assert "This depends on a question that comes later." in page(forward)
    assert (
        set_condition(client, questionnaire, second, first, ["yes"]).status_code == 302
    )
    cycle = set_condition(client, questionnaire, first, second, ["kylla"])
    assert cycle.status_code == 400
    assert "These conditions depend on each other in a circle." in page(cycle)
    db.session.refresh(first)
    assert first.show_if_item_id is None


def test_a_condition_cannot_use_a_free_text_or_unknown_question(client, official):
    questionnaire = new_questionnaire(client)
    free = add(client, questionnaire, create_question(client, "text"))
    later = add(client, questionnaire, create_question(client, "yes_no"))
    refused = set_condition(client, questionnaire, later, free, ["x"])
    assert refused.status_code == 400
    assert "Only a choice, scale, yes or no, or smiley question" in page(refused)
    unknown = post(
        client,
        f"{BASE}/{questionnaire.id}/items/{later.id}",
        {"page": "1", "show_if_item_id": "999999", "show_if_values": ["yes"]},
    )
    assert unknown.status_code == 400
    assert "not in this questionnaire" in page(unknown)


def test_moves_keep_conditions_working(client, two_items):
    questionnaire, first, second = two_items
    set_condition(client, questionnaire, second, first, ["yes"])
    url = f"{BASE}/{questionnaire.id}/items/{first.id}/change"
    refused = post(client, url, {"action": "down"})
    assert refused.status_code == 400
    assert "This depends on a question that comes later." in page(refused)
    db.session.refresh(questionnaire)
    assert [i.id for i in bs.ordered_items(questionnaire)] == [first.id, second.id]
    removed = post(client, url, {"action": "remove"})
    assert removed.status_code == 400
    assert "Other questions are shown depending on this one" in page(removed)
    assert post(client, url, {"action": "jump"}).status_code == 400


def test_moving_across_a_page_border_changes_the_page(client, official):
    questionnaire = new_questionnaire(client)
    first = add(client, questionnaire, create_question(client, "yes_no"), 1)
    second = add(client, questionnaire, create_question(client, "text"), 2)
    url = f"{BASE}/{questionnaire.id}/items/{second.id}/change"
    assert post(client, url, {"action": "up"}).status_code == 302
    db.session.refresh(second)
    assert second.page == 1
    assert post(client, url, {"action": "up"}).status_code == 302
    db.session.refresh(questionnaire)
    assert [i.id for i in bs.ordered_items(questionnaire)] == [second.id, first.id]
    assert post(client, url, {"action": "remove"}).status_code == 302
    db.session.refresh(questionnaire)
    assert [i.id for i in questionnaire.items] == [first.id]


def test_unknown_question_or_item_is_refused(client, official):
    questionnaire = new_questionnaire(client)
    response = post(
        client,
        f"{BASE}/{questionnaire.id}/items",
        {"question_id": "999999", "page": "1"},
    )
    assert response.status_code == 400
    assert "Choose a question from the bank." in page(response)
    assert client.get(f"{BASE}/{questionnaire.id}/items/999999").status_code == 404
    assert client.get(f"{BASE}/questions/999999").status_code == 404
    page_too_far = post(
        client,
        f"{BASE}/{questionnaire.id}/items",
        {"question_id": str(create_question(client, "text").id), "page": "99"},
    )
    assert page_too_far.status_code == 400
    assert count(QuestionnaireItem) == 0


def test_answered_questionnaire_refuses_structural_changes(
    client, official, open_round
):
    questionnaire = open_round.questionnaire
    question = questionnaire.items[0].question
    answer(question, open_round, "agree")
    extra = create_question(client, "yes_no")
    item = questionnaire.items[1]
    refusals = [
        post(
            client,
            f"{BASE}/{questionnaire.id}/items",
            {"question_id": str(extra.id), "page": "1"},
        ),
        post(
            client,
            f"{BASE}/{questionnaire.id}/items/{item.id}/change",
            {"action": "remove"},
        ),
        set_condition(client, questionnaire, item, questionnaire.items[0], ["agree"]),
    ]
    for response in refusals:
        assert response.status_code == 409
        assert "copy the questionnaire" in page(response)
    assert len(questionnaire.items) == 5
    texts_edit = post(
        client,
        f"{BASE}/{questionnaire.id}",
        {**texts("title", "Uusi nimi"), **texts("purpose", "Tarkoitus")},
    )
    assert texts_edit.status_code == 302
    db.session.refresh(questionnaire)
    assert questionnaire.title == {"fi": "Uusi nimi"}


def test_copies_share_bank_questions_and_keep_conditions(client, official, panel):
    original = new_questionnaire(client)
    first = add(client, original, create_question(client, "yes_no"))
    second = add(client, original, create_question(client, "text"), 2)
    set_condition(client, original, second, first, ["no"])
    response = post(
        client,
        f"{BASE}/new",
        {
            "panel_id": str(panel.id),
            "source": str(original.id),
            **texts("title", "Kopio"),
        },
    )
    assert response.status_code == 302
    copy = db.session.scalars(
        select(Questionnaire).order_by(Questionnaire.id.desc())
    ).first()
    assert (copy.title, copy.purpose) == ({"fi": "Kopio"}, original.purpose)
    items = bs.ordered_items(copy)
    assert [i.question_id for i in items] == [first.question_id, second.question_id]
    assert (items[1].show_if_item_id, items[1].show_if_values) == (items[0].id, ["no"])


@pytest.mark.parametrize("source", ["self-evaluation", "fast-feedback"])
def test_builtin_templates_can_be_copied(client, official, panel, source):
    response = post(
        client, f"{BASE}/new", {"panel_id": str(panel.id), "source": source}
    )
    assert response.status_code == 302
    copy = db.session.scalars(
        select(Questionnaire).order_by(Questionnaire.id.desc())
    ).first()
    template = db.session.scalar(
        select(Questionnaire).where(Questionnaire.template_key == source)
    )
    assert copy.template_key is None and copy.panel_id == panel.id
    assert [i.question_id for i in copy.items] == [
        i.question_id for i in template.items
    ]


def test_blank_questionnaire_needs_title_and_purpose(client, official):
    response = post(client, f"{BASE}/new", {"panel_id": "", "source": "blank"})
    assert response.status_code == 400
    assert "Write this in at least one language." in page(response)
    assert count(Questionnaire) == 0


# --- Preview ---------------------------------------------------------------------


def test_preview_renders_every_type_at_phone_width(client, official):
    questionnaire = new_questionnaire(client)
    items = [
        add(client, questionnaire, create_question(client, kind), number // 3 + 1)
        for number, kind in enumerate(TYPE_DATA)
    ]
    set_condition(client, questionnaire, items[1], items[0], ["kylla"])
    response = client.get(f"{BASE}/{questionnaire.id}/preview", headers=EN)
    assert response.status_code == 200
    shown = page(response)
    assert 'class="phone-preview"' in shown
    assert "Page 3 of 3" in shown
    for kind in TYPE_DATA:
        assert f"Question {kind}" in shown
    assert "Conditional" in shown
    assert "Shown only when the answer to “Question single” is: Yes" in shown
    for item in items:
        assert f'data-item="{item.id}"' in shown
    assert "Somewhat agree" in shown and "Very good" in shown
    swedish = page(client.get(f"{BASE}/{questionnaire.id}/preview?lang=sv"))
    assert "Fråga matrix" in swedish and "Rad" in swedish


def test_completeness_on_questionnaire_pages(client, official):
    questionnaire = new_questionnaire(client)
    add(client, questionnaire, create_question(client, "matrix"))  # row b: fi only
    html = page(client.get(f"{BASE}/{questionnaire.id}", headers=EN))
    assert re.search(r"fi ✓\s*sv –\s*en –", visible(html))
    assert '<span class="visually-hidden">English: incomplete</span>' in html
