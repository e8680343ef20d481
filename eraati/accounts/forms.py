"""Forms for signing in and for the profile page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from eraati.config import LANGUAGES
from eraati.core.forms import choices, email_validators
from eraati.core.i18n import LANGUAGE_NAMES

EMAIL_VALIDATORS = email_validators()


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=EMAIL_VALIDATORS,
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    next = HiddenField()


class ConfirmSignInForm(FlaskForm):
    """Only the POST of this form signs in: mail scanners open links with GET."""


class PasswordSignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=EMAIL_VALIDATORS,
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Name or pseudonym"),
        validators=[
            Optional(),
            Length(max=80, message=_l("Use at most 80 characters.")),
        ],
        description=_l("Others see this name in discussions. You can use a pseudonym."),
        render_kw={"autocomplete": "nickname"},
    )
    preferred_language = RadioField(
        _l("Language"),
        choices=choices((code, LANGUAGE_NAMES[code]) for code in LANGUAGES),
    )
    email = EmailField(
        _l("Contact email"),
        validators=EMAIL_VALIDATORS,
        description=_l(
            "If you change it, we send a link to the new address to confirm it."
        ),
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    deeper_surveys = BooleanField()
    live_sessions = BooleanField()


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Enter a password.")),
            Length(min=12, max=200, message=_l("Use 12 to 200 characters.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


ROLE_LABELS = {
    "resident": _l("Resident"),
    "moderator": _l("Moderator"),
    "official": _l("Official"),
    "council": _l("Council member"),
    "admin": _l("Administrator"),
}


class UserForm(FlaskForm):
    """An admin adds an account or changes its role."""

    email = EmailField(_l("Email address"), validators=email_validators())
    display_name = StringField(
        _l("Name or pseudonym"),
        validators=[
            Optional(),
            Length(max=80, message=_l("Use at most 80 characters.")),
        ],
    )
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))
    active = BooleanField(_l("Can sign in"))
