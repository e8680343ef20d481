"""Forms for accessibility feedback and for editing the statutory pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from eraati.core.forms import translated_field


class FeedbackForm(FlaskForm):
    message = TextAreaField(
        _l("Your feedback"),
        validators=[
            DataRequired(message=_l("Write your feedback.")),
            Length(max=5000, message=_l("Use at most %(max)d characters.", max=5000)),
        ],
        description=_l("Tell us what was hard to use and on which page."),
    )
    contact_email = EmailField(
        _l("Email address for our answer (optional)"),
        validators=[
            Optional(),
            Length(max=254, message=_l("The email address is too long.")),
            Email(
                message=_l("Enter the email address in the form name@example.fi."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )
    page_address = HiddenField()


class PageForm(FlaskForm):
    title = translated_field(_l("Title"))
    body = translated_field(_l("Text"), multiline=True, max_length=20000)
