"""Every page that collects personal data links the privacy notice in the reader's
language (issue 6, part 3; the link is the macro in templates/_macros/privacy.html)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from eraati.accounts.models import Role
from eraati.budgeting import voting
from eraati.budgeting.models import Area, Phase, Process
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.rooms import services as rooms
from eraati.surveys import services as surveys
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates
from eraati.surveys.models import Audience


def _process(phase: Phase) -> tuple[Process, Area]:
    process = Process(
        year=2026, title={"en": "PB"}, total_budget=Decimal(1000), phase=phase
    )
    area = Area(process=process, name={"en": "North"}, budget=Decimal(1000))
    db.session.add_all([process, area])
    db.session.flush()
    return process, area


def _pages(client, resident) -> dict[str, str]:
    """Each data-collection page as the resident sees it: {what: html}."""
    now = utcnow()
    panel = Panel(
        unit=Unit(organisation=Organisation(slug="o", name={"en": "O"}), name={}),
        name={"en": "Panel"},
    )
    db.session.add_all([panel, Membership(panel=panel, user=resident)])
    db.session.flush()
    session = rooms.schedule_session(
        panel,
        title={"en": "Meeting"},
        starts_at=now + timedelta(days=4),
        ends_at=now + timedelta(days=4, hours=1),
        now=now,
    )
    ideas, _ = _process(Phase.PROPOSALS)
    ballot, area = _process(Phase.VOTING)
    (code,) = voting.generate_codes(ballot, area, 1)
    round_ = surveys.schedule_round(
        ensure_builtin_templates()[SELF_EVALUATION],
        now - timedelta(minutes=5),
        now + timedelta(days=3),
        panel=panel,
        audience=Audience.PUBLIC,
    )
    surveys.open_round(round_, now)
    db.session.commit()

    def html(path: str, method: str = "GET", **data) -> str:
        response = client.open(path, method=method, data=data, follow_redirects=True)
        assert response.status_code == 200, path
        return response.get_data(as_text=True)

    pages = {
        "sign-in": html("/sign-in"),
        "password sign-in": html("/sign-in/password"),
        "accessibility feedback": html("/accessibility"),
        "survey start": html(f"/s/p/{round_.public_token}"),
        "survey answering": html(f"/s/p/{round_.public_token}", "POST"),
        "voting": html(f"/pb/{ballot.id}/vote"),
        "ballot": html(f"/pb/{ballot.id}/vote", "POST", action="code", code=code),
    }
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = str(resident.id), True
    pages |= {
        "profile": html("/profile"),
        "notification settings": html("/profile/notifications"),
        "room ground rules": html(f"/sessions/{session.id}"),
        "budgeting idea form": html(f"/pb/{ideas.id}/proposals/new"),
    }
    return pages


def test_data_collection_pages_link_the_privacy_notice_in_the_readers_language(
    client, create_user
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    pages = _pages(client, create_user(Role.RESIDENT, language="sv"))
    link = 'href="/privacy" hreflang="sv"'
    assert [what for what, html in pages.items() if link not in html] == []
    # The notice itself opens in the same language (the same choice of language).
    assert '<html lang="sv"' in client.get("/privacy").get_data(as_text=True)
    # The pages are the ones meant, not the steps before or after them.
    assert 'class="ballot-form"' in pages["ballot"]
    assert 'class="survey-form"' in pages["survey answering"]
    assert "/rules" in pages["room ground rules"]
