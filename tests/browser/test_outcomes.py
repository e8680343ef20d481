"""What became of it, on a phone: a Finnish and a Swedish resident read their own
pages and filter them without JavaScript; an official sees the panel's page with
the ideas left waiting. Every page is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from eraati.accounts.models import Role
from eraati.accounts.services import create_user
from eraati.extensions import db
from tests.browser.conftest import PHONE
from tests.outcomes.worlds import build_panel, build_process

pytestmark = pytest.mark.browser


@pytest.fixture
def people(live_server):
    """Aino (fi) took part in a panel's session; Vera (sv) voted and sent ideas."""
    with live_server.app.app_context():
        aino = create_user("aino@example.fi", Role.RESIDENT, "Aino", "fi")
        vera = create_user("vera@example.fi", Role.RESIDENT, "Vera", "sv")
        official = create_user("virka@example.fi", Role.OFFICIAL, "Virkailija", "fi")
        db.session.commit()
        panel = build_panel(aino)
        build_process(vera, aino)
        return {
            "aino": aino.id,
            "vera": vera.id,
            "official": official.id,
            "panel": panel.panel.id,
        }


def signed_in_page(browser, live_server, user_id: int):
    """A phone of its own with the person's session cookie set."""
    app = live_server.app
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": str(user_id), "_fresh": True}
    )
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.add_cookies(
        [
            {
                "name": app.config["SESSION_COOKIE_NAME"],
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def cards(page):
    return page.locator("main li.card")


def test_residents_read_their_own_pages_in_finnish_and_swedish(
    browser, live_server, people, check_a11y
):
    # Aino, in Finnish: from her profile to her own page.
    page = signed_in_page(browser, live_server, people["aino"])
    page.goto("/profile")
    page.locator('main a[href="/my/outcomes"]').click()
    expect(page).to_have_url(live_server.url + "/my/outcomes")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    stopped = cards(page).filter(has_text="Evening opening hours")
    expect(stopped).to_contain_text("Ei etene")  # "Not going ahead"
    expect(stopped).to_contain_text("No staff for the evenings")
    expect(cards(page).filter(has_text="Sauna")).to_have_count(1)  # her own idea
    expect(cards(page).filter(has_text="Swings")).to_have_count(0)  # Vera's
    check_a11y(page)

    # The filter is a plain form: choose, send, and the page shows only those.
    page.locator("#status").select_option("stopped")
    page.locator("main form.outcome-filters button").click()
    expect(page).to_have_url(re.compile(r"/my/outcomes\?status=stopped"))
    expect(cards(page)).to_have_count(1)
    expect(page.locator("#status")).to_have_value("stopped")
    check_a11y(page)
    page.context.close()

    # Vera, in Swedish: what became of her ideas and the projects she voted on.
    page = signed_in_page(browser, live_server, people["vera"])
    page.goto("/my/outcomes")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    playground = cards(page).filter(has_text="Playground")
    expect(playground).to_contain_text("Inställt")  # "Cancelled"
    expect(playground).to_contain_text("The site was sold")
    expect(cards(page).filter(has_text="Pool")).to_contain_text("Too expensive")
    expect(cards(page).filter(has_text="Sauna")).to_have_count(0)
    # The narrowest phone (WCAG 1.4.10): nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_a11y(page)
    page.context.close()


def test_an_official_sees_the_ideas_left_waiting(
    browser, live_server, people, check_a11y
):
    page = signed_in_page(browser, live_server, people["official"])
    page.goto(f"/panels/{people['panel']}")
    page.locator(f'main a[href="/panels/{people["panel"]}/outcomes"]').click()
    first = cards(page).first
    expect(first).to_have_class(re.compile(r"\bis-stale\b"))
    expect(first.locator(".stale-note a")).to_have_attribute(
        "href", re.compile(r"/sessions/ideas#idea-\d+$")
    )
    check_a11y(page)
    page.context.close()
