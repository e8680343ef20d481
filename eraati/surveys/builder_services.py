"""Questionnaire builder: the question bank and questionnaires.

Services flush and never commit; on :class:`BuilderError` the view rolls back, so a
refused change leaves nothing half-saved.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import exists, func, select

from eraati.config import LANGUAGES
from eraati.extensions import db
from eraati.surveys import completeness, logic, services
from eraati.surveys.builtin import FAST_FEEDBACK, SELF_EVALUATION
from eraati.surveys.models import (
    Answer,
    Question,
    Questionnaire,
    QuestionnaireItem,
    QuestionType,
    Response,
    Round,
)

#: Types whose options officials write (the other scales are fixed).
CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE})
#: Types offering "cannot say".
SCALE_TYPES = frozenset({QuestionType.AGREEMENT, QuestionType.MATRIX})
#: Types whose answer can show a later question: a matrix answer never matches a
#: condition (see logic._answer_matches), and text and number have no options.
CONDITION_SOURCE_TYPES = frozenset(
    {
        QuestionType.SINGLE,
        QuestionType.MULTIPLE,
        QuestionType.AGREEMENT,
        QuestionType.RECOMMEND,
        QuestionType.YES_NO,
        QuestionType.SMILEY,
    }
)
BUILTIN_SOURCES = (SELF_EVALUATION, FAST_FEEDBACK)
OPTION_KEY_LENGTH = 40  # Answer.option_key and row_key are 40 characters
QUESTION_KEY_LENGTH = 60
MAX_PAGE = 50


class BuilderError(Exception):
    """A refused change; ``code`` says why, ``field`` where to show it."""

    def __init__(
        self, code: str, field: str | None = None, problems: dict | None = None
    ):
        super().__init__(code)
        self.code = code
        self.field = field
        #: For condition problems: ``{item_id: code}``.
        self.problems = problems or {}


@dataclass
class QuestionInput:
    """A question as the form gives it; labels are ``{"key", "label"}`` dicts."""

    text: dict[str, str]
    key: str = ""
    help: dict[str, str] = field(default_factory=dict)
    options: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    max_choices: int | None = None
    allow_cannot_say: bool = False
    number_min: int | None = None
    number_max: int | None = None
    is_background: bool = False


# --- Keys ------------------------------------------------------------------------


def slugify(text: str, max_length: int) -> str:
    """``Jossain määrin`` → ``jossain-maarin``: ASCII, small letters, hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def first_text(texts: Mapping[str, str] | None) -> str:
    """The first written text in the order of the language switcher."""
    texts = texts or {}
    ordered = [texts.get(lang) for lang in LANGUAGES] + list(texts.values())
    return next((text.strip() for text in ordered if text and text.strip()), "")


