"""Notification settings: categories, unsubscribe links, digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import lazy_gettext as _l

from eraati.accounts.services import send_sign_in_link
from eraati.extensions import db
from eraati.mail import preferences
from eraati.mail.jobs import send_digests
from eraati.mail.models import Delivery, QueuedNotice
from eraati.mail.notify import Category, notify

MONDAY = datetime(2026, 11, 30, 5, 15, tzinfo=UTC)  # 07:15 in Helsinki
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


def reminder(user, title="Kysely"):
    return notify(
        user,
        Category.REMINDERS,
        "survey_reminder",
        _l("Reminder: your answers are still welcome"),
        link="http://localhost/s/i/x",
        title={"fi": title},
        closes_at=MONDAY,
    )


def test_every_notice_has_a_working_unsubscribe_link_but_sign_in_mail_has_none(
    client, create_user, smtp_server
):
    user = create_user(language="en")
    reminder(user)
    db.session.commit()
    mail = smtp_server.only()
    link = mail["List-Unsubscribe"].strip("<>")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in smtp_server.text_of(mail)
    path = link.removeprefix("http://localhost")

    page = client.get(path, headers=ENGLISH)
    assert page.status_code == 200 and b"Stop these notices" in page.data
    assert preferences.wants_email(user, Category.REMINDERS)  # GET changes nothing
    done = client.post(path, headers=ENGLISH)  # no session, no CSRF token
    assert done.status_code == 200
    assert not preferences.wants_email(user, Category.REMINDERS)
    assert preferences.wants_email(user, Category.INVITATIONS)
    assert reminder(user) is None

    smtp_server.messages.clear()
    send_sign_in_link(user.email, "en", MONDAY, None)
    db.session.commit()
    assert "List-Unsubscribe" not in smtp_server.only()


def test_a_forged_or_expired_link_explains_and_changes_nothing(client, create_user):
    user = create_user()
    good = preferences.unsubscribe_token(user, Category.REMINDERS)
    old = datetime.now(UTC) - preferences.UNSUBSCRIBE_LINK_LIFETIME - timedelta(1)
    cases = {
        good[:-2] + "xx": b"This link is not valid.",  # forged signature
        "not.a.token": b"This link is not valid.",
        preferences.unsubscribe_token(user, Category.REMINDERS, old): (
            b"This link is too old to use."
        ),
    }
    for token, expected in cases.items():
        for method in ("GET", "POST"):
            response = client.open(
                f"/unsubscribe/{token}", method=method, headers=ENGLISH
            )
            assert response.status_code == 400
            assert expected in response.data
    assert preferences.wants_email(user, Category.REMINDERS)


def test_settings_page_saves_categories_delivery_and_language(
    client, create_user, login
):
    user = login(create_user(language="fi"))
    assert client.get("/profile/notifications").status_code == 200
    chosen = {"invitations": "y", "summaries": "y"}
    response = client.post(
        "/profile/notifications",
        data={"delivery": "weekly", "preferred_language": "sv", **chosen},
    )
    assert response.status_code == 302
    assert preferences.choices(user) == {c: c.value in chosen for c in Category}
    assert preferences.delivery(user) is Delivery.WEEKLY
    assert user.preferred_language == "sv"
    bad = client.post("/profile/notifications", data={"delivery": "hourly"})
    assert bad.status_code == 400
    assert preferences.delivery(user) is Delivery.WEEKLY


def test_daily_and_weekly_digests_gather_notices_into_one_mail(
    create_user, smtp_server
):
    daily, weekly = create_user(language="en"), create_user(language="fi")
    preferences.set_delivery(daily, Delivery.DAILY)
    preferences.set_delivery(weekly, Delivery.WEEKLY)
    for person in (daily, weekly):
        reminder(person, "First")
        reminder(person, "Second")
    db.session.commit()
    assert smtp_server.messages == []
    assert db.session.query(QueuedNotice).count() == 4

    tuesday = MONDAY - timedelta(days=6)
    assert send_digests(tuesday) == 1  # the daily one; the weekly waits for Monday
    db.session.commit()
    mail = smtp_server.only()
    assert mail["To"] == daily.email and mail["List-Unsubscribe"]
    text = smtp_server.text_of(mail)
    assert text.count("Reminder: your answers are still welcome") == 2
    assert "First" in text and "Second" in text
    assert send_digests(tuesday + timedelta(hours=3)) == 0  # once a day

    smtp_server.messages.clear()
    assert send_digests(MONDAY) == 1
    db.session.commit()
    assert smtp_server.only()["To"] == weekly.email
    assert "Muistutus" in smtp_server.text_of(smtp_server.only())  # queued in Finnish
    assert send_digests(MONDAY + timedelta(hours=1)) == 0
    assert db.session.query(QueuedNotice).count() == 0
