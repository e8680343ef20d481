"""A resident answers the monthly questionnaire on a phone, in Swedish, in Chromium."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.accounts.models import User
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.surveys import services
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates
from eraati.surveys.models import Invitation, OptIn, Response

pytestmark = pytest.mark.browser


@pytest.fixture
def invitation_path(live_server):
    """An open self-evaluation round and a Swedish-speaking member's invitation link."""
    app = live_server.app
    with app.app_context():
        panel = Panel(
            unit=Unit(
                organisation=Organisation(slug="demo", name={"fi": "Hva", "sv": "Vo"}),
                name={"fi": "Neuvola", "sv": "Rådgivningen"},
            ),
            name={"fi": "Raati", "sv": "Rådet"},
        )
        member = User(email="vera@example.fi", preferred_language="sv")
        db.session.add(Membership(panel=panel, user=member))
        db.session.flush()
        now = utcnow()
        round_ = services.schedule_round(
            ensure_builtin_templates()[SELF_EVALUATION],
            now - timedelta(hours=1),
            now + timedelta(days=7),
            panel=panel,
        )
        services.open_round(round_, now)
        db.session.commit()
        invitation = db.session.query(Invitation).one()
        return f"/s/i/{services.invitation_token(invitation)}"


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def test_answer_in_swedish_leave_resume_and_opt_in(
    page, live_server, invitation_path, check_a11y
):
    page.goto(f"{invitation_path}?lang=sv")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_text("Sida 1 av 3").is_visible()
    check_a11y(page)

    # Page 1: the agreement statement and the ground-rules matrix.
    page.get_by_label("Av samma åsikt").first.check()
    for statement in page.locator("fieldset.matrix-row").all():
        statement.get_by_label("Delvis av samma åsikt").check()
    page.get_by_role("button", name="Nästa").click()
    assert page.get_by_text("Sida 2 av 3").is_visible()
    check_a11y(page)

    # Leave mid-way: the answers are kept and a resume link is given.
    page.get_by_label("9", exact=True).check()
    page.get_by_role("button", name="Spara och fortsätt senare").click()
    assert page.locator("h1").inner_text() == "Dina svar har sparats"
    check_a11y(page)
    resume = page.locator(".resume-link a").get_attribute("href")

    # Later, on the same phone: the link opens where the respondent left off.
    page.goto("about:blank")
    page.goto(resume)
    assert page.get_by_text("Sida 2 av 3").is_visible()
    assert page.get_by_label("9", exact=True).is_checked()
    page.get_by_role("button", name="Nästa").click()

    # Page 3: the background question is optional; send.
    assert page.get_by_text("Sida 3 av 3").is_visible()
    check_a11y(page)
    page.get_by_role("button", name="Skicka svaren").click()
    assert page.locator("h1").inner_text() == "Tack för dina svar"
    assert count(live_server.app, Response) == 1
    check_a11y(page)

    # Opt in to deeper participation; contact details stay apart from the answers.
    page.get_by_label("Bjud in mig till fördjupande enkäter").check()
    page.get_by_label("E-postadress").fill("vera@example.fi")
    page.get_by_role("button", name="Ja, kontakta mig").click()
    assert page.get_by_role("status").first.is_visible()
    check_a11y(page)
    with live_server.app.app_context():
        opt_in = db.session.query(OptIn).one()
        assert opt_in.deeper_surveys and opt_in.email == "vera@example.fi"


def test_missing_required_answer_is_explained_next_to_the_field(
    page, invitation_path, check_a11y
):
    page.goto(f"{invitation_path}?lang=sv")
    page.get_by_role("button", name="Nästa").click()
    # Nothing required on page 1 of the self-evaluation: it moves on.
    assert page.get_by_text("Sida 2 av 3").is_visible()
    page.get_by_role("button", name="Tillbaka").click()
    assert page.get_by_text("Sida 1 av 3").is_visible()
    check_a11y(page)


def test_the_questionnaire_works_without_javascript(
    browser, live_server, invitation_path
):
    from tests.browser.conftest import PHONE

    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, **PHONE
    )
    page = context.new_page()
    try:
        page.goto(f"{invitation_path}?lang=fi")
        for _ in range(3):
            page.locator("button[name=action][value=next]").click()
        assert "/s/thanks/" in page.url
        assert count(live_server.app, Response) == 1
    finally:
        context.close()
