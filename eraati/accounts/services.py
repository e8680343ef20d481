"""Sign-in links, accounts, passwords and consents. Services flush; callers commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from eraati.accounts.consents import CONSENT_TEXTS
from eraati.accounts.models import ConsentEvent, ConsentPurpose, LoginToken, Role, User
from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.mail.services import send_mail

_password_hasher = PasswordHasher()


class SignInLinkError(Exception):
    """A sign-in link that cannot be used; ``reason`` is invalid, expired or used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class AccountError(ValueError):
    """Input that cannot become an account (bad email, unknown role, taken address)."""


def normalise_email(raw: str) -> str:
    """A lower-cased, syntactically valid address, or :class:`AccountError`."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(str(error)) from error
    return result.normalized.lower()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_login_token(
    email: str,
    language: str,
    now: datetime,
    next_path: str | None = None,
    user_id: int | None = None,
) -> str:
    """Store a one-time token for ``email`` and return the secret part for the link.

    With ``user_id`` the token confirms a new contact address for that account.
    """
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["LOGIN_TOKEN_MINUTES"]
    db.session.add(
        LoginToken(
            token_hash=_hash_token(token),
            email=email,
            next_path=next_path,
            language=language,
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    db.session.flush()
    return token


def login_link(token: str) -> str:
    return public_url("accounts.confirm_link", token=token)


def send_sign_in_link(
    email: str, language: str, now: datetime, next_path: str | None
) -> None:
    """Mail a sign-in link; unknown addresses get one too and become residents on use."""
    user = find_user(email)
    if user is not None and not user.is_active_account:
        return
    if user is not None and user.preferred_language:
        language = user.preferred_language
    token = create_login_token(email, language, now, next_path)
    send_mail(
        email,
        "sign_in",
        language,
        _l("Your sign-in link to eRaati"),
        link=login_link(token),
        minutes=current_app.config["LOGIN_TOKEN_MINUTES"],
    )


def send_email_change_link(user: User, new_email: str, now: datetime) -> None:
    language = user.preferred_language or current_app.config["DEFAULT_LANGUAGE"]
    token = create_login_token(new_email, language, now, "/profile", user_id=user.id)
    send_mail(
        new_email,
        "confirm_email",
        language,
        _l("Confirm your new email address in eRaati"),
        link=login_link(token),
        minutes=current_app.config["LOGIN_TOKEN_MINUTES"],
    )


def peek_login_token(token: str, now: datetime) -> LoginToken:
    """The token behind a link, without using it; :class:`SignInLinkError` if unusable."""
    row = db.session.scalar(
        select(LoginToken).where(LoginToken.token_hash == _hash_token(token))
    )
    if row is None:
        raise SignInLinkError("invalid")
    if row.used_at is not None:
        raise SignInLinkError("used")
    if row.expires_at <= now:
        raise SignInLinkError("expired")
    return row


def redeem_login_token(token: str, now: datetime) -> tuple[User, LoginToken]:
    """Use a link once and return the person it signs in, creating a resident if new.

    The conditional UPDATE makes two clicks at once count as one use.
    """
    row = peek_login_token(token, now)
    claimed = db.session.execute(
        update(LoginToken)
        .where(
            LoginToken.id == row.id,
            LoginToken.used_at.is_(None),
            LoginToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise SignInLinkError("used")
    if row.user_id is not None:
        user = _confirm_new_email(row)
    else:
        user = find_user(row.email) or create_user(
            row.email, Role.RESIDENT, language=row.language
        )
    if not user.is_active_account:
        raise SignInLinkError("invalid")
    user.last_sign_in_at = now
    db.session.flush()
    return user, row


def _confirm_new_email(row: LoginToken) -> User:
    user = db.session.get(User, row.user_id)
    if user is None:
        raise SignInLinkError("invalid")
    owner = find_user(row.email)
    if owner is not None and owner.id != user.id:
        raise SignInLinkError("invalid")
    user.email = row.email
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.lower()))


def create_user(
    email: str,
    role: Role | str = Role.RESIDENT,
    name: str = "",
    language: str | None = None,
) -> User:
    """A new account; :class:`AccountError` for a bad address, role or a taken address."""
    email = normalise_email(email)
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(f"unknown role {role!r}") from error
    if find_user(email) is not None:
        raise AccountError(f"{email} already has an account")
    user = User(
        email=email, role=role, display_name=name[:80], preferred_language=language
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if not user.role.is_staff:
        raise AccountError("only staff accounts may have a password")
    user.password_hash = _password_hasher.hash(password)


def check_password(email: str, password: str) -> User | None:
    """The staff account for ``email`` if ``password`` matches, else None."""
    user = find_user(email)
    if user is None or not user.password_hash or not user.is_active_account:
        # Hash anyway so that timing does not tell which addresses exist.
        _password_hasher.hash(password)
        return None
    try:
        _password_hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _password_hasher.hash(password)
    return user


def current_consents(user: User) -> dict[ConsentPurpose, ConsentEvent | None]:
    """The latest event per purpose: the person's consent state now."""
    state: dict[ConsentPurpose, ConsentEvent | None] = dict.fromkeys(ConsentPurpose)
    for event in user.consent_events:  # ordered by id: later events win
        state[event.purpose] = event
    return state


def has_consent(user: User, purpose: ConsentPurpose) -> bool:
    event = current_consents(user)[purpose]
    return bool(event and event.granted)


def record_consent(
    user: User, purpose: ConsentPurpose, granted: bool, language: str, now: datetime
) -> ConsentEvent | None:
    """Append a consent event if the state changes; return it (None if unchanged)."""
    if has_consent(user, purpose) == granted:
        return None
    consent = CONSENT_TEXTS[purpose]
    with force_locale(language):
        text_shown = f"{consent.label}. {consent.text}"
    event = ConsentEvent(
        purpose=purpose,
        granted=granted,
        text_version=consent.version,
        language=language,
        text_shown=text_shown,
        at=now,
    )
    user.consent_events.append(event)
    db.session.flush()
    return event
