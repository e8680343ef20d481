"""Who may take part: panels, memberships and the questions other domains ask."""

from __future__ import annotations

from sqlalchemy import select

from eraati.accounts import services as accounts
from eraati.accounts.models import Role, User
from eraati.extensions import db
from eraati.panels.models import Membership, Panel, PanelRole


def membership(user: User, panel: Panel) -> Membership | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.panel_id == panel.id, Membership.user_id == user.id
        )
    )


def is_member(user: User, panel: Panel) -> bool:
    return membership(user, panel) is not None


def can_moderate(user: User, panel: Panel) -> bool:
    """Panel moderators, and officials and admins for every panel."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.OFFICIAL):
        return True
    found = membership(user, panel)
    return found is not None and found.role is PanelRole.MODERATOR


def panels_of(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.panel)
            .where(Membership.user_id == user.id, Panel.is_archived.is_(False))
            .order_by(Panel.id)
        )
    )


def add_member(panel: Panel, email: str, role: PanelRole) -> Membership:
    """Add the person with ``email`` (a new resident account if needed); idempotent."""
    email = accounts.normalise_email(email)
    user = accounts.find_user(email) or accounts.create_user(email)
    found = membership(user, panel)
    if found is None:
        found = Membership(panel=panel, user=user, role=role)
        db.session.add(found)
    else:
        found.role = role
    db.session.flush()
    return found
