"""A resident on a phone: sign in by emailed link, switch to Swedish, give consents.

Every page on the way is checked with axe. Texts are found by URL, role, id or the
English source strings (on English pages); other languages are told by ``lang``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_resident_signs_in_by_link_switches_to_swedish_and_gives_consents(
    page, live_server, sign_in_link, check_a11y
):
    base = re.escape(live_server.url)

    # Ask for a link.
    page.goto("/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_a11y(page)
    page.get_by_label("Email address").fill("Aino.Asukas@Example.fi")
    page.get_by_role("button", name="Send me a sign-in link").click()

    expect(page).to_have_url(re.compile(base + r"/sign-in/sent$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_a11y(page)

    # Open the link from the mail: it only asks to confirm (mail scanners GET links).
    page.goto(sign_in_link())
    expect(page.get_by_text("aino.asukas@example.fi")).to_be_visible()
    check_a11y(page)
    page.locator("main").get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    check_a11y(page)

    # Switch to Swedish with the header's language switcher.
    page.locator("header nav").get_by_role("link", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page).to_have_url(re.compile(base + r"/\?lang=sv$"))
    expect(page.locator('header a[hreflang="sv"]')).to_have_attribute(
        "aria-current", "true"
    )

    # The profile, through the main menu.
    page.locator('header nav a[href="/profile"]').click()
    expect(page).to_have_url(live_server.url + "/profile")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    surveys = page.locator("#deeper_surveys")
    sessions = page.locator("#live_sessions")
    expect(surveys).not_to_be_checked()
    expect(sessions).not_to_be_checked()
    swedish = page.locator("#preferred_language-1")  # fi, sv, en
    expect(swedish).to_be_checked()
    expect(page.locator('label[for="preferred_language-1"]')).to_have_attribute(
        "lang", "sv"
    )
    check_a11y(page)

    # Labels are tied to the boxes: ticking by label text works as a tap would.
    page.locator('label[for="deeper_surveys"]').click()
    sessions.check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(live_server.url + "/profile")
    expect(page.locator(".message-success[role=status]")).to_be_visible()
    expect(surveys).to_be_checked()
    expect(sessions).to_be_checked()
    # When each consent was given is read out with its box.
    expect(surveys).to_have_attribute(
        "aria-describedby", "deeper_surveys-hint deeper_surveys-status"
    )
    expect(page.locator("#live_sessions-status")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check_a11y(page)

    page.reload()
    expect(page.locator(".message-success")).to_have_count(0)
    expect(surveys).to_be_checked()
    expect(sessions).to_be_checked()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
