"""Confirming an erasure: the person ticks a box; an admin also gives a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.validators import AnyOf, DataRequired

from eraati.core.forms import choices

#: Why an admin erases an account on someone's behalf: codes, so that the audit
#: log never holds free text about the person.
ERASE_REASONS = {
    "asked_in_writing": _l("The person asked for it in writing or by email"),
    "asked_in_person": _l("The person asked for it in person or by phone"),
    "other": _l("Another reason, documented outside eRaati"),
}


class DeleteAccountForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, delete my account and my personal data"),
        validators=[
            DataRequired(
                message=_l(
                    "Tick the box to confirm that you want to delete your account."
                )
            )
        ],
    )


_REASON_MISSING = _l("Choose why the account is deleted.")


class AdminEraseForm(FlaskForm):
    reason = RadioField(
        _l("Why is the account deleted?"),
        choices=choices(ERASE_REASONS.items()),
        # Our own message for a missing or unknown value, not WTForms' English one.
        validate_choice=False,
        validators=[AnyOf(list(ERASE_REASONS), message=_REASON_MISSING)],
    )
    confirm = BooleanField(
        _l("I have checked that the request comes from this person"),
        validators=[DataRequired(message=_l("Tick the box to confirm the deletion."))],
    )
