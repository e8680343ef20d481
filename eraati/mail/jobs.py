"""The digest job: one mail per person per day or week with their queued notices."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from eraati.accounts.models import User
from eraati.core.time import as_utc
from eraati.extensions import db
from eraati.mail import preferences
from eraati.mail.models import Delivery, NotificationSettings, QueuedNotice
from eraati.mail.notify import notice_links
from eraati.mail.services import send_mail

#: Weekly digests go out on Mondays (0); a notice waiting longer goes out anyway.
WEEKLY_DIGEST_DAY = 0
WEEK = timedelta(days=7)

SUBJECTS = {
    Delivery.DAILY: _l("Your daily digest of notices from eRaati"),
    Delivery.WEEKLY: _l("Your weekly digest of notices from eRaati"),
    Delivery.IMMEDIATE: _l("Your notices from eRaati"),
}


def send_digests(now: datetime) -> int:
    """Send each due digest once and empty its queue; returns how many mails."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    today = now.astimezone(zone).date()
    user_ids = db.session.scalars(select(QueuedNotice.user_id).distinct()).all()
    sent = 0
    for user_id in sorted(user_ids):
        user = db.session.get(User, user_id)
        settings = db.session.get(
            NotificationSettings, user_id
        ) or NotificationSettings(user_id=user_id, delivery=Delivery.IMMEDIATE)
        notices = db.session.scalars(
            select(QueuedNotice)
            .where(QueuedNotice.user_id == user_id)
            .order_by(QueuedNotice.id)
        ).all()
        if not _due(settings, notices[0].created_at, now, today, zone):
            continue
        sent += _send_digest(user, settings.delivery, notices)
        db.session.execute(
            delete(QueuedNotice).where(
                QueuedNotice.id.in_([notice.id for notice in notices])
            )
        )
        settings.last_digest_at = now
        db.session.add(settings)
    db.session.flush()
    return sent


def _due(settings, oldest: datetime, now, today: date, zone) -> bool:
    last = settings.last_digest_at
    days_since = (today - last.astimezone(zone).date()).days if last else None
    if settings.delivery is Delivery.DAILY:
        return days_since is None or days_since >= 1
    if settings.delivery is Delivery.WEEKLY:
        on_the_day = today.weekday() == WEEKLY_DIGEST_DAY and days_since != 0
        return on_the_day or as_utc(oldest) <= now - WEEK
    return True  # back to single mails: send what waited


def _send_digest(user: User, delivery: Delivery, notices) -> int:
    """Mail the notices the person still wants; 0 if none is left."""
    if user is None or not user.email or not user.is_active_account:
        return 0
    wanted = preferences.choices(user)
    notices = [notice for notice in notices if wanted[notice.category]]
    if not notices:
        return 0
    language = user.preferred_language or notices[0].language
    send_mail(
        user.email,
        "digest",
        language,
        SUBJECTS[delivery],
        notices=notices,
        **notice_links(user, None),
    )
    return 1
