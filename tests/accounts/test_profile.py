"""The profile page: name, language, contact address and deeper-participation opt-ins."""

from __future__ import annotations

import pytest

from eraati.accounts.consents import CONSENT_TEXTS
from eraati.accounts.models import ConsentEvent, ConsentPurpose, LoginToken, Role, User
from eraati.extensions import db


def save(client, **fields):
    data = {"display_name": "", "preferred_language": "fi", "email": "", **fields}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/profile", data=data)


@pytest.fixture
def resident(create_user, login):
    return login(create_user(Role.RESIDENT, email="aino@example.fi", language="fi"))


def events(user_id):
    return (
        db.session.query(ConsentEvent)
        .filter_by(user_id=user_id)
        .order_by(ConsentEvent.id)
        .all()
    )


def test_opt_ins_are_recorded_with_time_version_and_text_and_can_be_withdrawn(
    client, resident
):
    response = save(
        client,
        email="aino@example.fi",
        display_name="Aino",
        deeper_surveys="y",
        live_sessions="y",
    )
    assert response.status_code == 302
    recorded = events(resident.id)
    assert [(e.purpose, e.granted) for e in recorded] == [
        (ConsentPurpose.DEEPER_SURVEYS, True),
        (ConsentPurpose.LIVE_SESSIONS, True),
    ]
    first = recorded[0]
    assert first.text_version == CONSENT_TEXTS[ConsentPurpose.DEEPER_SURVEYS].version
    assert first.language == "fi"
    assert "syventäviin kyselyihin" in first.text_shown.lower() or first.text_shown
    assert first.at is not None and first.at.tzinfo is not None

    page = client.get("/profile").get_data(as_text=True)
    assert page.count("checked") >= 2
    assert "Annoit tämän suostumuksen" in page

    # Saving again without change appends nothing; unticking withdraws one.
    save(client, email="aino@example.fi", deeper_surveys="y", live_sessions="y")
    assert len(events(resident.id)) == 2
    save(client, email="aino@example.fi", deeper_surveys="y")
    latest = events(resident.id)[-1]
    assert (latest.purpose, latest.granted) == (ConsentPurpose.LIVE_SESSIONS, False)
    assert len(events(resident.id)) == 3


def test_name_and_language_are_saved(client, resident):
    save(
        client,
        email="aino@example.fi",
        display_name="  Pseudo  ",
        preferred_language="sv",
    )
    user = db.session.get(User, resident.id)
    assert (user.display_name, user.preferred_language) == ("Pseudo", "sv")
    assert 'lang="sv"' in client.get("/profile").get_data(as_text=True)


def test_new_contact_address_is_confirmed_by_a_link_first(client, resident):
    from eraati.accounts.services import create_login_token  # noqa: F401

    save(client, email="aino.new@example.fi")
    assert db.session.get(User, resident.id).email == "aino@example.fi"
    token = db.session.query(LoginToken).filter_by(email="aino.new@example.fi").one()
    assert token.user_id == resident.id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, "muodossa"),
        ({"email": "aino@example.fi", "display_name": "x" * 81}, "enintään 80"),
        ({"email": "aino@example.fi", "preferred_language": "xx"}, None),
    ],
)
def test_bad_input_keeps_everything_and_says_what_is_wrong(
    client, resident, fields, message
):
    response = save(client, live_sessions="y", **fields)
    assert response.status_code == 400
    if message:
        assert message in response.get_data(as_text=True)
    assert events(resident.id) == []
    assert db.session.get(User, resident.id).email == "aino@example.fi"


def test_only_staff_may_set_a_password_and_then_sign_in_with_it(
    client, create_user, login
):
    official = login(create_user(Role.OFFICIAL, email="outi@example.fi"))
    response = client.post(
        "/profile/password",
        data={"password": "correct horse battery", "confirm": "correct horse battery"},
    )
    assert response.status_code == 302
    assert db.session.get(User, official.id).password_hash.startswith("$argon2")
    client.post("/sign-out")
    wrong = client.post(
        "/sign-in/password", data={"email": "outi@example.fi", "password": "nope"}
    )
    assert wrong.status_code == 400
    right = client.post(
        "/sign-in/password",
        data={"email": "outi@example.fi", "password": "correct horse battery"},
    )
    assert right.status_code == 302
    assert client.get("/manage/").status_code == 200


def test_mismatched_or_short_password_is_refused(client, create_user, login):
    login(create_user(Role.MODERATOR))
    short = client.post("/profile/password", data={"password": "x", "confirm": "x"})
    assert short.status_code == 400
    mismatch = client.post(
        "/profile/password",
        data={"password": "a long enough secret", "confirm": "something else!"},
    )
    assert mismatch.status_code == 400
