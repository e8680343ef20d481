"""Forms of the session pages: scheduling, agenda, guests, summary and idea status."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, Optional

from eraati.core.forms import (
    choices,
    clean_translations,
    email_validators,
    translated_field,
)
from eraati.rooms import labels
from eraati.rooms.messages import error_text
from eraati.rooms.rules import IDEA_TRANSITIONS, MAX_REASON_LENGTH, IdeaStatus

SUMMARY_LENGTH = 10_000
#: Which field shows which scheduling refusal.
SCHEDULE_ERROR_FIELDS = {
    "starts_in_past": "day",
    "ends_before_start": "ends",
    "short_notice_reason_required": "short_notice_reason",
}


def local_to_utc(day: date, clock: time, timezone: str) -> datetime | None:
    """The UTC instant of a wall-clock time; None for the hour skipped in spring.

    A time repeated in autumn means its first occurrence (fold=0).
    """
    zone = ZoneInfo(timezone)
    naive = datetime.combine(day, clock)
    instant = naive.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return instant


class SessionForm(FlaskForm):
    """A session's title, times (Finnish time), material and audience."""

    title = translated_field(_l("Title"))
    description = translated_field(
        _l("Description"), required=False, multiline=True, max_length=2000
    )
    day = DateField(
        _l("Date"),
        validators=[InputRequired(message=_l("Enter a date."))],
        format=["%Y-%m-%d", "%d.%m.%Y"],
        description=_l("For example 31.3.2027."),
    )
    starts = TimeField(
        _l("Starts (Finnish time)"),
        validators=[InputRequired(message=_l("Enter a time."))],
        format=["%H:%M", "%H.%M"],
    )
    ends = TimeField(
        _l("Ends (Finnish time)"),
        validators=[InputRequired(message=_l("Enter a time."))],
        format=["%H:%M", "%H.%M"],
    )
    agenda = translated_field(
        _l("Agenda, one item per line"),
        required=False,
        multiline=True,
        max_length=4000,
    )
    material = translated_field(
        _l("Material to review (optional)"),
        required=False,
        multiline=True,
        max_length=10_000,
    )
    material_url = URLField(
        _l("Link to the material (optional)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Use at most %(max)d characters.", max=500)),
            URL(message=_l("Enter an address that starts with https://.")),
        ],
    )
    invite_members = BooleanField(_l("Invite the panel's members"), default=True)
    invite_opt_in_pool = BooleanField(
        _l("Invite the people who volunteered for live sessions")
    )
    short_notice_reason = TextAreaField(
        _l("Reason for the short notice"),
        validators=[
            Length(max=2000, message=_l("Use at most %(max)d characters.", max=2000))
        ],
        description=_l(
            "Needed when the session starts in under three days. Participants see it."
        ),
    )

    def validate(self, extra_validators=None) -> bool:
        """Also turn the local date and times into UTC instants (``starts_utc``...)."""
        valid = super().validate(extra_validators)
        self.starts_utc = self.ends_utc = None
        if valid:
            timezone = current_app.config["TIMEZONE"]
            self.starts_utc = self._instant(self.starts, timezone)
            self.ends_utc = self._instant(self.ends, timezone)
        return valid and self.starts_utc is not None and self.ends_utc is not None

    def _instant(self, field, timezone: str) -> datetime | None:
        instant = local_to_utc(self.day.data, field.data, timezone)
        if instant is None:
            field.errors.append(
                _l(
                    "That time does not exist: the clocks move forward an hour that "
                    "night. Choose another time."
                )
            )
        return instant

    def session_fields(self) -> dict:
        """The session's columns from the form (times and agenda apart)."""
        return {
            "title": clean_translations(self.title.data),
            "description": clean_translations(self.description.data),
            "material": clean_translations(self.material.data),
            "material_url": self.material_url.data or None,
            "invite_members": self.invite_members.data,
            "invite_opt_in_pool": self.invite_opt_in_pool.data,
            "short_notice_reason": self.short_notice_reason.data,
        }

    @staticmethod
    def data_of(session) -> dict:
        """What the form shows for a saved session, times on the Helsinki clock."""
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        starts = session.starts_at.astimezone(zone)
        ends = session.ends_at.astimezone(zone)
        return {
            "title": dict(session.title),
            "description": dict(session.description),
            "material": dict(session.material),
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "material_url": session.material_url,
            "invite_members": session.invite_members,
            "invite_opt_in_pool": session.invite_opt_in_pool,
            "short_notice_reason": session.short_notice_reason,
        }

    def refused(self, error) -> None:
        """Show a scheduling refusal (``RoomError``) at the field it is about."""
        field = getattr(self, SCHEDULE_ERROR_FIELDS.get(error.code, "day"))
        field.errors.append(error_text(error.code, error.details))

    def agenda_items(self) -> list[dict[str, str]]:
        """The agenda lines as multilingual items, matched by line number."""
        lines = {
            language: [
                line.strip() for line in (text or "").splitlines() if line.strip()
            ]
            for language, text in self.agenda.data.items()
        }
        count = max((len(items) for items in lines.values()), default=0)
        return [
            {lang: items[n] for lang, items in lines.items() if n < len(items)}
            for n in range(count)
        ]


class AgendaItemForm(FlaskForm):
    title = translated_field(_l("New agenda item"))


class GuestForm(FlaskForm):
    email = EmailField(
        _l("Email address of the guest"),
        validators=email_validators(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description=_l(
            "The guest needs an account in eRaati, for example a council member."
        ),
    )


class SummaryForm(FlaskForm):
    summary = translated_field(_l("Summary"), multiline=True, max_length=SUMMARY_LENGTH)


class IdeaStatusForm(FlaskForm):
    status = SelectField(
        _l("New status"),
        invalid_choice_message=_l("Choose a status."),
    )
    reason = TextAreaField(
        _l("Reason or note"),
        validators=[
            Length(
                max=MAX_REASON_LENGTH,
                message=_l("Use at most %(max)d characters.", max=MAX_REASON_LENGTH),
            )
        ],
        description=_l(
            "Required when the idea does not go ahead: people are told why."
        ),
    )

    def limit_to(self, current: IdeaStatus) -> None:
        """Offer only the statuses the idea can move to from ``current``."""
        allowed = [s for s in IdeaStatus if s in IDEA_TRANSITIONS[current]]
        self.status.choices = choices((s.value, labels.IDEA_STATUS[s]) for s in allowed)
