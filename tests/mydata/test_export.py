"""The export holds every kind of personal record of a journey through all three
pillars, and nothing of the anonymous answers or the secret ballot."""

from __future__ import annotations

import json

from eraati.audit.models import AuditEvent
from eraati.extensions import db
from tests.mydata.conftest import (
    COMMENT,
    EMAIL,
    IDEA,
    MESSAGE,
    PHONE,
    PROPOSAL,
    PSEUDONYM,
    REAL_NAME,
    SECRET_ANSWER,
)


def test_the_download_holds_every_personal_record_and_no_secret(client, journey):
    response = client.get("/my-data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("eraati-my-data", 1)

    account = data["account"]
    assert (account["account"]["email"], account["account"]["display_name"]) == (
        EMAIL,
        PSEUDONYM,
    )
    assert {c["purpose"] for c in account["consents"]} == {
        "deeper_surveys",
        "live_sessions",
    }
    assert account["sign_in_links"]
    assert [m["panel"] for m in data["panels"]["memberships"]] == [
        {"fi": "Asiakasraati"}
    ]
    surveys = data["surveys"]
    assert [(i["round_id"], i["answered"]) for i in surveys["invitations"]] == [
        (journey.round_id, True)
    ]
    [opt_in] = surveys["opt_ins"]
    assert (opt_in["name"], opt_in["phone"], opt_in["live_sessions"]) == (
        REAL_NAME,
        PHONE,
        True,
    )
    rooms = data["rooms"]
    assert [s["session_id"] for s in rooms["sessions"]] == [journey.session_id]
    assert [m["text"] for m in rooms["messages"]] == [MESSAGE]
    assert [i["title"] for i in rooms["ideas"]] == [IDEA]
    assert rooms["ground_rules"] and rooms["raised_hands"]
    budgeting = data["budgeting"]
    assert [p["title"] for p in budgeting["proposals"]] == [PROPOSAL]
    assert [c["text"] for c in budgeting["comments"]] == [COMMENT]
    assert len(budgeting["follows"]) == 2  # the own idea, and a project
    assert [
        (v["process_id"], v["eligible"], v["voted"]) for v in budgeting["voting"]
    ] == [(journey.process_id, True, True)]
    notifications = data["notifications"]
    assert notifications["notification_settings"]["delivery"] == "daily"
    assert {"category": "reminders", "by_email": False} in notifications[
        "notification_choices"
    ]
    assert notifications["waiting_notices"] and notifications["mail_sent"]
    assert data["site"]["accessibility_feedback"]

    # What was never linked to her stays out: answers and the ballot.
    assert SECRET_ANSWER not in text
    assert journey.ballot_id not in text
    assert '"choices":' not in text
    exported = db.session.query(AuditEvent).filter_by(action="data.exported").one()
    assert exported.actor_id == journey.person.id
    assert EMAIL not in json.dumps(exported.details)


def test_the_page_shows_the_same_in_plain_words(client, journey):
    page = client.get("/my-data", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for shown in (EMAIL, REAL_NAME, MESSAGE, IDEA, PROPOSAL, COMMENT, "Asiakasraati"):
        assert shown in html
    assert SECRET_ANSWER not in html
    assert "/my-data.json" in html and "/my-data/delete" in html
    # A visit is not an export.
    assert not db.session.query(AuditEvent).filter_by(action="data.exported").count()
