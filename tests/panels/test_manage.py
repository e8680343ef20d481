"""Officials manage organisations, units, councils, panels and memberships."""

from __future__ import annotations

import pytest

from eraati.accounts.models import Role, User
from eraati.extensions import db
from eraati.panels.models import (
    Membership,
    Organisation,
    Panel,
    PanelRole,
    Unit,
    UnitKind,
)


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL))


def names(prefix, fi="", sv="", en=""):
    return {f"{prefix}-fi": fi, f"{prefix}-sv": sv, f"{prefix}-en": en}


def test_an_official_builds_an_organisation_with_a_panel_and_members(client, official):
    response = client.post(
        "/manage/organisations/new",
        data={"slug": "pirha", **names("name", "Pirkanmaan hva", "Birkalands vo")},
    )
    assert response.status_code == 302
    organisation = db.session.query(Organisation).one()
    assert organisation.name == {"fi": "Pirkanmaan hva", "sv": "Birkalands vo"}

    client.post(
        f"/manage/organisations/{organisation.id}/units/new",
        data={"kind": "council", **names("name", "Vanhusneuvosto")},
    )
    unit = db.session.query(Unit).one()
    assert unit.kind is UnitKind.COUNCIL

    client.post(
        "/manage/panels/new",
        data={
            "unit_id": unit.id,
            **names("name", "Raati", "Rådet", "Panel"),
            **names("description", "Kuvaus"),
        },
    )
    panel = db.session.query(Panel).one()
    assert panel.unit_id == unit.id and panel.name["sv"] == "Rådet"

    added = client.post(
        f"/manage/panels/{panel.id}/members",
        data={"email": "Uusi.Jasen@Example.fi", "role": "member"},
    )
    assert added.status_code == 302
    member = db.session.query(User).filter_by(email="uusi.jasen@example.fi").one()
    assert member.role is Role.RESIDENT
    membership = db.session.query(Membership).one()

    # Adding the same person again changes nothing but the role.
    client.post(
        f"/manage/panels/{panel.id}/members",
        data={"email": "uusi.jasen@example.fi", "role": "moderator"},
    )
    db.session.expire_all()
    assert db.session.query(Membership).count() == 1
    assert db.session.query(Membership).one().role is PanelRole.MODERATOR

    page = client.get(f"/manage/panels/{panel.id}/members").get_data(as_text=True)
    assert "uusi.jasen@example.fi" in page

    client.post(
        f"/manage/panels/{panel.id}/members/{membership.id}", data={"action": "remove"}
    )
    assert db.session.query(Membership).count() == 0

    public = client.get(f"/panels/{panel.id}?lang=sv").get_data(as_text=True)
    assert "Rådet" in public


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"slug": "Bad Slug!", **names("name", "X")}, "pieniä kirjaimia"),
        ({"slug": "ok", **names("name")}, "ainakin yhdellä kielellä"),
        ({"slug": "ok", **names("name", "x" * 201)}, "enintään 200"),
        ({"slug": "x" * 61, **names("name", "X")}, "enintään 60"),
    ],
)
def test_bad_organisation_input_is_refused_with_a_message(
    client, official, data, message
):
    response = client.post("/manage/organisations/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Organisation).count() == 0


def test_a_taken_short_name_is_refused(client, official):
    data = {"slug": "same", **names("name", "A")}
    client.post("/manage/organisations/new", data=data)
    again = client.post("/manage/organisations/new", data=data)
    assert again.status_code == 400
    assert db.session.query(Organisation).count() == 1


def test_bad_member_input_and_unknown_actions(client, official):
    organisation = Organisation(slug="o", name={"fi": "O"})
    panel = Panel(
        unit=Unit(organisation=organisation, name={"fi": "U"}), name={"fi": "P"}
    )
    db.session.add(panel)
    db.session.commit()
    bad = client.post(f"/manage/panels/{panel.id}/members", data={"email": "nope"})
    assert bad.status_code == 400
    missing = client.post(
        f"/manage/panels/{panel.id}/members/999", data={"action": "x"}
    )
    assert missing.status_code == 404
    assert client.get("/manage/panels/99999").status_code == 404
    unit_id = panel.unit_id
    wrong_unit = client.post(
        "/manage/panels/new", data={"unit_id": unit_id + 100, **names("name", "P")}
    )
    assert wrong_unit.status_code == 400


def test_panels_page_lists_panels_in_the_readers_language(client):
    organisation = Organisation(slug="o", name={"fi": "Hva", "sv": "Vo"})
    db.session.add(
        Panel(
            unit=Unit(organisation=organisation, name={"fi": "Neuvola"}),
            name={"fi": "Neuvolan raati", "sv": "Rådgivningens råd"},
        )
    )
    db.session.commit()
    page = client.get("/panels/", headers={"Accept-Language": "sv"}).get_data(
        as_text=True
    )
    assert "Rådgivningens råd" in page
    assert "Neuvola" in page  # no Swedish name: the Finnish one stands in
