"""Forms of the questionnaire builder, and the messages of its refusals."""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from eraati.core.forms import clean_translations, translated_field
from eraati.surveys.builder_services import (
    CHOICE_TYPES,
    MAX_PAGE,
    SCALE_TYPES,
    QuestionInput,
    fill_keys,
)
from eraati.surveys.models import QuestionType

TYPE_LABELS = {
    QuestionType.SINGLE: _l("Single choice"),
    QuestionType.MULTIPLE: _l("Multiple choice"),
    QuestionType.AGREEMENT: _l("Agreement scale"),
    QuestionType.RECOMMEND: _l("Recommendation 1-10"),
    QuestionType.YES_NO: _l("Yes or no"),
    QuestionType.NUMBER: _l("Number"),
    QuestionType.TEXT: _l("Free text"),
    QuestionType.MATRIX: _l("Statements on the agreement scale"),
    QuestionType.SMILEY: _l("Smiley faces"),
}

BUILDER_ERRORS = {
    "key_taken": _l("Another question already has this key. Choose another one."),
    "key_immutable": _l(
        "The key of a question cannot change. Results are compared by it."
    ),
    "keys_locked": _l(
        "This question has answers, so its keys cannot change, and you cannot add or remove options. You can still edit the texts. To change the options, make a new question."
    ),
    "cannot_say_locked": _l(
        "This question has answers, so the “Cannot say” option cannot change."
    ),
    "conditions": _l(
        "This change would break a condition. Fix the conditions shown below first."
    ),
    "has_answers": _l(
        "This questionnaire already has answers, so you cannot add or remove questions or change conditions. You can still edit the texts. To change more, copy the questionnaire."
    ),
    "already_in": _l("This question is already in the questionnaire."),
    "has_dependants": _l(
        "Other questions are shown depending on this one. Change their conditions first."
    ),
    "texts_missing": _l("Write a title and what the answers are used for."),
    "unknown_source": _l("Choose a questionnaire to start from."),
}

CONDITION_ERRORS = {
    "self": _l("A question cannot depend on itself."),
    "unknown": _l("The question this depends on is not in this questionnaire."),
    "forward": _l(
        "This depends on a question that comes later. A condition can only use an earlier question."
    ),
    "cycle": _l(
        "These conditions depend on each other in a circle. Remove one of them."
    ),
    "no_values": _l("Choose at least one answer that shows this question."),
    "bad_value": _l(
        "The condition uses an answer that the other question does not have."
    ),
    "bad_source": _l(
        "Only a choice, scale, yes or no, or smiley question can show another question."
    ),
}

KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
KEY_MESSAGE = _l("Use only small letters a-z, digits, hyphens and underscores.")
MAX_LABELS = 40
NUMBER_MESSAGE = _l("Use a number between -1000000000 and 1000000000.")


def builder_error(code: str) -> str:
    return str(BUILDER_ERRORS.get(code, BUILDER_ERRORS["conditions"]))


def condition_error(code: str) -> str:
    return str(CONDITION_ERRORS.get(code, CONDITION_ERRORS["unknown"]))


