"""A person's data from every domain: the export, and erasure in one transaction.

Services flush and never commit: the view or command commits, so an erasure that
fails half-way leaves nothing changed.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from eraati.accounts import personal_data as accounts
from eraati.accounts.models import Role, User
from eraati.audit import personal_data as audit
from eraati.audit import record
from eraati.budgeting import personal_data as budgeting
from eraati.extensions import db
from eraati.mail import personal_data as mail
from eraati.mail.services import send_unlogged
from eraati.panels import personal_data as panels
from eraati.rooms import personal_data as rooms
from eraati.site import personal_data as site
from eraati.surveys import personal_data as surveys

FORMAT = "eraati-my-data"
VERSION = 1

#: Each domain's part, under its key in the export (docs/my-data-schema.md). A
#: module has ``export(user) -> dict`` and ``erase(user) -> {kind: rows}``; erasure
#: runs in this order, the audit log last (it forgets the person as an actor).
DOMAINS = {
    "account": accounts,
    "panels": panels,
    "surveys": surveys,
    "rooms": rooms,
    "budgeting": budgeting,
    "notifications": mail,
    "site": site,
    "audit": audit,
}

#: Who asked for an erasure, as the audit log records it.
REQUESTED_BY = ("self", "admin", "command_line")


class AlreadyErased(Exception):
    """The account was erased before (a second click, another admin, a rerun)."""


class LastAdmin(Exception):
    """The only active administrator cannot erase themselves: nobody could then
    manage the platform (or process the next erasure request)."""


def is_last_admin(user: User) -> bool:
    if user.role is not Role.ADMIN:
        return False
    others = db.session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.ADMIN,
            User.id != user.id,
            User.is_active_account.is_(True),
            User.erased_at.is_(None),
        )
    )
    return not others


def export_data(user: User, now: datetime) -> dict:
    """Everything held about ``user``, by domain; Python values (see :func:`to_json`)."""
    data = {"format": FORMAT, "version": VERSION, "exported_at": now}
    for key, module in DOMAINS.items():
        data[key] = module.export(user)
    return data


def to_json(data: dict) -> str:
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot put {type(value).__name__} in the export")


def record_export(user: User, *, actor, requested_by: str) -> None:
    record("data.exported", user, actor=actor, requested_by=requested_by)


@dataclass(frozen=True)
class Erasure:
    """What an erasure changed (rows by domain and kind) and where its confirmation
    goes once the transaction has committed (:func:`confirm_erasure`)."""

    counts: dict[str, dict[str, int]]
    email: str
    language: str


def erase_account(
    user: User,
    now: datetime,
    *,
    actor: User | None = None,
    requested_by: str = "self",
    reason: str | None = None,
) -> Erasure:
    """Remove or anonymise everything that names ``user`` and record the erasure.

    What others need stays without the person: messages in transcripts, ideas,
    proposals, invitations (response rates) and the voter list's size (turnout).
    Answers and ballots were never linked to anyone and stay counted. The account
    row stays, emptied, so that its id is never reused (an old session cookie or
    "remember me" cookie names the id). :class:`AlreadyErased` if done before.
    """
    if requested_by not in REQUESTED_BY:
        raise ValueError(f"unknown requester {requested_by!r}")
    if is_last_admin(user):
        raise LastAdmin(user.id)
    # The conditional UPDATE makes two simultaneous requests erase once.
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.erased_at.is_(None))
        .values(erased_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AlreadyErased(user.id)
    user_id, email = user.id, user.email
    language = user.preferred_language or current_app.config["DEFAULT_LANGUAGE"]
    counts = {key: module.erase(user) for key, module in DOMAINS.items()}
    # The bulk statements bypassed the session: reload what it holds.
    db.session.expire_all()
    _empty(db.session.get(User, user_id))
    mail.forget_mail_to(email)
    record(
        "account.erased",
        db.session.get(User, user_id),
        actor=actor,
        requested_by=requested_by,
        reason=reason,
    )
    db.session.flush()
    return Erasure(counts, email, language)


def confirm_erasure(erasure: Erasure) -> bool:
    """Mail the person that their account is gone: call after the commit, so that
    nobody holds a confirmation of an erasure that was rolled back. No log row
    keeps the address."""
    return send_unlogged(
        erasure.email,
        "erasure_confirmed",
        erasure.language,
        _l("Your eRaati account has been deleted"),
    )


def _empty(user: User) -> None:
    user.email = f"erased-{user.id}"  # unique, and no address: nothing mails it
    user.display_name = ""
    user.role = Role.RESIDENT
    user.preferred_language = None
    user.password_hash = None
    user.last_sign_in_at = None
    user.is_active_account = False  # Flask-Login treats the old cookie as signed out


def summary(data: dict) -> list[tuple[str, str, int]]:
    """(domain, kind, number of records) for every non-empty list in an export."""
    return [
        (key, kind, len(value))
        for key in DOMAINS
        for kind, value in data[key].items()
        if isinstance(value, list) and value
    ]
