"""Form pieces every domain uses: multilingual text fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, FormField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from eraati.config import LANGUAGES


def email_validators():
    """Validators for an email address field, with messages in plain words."""
    return [
        DataRequired(message=_l("Enter an email address.")),
        Length(max=254, message=_l("The email address is too long.")),
        Email(
            message=_l("Enter the email address in the form name@example.fi."),
            check_deliverability=False,
        ),
    ]


LANGUAGE_LABELS = {
    "fi": _l("in Finnish"),
    "sv": _l("in Swedish"),
    "en": _l("in English"),
}


def translated_field(
    label, required: bool = True, multiline: bool = False, max_length: int = 200
) -> FormField:
    """One input per language; its ``data`` is the ``{"fi": ..., "sv": ...}`` mapping.

    The inner form has no CSRF token of its own (the outer form carries it).
    """
    field_class = TextAreaField if multiline else StringField
    message = _l("Use at most %(max)d characters.", max=max_length)

    class TranslatedTextForm(Form):
        def validate(self, extra_validators=None):
            valid = super().validate(extra_validators)
            if required and not any((v or "").strip() for v in self.data.values()):
                self.form_errors.append(_l("Write this in at least one language."))
                valid = False
            return valid

    for language in LANGUAGES:
        setattr(
            TranslatedTextForm,
            language,
            field_class(
                LANGUAGE_LABELS[language],
                validators=[Length(max=max_length, message=message)],
                render_kw={"lang": language},
            ),
        )
    return FormField(TranslatedTextForm, label=label)


def clean_translations(data: dict[str, str]) -> dict[str, str]:
    """Drop empty languages and stray whitespace before saving."""
    return {lang: text.strip() for lang, text in data.items() if (text or "").strip()}


def input_attrs(field, required: bool = False) -> dict[str, object]:
    """ARIA attributes tying an input to its hint and error (used by the form macros)."""
    described = [f"{field.id}-hint"] if field.description else []
    attrs: dict[str, object] = {}
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if required:
        attrs["required"] = True
    return attrs


def choices(pairs) -> list[SelectChoice]:
    """Choices for select and radio fields from ``(value, label)`` pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def first_error(field) -> str:
    """The first message of a field, also of a group of fields (FormField)."""
    errors = field.errors
    if isinstance(errors, dict):
        for key in [None, *errors]:
            if errors.get(key):
                return str(errors[key][0])
        return ""
    return str(errors[0]) if errors else ""