def unique_key(base: str, taken: set[str], max_length: int) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken."""
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return candidate


def fill_keys(entries: Iterable[tuple[str, Mapping[str, str]]]) -> list[str]:
    """Keys for ``(key, label)`` entries: given ones kept, blank ones made from the
    first written label and made unique within the question."""
    entries = list(entries)
    taken = {key for key, _label in entries if key}
    keys = []
    for key, label in entries:
        if not key:
            base = slugify(first_text(label), OPTION_KEY_LENGTH) or "option"
            key = unique_key(base, taken, OPTION_KEY_LENGTH)
            taken.add(key)
        keys.append(key)
    return keys


def _new_question_key(data: QuestionInput) -> str:
    if data.key:
        if db.session.scalar(select(exists().where(Question.key == data.key))):
            raise BuilderError("key_taken", "key")
        return data.key
    base = slugify(first_text(data.text), 48) or "question"
    taken = set(
        db.session.scalars(select(Question.key).where(Question.key.startswith(base)))
    )
    return unique_key(base, taken, QUESTION_KEY_LENGTH)


# --- Reading ---------------------------------------------------------------------


def has_answers(question: Question) -> bool:
    return bool(
        db.session.scalar(select(exists().where(Answer.question_id == question.id)))
    )


def answered_question_ids() -> set[int]:
    """Bank questions that have at least one stored answer."""
    return set(
        db.session.scalars(
            select(Question.id).where(exists().where(Answer.question_id == Question.id))
        )
    )


def usage_counts() -> dict[int, int]:
    """In how many questionnaires each bank question is used."""
    rows = db.session.execute(
        select(QuestionnaireItem.question_id, func.count()).group_by(
            QuestionnaireItem.question_id
        )
    )
    return dict(rows.all())


def answered_questionnaire_ids() -> set[int]:
    """Questionnaires that have a round with at least one response."""
    return set(
        db.session.scalars(
            select(Round.questionnaire_id)
            .where(exists().where(Response.round_id == Round.id))
            .distinct()
        )
    )


def questionnaire_has_answers(questionnaire: Questionnaire) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Response.round_id == Round.id,
                    Round.questionnaire_id == questionnaire.id,
                )
            )
        )
    )


def question_labels(question: Question) -> list[dict]:
    """The labels officials wrote: options, matrix rows, or none for fixed scales."""
    if question.type in CHOICE_TYPES:
        return list(question.options or [])
    if question.type is QuestionType.MATRIX:
        return list(question.rows or [])
    return []


def question_status(question: Question) -> dict[str, bool]:
    labels = [label["label"] for label in question_labels(question)]
    return completeness.question_completeness(question.text, labels, question.help)


def questionnaire_status(questionnaire: Questionnaire) -> dict[str, bool]:
    return completeness.questionnaire_completeness(
        questionnaire.title,
        questionnaire.purpose,
        questionnaire.intro,
        [question_status(item.question) for item in questionnaire.items],
    )


def ordered_items(questionnaire: Questionnaire) -> list[QuestionnaireItem]:
    """Items in answering order (the loaded list goes stale after moves)."""
    return sorted(
        questionnaire.items, key=lambda item: (item.page, item.position, item.id or 0)
    )


def condition_problems(questionnaire: Questionnaire) -> dict[int, str]:
    """``{item_id: code}`` of conditions that cannot work, cycles named as such."""
    # item_specs reads only ``.items``; hand it the fresh order.
    specs = services.item_specs(SimpleNamespace(items=ordered_items(questionnaire)))
    problems = logic.condition_problems(specs)
    by_id = {spec.id: spec for spec in specs}
    for spec in specs:
        source = by_id.get(spec.show_if_item)
        if source is None or spec.id == source.id:
            continue
        if _in_cycle(spec, by_id):
            problems[spec.id] = "cycle"
        elif QuestionType(source.type) not in CONDITION_SOURCE_TYPES:
            problems[spec.id] = "bad_source"
    return problems


def _in_cycle(spec: logic.ItemSpec, by_id: dict[int, logic.ItemSpec]) -> bool:
    seen, current = set(), spec.show_if_item
    while current is not None and current not in seen:
        if current == spec.id:
            return True
        seen.add(current)
        current = by_id[current].show_if_item if current in by_id else None
    return False


# --- Questions -------------------------------------------------------------------


def save_question(
    question: Question | None, type_: QuestionType, data: QuestionInput
) -> Question:
    """Create or update a bank question; its key and type never change, and its
    option keys are fixed once it has answers."""
    if question is None:
        question = Question(key=_new_question_key(data), type=type_)
        db.session.add(question)
        before = {}
    else:
        _check_identity(question, data)
        before = {q.id: condition_problems(q) for q in _using(question)}
    _assign(question, data)
    db.session.flush()
    for questionnaire in _using(question):
        _guard_conditions(questionnaire, before.get(questionnaire.id, {}), "options")
    return question


def _check_identity(question: Question, data: QuestionInput) -> None:
    if data.key and data.key != question.key:
        raise BuilderError("key_immutable", "key")
    if not has_answers(question):
        return
    old_options = {o["key"] for o in question.options or []}
    old_rows = {r["key"] for r in question.rows or []}
    if question.type in CHOICE_TYPES and old_options != {
        o["key"] for o in data.options
    }:
        raise BuilderError("keys_locked", "options")
    if question.type is QuestionType.MATRIX and old_rows != {
        r["key"] for r in data.rows
    }:
        raise BuilderError("keys_locked", "rows")
    if question.type in SCALE_TYPES and (
        question.allow_cannot_say != data.allow_cannot_say
    ):
        raise BuilderError("cannot_say_locked", "allow_cannot_say")


def _assign(question: Question, data: QuestionInput) -> None:
    """Copy the input, dropping settings the question's type does not use."""
    kind = question.type
    question.text = data.text
    question.help = data.help
    question.options = data.options if kind in CHOICE_TYPES else []
    question.rows = data.rows if kind is QuestionType.MATRIX else []
    question.max_choices = data.max_choices if kind is QuestionType.MULTIPLE else None
    question.allow_cannot_say = data.allow_cannot_say and kind in SCALE_TYPES
    is_number = kind is QuestionType.NUMBER
    question.number_min = data.number_min if is_number else None
    question.number_max = data.number_max if is_number else None
    question.is_background = data.is_background


def _using(question: Question) -> list[Questionnaire]:
    if question.id is None:
        return []
    return list(
        db.session.scalars(
            select(Questionnaire)
            .join(QuestionnaireItem)
            .where(QuestionnaireItem.question_id == question.id)
        )
    )


