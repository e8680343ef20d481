"""Scheduled jobs of the e-panel: functions of ``now`` that reconcile state.

Each one looks for what is due and not yet done, so running it twice, or late after a
restart, does the right thing once.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eraati.accounts.models import User
from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.mail.notify import Category, notify
from eraati.surveys import services
from eraati.surveys.models import (
    Invitation,
    MonthlySeries,
    Round,
    RoundKind,
    RoundState,
)


def open_due_rounds(now: datetime) -> int:
    """Open scheduled rounds whose opening time has come."""
    due = db.session.scalars(
        select(Round).where(
            Round.state == RoundState.SCHEDULED,
            Round.opens_at <= now,
            Round.closes_at > now,
        )
    ).all()
    for round_ in due:
        services.open_round(round_, now)
    return len(due)


def close_due_rounds(now: datetime) -> int:
    """Close open (or never opened) rounds whose closing time has passed."""
    due = db.session.scalars(
        select(Round).where(
            Round.state.in_([RoundState.OPEN, RoundState.SCHEDULED]),
            Round.closes_at <= now,
        )
    ).all()
    for round_ in due:
        services.close_round(round_, now)
    return len(due)


def _open_invitations(now: datetime, *conditions):
    """Invitations of open rounds (with their round and person) matching ``conditions``."""
    return db.session.execute(
        select(Invitation, Round, User)
        .join(Round, Round.id == Invitation.round_id)
        .join(User, User.id == Invitation.user_id)
        .where(Round.state == RoundState.OPEN, Round.closes_at > now, *conditions)
        .order_by(Invitation.id)
    ).all()


def send_due_invitations(now: datetime) -> int:
    """Mail each invitation not yet sent, in the invitee's language."""
    rows = _open_invitations(now, Invitation.sent_at.is_(None))
    subject = _l("A new questionnaire from your panel")
    for invitation, round_, user in rows:
        _mail(invitation, round_, user, "survey_invitation", subject)
        invitation.sent_at = now
    return len(rows)


def send_due_reminders(now: datetime) -> int:
    """Remind those who have not answered, once, when the reminder time has come."""
    rows = _open_invitations(
        now,
        Round.remind_at.is_not(None),
        Round.remind_at <= now,
        Invitation.sent_at.is_not(None),
        Invitation.reminded_at.is_(None),
        Invitation.answered.is_(False),
    )
    subject = _l("Reminder: your answers are still welcome")
    for invitation, round_, user in rows:
        _mail(invitation, round_, user, "survey_reminder", subject)
        invitation.reminded_at = now
    return len(rows)


def _mail(
    invitation: Invitation, round_: Round, user: User, template: str, subject
) -> None:
    timezone = ZoneInfo(current_app.config["TIMEZONE"])
    reminder = template == "survey_reminder"
    notify(
        user,
        Category.REMINDERS if reminder else Category.INVITATIONS,
        template,
        subject,
        fallback_language=invitation.language,
        link=public_url("surveys.invited", token=services.invitation_token(invitation)),
        title=round_.questionnaire.title,
        closes_at=round_.closes_at.astimezone(timezone),
    )


def schedule_monthly_rounds(now: datetime) -> int:
    """Create next month's round for every active monthly series (once per month)."""
    timezone = current_app.config["TIMEZONE"]
    local = now.astimezone(ZoneInfo(timezone))
    year, month = (
        (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    )
    created = 0
    for series in db.session.scalars(
        select(MonthlySeries).where(MonthlySeries.is_active)
    ):
        for target in ((local.year, local.month), (year, month)):
            opens_at, closes_at = services.month_window(*target, timezone)
            if closes_at <= now or _round_exists(series, opens_at):
                continue
            services.schedule_round(
                series.questionnaire,
                opens_at,
                closes_at,
                panel=series.panel,
                audience=series.audience,
                kind=RoundKind.SLOW,
            )
            created += 1
    return created


def _round_exists(series: MonthlySeries, opens_at: datetime) -> bool:
    return (
        db.session.scalar(
            select(Round.id).where(
                Round.panel_id == series.panel_id,
                Round.questionnaire_id == series.questionnaire_id,
                Round.opens_at == opens_at,
            )
        )
        is not None
    )
