"""The opt-in pool of a panel: listing, withdrawing, and inviting it to a round.

People in the pool with an account are invited like members, by the invitation job
when the round opens. Contacts who left only an email address have no account, so
they get a personal invitation link (an :class:`Invitation` without a user) mailed
when the round is scheduled: the email is in hand then and is never stored with it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import LazyString, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from eraati.accounts.models import ConsentPurpose, User
from eraati.accounts.services import record_consent
from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.mail.services import send_mail
from eraati.surveys import services
from eraati.surveys.models import Audience, Invitation, OptIn, Round
from eraati.surveys.services import _hash as hash_token  # the one invitation hash


def active_opt_ins(panel_id: int) -> list[OptIn]:
    """The panel's pool, newest first, without those who withdrew."""
    return list(
        db.session.scalars(
            select(OptIn)
            .where(OptIn.panel_id == panel_id, OptIn.withdrawn_at.is_(None))
            .order_by(OptIn.created_at.desc(), OptIn.id.desc())
        )
    )


def withdraw(opt_in: OptIn, now: datetime) -> OptIn:
    """Take a contact out of the pool (and out of the person's consents, if any)."""
    if opt_in.withdrawn_at is None:
        opt_in.withdrawn_at = now
        if opt_in.user_id is not None:
            _withdraw_consents(opt_in, now)
    db.session.flush()
    return opt_in


def _withdraw_consents(opt_in: OptIn, now: datetime) -> None:
    user = db.session.get(User, opt_in.user_id)
    chosen = [
        purpose
        for purpose, flag in (
            (ConsentPurpose.DEEPER_SURVEYS, opt_in.deeper_surveys),
            (ConsentPurpose.LIVE_SESSIONS, opt_in.live_sessions),
        )
        if flag
    ]
    for purpose in chosen:
        record_consent(user, purpose, False, opt_in.language, now)


def invite_contacts(round_: Round, now: datetime) -> int:
    """Mark the pool invited and mail personal links to contacts without an account."""
    if round_.audience is not Audience.OPT_IN or round_.panel_id is None:
        return 0
    # Once per round: a second call finds the account-less invitations made.
    if _has_contact_invitations(round_):
        return 0
    pool = [row for row in active_opt_ins(round_.panel_id) if row.deeper_surveys]
    for row in pool:
        row.last_used_at = now
    # Someone in the pool with an account is invited through it, not twice.
    covered = {user.email for user in services.audience_users(round_)}
    mailed = 0
    for email, language in _email_contacts(pool, covered):
        _mail_invitation(round_, _contact_invitation(round_, language), email, now)
        mailed += 1
    db.session.flush()
    return mailed


def phone_only_count(panel_id: int) -> int:
    """Pool contacts for deeper questionnaires that can only be phoned."""
    return sum(
        1
        for row in active_opt_ins(panel_id)
        if row.deeper_surveys and row.user_id is None and not row.email
    )


def _has_contact_invitations(round_: Round) -> bool:
    return (
        db.session.scalar(
            select(Invitation.id).where(
                Invitation.round_id == round_.id, Invitation.user_id.is_(None)
            )
        )
        is not None
    )


def _email_contacts(pool: list[OptIn], covered: set[str]) -> list[tuple[str, str]]:
    """``(email, language)`` of account-less contacts, once per address."""
    seen = set(covered)
    found = []
    for row in pool:
        email = (row.email or "").strip().lower()
        if row.user_id is None and email and email not in seen:
            seen.add(email)
            found.append((email, row.language))
    return found


def _contact_invitation(round_: Round, language: str) -> Invitation:
    invitation = Invitation(
        round_id=round_.id,
        user_id=None,
        nonce=secrets.token_hex(16),
        language=language,
        token_hash="",
    )
    db.session.add(invitation)
    db.session.flush()  # the token is derived from the id
    invitation.token_hash = hash_token(services.invitation_token(invitation))
    return invitation


def _mail_invitation(
    round_: Round, invitation: Invitation, email: str, now: datetime
) -> None:
    timezone = ZoneInfo(current_app.config["TIMEZONE"])
    send_mail(
        email,
        "survey_invitation",
        invitation.language,
        _subject(round_, now),
        link=public_url("surveys.invited", token=services.invitation_token(invitation)),
        title=round_.title or round_.questionnaire.title,
        closes_at=round_.closes_at.astimezone(timezone),
        # No account, so no notification settings: the link takes them off the list.
        unsubscribe_url=public_url(
            "pool_stop.stop_invitations", token=stop_token(email)
        ),
        unsubscribe_all=True,
        footer_reason=_l(
            "You get this because you asked to be invited to deeper questionnaires "
            "or live sessions."
        ),
    )
    invitation.sent_at = now


def _subject(round_: Round, now: datetime) -> LazyString:
    """The subject (lazy: rendered in the recipient's language), naming a later opening."""
    opens_at = round_.opens_at

    def render() -> str:
        if opens_at <= now:
            return _("An invitation to a deeper questionnaire")
        return _(
            "An invitation to a deeper questionnaire, open from %(date)s",
            date=format_datetime(opens_at, "short"),
        )

    return LazyString(render)


# --- The stop link for contacts without an account (pool_stop.py) ---------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="pool-stop")


def _digest(email: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def stop_token(email: str) -> str:
    return _serializer().dumps(_digest(email))


def opt_ins_of(token: str) -> list[OptIn] | None:
    """The active opt-ins the link's address left; None for a forged link."""
    try:
        digest = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(digest, str):
        return None
    active = db.session.scalars(
        select(OptIn).where(OptIn.withdrawn_at.is_(None), OptIn.email.is_not(None))
    )
    return [o for o in active if hmac.compare_digest(_digest(o.email), digest)]


def stop(opt_ins: list[OptIn], now: datetime) -> int:
    for opt_in in opt_ins:
        withdraw(opt_in, now)
    return len(opt_ins)