def first_message(errors) -> str:
    """The first message in nested form errors (lists of dicts of lists...)."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    if isinstance(errors, list | tuple):
        return next((m for m in map(first_message, errors) if m), "")
    return str(errors) if errors else ""


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LabelForm(Form):
    """One option or matrix statement: a stable key and its text per language."""

    key = StringField(
        _l("Key"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=40, message=_l("Use at most %(max)d characters.", max=40)),
            Regexp(KEY_PATTERN, message=KEY_MESSAGE),
        ],
    )
    label = translated_field(_l("Text"), required=False, max_length=300)

    def is_blank(self) -> bool:
        return not self.key.data and not clean_translations(self.label.data)


class QuestionForm(FlaskForm):
    """A bank question; fields the type does not use are removed in ``__init__``."""

    key = StringField(
        _l("Key"),
        filters=[_strip],
        description=_l(
            "A short name that stays the same, for example service-respect. Results are compared by it. Leave it empty to make one from the question. It cannot change later."
        ),
        validators=[
            Optional(),
            Length(max=60, message=_l("Use at most %(max)d characters.", max=60)),
            Regexp(KEY_PATTERN, message=KEY_MESSAGE),
        ],
    )
    text = translated_field(_l("Question"), max_length=500)
    help = translated_field(
        _l("Help text"), required=False, multiline=True, max_length=1000
    )
    options = FieldList(FormField(LabelForm), label=_l("Options"))
    rows = FieldList(FormField(LabelForm), label=_l("Statements"))
    max_choices = IntegerField(
        _l("At most this many choices"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=MAX_LABELS, message=_l("Give a number from 1 to 40.")
            ),
        ],
    )
    allow_cannot_say = BooleanField(_l("Offer “Cannot say”"))
    number_min = IntegerField(
        _l("Smallest number allowed"),
        validators=[Optional(), NumberRange(-(10**9), 10**9, message=NUMBER_MESSAGE)],
    )
    number_max = IntegerField(
        _l("Largest number allowed"),
        validators=[Optional(), NumberRange(-(10**9), 10**9, message=NUMBER_MESSAGE)],
    )
    is_background = BooleanField(_l("Background question"))

    def __init__(self, *args, question_type: QuestionType, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_type = question_type
        #: Errors of a whole list of options or statements, by field name.
        self.group_errors: dict[str, str] = {}
        self.cleaned: dict[str, list[dict]] = {"options": [], "rows": []}
        for name in self._unused_fields(question_type):
            delattr(self, name)

    @staticmethod
    def _unused_fields(kind: QuestionType) -> list[str]:
        uses = {
            "options": kind in CHOICE_TYPES,
            "rows": kind is QuestionType.MATRIX,
            "max_choices": kind is QuestionType.MULTIPLE,
            "allow_cannot_say": kind in SCALE_TYPES,
            "number_min": kind is QuestionType.NUMBER,
            "number_max": kind is QuestionType.NUMBER,
        }
        return [name for name, used in uses.items() if not used]

    def pad(self, count: int) -> None:
        """Blank entries to fill in (no JavaScript adds them)."""
        for name in ("options", "rows"):
            if name in self:
                for _index in range(count):
                    self[name].append_entry()

    def add_error(self, name: str | None, message: str) -> None:
        field = self[name] if name and name in self else None
        if field is None or field.type == "FieldList":
            self.group_errors[name or "key"] = message
        else:
            field.errors = [*field.errors, message]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.group_errors)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, minimum in (("options", 2), ("rows", 1)):
            if name in self:
                valid = self._check_labels(name, minimum) and valid
        if "number_min" in self and None not in (
            self.number_min.data,
            self.number_max.data,
        ):
            if self.number_min.data > self.number_max.data:
                self.add_error(
                    "number_max", _l("Make this at least the smallest number.")
                )
                valid = False
        if "max_choices" in self and (self.max_choices.data or 0) > len(
            self.cleaned["options"]
        ):
            self.add_error("max_choices", _l("There are fewer options than this."))
            valid = False
        return valid

    def _check_labels(self, name: str, minimum: int) -> bool:
        """Skip blank entries, require a text, refuse duplicate keys, fill keys."""
        field = self[name]
        filled = [entry.form for entry in field if not entry.form.is_blank()]
        valid = True
        for entry in filled:
            if not clean_translations(entry.label.data):
                entry.label.form.form_errors.append(
                    _l("Write the text in at least one language.")
                )
                valid = False
        counts = Counter(entry.key.data for entry in filled if entry.key.data)
        for entry in filled:
            if counts.get(entry.key.data, 0) > 1:
                entry.key.errors = [
                    *entry.key.errors,
                    _l("Two have this key. Keys must be unique."),
                ]
                valid = False
        if len(filled) < minimum:
            self.group_errors[name] = str(
                _l("Give at least two options.")
                if minimum == 2
                else _l("Give at least one statement.")
            )
        elif len(filled) > MAX_LABELS:
            self.group_errors[name] = str(_l("Give at most 40."))
        keys = fill_keys((entry.key.data, entry.label.data) for entry in filled)
        self.cleaned[name] = [
            {"key": key, "label": clean_translations(entry.label.data)}
            for key, entry in zip(keys, filled, strict=True)
        ]
        field.errors = [entry.errors for entry in field.entries if entry.errors]
        return valid and name not in self.group_errors

    def to_input(self) -> QuestionInput:
        """The cleaned data for :func:`builder_services.save_question`."""

        def value(name, default=None):
            return self[name].data if name in self else default

        return QuestionInput(
            key=self.key.data or "",
            text=clean_translations(self.text.data),
            help=clean_translations(self.help.data),
            options=self.cleaned["options"],
            rows=self.cleaned["rows"],
            max_choices=value("max_choices"),
            allow_cannot_say=bool(value("allow_cannot_say", False)),
            number_min=value("number_min"),
            number_max=value("number_max"),
            is_background=self.is_background.data,
        )


class QuestionnaireForm(FlaskForm):
    title = translated_field(_l("Title"))
    purpose = translated_field(
        _l("What the answers are used for"), multiline=True, max_length=1000
    )
    intro = translated_field(
        _l("Introduction"), required=False, multiline=True, max_length=2000
    )


class NewQuestionnaireForm(FlaskForm):
    """Blank needs a title and purpose; a copy takes the source's when left empty."""

    panel_id = SelectField(_l("Panel"))
    source = SelectField(_l("Start from"))
    title = translated_field(_l("Title"), required=False)
    purpose = translated_field(
        _l("What the answers are used for"),
        required=False,
        multiline=True,
        max_length=1000,
    )
    intro = translated_field(
        _l("Introduction"), required=False, multiline=True, max_length=2000
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.source.data == "blank":
            for field in (self.title, self.purpose):
                if not clean_translations(field.data):
                    field.form.form_errors.append(
                        _l("Write this in at least one language.")
                    )
                    valid = False
        return valid


def _page_field():
    return IntegerField(
        _l("Page"),
        default=1,
        render_kw={"inputmode": "numeric", "class": "short"},
        validators=[
            InputRequired(message=_l("Give a page number.")),
            NumberRange(min=1, max=MAX_PAGE, message=_l("Give a number from 1 to 50.")),
        ],
    )


class AddItemForm(FlaskForm):
    question_id = SelectField(_l("Question from the bank"), validate_choice=False)
    page = _page_field()
    required = BooleanField(_l("Answer required"))

    def validate_question_id(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a question from the bank."))


class ItemForm(FlaskForm):
    """Page, required flag and the condition of one questionnaire item."""

    page = _page_field()
    required = BooleanField(_l("Answer required"))
    show_if_item_id = SelectField(
        _l("Show only when this question is answered"), validate_choice=False
    )
    #: Checked against the source question by the service (a clear message there).
    show_if_values = SelectMultipleField(
        _l("With one of these answers"), validate_choice=False
    )

    def validate_show_if_item_id(self, field) -> None:
        if field.data and not field.data.isdigit():
            raise ValidationError(_l("Choose a question from the list."))

    def source_id(self) -> int | None:
        raw = self.show_if_item_id.data or ""
        return int(raw) if raw.isdigit() else None
