"""The audit log's part of "my data": what the person did that was recorded.

Erasure keeps the events (the log is append-only) and forgets who did them; events
*about* the account name it only by its id, which erasure empties.
"""

from __future__ import annotations

from sqlalchemy import select

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.audit.services import forget_actor
from eraati.extensions import db


def export(user) -> dict:
    return {
        "actions": [
            {
                "action": event.action,
                "at": event.at,
                "object_type": event.object_type,
                "object_id": event.object_id,
            }
            for event in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.actor_id == user.id)
                .order_by(AuditEvent.id)
            )
        ],
        # E.g. an admin changed the role, or downloaded this data.
        "about_account": [
            {"action": event.action, "at": event.at}
            for event in db.session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.object_type == User.__tablename__,
                    AuditEvent.object_id == user.id,
                )
                .order_by(AuditEvent.id)
            )
        ],
    }


def erase(user) -> dict[str, int]:
    return {"actions": forget_actor(user.id)}
