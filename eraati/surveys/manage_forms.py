"""Forms of the round operations pages (staff-keyed answers are read by ``logic``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
)
from wtforms.validators import InputRequired, Optional

from eraati.core.forms import choices, translated_field
from eraati.core.i18n import LANGUAGE_NAMES
from eraati.core.time import utcnow
from eraati.surveys.models import Audience, Channel

AUDIENCE_LABELS = {
    Audience.MEMBERS: _l("Every member of the panel"),
    Audience.SAMPLE: _l("A random sample of the members"),
    Audience.OPT_IN: _l("The opt-in pool (a deeper questionnaire)"),
    Audience.PUBLIC: _l("Anyone with the open link"),
}
CHANNEL_LABELS = {
    Channel.ONLINE: _l("Online"),
    Channel.PAPER: _l("Paper form"),
    Channel.EVENT: _l("At an event"),
    Channel.INTERVIEW: _l("Interview"),
}
#: Typed forms are accepted too, for browsers without a date and time picker.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M"]
NOTE_LENGTH = 4000


def local_to_utc(naive: datetime, timezone: str) -> datetime | None:
    """The UTC instant of a wall-clock time; None for the hour skipped in spring."""
    # A repeated autumn hour means its first occurrence (summer time, fold=0).
    zone = ZoneInfo(timezone)
    instant = naive.replace(tzinfo=zone).astimezone(UTC)
    # A skipped time does not survive the round trip back to the wall clock.
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return instant


def utc_to_local(instant: datetime, timezone: str) -> datetime:
    """The naive wall-clock time an input shows for a UTC instant."""
    return instant.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def _local_field(label) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        format=LOCAL_FORMATS,
        invalid_value_message=_l("Enter a date and time, for example 1.3.2027 09:00."),
        validators=[InputRequired(message=_l("Enter a date and time."))],
    )


class ScheduleForm(FlaskForm):
    """A round: which questionnaire, when (local time) and who is asked."""

    questionnaire_id = SelectField(
        _l("Questionnaire"),
        coerce=int,
        invalid_value_message=_l("Choose a questionnaire."),
        invalid_choice_message=_l("Choose a questionnaire."),
    )
    title = translated_field(
        _l("Title shown to respondents (optional)"), required=False
    )
    opens_at = _local_field(_l("Opens (Finnish time)"))
    closes_at = _local_field(_l("Closes (Finnish time)"))
    audience = RadioField(
        _l("Who is asked"),
        choices=choices((a.value, label) for a, label in AUDIENCE_LABELS.items()),
        default=Audience.MEMBERS.value,
        invalid_choice_message=_l("Choose who is asked."),
    )
    sample_size = IntegerField(
        _l("Size of the random sample"),
        validators=[Optional()],
        description=_l(
            "Only for a random sample. A sample larger than the panel asks everyone."
        ),
        invalid_value_message=_l("Write the sample size as a whole number."),
        render_kw={"min": 1, "inputmode": "numeric", "class": "short"},
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        timezone = current_app.config["TIMEZONE"]
        self.opens_utc = self._utc(self.opens_at, timezone)
        self.closes_utc = self._utc(self.closes_at, timezone)
        if self.opens_utc and self.closes_utc and self.closes_utc <= self.opens_utc:
            self.closes_at.errors.append(
                _l("The closing time must be after the opening time.")
            )
        elif self.closes_utc and self.closes_utc <= utcnow():
            self.closes_at.errors.append(_l("The closing time has already passed."))
        if (
            self.audience.data == Audience.SAMPLE.value
            and not self.sample_size.errors
            and (self.sample_size.data is None or self.sample_size.data < 1)
        ):
            self.sample_size.errors.append(
                _l("Give a sample size of at least 1 for a random sample.")
            )
        return valid and not any(field.errors for field in self)

    @staticmethod
    def _utc(field, timezone: str) -> datetime | None:
        if field.errors or field.data is None:
            return None
        instant = local_to_utc(field.data, timezone)
        if instant is None:
            field.errors.append(
                _l(
                    "That time does not exist: the clocks move forward an hour that night. Choose another time."
                )
            )
        return instant


class SeriesForm(FlaskForm):
    """A standing monthly questionnaire; the monthly job makes each month's round."""

    questionnaire_id = SelectField(
        _l("Questionnaire"),
        coerce=int,
        invalid_value_message=_l("Choose a questionnaire."),
        invalid_choice_message=_l("Choose a questionnaire."),
    )
    # A monthly sample needs a size per round and the pool invites contacts by
    # hand, so a series asks every member or anyone with the link.
    audience = RadioField(
        _l("Who is asked each month"),
        choices=choices(
            (a.value, AUDIENCE_LABELS[a]) for a in (Audience.MEMBERS, Audience.PUBLIC)
        ),
        default=Audience.MEMBERS.value,
        invalid_choice_message=_l("Choose who is asked."),
    )


class EntryForm(FlaskForm):
    """How staff-keyed answers were collected; the questions are read by ``logic``."""

    channel = RadioField(
        _l("How the answers were collected"),
        choices=choices(
            (c.value, CHANNEL_LABELS[c])
            for c in (Channel.PAPER, Channel.EVENT, Channel.INTERVIEW)
        ),
        default=Channel.PAPER.value,
        invalid_choice_message=_l(
            "Choose how the answers were collected: on paper, at an event or in an interview."
        ),
    )
    language = RadioField(
        _l("Language of the answers"),
        choices=choices(LANGUAGE_NAMES.items()),
        invalid_choice_message=_l("Choose the language of the answers."),
    )


class FastPointForm(FlaskForm):
    questionnaire_id = SelectField(
        _l("Question"),
        coerce=int,
        invalid_value_message=_l("Choose a one-question questionnaire."),
        invalid_choice_message=_l("Choose a one-question questionnaire."),
    )


class NoteForm(FlaskForm):
    """The "what we will do" note of a publication, or a later status update."""

    note = translated_field(
        _l("What we will do"), multiline=True, max_length=NOTE_LENGTH
    )
