"""The panels domain's part of "my data": memberships."""

from __future__ import annotations

from sqlalchemy import delete, select

from eraati.extensions import db
from eraati.mydata.rows import changed
from eraati.panels.models import Membership, Panel


def export(user) -> dict:
    rows = db.session.execute(
        select(Membership, Panel)
        .join(Panel, Panel.id == Membership.panel_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )
    return {
        "memberships": [
            {
                "panel_id": panel.id,
                "panel": panel.name,
                "role": membership.role.value,
                "joined_at": membership.joined_at,
            }
            for membership, panel in rows
        ]
    }


def erase(user) -> dict[str, int]:
    return {
        "memberships": changed(delete(Membership).where(Membership.user_id == user.id))
    }
