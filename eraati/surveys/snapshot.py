"""A read-only, cached view of a questionnaire's structure for answering.

Every page a respondent opens or sends needs the questionnaire's items and questions.
Loading them as ORM objects each time cost more than everything else in the request,
so answering works from this plain snapshot, rebuilt when it is older than
``MAX_AGE`` seconds or when the builder changes the questionnaire in this process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from eraati.extensions import db
from eraati.surveys import logic
from eraati.surveys.models import Questionnaire, QuestionnaireItem, QuestionType

#: Edits made in another process show up within this many seconds.
MAX_AGE = 30.0


@dataclass(frozen=True)
class QuestionView:
    id: int
    key: str
    type: QuestionType
    text: dict
    help: dict
    options: tuple[dict, ...]
    rows: tuple[dict, ...]
    max_choices: int | None
    allow_cannot_say: bool
    number_min: int | None
    number_max: int | None
    is_background: bool


@dataclass(frozen=True)
class ItemView:
    id: int
    question_id: int
    page: int
    position: int
    required: bool
    show_if_item_id: int | None
    show_if_values: tuple[str, ...]
    question: QuestionView


@dataclass(frozen=True)
class QuestionnaireView:
    id: int
    title: dict
    purpose: dict
    intro: dict
    items: tuple[ItemView, ...]
    specs: tuple[logic.ItemSpec, ...]
    #: What is made from this snapshot alone (rendered blank questions): it lives and
    #: goes with the snapshot, so an edit never shows stale HTML.
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    def item(self, item_id: int) -> ItemView:
        return self.by_id()[item_id]

    def by_id(self) -> dict[int, ItemView]:
        return self.once("by_id", lambda: {item.id: item for item in self.items})

    def once(self, key, make: Callable[[], object]):
        """``make()`` the first time ``key`` is asked for, the same value after."""
        try:
            return self.derived[key]
        except KeyError:
            value = self.derived[key] = make()
            return value


_cache: dict[int, tuple[float, QuestionnaireView]] = {}
_lock = threading.Lock()


def questionnaire_view(questionnaire_id: int) -> QuestionnaireView:
    now = time.monotonic()
    cached = _cache.get(questionnaire_id)
    if cached is not None and now - cached[0] < MAX_AGE:
        return cached[1]
    view = _build(questionnaire_id)
    with _lock:
        _cache[questionnaire_id] = (now, view)
    return view


def forget(questionnaire_id: int | None = None) -> None:
    """Drop the snapshot after an edit (or all of them)."""
    with _lock:
        if questionnaire_id is None:
            _cache.clear()
        else:
            _cache.pop(questionnaire_id, None)


def _build(questionnaire_id: int) -> QuestionnaireView:
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    rows = db.session.scalars(
        select(QuestionnaireItem)
        .where(QuestionnaireItem.questionnaire_id == questionnaire_id)
        .options(joinedload(QuestionnaireItem.question))
        .order_by(
            QuestionnaireItem.page, QuestionnaireItem.position, QuestionnaireItem.id
        )
    ).all()
    items = tuple(_item(row) for row in rows)
    return QuestionnaireView(
        id=questionnaire.id,
        title=dict(questionnaire.title or {}),
        purpose=dict(questionnaire.purpose or {}),
        intro=dict(questionnaire.intro or {}),
        items=items,
        specs=tuple(spec_of(item) for item in items),
    )


def _item(row: QuestionnaireItem) -> ItemView:
    question = row.question
    return ItemView(
        id=row.id,
        question_id=row.question_id,
        page=row.page,
        position=row.position,
        required=row.required,
        show_if_item_id=row.show_if_item_id,
        show_if_values=tuple(row.show_if_values or ()),
        question=QuestionView(
            id=question.id,
            key=question.key,
            type=question.type,
            text=dict(question.text or {}),
            help=dict(question.help or {}),
            options=tuple(question.options or ()),
            rows=tuple(question.rows or ()),
            max_choices=question.max_choices,
            allow_cannot_say=question.allow_cannot_say,
            number_min=question.number_min,
            number_max=question.number_max,
            is_background=question.is_background,
        ),
    )


def spec_of(item) -> logic.ItemSpec:
    """The rule view of an item (an ORM item or an :class:`ItemView`)."""
    question = item.question
    return logic.ItemSpec(
        id=item.id,
        type=question.type.value,
        page=item.page,
        required=item.required,
        options=tuple(option["key"] for option in question.options),
        rows=tuple(row["key"] for row in question.rows),
        max_choices=question.max_choices,
        allow_cannot_say=question.allow_cannot_say,
        number_min=question.number_min,
        number_max=question.number_max,
        show_if_item=item.show_if_item_id,
        show_if_values=tuple(item.show_if_values or ()),
    )
