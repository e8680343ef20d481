"""The newer pages on a phone, in Finnish and in Swedish: ideas, results, the yearly
report and the follow-up; a person's own data and notification settings; the audit
log. Axe finds nothing on any of them, none scrolls sideways on the narrowest phone
(320 px, WCAG 1.4.10), and the forms work as plain posts (no script needed)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from eraati.accounts.models import Role, User
from eraati.accounts.services import create_user
from eraati.audit import record
from eraati.budgeting import proposals
from eraati.budgeting.models import (
    Area,
    Ballot,
    Eligibility,
    ImplementationStatus,
    Phase,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Proposal,
    VoteCode,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.mail import preferences
from eraati.mail.models import Category, Delivery
from eraati.mail.notify import notice_links
from tests.browser.conftest import PHONE
from tests.browser.test_outcomes import signed_in_page

pytestmark = pytest.mark.browser

IDEA = "Penkkejä rantaan"
COMMENT = "Hyvä idea, kannatan."
#: Values of term lists narrower than half their list.
SQUEEZED_VALUES = """[...document.querySelectorAll("main dl dd")]
  .filter(dd => dd.offsetWidth < dd.parentElement.offsetWidth / 2)
  .map(dd => dd.textContent.trim())"""


# --- the world ---------------------------------------------------------------------


def build_ideas(author_id: int, commenter_id: int) -> tuple[int, int]:
    """(process id, idea id): a process taking ideas, one idea with a comment."""
    process = Process(
        year=2026,
        title={"fi": "Osbu", "sv": "Medborgarbudget"},
        total_budget=Decimal(50_000),
        phase=Phase.PROPOSALS,
    )
    area = Area(process=process, name={"fi": "Keskusta"}, budget=Decimal(50_000))
    db.session.add_all([process, area])
    db.session.flush()
    idea = proposals.submit(
        Proposal(
            process_id=process.id,
            area_id=area.id,
            author_id=author_id,
            title=IDEA,
            description="Kolme penkkiä rantapolulle.",
            estimated_cost=Decimal(1500),
        ),
        None,
    )
    proposals.add_comment(commenter_id, COMMENT, proposal=idea)
    db.session.commit()
    return process.id, idea.id


def build_vote(voter_id: int) -> tuple[int, dict[str, int]]:
    """A process in the council phase after four ballots (as tests/budgeting/
    test_results.py): greedy funds A and B, equal shares A and C."""
    process = Process(
        year=2026,
        title={"fi": "Kaupungin budjetti"},
        total_budget=100,
        phase=Phase.COUNCIL,
    )
    area = Area(process=process, name={"fi": "Pohjoinen"}, budget=Decimal(100))
    db.session.add_all([process, area])
    db.session.flush()
    ids = {}
    for key, title, cost in (
        ("A", "Leikkipuisto", 60),
        ("B", "Kirjoja", 40),
        ("C", "Penkit", 20),
    ):
        project = Project(
            process_id=process.id,
            area_id=area.id,
            external_id=key,
            title={"fi": title},
            cost=Decimal(cost),
            status=ProjectStatus.ON_BALLOT,
        )
        db.session.add(project)
        db.session.flush()
        ids[key] = project.id
    for chosen in ("AB", "AB", "A", "C"):
        db.session.add(
            Ballot(
                process_id=process.id,
                area_id=area.id,
                choices=[str(ids[key]) for key in chosen],
                cast_on=date(2026, 5, 1),
            )
        )
    for number in range(6):
        db.session.add(
            VoteCode(process_id=process.id, area_id=area.id, code_hash=f"{number:064}")
        )
    db.session.add(
        Eligibility(process_id=process.id, user_id=voter_id, area_id=area.id)
    )
    db.session.commit()
    return process.id, ids


def start_implementation(process_id: int, ids: dict[str, int], representative_id: int):
    """The council decided: A and C are funded, B dropped; A has two updates, and the
    person follows the area's projects for the residents."""
    process = db.session.get(Process, process_id)
    process.phase = Phase.IMPLEMENTATION
    for key in "AC":
        db.session.get(Project, ids[key]).status = ProjectStatus.FUNDED
    dropped = db.session.get(Project, ids["B"])
    dropped.status, dropped.status_reason = ProjectStatus.DROPPED, "Ei tonttia"
    start = utcnow() - timedelta(days=30)
    for days, status, note in (
        (0, ImplementationStatus.PLANNED, None),
        (10, ImplementationStatus.DELAYED, "Lumi toukokuussa"),
    ):
        db.session.add(
            ProjectUpdate(
                project_id=ids["A"],
                status=status,
                note=note,
                created_at=start + timedelta(days=days),
            )
        )
    proposals.add_representative(process.areas[0], representative_id, None)
    db.session.commit()


@pytest.fixture
def people(live_server):
    with live_server.app.app_context():
        aino = create_user("aino@example.fi", Role.RESIDENT, "Aino", "fi")
        vera = create_user("vera@example.fi", Role.RESIDENT, "Vera", "sv")
        admin = create_user("admin@example.fi", Role.ADMIN, "Ylläpito", "fi")
        db.session.commit()
        return {"aino": aino.id, "vera": vera.id, "admin": admin.id}


@pytest.fixture
def in_app(live_server):
    """``in_app(build, *args)``: a builder run in the live server's app context."""

    def run(build, *args):
        with live_server.app.app_context():
            return build(*args)

    return run


