"""Forms for residents' proposals and comments, and for officials handling them."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from eraati.budgeting import photos
from eraati.budgeting.models import ProposalStatus
from eraati.core.forms import choices, email_validators


class ProposalForm(FlaskForm):
    area_id = SelectField(
        _l("Area"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the area of the idea."))],
    )
    title = StringField(
        _l("Title of the idea"),
        validators=[
            DataRequired(message=_l("Give the idea a title.")),
            Length(max=200, message=_l("Use at most %(max)d characters.", max=200)),
        ],
    )
    description = TextAreaField(
        _l("Describe the idea"),
        description=_l("What should be done, where, and who would it help?"),
        validators=[
            DataRequired(message=_l("Describe the idea.")),
            Length(max=5000, message=_l("Use at most %(max)d characters.", max=5000)),
        ],
    )
    estimated_cost = DecimalField(
        _l("Estimated cost in euros (if you know it)"),
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("The cost cannot be negative.")),
        ],
    )
    photo = FileField(
        _l("Photo (optional)"),
        description=_l("A JPEG, PNG or WebP image."),
    )
    remove_photo = BooleanField(_l("Remove the photo"))

    #: (bytes, extension) of a photo that passed the checks.
    checked_photo: tuple[bytes, str] | None = None

    def validate_photo(self, field) -> None:
        if not field.data:  # no file chosen
            return
        try:
            self.checked_photo = photos.read_checked(field.data.stream)
        except photos.PhotoProblem as problem:
            if problem.code == "too_large":
                size = format_decimal(photos.max_bytes() / (1024 * 1024), "#,##0.#")
                raise ValidationError(
                    _l(
                        "The photo is too large. Choose a photo of at most %(size)s MB.",
                        size=size,
                    )
                ) from None
            raise ValidationError(
                _l("The photo must be a JPEG, PNG or WebP image.")
            ) from None


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(message=_l("Write a comment.")),
            Length(max=2000, message=_l("Use at most %(max)d characters.", max=2000)),
        ],
    )


class OutcomeForm(FlaskForm):
    status = RadioField(
        _l("What happened to the idea"),
        choices=choices(
            [
                (ProposalStatus.LINKED.value, _l("It became a project")),
                (ProposalStatus.REJECTED.value, _l("It will not become a project")),
            ]
        ),
        validators=[InputRequired(message=_l("Choose what happened to the idea."))],
    )
    project_id = SelectField(_l("The project it became"), validate_choice=False)
    note = TextAreaField(
        _l("Reason or note (published)"),
        description=_l("Required when the idea will not become a project."),
        validators=[Length(max=2000)],
    )

    #: Ids (as text) of the projects an idea may be linked to; set by the view.
    project_ids: frozenset[str] = frozenset()

    def validate_project_id(self, field) -> None:
        if self.status.data != ProposalStatus.LINKED.value:
            return
        if field.data not in self.project_ids:
            raise ValidationError(_l("Choose the project the idea became."))

    def validate_note(self, field) -> None:
        if (
            self.status.data == ProposalStatus.REJECTED.value
            and not (field.data or "").strip()
        ):
            raise ValidationError(
                _l("Give the reason why the idea will not become a project.")
            )


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the comment hidden? (published)"),
        validators=[
            DataRequired(message=_l("Give the reason for hiding the comment.")),
            Length(max=500, message=_l("Use at most %(max)d characters.", max=500)),
        ],
    )


class RepresentativeForm(FlaskForm):
    email = StringField(
        _l("Email address of the person"), validators=email_validators()
    )
