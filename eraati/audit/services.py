"""Recording audit events. Callers commit: an action and its record share a fate."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import update

from eraati.audit.models import AuditEvent
from eraati.extensions import db

#: ``actor`` not given: the person signed in to this request (none in jobs).
CURRENT_USER = object()


def record(action: str, obj=None, *, actor=CURRENT_USER, **details) -> AuditEvent:
    """Add an audit event for ``action`` on ``obj`` (any model with an ``id``).

    ``details`` must name things by id or key, never carry what people wrote or
    their contact details. ``actor=None`` records the system as the actor.
    """
    if actor is CURRENT_USER:
        actor = _signed_in_user()
    role = getattr(actor, "role", None)
    entry = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(role, "value", role),
        object_type=getattr(obj, "__tablename__", None) if obj is not None else None,
        object_id=getattr(obj, "id", None),
        details={key: _plain(value) for key, value in details.items()},
    )
    db.session.add(entry)
    return entry


def forget_actor(user_id: int) -> int:
    """Erasure without deleting the account row: its events stay, without the
    person. (Deleting the row does the same through the foreign key.)"""
    result = db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.actor_id == user_id)
        .values(actor_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _signed_in_user():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _plain(value):
    """A JSON-safe form of a detail value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)
