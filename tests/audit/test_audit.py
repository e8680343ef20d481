"""The audit log: recorded by the actions themselves, shown to admins, unchangeable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.accounts.models import Role
from eraati.audit import record
from eraati.audit.models import AuditEvent, AuditLogIsAppendOnly
from eraati.audit.services import forget_actor
from eraati.extensions import db

ENGLISH = {"Accept-Language": "en"}


def test_a_role_change_is_recorded_with_its_actor_and_shown_to_admins(
    client, create_user, login
):
    admin = login(create_user(Role.ADMIN, email="admin@example.fi"))
    person = create_user()
    response = client.post(
        f"/admin/users/{person.id}", data={"role": "moderator", "active": "y"}
    )
    assert response.status_code == 302
    event = db.session.query(AuditEvent).one()
    assert (event.action, event.actor_id, event.actor_role) == (
        "user.role_changed",
        admin.id,
        "admin",
    )
    assert (event.object_type, event.object_id) == ("users", person.id)
    assert event.details == {"role": "moderator", "active": True}

    page = client.get("/admin/audit/?action=user.role_changed&actor=admin@example.fi")
    assert page.status_code == 200 and b"user.role_changed" in page.data
    empty = client.get("/admin/audit/?action=user.role_changed&since=2099-01-01")
    assert b"user.role_changed</td>" not in empty.data
    bad = client.get("/admin/audit/?since=yesterday", headers=ENGLISH)
    assert bad.status_code == 400 and b"Enter the date" in bad.data

    csv = client.get("/admin/audit/export.csv?action=user.role_changed")
    assert csv.status_code == 200
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,at,actor_id") and len(lines) == 2
    assert "admin@example.fi" not in csv.data.decode()
    assert db.session.query(AuditEvent).filter_by(action="audit.exported").count() == 1


def test_events_cannot_be_changed_or_deleted_but_survive_erasure(create_user):
    actor, other = create_user(Role.OFFICIAL), create_user(Role.MODERATOR)
    event = record("survey.round_closed", actor=actor, round=1)
    record("room.hide", actor=other, target=5)
    db.session.commit()

    event.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":  # the database refuses as well
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.text("UPDATE audit_events SET action = 'x'"))
        db.session.rollback()

    # Erasure, by deleting the account or keeping its row: the events stay,
    # without the person.
    db.session.delete(actor)
    assert forget_actor(other.id) == 1
    db.session.commit()
    db.session.expire_all()
    kept = db.session.query(AuditEvent).order_by(AuditEvent.id).all()
    assert [(e.action, e.actor_id, e.actor_role) for e in kept] == [
        ("survey.round_closed", None, "official"),
        ("room.hide", None, "moderator"),
    ]
