"""Retention: personal data older than its configured period is removed each night.

``apply_retention(now)`` is idempotent: a second run with the same ``now`` finds
nothing left to remove. What serves statistics stays (invitation counts, message
counts, ideas, summaries); what identifies or quotes people goes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, delete, func, literal, or_, select, update

from eraati.accounts.models import LoginToken, Role, User
from eraati.audit import record
from eraati.extensions import db
from eraati.mail.models import MailLog
from eraati.mail.notify import notify
from eraati.rooms.models import Message, MessageReport, RoomSession
from eraati.surveys.models import Invitation, OptIn, Round, RoundState

#: What each count means, for the report to admins (in their language).
KINDS = {
    "opt_in_contacts": _l("Contact details of opt-ins not used for a long time"),
    "mail_log": _l("Old entries of the mail log"),
    "sign_in_links": _l("Used or expired sign-in links"),
    "invitation_links": _l("Invitation links of closed questionnaires"),
    "transcript_messages": _l("Message texts of ended sessions"),
}


def _cutoff(key: str, now: datetime) -> datetime | None:
    days = int(current_app.config[key])
    return now - timedelta(days=days) if days > 0 else None


def apply_retention(now: datetime) -> dict[str, int]:
    """Remove or anonymise what is past its period; returns counts per kind."""
    rules = {
        "opt_in_contacts": ("RETENTION_OPT_IN_DAYS", _opt_in_contacts),
        "mail_log": ("RETENTION_MAIL_LOG_DAYS", _mail_log),
        "sign_in_links": ("RETENTION_TOKEN_DAYS", _sign_in_links),
        "invitation_links": ("RETENTION_TOKEN_DAYS", _invitation_links),
        "transcript_messages": ("RETENTION_TRANSCRIPT_DAYS", _transcripts),
    }
    counts = {}
    for kind, (key, apply) in rules.items():
        cutoff = _cutoff(key, now)
        counts[kind] = apply(cutoff) if cutoff is not None else 0
    db.session.flush()
    return counts


def _changed(statement) -> int:
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount or 0


def _opt_in_contacts(cutoff: datetime) -> int:
    """Contacts without an account go; with one, the copied details are cleared
    (their consent stays in the consent log and on the profile)."""
    stale = func.coalesce(OptIn.last_used_at, OptIn.created_at) < cutoff
    removed = _changed(delete(OptIn).where(stale, OptIn.user_id.is_(None)))
    cleared = _changed(
        update(OptIn)
        .where(
            stale,
            OptIn.user_id.is_not(None),
            or_(OptIn.name != "", OptIn.email.is_not(None), OptIn.phone.is_not(None)),
        )
        .values(name="", email=None, phone=None)
    )
    return removed + cleared


def _mail_log(cutoff: datetime) -> int:
    return _changed(delete(MailLog).where(MailLog.created_at < cutoff))


def _sign_in_links(cutoff: datetime) -> int:
    return _changed(
        delete(LoginToken).where(
            or_(LoginToken.expires_at < cutoff, LoginToken.used_at < cutoff)
        )
    )


def _invitation_links(cutoff: datetime) -> int:
    """The link stops working and no longer says who was invited; the row stays
    so that response rates still add up."""
    closed_rounds = select(Round.id).where(
        Round.state == RoundState.CLOSED, Round.closes_at < cutoff
    )
    return _changed(
        update(Invitation)
        .where(Invitation.round_id.in_(closed_rounds), Invitation.nonce != "")
        .values(
            user_id=None,
            nonce="",
            # Unique and never a SHA-256 hex digest, so no token matches it.
            token_hash=literal("retired-") + cast(Invitation.id, String),
        )
    )


def _transcripts(cutoff: datetime) -> int:
    """Message texts go; the rows stay, so counts, ideas and summaries remain."""
    ended = select(RoomSession.id).where(RoomSession.ends_at < cutoff)
    old_messages = select(Message.id).where(Message.session_id.in_(ended))
    _changed(
        update(MessageReport)
        .where(MessageReport.message_id.in_(old_messages), MessageReport.reason != "")
        .values(reason="")
    )
    return _changed(
        update(Message)
        .where(
            Message.session_id.in_(ended),
            or_(Message.body != "", Message.hidden_reason.is_not(None)),
        )
        .values(body="", hidden_reason=None)
    )


def run_retention(now: datetime) -> dict[str, int]:
    """The nightly job: apply retention, record it, and tell the admins if it
    removed anything."""
    counts = apply_retention(now)
    record("retention.run", actor=None, **counts)
    if any(counts.values()):
        for admin in db.session.scalars(
            select(User).where(
                and_(User.role == Role.ADMIN, User.is_active_account.is_(True))
            )
        ):
            notify(
                admin,
                None,
                "retention_report",
                _l("Retention: old personal data was removed"),
                counts=[(KINDS[kind], count) for kind, count in counts.items()],
            )
    return counts
