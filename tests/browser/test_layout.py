"""Layout and keyboard on a small phone: reflow, skip link, focus order, no-JS forms,
error messages and the page-weight budget."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
#: WCAG 1.4.12 text spacing, as the usual bookmarklet sets it.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
PAGE_WEIGHT_BUDGET = 60 * 1024


def add_stylesheet(page, css: str) -> None:
    """Add CSS the way a reader's extension would (a <style> tag breaks the CSP)."""
    page.evaluate(
        """css => {
            const sheet = new CSSStyleSheet();
            sheet.replaceSync(css);
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        }""",
        css,
    )


def horizontal_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("path", ["/", "/sign-in", "/accessibility"])
def test_pages_reflow_at_320_px_in_every_language(page, path):
    page.set_viewport_size(NARROW)
    for language in ("fi", "sv", "en"):
        page.goto(f"{path}?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert horizontal_overflow(page) <= 0, f"{path} in {language} scrolls sideways"
        # Still no sideways scrolling with the largest text spacing WCAG asks for.
        add_stylesheet(page, TEXT_SPACING)
        assert horizontal_overflow(page) <= 0, f"{path} in {language} with spacing"


def test_signed_in_header_reflows_at_320_px(page, sign_in_link):
    page.set_viewport_size(NARROW)
    page.goto("/sign-in?lang=fi")
    page.locator("#email").fill("kapea@example.fi")
    page.locator("main form button[type=submit]").click()
    page.goto(sign_in_link())
    page.locator("main form button[type=submit]").click()
    expect(page.locator('header form[action="/sign-out"]')).to_be_visible()
    for path in ("/", "/profile"):
        page.goto(path)
        assert horizontal_overflow(page) <= 0, path


def test_skip_link_is_first_and_shows_on_focus(page):
    page.goto("/")
    skip = page.locator("a.skip-link")
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24, box

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main")).to_be_focused()


def test_keyboard_reaches_the_language_switcher_in_order(page):
    page.goto("/sign-in")
    reached = []
    for _ in range(10):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "document.activeElement.getAttribute('hreflang')"
                " || document.activeElement.className"
                " || document.activeElement.tagName"
            )
        )
        if reached[-1] == "en":
            break
    assert reached[:5] == ["skip-link", "brand", "fi", "sv", "en"], reached

    # Enter on the focused switcher link changes the language.
    page.locator('header a[hreflang="sv"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page).to_have_url(re.compile(r"/sign-in\?lang=sv$"))


def test_sign_in_works_without_javascript(new_context, live_inbox, sign_in_link):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in")
    page.locator("#email").fill("ilman.skriptia@example.fi")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sign-in/sent$"))
    assert live_inbox.only()["To"] == "ilman.skriptia@example.fi"

    page.goto(sign_in_link())
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Signing out is a form too (POST with its CSRF token).
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator('header a[href^="/sign-in"]')).to_be_visible()


def test_bad_email_shows_summary_and_field_error(page, check_a11y, live_inbox):
    page.goto("/sign-in")
    page.locator("#email").fill("not-an-email")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/sign-in$"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#email")
    expect(link).to_contain_text("Enter the email address in the form")

    field = page.locator("#email")
    expect(page.locator("#email-error")).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "email-error")
    expect(field).to_have_value("not-an-email")
    expect(field).to_have_accessible_description(re.compile("Enter the email address"))
    check_a11y(page)

    # The summary's link leads to the field.
    link.click()
    expect(page).to_have_url(re.compile(r"/sign-in#email$"))
    expect(field).to_be_in_viewport()
    assert live_inbox.messages == []

    # An empty address gets its own message, and still no mail is sent.
    field.fill("")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#email-error")).to_contain_text("Enter an email address.")
    check_a11y(page)
    assert live_inbox.messages == []


def test_front_page_weight_is_within_budget(page):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/", wait_until="load")
    sizes = {response.url: len(response.body()) for response in responses}
    total = sum(sizes.values())
    assert total < PAGE_WEIGHT_BUDGET, sizes
    scripts = [url for url in sizes if url.endswith(".js")]
    assert scripts == [], "the front page needs no JavaScript"
