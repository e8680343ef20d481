"""The opt-in pool and its deeper questionnaires; fast-feedback points and QR codes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from eraati.accounts.models import ConsentEvent, ConsentPurpose, Role
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Organisation, Unit
from eraati.surveys import services
from eraati.surveys.builtin import FAST_FEEDBACK, SELF_EVALUATION
from eraati.surveys.models import (
    Audience,
    FastFeedbackPoint,
    Invitation,
    OptIn,
    Response,
    Round,
    RoundKind,
)
from eraati.surveys.pool import invite_contacts
from eraati.surveys.qr import qr_svg

EN = {"Accept-Language": "en"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL, language="en"))


@pytest.fixture
def base(panel):
    return f"/manage/panels/{panel.id}/surveys"


def opt_in(panel, **fields) -> OptIn:
    row = OptIn(
        panel_id=panel.id,
        consent_version="2026-11-1",
        language=fields.pop("language", "fi"),
        deeper_surveys=fields.pop("deeper_surveys", True),
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def pool(panel, create_user):
    """Someone with an account, email-only contacts (one twice), a phone, a withdrawal."""
    person = create_user(Role.RESIDENT, email="pool@example.fi", language="sv")
    services.record_opt_in(
        panel.id,
        name="Pia",
        email=None,
        phone=None,
        deeper_surveys=True,
        live_sessions=True,
        language="sv",
        now=utcnow(),
        user=person,
    )
    db.session.commit()
    return {
        "account": db.session.query(OptIn).filter_by(user_id=person.id).one(),
        "email": opt_in(panel, name="Eero", email="eero@example.fi"),
        "again": opt_in(panel, email="EERO@example.fi", language="sv"),
        "phone": opt_in(panel, name="Paula", phone="040 123 4567"),
        "live_only": opt_in(
            panel, email="live@example.fi", deeper_surveys=False, live_sessions=True
        ),
        "gone": opt_in(panel, email="gone@example.fi", withdrawn_at=utcnow()),
    }


def test_the_pool_lists_active_contacts_and_their_choices(client, official, base, pool):
    page = client.get(f"{base}/pool", headers=EN).get_data(as_text=True)
    assert "Eero" in page and "eero@example.fi" in page and "040 123 4567" in page
    assert "Deeper questionnaires" in page and "Live sessions" in page
    assert "2026-11-1" in page
    assert "gone@example.fi" not in page
    assert "5 people in the pool" in page


def test_marking_withdrawn_also_withdraws_an_account_holders_consent(
    client, official, base, pool
):
    row = pool["account"]
    assert client.post(f"{base}/pool/{row.id}/withdraw", headers=EN).status_code == 302
    db.session.refresh(row)
    assert row.withdrawn_at is not None
    events = db.session.query(ConsentEvent).filter_by(granted=False).all()
    assert {event.purpose for event in events} == {
        ConsentPurpose.DEEPER_SURVEYS,
        ConsentPurpose.LIVE_SESSIONS,
    }
    page = client.get(f"{base}/pool", headers=EN).get_data(as_text=True)
    assert "Pia" not in page


def test_an_opt_in_of_another_panel_is_not_found(client, official, panel, pool):
    other = pool["email"]
    other.panel_id = None
    db.session.commit()
    url = f"/manage/panels/{panel.id}/surveys/pool/{other.id}/withdraw"
    assert client.post(url).status_code == 404


def test_inviting_the_pool_to_a_deeper_questionnaire(
    client, official, base, pool, templates, smtp_server
):
    now = utcnow()
    local = "%Y-%m-%dT%H:%M"
    response = client.post(
        f"{base}/rounds/new",
        data={
            "questionnaire_id": templates[SELF_EVALUATION].id,
            "opens_at": (now + timedelta(days=1, hours=3)).strftime(local),
            "closes_at": (now + timedelta(days=14)).strftime(local),
            "audience": "opt_in",
        },
        headers=EN,
    )
    assert response.status_code == 302
    round_ = db.session.query(Round).one()
    assert round_.audience is Audience.OPT_IN
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "1 person in the pool without an account was sent an invitation" in page
    assert "1 person in the pool left only a phone number" in page

    # One mail: the email-only contact (written twice), in the language of their
    # latest opt-in; the account holder is invited through the account.
    mail = smtp_server.only()
    assert mail["To"] == "eero@example.fi"
    assert mail["Content-Language"] == "sv"
    link = re.search(r"http://localhost(/s/i/\S+)", smtp_server.text_of(mail))[1]
    early = client.get(link, headers=EN)
    assert early.status_code == 400
    assert "not open yet" in early.get_data(as_text=True)
    invited = {
        row.email or row.name: row.last_used_at is not None
        for row in db.session.query(OptIn)
    }
    assert invited == {
        "Pia": True,
        "eero@example.fi": True,
        "EERO@example.fi": True,
        "Paula": True,
        "live@example.fi": False,
        "gone@example.fi": False,
    }

    state = client.post(f"{base}/rounds/{round_.id}/state", data={"action": "open"})
    assert state.status_code == 302
    invitations = db.session.query(Invitation).filter_by(round_id=round_.id).all()
    assert sorted(i.user_id is None for i in invitations) == [False, True]
    opened = client.get(link, headers=EN)
    assert opened.status_code in (200, 302)  # answering starts
    assert "not open yet" not in opened.get_data(as_text=True)


def test_a_contact_without_an_account_stops_invitations_from_the_mail(
    app, panel, pool, templates, smtp_server
):
    now = utcnow()
    round_ = services.schedule_round(
        templates[SELF_EVALUATION],
        now + timedelta(days=1),
        now + timedelta(days=14),
        panel=panel,
        audience=Audience.OPT_IN,
    )
    db.session.commit()
    invite_contacts(round_, now)
    db.session.commit()
    mail = smtp_server.only()
    assert "List-Unsubscribe" in mail
    stop = re.search(
        r"http://localhost(/invitations/stop/\S+)", smtp_server.text_of(mail)
    )[1]
    visitor = app.test_client()  # no account, not signed in
    assert "Stop invitations" in visitor.get(stop, headers=EN).get_data(as_text=True)
    assert visitor.post(stop, headers=EN).status_code == 200
    stopped = {r.email for r in db.session.query(OptIn) if r.withdrawn_at is not None}
    # Both opt-ins the address left are withdrawn; nobody else's.
    assert stopped == {"eero@example.fi", "EERO@example.fi", "gone@example.fi"}
    forged = visitor.get(stop[:-3] + "xyz", headers=EN)
    assert forged.status_code == 400
    assert "This link is not valid" in forged.get_data(as_text=True)


# --- Fast feedback ---------------------------------------------------------------


def create_point(client, base) -> FastFeedbackPoint:
    assert client.post(f"{base}/fast", data={}).status_code == 302
    return db.session.query(FastFeedbackPoint).order_by(FastFeedbackPoint.id).all()[-1]


def test_a_point_uses_the_builtin_question_and_shows_a_well_formed_qr(
    client, official, base, panel, templates
):
    point = create_point(client, base)
    assert point.unit_id == panel.unit_id and point.is_active
    assert point.questionnaire_id == templates[FAST_FEEDBACK].id
    link = f"http://localhost/s/f/{point.token}"

    page = client.get(f"{base}/fast/{point.id}/print", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "How was your experience today?" in html
    assert "Aikuissosiaalityö" in html and link in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)[0]
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == f"QR code: {link}"
    assert root.get("viewBox").startswith("0 0 ")
    assert svg == qr_svg(link, f"QR code: {link}")  # it encodes the point's link


def test_the_fast_link_stores_an_answer_in_the_months_fast_round(
    client, app, official, base, panel, templates
):
    point = create_point(client, base)
    item_id = templates[FAST_FEEDBACK].items[0].id
    respondent = app.test_client()
    answered = respondent.post(f"/s/f/{point.token}", data={f"q{item_id}": "happy"})
    assert answered.status_code == 200
    response = db.session.query(Response).one()
    round_ = db.session.get(Round, response.round_id)
    assert round_.kind is RoundKind.FAST and round_.unit_id == panel.unit_id
    assert round_.opens_at <= utcnow() < round_.closes_at


def test_another_one_question_questionnaire_can_be_chosen_but_not_a_long_one(
    client, official, base, templates
):
    page = client.get(f"{base}/fast", headers=EN).get_data(as_text=True)
    assert f'value="{templates[FAST_FEEDBACK].id}"' in page
    assert f'value="{templates[SELF_EVALUATION].id}"' not in page
    refused = client.post(
        f"{base}/fast",
        data={"questionnaire_id": templates[SELF_EVALUATION].id},
        headers=EN,
    )
    assert refused.status_code == 400
    assert "Choose a one-question questionnaire." in refused.get_data(as_text=True)
    assert db.session.query(FastFeedbackPoint).count() == 0


def test_a_deactivated_point_stops_answering(client, app, official, base):
    point = create_point(client, base)
    assert client.post(f"{base}/fast/{point.id}/deactivate").status_code == 302
    assert app.test_client().get(f"/s/f/{point.token}").status_code == 404
    assert client.get(f"{base}/fast/{point.id}/print").status_code == 410


def test_points_of_other_units_are_not_found(client, official, base, templates):
    unit = Unit(organisation=Organisation(slug="muu", name={"fi": "Muu"}), name={})
    db.session.add(unit)
    db.session.flush()
    point = FastFeedbackPoint(
        unit_id=unit.id, questionnaire_id=templates[FAST_FEEDBACK].id, token="other"
    )
    db.session.add(point)
    db.session.commit()
    assert client.get(f"{base}/fast/{point.id}/print").status_code == 404
    assert client.post(f"{base}/fast/{point.id}/deactivate").status_code == 404
    assert db.session.get(FastFeedbackPoint, point.id).is_active
