"""The accounts domain's part of "my data": the profile, consents, sign-in links.

The account row itself is emptied last, by :mod:`eraati.mydata.services`, because
every other domain needs the address and the id until then.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from eraati.accounts.models import ConsentEvent, LoginToken, User
from eraati.extensions import db
from eraati.mydata.rows import changed


def export(user: User) -> dict:
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
            "preferred_language": user.preferred_language,
            "created_at": user.created_at,
            "last_sign_in_at": user.last_sign_in_at,
            "has_password": user.password_hash is not None,
            "can_sign_in": user.is_active_account,
        },
        "consents": [
            {
                "purpose": event.purpose.value,
                "granted": event.granted,
                "at": event.at,
                "text_version": event.text_version,
                "language": event.language,
                "text_shown": event.text_shown,
            }
            for event in db.session.scalars(
                select(ConsentEvent)
                .where(ConsentEvent.user_id == user.id)
                .order_by(ConsentEvent.id)
            )
        ],
        "sign_in_links": [
            {
                "created_at": token.created_at,
                "expires_at": token.expires_at,
                "used_at": token.used_at,
            }
            for token in db.session.scalars(
                select(LoginToken).where(_tokens_of(user)).order_by(LoginToken.id)
            )
        ],
    }


def erase(user: User) -> dict[str, int]:
    """The consent log goes too: the audit log keeps only that an erasure happened."""
    return {
        "consents": changed(
            delete(ConsentEvent).where(ConsentEvent.user_id == user.id)
        ),
        "sign_in_links": changed(delete(LoginToken).where(_tokens_of(user))),
    }


def _tokens_of(user: User):
    # Links asked for the address before the account existed name it by address.
    return or_(LoginToken.user_id == user.id, LoginToken.email == user.email)
