"""Forms of the survey pages (questions themselves are read by ``logic``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import Email, Length, Optional, Regexp


class OptInForm(FlaskForm):
    """Contact details for deeper participation: stored apart from the answers."""

    deeper_surveys = BooleanField(_l("Invite me to deeper questionnaires"))
    live_sessions = BooleanField(_l("Invite me to live sessions"))
    name = StringField(
        _l("Your name"),
        validators=[
            Optional(),
            Length(max=120, message=_l("Use at most %(max)d characters.", max=120)),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            Optional(),
            Length(max=254, message=_l("The email address is too long.")),
            Email(
                message=_l("Enter the email address in the form name@example.fi."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    phone = StringField(
        _l("Phone number"),
        validators=[
            Optional(),
            Length(max=40, message=_l("Use at most %(max)d characters.", max=40)),
            Regexp(
                r"^\+?[0-9 ()-]{5,}$",
                message=_l(
                    "Write the phone number with digits, for example 040 123 4567."
                ),
            ),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not (self.deeper_surveys.data or self.live_sessions.data):
            self.deeper_surveys.errors.append(
                _l("Choose at least one way to take part.")
            )
            valid = False
        if valid and not (self.email.data or self.phone.data):
            self.email.errors.append(
                _l(
                    "Give an email address or a phone number so that we can contact you."
                )
            )
            valid = False
        return valid
