"""Accessibility statement with its feedback form, privacy notice, admin editing."""

from __future__ import annotations

import pytest

from eraati.accounts.models import Role
from eraati.extensions import db
from eraati.mail.models import MailLog
from eraati.site.models import AccessibilityFeedback, Page, PageSlug


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/accessibility", "fi", "Saavutettavuusseloste"),
        ("/accessibility", "sv", "Tillgänglighetsutlåtande"),
        ("/privacy", "fi", "Tietosuojaseloste"),
        ("/privacy", "en", "Privacy notice"),
    ],
)
def test_statutory_pages_exist_in_every_language(client, path, language, heading):
    page = client.get(path, headers={"Accept-Language": language}).get_data(
        as_text=True
    )
    assert f"<h1>{heading}</h1>" in page


@pytest.fixture
def app_config(smtp_server):
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_server.port,
        "ACCESSIBILITY_FEEDBACK_EMAIL": "saavutettavuus@example.fi",
    }


def test_feedback_is_stored_and_sent_to_the_service(client, smtp_server):
    response = client.post(
        "/accessibility",
        data={"message": "Kontrasti on heikko.", "contact_email": "Me@Example.fi"},
        headers={"Accept-Language": "fi", "Referer": "http://localhost/panels/"},
    )
    assert response.status_code == 302
    feedback = db.session.query(AccessibilityFeedback).one()
    assert feedback.contact_email == "me@example.fi"
    assert feedback.language == "fi"
    mail = smtp_server.only()
    assert mail["To"] == "saavutettavuus@example.fi"
    assert "Kontrasti on heikko." in smtp_server.text_of(mail)
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kiitos" in followed


@pytest.mark.parametrize(
    "data",
    [
        {"message": ""},
        {"message": "x" * 5001},
        {"message": "ok", "contact_email": "bad"},
    ],
)
def test_bad_feedback_is_refused_and_nothing_is_stored(client, smtp_server, data):
    response = client.post("/accessibility", data=data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert db.session.query(AccessibilityFeedback).count() == 0
    assert smtp_server.messages == []


def test_admin_edits_a_page_per_language(client, create_user, login):
    login(create_user(Role.ADMIN))
    response = client.post(
        "/admin/pages/privacy",
        data={
            "title-fi": "Tietosuoja",
            "title-sv": "Dataskydd",
            "title-en": "",
            "body-en": "",
            "body-fi": "Ensimmäinen kappale.\n\nToinen kappale.",
            "body-sv": "Första stycket.",
        },
    )
    assert response.status_code == 302
    page = db.session.query(Page).filter_by(slug=PageSlug.PRIVACY).one()
    assert page.title == {"fi": "Tietosuoja", "sv": "Dataskydd"}
    finnish = client.get("/privacy?lang=fi").get_data(as_text=True)
    assert (
        "<p>Ensimmäinen kappale.</p>" in finnish and "<p>Toinen kappale.</p>" in finnish
    )
    english = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "Tietosuoja" in english  # no English text: falls back to Finnish


def test_page_text_is_escaped_not_html(client, create_user, login):
    login(create_user(Role.ADMIN))
    client.post(
        "/admin/pages/accessibility",
        data={"title-fi": "T", "body-fi": "<script>alert(1)</script>"},
    )
    page = client.get("/accessibility?lang=fi").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_unknown_page_is_404(client, create_user, login):
    login(create_user(Role.ADMIN))
    assert client.get("/admin/pages/nope").status_code == 404


def test_mail_log_records_each_sent_mail(client, smtp_server):
    client.post("/accessibility", data={"message": "Hei"})
    log = db.session.query(MailLog).one()
    assert (log.template, log.status.value) == ("accessibility_feedback", "sent")
