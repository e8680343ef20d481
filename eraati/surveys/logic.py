"""Pure questionnaire logic: which questions show, and whether answers are valid.

No Flask or SQLAlchemy: the views and the paper-entry form feed plain data in, so the
server applies exactly the same rules however an answer arrives. Errors are codes;
the caller translates them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

AGREEMENT_KEYS = ("agree", "somewhat_agree", "somewhat_disagree", "disagree")
CANNOT_SAY = "cannot_say"
YES_NO_KEYS = ("yes", "no")
SMILEY_KEYS = ("very_happy", "happy", "unhappy", "very_unhappy")
RECOMMEND_KEYS = tuple(str(value) for value in range(1, 11))
MAX_TEXT_LENGTH = 4000


@dataclass(frozen=True)
class ItemSpec:
    """What the rules need to know of one question in one questionnaire."""

    id: int
    type: str
    page: int = 1
    required: bool = False
    options: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    max_choices: int | None = None
    allow_cannot_say: bool = False
    number_min: int | None = None
    number_max: int | None = None
    show_if_item: int | None = None
    show_if_values: tuple[str, ...] = ()

    def choice_keys(self) -> tuple[str, ...]:
        """The option keys a respondent may send for this question."""
        fixed = {
            "agreement": AGREEMENT_KEYS,
            "matrix": AGREEMENT_KEYS,
            "yes_no": YES_NO_KEYS,
            "smiley": SMILEY_KEYS,
            "recommend": RECOMMEND_KEYS,
        }
        keys = fixed.get(self.type, self.options)
        if self.allow_cannot_say and self.type in ("agreement", "matrix"):
            keys = (*keys, CANNOT_SAY)
        return keys


#: A parsed answer: option keys (list), {row: key} for a matrix, a Decimal or a str.
Value = list[str] | dict[str, str] | Decimal | str


@dataclass
class Checked:
    """The outcome of checking one page (or the whole questionnaire)."""

    values: dict[int, Value] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def condition_problems(items: Sequence[ItemSpec]) -> dict[int, str]:
    """Conditions that cannot work: unknown or later questions, self-reference, cycles,
    or values the earlier question cannot have. Returns ``{item_id: code}``."""
    order = {item.id: index for index, item in enumerate(items)}
    by_id = {item.id: item for item in items}
    problems: dict[int, str] = {}
    for item in items:
        target = item.show_if_item
        if target is None:
            continue
        if target == item.id:
            problems[item.id] = "self"
        elif target not in by_id:
            problems[item.id] = "unknown"
        elif order[target] > order[item.id]:
            problems[item.id] = "forward"
        elif not item.show_if_values:
            problems[item.id] = "no_values"
        elif not set(item.show_if_values) <= set(by_id[target].choice_keys()):
            problems[item.id] = "bad_value"
    # Only backward references remain, so a cycle is impossible once these are fixed;
    # checking order first is what guarantees it.
    return problems


def visible_items(
    items: Sequence[ItemSpec], values: Mapping[int, Value]
) -> list[ItemSpec]:
    """The questions shown, given the answers so far (a hidden question hides its
    dependants too)."""
    shown: list[ItemSpec] = []
    shown_ids: set[int] = set()
    for item in items:
        if item.show_if_item is None or (
            item.show_if_item in shown_ids
            and _answer_matches(values.get(item.show_if_item), item.show_if_values)
        ):
            shown.append(item)
            shown_ids.add(item.id)
    return shown


def _answer_matches(value: Value | None, wanted: Sequence[str]) -> bool:
    if isinstance(value, list):
        return any(key in wanted for key in value)
    return isinstance(value, str) and value in wanted


def parse_item(
    item: ItemSpec, form: Mapping[str, Sequence[str]]
) -> tuple[Value | None, str | None]:
    """Read one question's answer from form data (``q<id>``, ``q<id>-<row>``).

    Returns ``(value, error_code)``; a blank answer is ``(None, None)``.
    """
    name = f"q{item.id}"
    if item.type == "matrix":
        return _parse_matrix(item, form)
    raw = [value.strip() for value in form.get(name, []) if value and value.strip()]
    if not raw:
        return None, None
    if item.type == "number":
        return _parse_number(item, raw[0])
    if item.type == "text":
        text = raw[0]
        return (None, "too_long") if len(text) > MAX_TEXT_LENGTH else (text, None)
    keys = item.choice_keys()
    if any(value not in keys for value in raw):
        return None, "invalid_choice"
    if item.type == "multiple":
        chosen = list(dict.fromkeys(raw))
        if item.max_choices and len(chosen) > item.max_choices:
            return None, "too_many"
        return chosen, None
    if len(raw) > 1:
        return None, "invalid_choice"
    return raw[0], None


def _parse_matrix(item, form) -> tuple[Value | None, str | None]:
    keys = item.choice_keys()
    chosen: dict[str, str] = {}
    for row in item.rows:
        values = [v.strip() for v in form.get(f"q{item.id}-{row}", []) if v.strip()]
        if not values:
            continue
        if len(values) > 1 or values[0] not in keys:
            return None, "invalid_choice"
        chosen[row] = values[0]
    if item.required and chosen and len(chosen) < len(item.rows):
        return chosen, "incomplete_rows"
    return (chosen or None), None


def _parse_number(item, raw: str) -> tuple[Value | None, str | None]:
    try:
        number = Decimal(raw.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        return None, "not_a_number"
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        return None, "not_a_number"
    if item.number_min is not None and number < item.number_min:
        return None, "too_small"
    if item.number_max is not None and number > item.number_max:
        return None, "too_large"
    return number, None


def check_page(
    items: Sequence[ItemSpec],
    page: int,
    form: Mapping[str, Sequence[str]],
    earlier: Mapping[int, Value],
) -> Checked:
    """Check the answers of one page given the answers of earlier pages.

    Answers to questions that the earlier answers hide are dropped, never stored.
    """
    checked = Checked()
    values: dict[int, Value] = dict(earlier)
    for item in items:
        if item.page != page:
            continue
        value, error = parse_item(item, form)
        if value is not None:
            values[item.id] = value
        else:
            values.pop(item.id, None)
        if error:
            checked.errors[item.id] = error
    shown = {spec.id for spec in visible_items(items, values)}
    for item in items:
        if item.page != page or item.id not in shown:
            continue
        if item.id in values and item.id not in checked.errors:
            checked.values[item.id] = values[item.id]
        elif item.required and item.id not in checked.errors:
            checked.errors[item.id] = "required"
    return checked


def check_all(items: Sequence[ItemSpec], values: Mapping[int, Value]) -> Checked:
    """Check a whole set of answers (on submit, and for staff-entered paper answers):
    keep only visible questions, and report missing required ones."""
    checked = Checked()
    shown = visible_items(items, values)
    for item in shown:
        if item.id in values:
            checked.values[item.id] = values[item.id]
        elif item.required:
            checked.errors[item.id] = "required"
    return checked


def pages(items: Sequence[ItemSpec]) -> list[int]:
    return sorted({item.page for item in items})
