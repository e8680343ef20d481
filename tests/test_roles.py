"""Every route lets in exactly the roles that may use it (table-driven).

A new route must be added to ACCESS, or ``test_every_route_is_in_the_table`` fails.
"""

from __future__ import annotations

import pytest

from eraati.accounts.models import Role
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, Unit

PUBLIC = "public"
SIGNED_IN = "signed-in"
STAFF = {Role.MODERATOR, Role.OFFICIAL, Role.COUNCIL, Role.ADMIN}
OFFICIALS = {Role.OFFICIAL, Role.ADMIN}
ADMINS = {Role.ADMIN}

#: rule → (who may use it, the methods to try)
ACCESS = {
    "/": (PUBLIC, ["GET"]),
    "/sign-in": (PUBLIC, ["GET"]),
    "/sign-in/sent": (PUBLIC, ["GET"]),
    "/sign-in/password": (PUBLIC, ["GET"]),
    "/sign-in/link/<token>": (PUBLIC, []),
    "/sign-out": (PUBLIC, []),
    "/panels/": (PUBLIC, ["GET"]),
    "/panels/<int:panel_id>": (PUBLIC, ["GET"]),
    "/accessibility": (PUBLIC, ["GET"]),
    "/privacy": (PUBLIC, ["GET"]),
    "/static/<path:filename>": (PUBLIC, []),
    "/profile": (SIGNED_IN, ["GET", "POST"]),
    "/profile/password": (STAFF, ["GET", "POST"]),
    "/manage/": (OFFICIALS, ["GET"]),
    "/manage/organisations/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/organisations/<int:organisation_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/organisations/<int:organisation_id>/units/new": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/units/<int:unit_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>/members": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>/members/<int:membership_id>": (OFFICIALS, ["POST"]),
    "/admin/users/": (ADMINS, ["GET", "POST"]),
    "/admin/users/<int:user_id>": (ADMINS, ["POST"]),
    "/admin/pages/<slug>": (ADMINS, ["GET", "POST"]),
    # Answering: every link carries its own secret; checked by tests/surveys.
    "/s/i/<token>": (PUBLIC, []),
    "/s/i/<token>/saved": (PUBLIC, []),
    "/s/p/<public_token>": (PUBLIC, []),
    "/s/r/<resume>": (PUBLIC, []),
    "/s/r/<resume>/saved": (PUBLIC, []),
    "/s/thanks/<int:round_id>": (PUBLIC, []),
    "/s/f/<token>": (PUBLIC, []),
}


def test_every_route_is_in_the_table(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert rules == set(ACCESS), "classify new routes in ACCESS"


@pytest.fixture
def world(create_user):
    """One of everything the parametrised rules point at."""
    organisation = Organisation(slug="org", name={"fi": "Org"})
    unit = Unit(organisation=organisation, name={"fi": "Yksikkö"})
    panel = Panel(unit=unit, name={"fi": "Raati"})
    member = create_user(Role.RESIDENT)
    membership = Membership(panel=panel, user=member)
    db.session.add_all([organisation, unit, panel, membership])
    db.session.commit()
    return {
        "<token>": "x",
        "<int:panel_id>": panel.id,
        "<int:organisation_id>": organisation.id,
        "<int:unit_id>": unit.id,
        "<int:membership_id>": membership.id,
        "<int:user_id>": member.id,
        "<slug>": "privacy",
    }


def concrete(rule: str, world: dict) -> str:
    for placeholder, value in world.items():
        rule = rule.replace(placeholder, str(value))
    return rule


CASES = [
    (rule, method, role)
    for rule, (allowed, methods) in ACCESS.items()
    if allowed is not PUBLIC
    for method in methods
    for role in [None, *Role]
]


@pytest.mark.parametrize(("rule", "method", "role"), CASES)
def test_route_refuses_the_roles_that_must_not_use_it(
    client, create_user, login, world, rule, method, role
):
    allowed = ACCESS[rule][0]
    if role is not None:
        login(create_user(role))
    response = client.open(concrete(rule, world), method=method, data={})
    if role is None:
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]
    elif allowed == SIGNED_IN or role in allowed:
        assert response.status_code in (200, 302, 400), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    "rule", [r for r, (a, m) in ACCESS.items() if a is PUBLIC and m]
)
def test_public_pages_open_for_everyone(client, world, rule):
    assert client.get(concrete(rule, world)).status_code == 200
