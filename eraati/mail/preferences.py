"""People's notification choices and the signed unsubscribe links in every notice."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.mail.models import (
    Category,
    Delivery,
    NotificationPreference,
    NotificationSettings,
)

#: An unsubscribe link works this long; a mail older than that is rarely acted on.
UNSUBSCRIBE_LINK_LIFETIME = timedelta(days=400)
#: In a link, the digest's "stop everything" instead of one category.
ALL_CATEGORIES = "all"


class UnsubscribeLinkError(Exception):
    """A link that cannot be used; ``reason`` is ``invalid`` or ``expired``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def choices(user) -> dict[Category, bool]:
    """Whether each category goes by email (default: yes)."""
    chosen = dict.fromkeys(Category, True)
    for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    ):
        chosen[row.category] = row.by_email
    return chosen


def wants_email(user, category: Category) -> bool:
    by_email = db.session.scalar(
        select(NotificationPreference.by_email).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.category == category,
        )
    )
    return by_email is not False


def delivery(user) -> Delivery:
    settings = db.session.get(NotificationSettings, user.id)
    return settings.delivery if settings else Delivery.IMMEDIATE


def set_choice(user, category: Category, by_email: bool, now: datetime) -> bool:
    """Save one category's choice; returns whether it changed."""
    row = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.category == category,
        )
    )
    if row is None:
        if by_email:
            return False  # the default already
        row = NotificationPreference(user_id=user.id, category=category)
        db.session.add(row)
    elif row.by_email == by_email:
        return False
    row.by_email, row.updated_at = by_email, now
    db.session.flush()
    return True


def set_delivery(user, value: Delivery) -> None:
    settings = db.session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings(user_id=user.id)
        db.session.add(settings)
    settings.delivery = value
    db.session.flush()


def unsubscribe(user, category: Category | None, now: datetime) -> int:
    """Stop one category (None: all of them) by email; returns how many changed."""
    targets = list(Category) if category is None else [category]
    return sum(set_choice(user, each, False, now) for each in targets)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user, category: Category | None, now: datetime | None = None):
    """A signed token naming the person and category, with the day it was made."""
    issued = int((now or utcnow()).timestamp())
    return _serializer().dumps([user.id, category or ALL_CATEGORIES, issued])


def read_unsubscribe_token(token: str, now: datetime) -> tuple[int, Category | None]:
    """``(user_id, category or None for all)``; :class:`UnsubscribeLinkError` if bad."""
    try:
        user_id, category, issued = _serializer().loads(token)
        category = None if category == ALL_CATEGORIES else Category(category)
        issued_at = datetime.fromtimestamp(int(issued), now.tzinfo)
    except (BadSignature, TypeError, ValueError, OverflowError) as error:
        raise UnsubscribeLinkError("invalid") from error
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise UnsubscribeLinkError("invalid")
    if issued_at + UNSUBSCRIBE_LINK_LIFETIME < now:
        raise UnsubscribeLinkError("expired")
    return user_id, category
