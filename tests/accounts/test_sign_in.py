"""Signing in by an emailed one-time link, through a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from eraati.accounts.models import LoginToken, Role, User
from eraati.core.time import utcnow
from eraati.extensions import db

LINK = re.compile(r"http://localhost(/sign-in/link/[A-Za-z0-9_-]+)")


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


def request_link(client, email, language=None, next_path=None):
    headers = {"Accept-Language": language} if language else {}
    data = {"email": email}
    if next_path:
        data["next"] = next_path
    return client.post("/sign-in", data=data, headers=headers)


def link_path(smtp_server) -> str:
    body = smtp_server.text_of(smtp_server.only())
    return LINK.search(body).group(1)


@pytest.mark.parametrize(
    ("language", "subject", "phrase", "used"),
    [
        ("fi", "kirjautumislinkki", "Avaa tämä linkki", "on jo käytetty"),
        ("sv", "inloggningslänk", "Öppna den här länken", "har redan använts"),
    ],
)
def test_link_arrives_in_the_readers_language_and_signs_in_once(
    client, smtp_server, language, subject, phrase, used
):
    response = request_link(client, "Aino@Example.fi", language)
    assert response.status_code == 302

    mail = smtp_server.only()
    assert mail["To"] == "aino@example.fi"
    assert subject in mail["Subject"]
    assert mail["Content-Language"] == language
    assert phrase in smtp_server.text_of(mail)
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert f'lang="{language}"' in html

    path = link_path(smtp_server)
    # Opening the link (as a mail scanner would) does not sign in.
    page = client.get(path)
    assert page.status_code == 200
    assert b"aino@example.fi" in page.data
    assert client.get("/profile").status_code == 302

    signed_in = client.post(path)
    assert signed_in.status_code == 302
    assert client.get("/profile").status_code == 200
    user = db.session.query(User).filter_by(email="aino@example.fi").one()
    assert user.role is Role.RESIDENT
    assert user.preferred_language == language

    client.post("/sign-out")
    again = client.post(path, headers={"Accept-Language": language})
    assert again.status_code == 400
    assert used in again.get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_expired_link_gets_a_clear_message(client, smtp_server, app):
    request_link(client, "late@example.fi", "fi")
    path = link_path(smtp_server)
    later = utcnow() + timedelta(minutes=app.config["LOGIN_TOKEN_MINUTES"] + 1)
    with time_machine.travel(later, tick=False):
        response = client.post(path, headers={"Accept-Language": "fi"})
    assert response.status_code == 400
    assert "vanhentunut" in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(email="late@example.fi").count() == 0


@pytest.mark.parametrize("token", ["tampered", "x" * 43, "%00", "a" * 600])
def test_tampered_links_are_refused(client, token):
    for response in (
        client.get(f"/sign-in/link/{token}"),
        client.post(f"/sign-in/link/{token}"),
    ):
        assert response.status_code in (400, 404)
    assert client.get("/profile").status_code == 302


def test_unknown_address_gets_the_same_answer_and_an_account_only_on_use(
    client, smtp_server
):
    response = request_link(client, "new@example.fi", "en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in/sent")
    assert db.session.query(User).count() == 0
    client.post(link_path(smtp_server))
    assert db.session.query(User).filter_by(email="new@example.fi").count() == 1


@pytest.mark.parametrize(
    "email", ["", "not-an-email", "a@b", "@example.fi", "x" * 250 + "@example.fi"]
)
def test_malformed_email_is_refused_with_a_message(client, smtp_server, email):
    response = request_link(client, email, "fi")
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert smtp_server.messages == []
    assert db.session.query(LoginToken).count() == 0


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [
        ("/panels/", "/panels/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_no_open_redirect_after_sign_in(client, smtp_server, next_path, expected):
    request_link(client, "someone@example.fi", "en", next_path)
    response = client.post(link_path(smtp_server))
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_two_simultaneous_uses_of_one_link_sign_in_once(app, client, smtp_server):
    from eraati.accounts.services import SignInLinkError, redeem_login_token

    request_link(client, "twice@example.fi", "fi")
    token = link_path(smtp_server).rsplit("/", 1)[1]
    redeem_login_token(token, utcnow())
    db.session.commit()
    with pytest.raises(SignInLinkError):
        redeem_login_token(token, utcnow())