def _guard_conditions(
    questionnaire: Questionnaire,
    before: dict[int, str],
    field_name: str | None,
    edited: int | None = None,
) -> None:
    """Refuse a change that breaks a condition that worked before it (the ``edited``
    item's condition must work in any case: it was just written)."""
    after = condition_problems(questionnaire)
    if edited in after or any(
        before.get(item_id) != code for item_id, code in after.items()
    ):
        raise BuilderError("conditions", field_name, after)


# --- Questionnaires --------------------------------------------------------------


def ensure_editable(questionnaire: Questionnaire) -> None:
    """Structural changes would make stored answers incomparable: refuse them."""
    if questionnaire_has_answers(questionnaire):
        raise BuilderError("has_answers")


def create_questionnaire(
    panel_id: int | None,
    source: Questionnaire | None,
    title: dict[str, str],
    purpose: dict[str, str],
    intro: dict[str, str],
) -> Questionnaire:
    """A new questionnaire, blank or a copy of ``source`` (its bank questions are
    shared, not duplicated, so results stay comparable)."""
    if source is None and not (title and purpose):
        raise BuilderError("texts_missing", "title")
    new = Questionnaire(
        panel_id=panel_id,
        title=title or dict(source.title),
        purpose=purpose or dict(source.purpose),
        intro=intro or (dict(source.intro) if source else {}),
    )
    db.session.add(new)
    if source is not None:
        _copy_items(source, new)
    db.session.flush()
    return new


def _copy_items(source: Questionnaire, target: Questionnaire) -> None:
    originals = {item.id: item for item in source.items}
    copies = {}
    for item in ordered_items(source):
        copies[item.id] = QuestionnaireItem(
            question=item.question,
            page=item.page,
            position=item.position,
            required=item.required,
            show_if_values=list(item.show_if_values or []),
        )
        target.items.append(copies[item.id])
    db.session.flush()  # the copies need ids before conditions can point at them
    for old_id, copy in copies.items():
        target_id = originals[old_id].show_if_item_id
        if target_id in copies:
            copy.show_if_item_id = copies[target_id].id


def add_item(
    questionnaire: Questionnaire, question: Question, page: int, required: bool
) -> QuestionnaireItem:
    ensure_editable(questionnaire)
    if any(item.question_id == question.id for item in questionnaire.items):
        raise BuilderError("already_in", "question_id")
    positions = [item.position for item in questionnaire.items]
    item = QuestionnaireItem(
        question=question,
        page=page,
        position=max(positions, default=-1) + 1,
        required=required,
    )
    questionnaire.items.append(item)
    db.session.flush()
    return item


def remove_item(questionnaire: Questionnaire, item: QuestionnaireItem) -> None:
    ensure_editable(questionnaire)
    if any(other.show_if_item_id == item.id for other in questionnaire.items):
        raise BuilderError("has_dependants")
    questionnaire.items.remove(item)
    db.session.flush()


def move_item(
    questionnaire: Questionnaire, item: QuestionnaireItem, direction: int
) -> None:
    """Move one step up (-1) or down (+1); across a page border the item changes
    page instead of swapping, so that pages can be filled one by one."""
    before = condition_problems(questionnaire)
    items = ordered_items(questionnaire)
    index = items.index(item)
    neighbour_index = index + direction
    if not 0 <= neighbour_index < len(items):
        return
    neighbour = items[neighbour_index]
    if neighbour.page == item.page:
        items[index], items[neighbour_index] = neighbour, item
    else:
        item.page = neighbour.page
    for position, each in enumerate(items):
        each.position = position
    db.session.flush()
    _guard_conditions(questionnaire, before, None)


def update_item(
    questionnaire: Questionnaire,
    item: QuestionnaireItem,
    *,
    page: int,
    required: bool,
    show_if_item_id: int | None,
    show_if_values: list[str],
) -> None:
    """Page, required flag and condition of one item, checked as a whole."""
    values = list(dict.fromkeys(show_if_values)) if show_if_item_id else []
    changed = show_if_item_id != item.show_if_item_id or set(values) != set(
        item.show_if_values or []
    )
    if changed:
        ensure_editable(questionnaire)
    if show_if_item_id is not None and show_if_item_id not in {
        other.id for other in questionnaire.items
    }:
        raise BuilderError("conditions", "show_if_item_id", {item.id: "unknown"})
    before = condition_problems(questionnaire)
    item.page = page
    item.required = required
    item.show_if_item_id = show_if_item_id
    item.show_if_values = values
    db.session.flush()
    _guard_conditions(questionnaire, before, "show_if_item_id", edited=item.id)
