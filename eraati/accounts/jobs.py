"""Scheduled jobs of the accounts domain."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_

from eraati.accounts.models import LoginToken
from eraati.extensions import db

#: Used and expired links are kept a day for support questions, then deleted.
KEEP_USED_TOKENS = timedelta(days=1)


def purge_expired_login_tokens(now: datetime) -> int:
    """Delete sign-in links that can no longer be used; returns how many."""
    cutoff = now - KEEP_USED_TOKENS
    result = db.session.execute(
        delete(LoginToken).where(
            or_(LoginToken.expires_at < cutoff, LoginToken.used_at < cutoff)
        )
    )
    return result.rowcount
