"""Forms officials use to manage organisations, units, panels and memberships."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from eraati.core.forms import choices, email_validators, translated_field
from eraati.panels.models import PanelRole, UnitKind


class OrganisationForm(FlaskForm):
    slug = StringField(
        _l("Short name for addresses"),
        validators=[
            DataRequired(message=_l("Enter a short name.")),
            Length(max=60, message=_l("Use at most %(max)d characters.", max=60)),
            Regexp(
                r"^[a-z0-9-]+$",
                message=_l("Use only small letters a-z, digits and hyphens."),
            ),
        ],
    )
    name = translated_field(_l("Name"))


class UnitForm(FlaskForm):
    kind = RadioField(
        _l("Kind"),
        choices=choices(
            [
                (UnitKind.SERVICE.value, _l("Service unit")),
                (UnitKind.COUNCIL.value, _l("Statutory council")),
            ]
        ),
        default=UnitKind.SERVICE.value,
    )
    name = translated_field(_l("Name"))


class PanelForm(FlaskForm):
    unit_id = SelectField(_l("Unit or council"), coerce=int)
    name = translated_field(_l("Name"))
    description = translated_field(
        _l("Description"), required=False, multiline=True, max_length=2000
    )


class MemberForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=email_validators())
    role = RadioField(
        _l("Role in the panel"),
        choices=choices(
            [
                (PanelRole.MEMBER.value, _l("Member")),
                (PanelRole.MODERATOR.value, _l("Moderator")),
            ]
        ),
        default=PanelRole.MEMBER.value,
    )