@pytest.fixture
def check_page(check_a11y):
    """Axe on the phone; then, on the narrowest one, nothing scrolls sideways and no
    value beside its term is squeezed to a few letters (body text may break
    anywhere, so a squeezed column never overflows: it only becomes unreadable)."""

    def check(page) -> None:
        check_a11y(page)
        page.set_viewport_size({"width": 320, "height": 640})
        root = "document.documentElement"
        assert page.evaluate(f"{root}.scrollWidth <= {root}.clientWidth"), page.url
        assert page.evaluate(SQUEEZED_VALUES) == [], page.url
        page.set_viewport_size(PHONE["viewport"])

    return check


# --- participatory budgeting, in Finnish -------------------------------------------


def test_ideas_results_report_and_follow_up_in_finnish(
    browser, live_server, people, in_app, check_page
):
    process_id, idea_id = in_app(build_ideas, people["vera"], people["vera"])
    page = signed_in_page(browser, live_server, people["aino"])

    page.goto(f"/pb/{process_id}/proposals")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("main li.card")).to_have_count(1)
    check_page(page)

    # A blank title: the error is in the summary (an alert), linked to the field,
    # and read out with the field.
    page.locator(f'main a[href^="/pb/{process_id}/proposals/new"]').click()
    check_page(page)
    page.locator("#description").fill("Lisää valoja puistoon.")
    page.get_by_role("button", name="Lähetä idea").click()
    summary = page.get_by_role("alert")
    expect(summary.locator('a[href="#title"]')).to_contain_text("Anna idealle otsikko.")
    title = page.locator("#title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", "title-error")
    expect(page.locator("#title-error")).to_have_text("Anna idealle otsikko.")
    expect(page.locator("#description")).to_have_value("Lisää valoja puistoon.")
    check_page(page)

    # An idea with a comment; following is a plain form.
    page.goto(f"/pb/{process_id}/proposals/{idea_id}")
    expect(page.locator("main .comments")).to_contain_text(COMMENT)
    page.get_by_role("button", name="Seuraa").click()
    expect(page.get_by_role("button", name="Lopeta seuraaminen")).to_be_visible()
    check_page(page)

    # The vote is counted, the council has not decided yet: charts with tables.
    results_id, ids = in_app(build_vote, people["aino"])
    page.goto(f"/pb/{results_id}/results")
    expect(page.locator("main svg[role=img]")).to_have_count(2)
    expect(page.locator("main table caption").first).to_be_visible()
    check_page(page)

    in_app(start_implementation, results_id, ids, people["aino"])
    page.goto(f"/pb/{results_id}/report")
    expect(page.locator("main")).to_contain_text("Lumi toukokuussa")
    check_page(page)

    # Aino represents the area: she comments on the funded project.
    page.goto(f"/pb/follow-up/{results_id}/projects/{ids['A']}")
    page.locator("#body").fill("Työt alkoivat tänään.")
    page.get_by_role("button", name="Julkaise kommentti").click()
    expect(page.locator("main .comments")).to_contain_text("Työt alkoivat tänään.")
    check_page(page)
    page.context.close()


# --- a person's own data, in Swedish -----------------------------------------------


def test_my_data_and_notices_in_swedish(
    browser, live_server, people, in_app, check_page
):
    in_app(build_ideas, people["vera"], people["vera"])
    page = signed_in_page(browser, live_server, people["vera"])

    page.goto("/my-data")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("main")).to_contain_text(IDEA)
    check_page(page)
    page.goto("/my-data/delete")  # only looked at: nothing is deleted
    check_page(page)

    page.goto("/profile/notifications")
    page.locator("#reminders").uncheck()
    page.locator(f"#delivery input[value={Delivery.WEEKLY.value}]").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text(
        "Dina inställningar för meddelanden har sparats."
    )
    expect(page.locator("#reminders")).not_to_be_checked()
    check_page(page)
    page.context.close()

    # The link at the foot of a notice, opened on a phone that is not signed in.
    with live_server.app.app_context():
        vera = db.session.get(User, people["vera"])
        assert preferences.delivery(vera) is Delivery.WEEKLY
        link = notice_links(vera, Category.SUMMARIES)["unsubscribe_url"]
    context = browser.new_context(**{**PHONE, "locale": "sv-FI"})
    page = context.new_page()
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check_page(page)
    page.get_by_role("button", name="Sluta skicka de här meddelandena").click()
    expect(page.locator("h1")).to_have_text("Meddelandena har stoppats")
    check_page(page)
    context.close()
    with live_server.app.app_context():
        vera = db.session.get(User, people["vera"])
        assert not preferences.wants_email(vera, Category.SUMMARIES)


# --- admins, in Finnish ------------------------------------------------------------


def test_the_audit_log_and_a_persons_data_for_admins(
    browser, live_server, people, in_app, check_page
):
    in_app(build_ideas, people["aino"], people["vera"])
    with live_server.app.app_context():
        admin = db.session.get(User, people["admin"])
        aino = db.session.get(User, people["aino"])
        record("user.role_changed", aino, actor=admin, role="moderator", active=True)
        record("retention.run", actor=None, removed=3)
        db.session.commit()
    page = signed_in_page(browser, live_server, people["admin"])

    page.goto("/admin/audit/")
    expect(page.locator("main tbody tr")).to_have_count(2)
    check_page(page)

    page.goto(f"/admin/users/{people['aino']}/data")
    expect(page.locator("h1")).to_contain_text("aino@example.fi")
    check_page(page)
    page.context.close()
