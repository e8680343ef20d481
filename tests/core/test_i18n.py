"""Which language a reader gets, the switcher, and local formats."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from eraati.core.i18n import format_money
from eraati.core.models import translate
from eraati.extensions import db


def html_lang(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_default_language_is_finnish(client):
    response = client.get("/")
    assert html_lang(response) == "fi"
    assert 'dir="ltr"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("sv-FI,sv;q=0.9", "sv"), ("en-GB,en;q=0.8", "en"), ("de-DE,fr;q=0.5", "fi")],
)
def test_accept_language_is_used_when_nothing_else_is_chosen(client, header, expected):
    assert html_lang(client.get("/", headers={"Accept-Language": header})) == expected


def test_explicit_choice_beats_the_browser_and_is_remembered(client):
    response = client.get("/panels/?lang=sv", headers={"Accept-Language": "en"})
    assert html_lang(response) == "sv"
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "sv"
    # The next page, without ?lang=, stays Swedish.
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "sv"


def test_signed_in_preference_wins_and_the_switcher_updates_it(
    client, create_user, login
):
    user = login(create_user(language="en"))
    client.set_cookie("lang", "sv")
    assert html_lang(client.get("/", headers={"Accept-Language": "fi"})) == "en"
    assert html_lang(client.get("/?lang=sv")) == "sv"
    db.session.refresh(user)
    assert user.preferred_language == "sv"


def test_unknown_language_gets_a_translated_400(client):
    response = client.get("/?lang=xx", headers={"Accept-Language": "sv"})
    assert response.status_code == 400
    assert "finska, svenska eller engelska" in response.get_data(as_text=True)


def test_switcher_links_keep_the_page_and_its_query(client):
    page = client.get("/admin/users/?q=abc", follow_redirects=True).get_data(
        as_text=True
    )
    # Not signed in: the sign-in page; its switcher keeps the `next` parameter.
    assert 'lang="sv"' in page
    assert "next=%2Fadmin%2Fusers%2F" in page
    assert "lang=sv" in page and 'hreflang="sv"' in page


def test_money_numbers_and_dates_follow_the_locale(app):
    moment = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)  # 00:30 next day in Helsinki
    from flask_babel import format_date, format_datetime, format_decimal

    with app.test_request_context(), force_locale("fi"):
        assert format_money(1234.5) == "1\xa0234,50\xa0€"
        assert format_decimal(1234567.891) == "1\xa0234\xa0567,891"
        assert format_date(moment, "short") == "2.7.2026"
        assert "0.30" in format_datetime(moment, "short")
    with app.test_request_context(), force_locale("sv"):
        assert format_money(1234.5) == "1\xa0234,50\xa0€"
        assert format_date(moment, "short") == "2026-07-02"
    with app.test_request_context(), force_locale("en"):
        assert format_money(1234.5) == "€1,234.50"


def test_winter_time_is_two_hours_ahead(app):
    from flask_babel import format_datetime

    with app.test_request_context(), force_locale("fi"):
        assert "14.00" in format_datetime(
            datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "short"
        )


@pytest.mark.parametrize(
    ("texts", "locale", "expected"),
    [
        ({"fi": "Raati", "sv": "Råd", "en": "Panel"}, "sv", "Råd"),
        ({"fi": "Raati", "en": "Panel"}, "sv", "Raati"),
        ({"en": "Panel"}, "sv", "Panel"),
        ({}, "fi", ""),
        (None, "fi", ""),
        ({"sv": ""}, "sv", ""),
    ],
)
def test_translated_text_falls_back_in_order(texts, locale, expected):
    assert translate(texts, locale, ("fi", "sv", "en")) == expected
