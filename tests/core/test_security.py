"""CSRF, error pages, rate limits, security headers."""

from __future__ import annotations

import pytest

from eraati.accounts.models import LoginToken
from eraati.extensions import db


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_form_without_csrf_token_is_refused_with_a_translated_message(client):
    response = client.post(
        "/sign-in", data={"email": "a@example.fi"}, headers={"Accept-Language": "fi"}
    )
    assert response.status_code == 400
    assert "Lataa sivu uudelleen" in response.get_data(as_text=True)
    assert db.session.query(LoginToken).count() == 0


def test_form_with_csrf_token_is_accepted(client):
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/sign-in", data={"email": "a@example.fi", "csrf_token": token}
    )
    assert response.status_code == 302
    assert db.session.query(LoginToken).count() == 1


@pytest.mark.parametrize(
    ("path", "status", "finnish"),
    [
        ("/no-such-page", 404, "Sivua ei löytynyt"),
        ("/manage/panels/999999", 302, None),
        ("/sign-out", 405, None),
    ],
)
def test_error_pages_are_translated_pages(client, path, status, finnish):
    response = client.get(path, headers={"Accept-Language": "fi"})
    assert response.status_code == status
    if finnish:
        text = response.get_data(as_text=True)
        assert finnish in text
        assert 'lang="fi"' in text
        assert "Traceback" not in text


def test_unexpected_error_is_a_translated_500_without_traceback(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/boom", headers={"Accept-Language": "sv"})
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret detail" not in text and "Traceback" not in text
    assert 'lang="sv"' in text


def test_a_busy_database_is_a_503_asking_to_try_again(app, client):
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    @app.get("/busy")
    def busy():
        raise PoolTimeout("QueuePool limit of size 5 overflow 10 reached")

    response = client.get("/busy", headers={"Accept-Language": "en"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Wait a moment and try again" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client):
    for path in ["/", "/sign-in", "/accessibility", "/privacy", "/panels/"]:
        text = client.get(path).get_data(as_text=True)
        assert "<script>" not in text and "onclick=" not in text


def test_session_cookie_is_http_only_and_same_site(client, create_user, login):
    login(create_user())
    response = client.get("/?lang=en")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_secure_cookies_behind_https(database_url, instance_path):
    from eraati import create_app
    from tests.conftest import make_test_config

    config = make_test_config(
        database_url, instance_path, PUBLIC_BASE_URL="https://eraati.example.fi"
    )
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
