"""Bad and repeated requests: someone else's data, no confirmation, no CSRF token,
admins acting on someone's behalf, and the command line."""

from __future__ import annotations

import json

import pytest

from eraati.accounts.models import Role, User
from eraati.audit.models import AuditEvent
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, Unit


@pytest.fixture
def member(create_user):
    """A resident who is a member of a panel (something to erase)."""
    user = create_user(email="jasen@example.fi", name="Jäsen")
    panel = Panel(
        unit=Unit(organisation=Organisation(slug="o", name={"fi": "O"}), name={}),
        name={"fi": "Raati"},
    )
    db.session.add_all([panel, Membership(panel=panel, user=user)])
    db.session.commit()
    return user


def still_there(user) -> bool:
    db.session.expire_all()
    return db.session.get(User, user.id).erased_at is None


def test_nobody_reaches_someone_elses_data(client, create_user, login, member):
    login(create_user(Role.MODERATOR))
    assert client.get(f"/admin/users/{member.id}/data.json").status_code == 403
    erase = client.post(
        f"/admin/users/{member.id}/erase", data={"reason": "other", "confirm": "y"}
    )
    assert erase.status_code == 403
    # The own routes take no id: a forged one changes whose data nothing.
    mine = client.get(f"/my-data.json?user_id={member.id}")
    assert json.loads(mine.data)["account"]["account"]["id"] != member.id
    assert still_there(member)


def test_deleting_needs_the_box_ticked(client, login, member):
    login(member)
    refused = client.post("/my-data/delete", data={}, headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert (
        "Tick the box to confirm" in page and 'aria-describedby="confirm-error"' in page
    )
    assert "<title>Error: " in page  # heard first on a screen reader
    assert still_there(member)
    assert "<title>Error" not in client.get("/my-data/delete").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_post_without_csrf_token_is_refused(client, login, member):
    login(member)
    assert client.post("/my-data/delete", data={"confirm": "y"}).status_code == 400
    assert still_there(member)


def test_an_admin_downloads_and_erases_on_someones_behalf(
    client, create_user, login, member
):
    admin = login(create_user(Role.ADMIN))
    page = client.get(f"/admin/users/{member.id}/data")
    assert page.status_code == 200 and "jasen@example.fi" in page.get_data(as_text=True)
    download = client.get(f"/admin/users/{member.id}/data.json")
    assert json.loads(download.data)["panels"]["memberships"]
    exported = db.session.query(AuditEvent).filter_by(action="data.exported").one()
    assert (exported.actor_id, exported.object_id) == (admin.id, member.id)

    no_reason = client.post(f"/admin/users/{member.id}/erase", data={"confirm": "y"})
    assert no_reason.status_code == 400 and still_there(member)
    assert client.post(f"/admin/users/{admin.id}/erase", data={}).status_code == 400
    done = client.post(
        f"/admin/users/{member.id}/erase",
        data={"reason": "asked_in_writing", "confirm": "y"},
    )
    assert done.status_code == 302 and not still_there(member)
    event = db.session.query(AuditEvent).filter_by(action="account.erased").one()
    assert (event.actor_id, event.details) == (
        admin.id,
        {"requested_by": "admin", "reason": "asked_in_writing"},
    )
    again = client.post(
        f"/admin/users/{member.id}/erase",
        data={"reason": "other", "confirm": "y"},
        headers={"Accept-Language": "en"},
    )
    assert again.status_code == 409
    assert "already been deleted" in again.get_data(as_text=True)
    assert client.get(f"/admin/users/{member.id}/data.json").status_code == 404
    assert client.post("/admin/users/999999/erase", data={}).status_code == 404
    # The emptied account is no longer listed among people.
    assert f"/admin/users/{member.id}/data" not in client.get("/admin/users/").text


def test_the_command_line_exports_and_erases_once(runner, member):
    exported = runner.invoke(args=["users", "export", "jasen@example.fi"])
    assert exported.exit_code == 0
    assert json.loads(exported.output)["account"]["account"]["display_name"] == "Jäsen"
    erased = runner.invoke(args=["users", "erase", "jasen@example.fi", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "panels.memberships: 1" in erased.output and not still_there(member)
    again = runner.invoke(args=["users", "erase", "jasen@example.fi", "--yes"])
    assert again.exit_code == 1 and "erased already" in again.output


def test_the_only_administrator_cannot_delete_themselves(client, create_user, login):
    admin = login(create_user(Role.ADMIN, email="admin@example.fi"))
    refused = client.post(
        "/my-data/delete", data={"confirm": "y"}, headers={"Accept-Language": "en"}
    )
    assert refused.status_code == 409
    assert "You are the only administrator" in refused.get_data(as_text=True)
    assert still_there(admin)
