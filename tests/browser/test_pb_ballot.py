"""A resident votes with a paper code on a phone, in Chromium: the live budget meter,
over budget refused with a clear message, then a valid ballot accepted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eraati.budgeting import voting
from eraati.budgeting.models import (
    Area,
    Ballot,
    Phase,
    Process,
    Project,
    ProjectStatus,
)
from eraati.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def voting_process(live_server):
    """(process id, a vote code) for a process in the voting phase, budget 70 000 €."""
    with live_server.app.app_context():
        process = Process(
            year=2026,
            title={"en": "PB 2026"},
            total_budget=Decimal(70_000),
            phase=Phase.VOTING,
        )
        area = Area(process=process, name={"en": "North"}, budget=Decimal(70_000))
        db.session.add_all([process, area])
        db.session.flush()
        for number, cost in enumerate([40_000, 35_000, 5_000], start=1):
            db.session.add(
                Project(
                    process_id=process.id,
                    area_id=area.id,
                    external_id=str(number),
                    title={"en": f"Playground {number}"},
                    cost=Decimal(cost),
                    status=ProjectStatus.ON_BALLOT,
                )
            )
        (code,) = voting.generate_codes(process, area, 1)
        db.session.commit()
        return process.id, code


def ballots(app) -> list[Ballot]:
    with app.app_context():
        return list(db.session.query(Ballot))


def test_vote_on_a_phone_over_budget_then_valid(
    page, live_server, voting_process, check_a11y
):
    process_id, code = voting_process
    page.goto(f"/pb/{process_id}?lang=en")
    check_a11y(page)
    page.get_by_role("link", name="Vote now").click()
    assert page.locator("h1").inner_text() == "How do you vote?"
    check_a11y(page)
    page.get_by_label("Vote code").fill(code)
    page.get_by_role("button", name="Continue with the code").click()
    assert page.locator("h1").inner_text() == "Your ballot: North"
    check_a11y(page)
    # The narrowest phone (WCAG 1.4.10): nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # The live meter follows the choices; the server still decides.
    page.get_by_label("Playground 1").check()
    page.get_by_label("Playground 2").check()
    assert "over the budget" in page.locator("#budget-text").inner_text()
    page.get_by_role("button", name="Review my vote").click()
    error = page.locator("#projects-error")
    assert "more than the budget of €70,000.00" in error.inner_text()
    assert ballots(live_server.app) == []
    check_a11y(page)

    page.get_by_label("Playground 2").uncheck()
    page.get_by_label("Playground 3").check()
    assert page.locator("#budget-text").inner_text() == "€45,000.00 of €70,000.00 used"
    page.get_by_role("button", name="Review my vote").click()
    assert page.locator("h1").inner_text() == "Check your vote"
    assert page.get_by_text("Total cost: €45,000.00 of €70,000.00").is_visible()
    check_a11y(page)
    page.get_by_role("button", name="Cast my vote").click()
    assert page.locator("h1").inner_text() == "Thank you for voting"
    check_a11y(page)
    (ballot,) = ballots(live_server.app)
    assert len(ballot.choices) == 2
