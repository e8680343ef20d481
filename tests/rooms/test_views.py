"""The server-rendered room: calendar, rules gate, posting without JavaScript, ideas."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eraati.accounts.models import Role
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.rooms import services
from eraati.rooms.models import GroundRulesAcceptance, Message
from eraati.rooms.rules import IdeaStatus, SessionStatus
from tests.rooms.conftest import received

EN = {"Accept-Language": "en"}
VALID_CODE = "131052-308T"


@pytest.fixture
def aino(room_panel, login):
    """Aino, signed in, reading in English (her pages and the test's asserts)."""
    user = room_panel.people["aino"]
    user.preferred_language = "en"
    db.session.commit()
    return login(user)


def page(client, path) -> str:
    response = client.get(path, headers=EN)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def post(client, session, body, client_id="form-1", **extra):
    data = {"body": body, "client_id": client_id, **extra}
    return client.post(f"/sessions/{session.id}/messages", data=data, headers=EN)


def test_calendar_lists_coming_sessions_for_everyone(client, live_session):
    html = page(client, "/sessions/")
    assert "Kuukausitapaaminen" in html and "Kuulumiset" in html
    assert "No summaries yet." in html
    panel_html = page(client, f"/sessions/?panel={live_session.panel_id}")
    assert "Kuukausitapaaminen" in panel_html
    assert client.get("/sessions/?panel=999").status_code == 404


def test_summary_is_public_only_once_published(client, live_session):
    assert client.get(f"/sessions/{live_session.id}/summary").status_code == 404
    live_session.summary = {"fi": "Yhteenveto", "en": "What we agreed"}
    live_session.summary_sent_at = utcnow()
    db.session.commit()
    assert "What we agreed" in page(client, f"/sessions/{live_session.id}/summary")
    assert f"/sessions/{live_session.id}/summary" in page(client, "/sessions/")


def test_the_room_needs_sign_in_and_an_invitation(
    client, login, room_panel, live_session
):
    response = client.get(f"/sessions/{live_session.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    login(room_panel.people["outsider"])
    response = client.get(f"/sessions/{live_session.id}", headers=EN)
    assert response.status_code == 403
    assert "You are not invited to this session." in response.get_data(as_text=True)
    refused = post(client, live_session, "Hei")
    assert refused.status_code == 403
    accepted = client.post(f"/sessions/{live_session.id}/rules")
    assert accepted.status_code == 403
    assert db.session.query(Message).count() == 0


def test_ground_rules_are_accepted_before_entering(client, aino, live_session):
    db.session.query(GroundRulesAcceptance).filter_by(user_id=aino.id).delete()
    db.session.commit()
    html = page(client, f"/sessions/{live_session.id}")
    assert "I accept the ground rules" in html
    assert "Talk about your own health only at a general level" in html
    assert 'id="transcript"' not in html
    refused = post(client, live_session, "Hei")
    assert "I accept the ground rules" in refused.get_data(as_text=True)
    assert db.session.query(Message).count() == 0

    response = client.post(f"/sessions/{live_session.id}/rules")
    assert response.status_code == 302
    assert services.has_accepted_rules(live_session.panel_id, aino.id)
    html = page(client, f"/sessions/{live_session.id}")
    assert 'id="transcript"' in html and "I accept the ground rules" not in html


def test_room_page_keeps_the_dom_contract(client, aino, room_panel, live_session):
    live_session.current_item_id = live_session.agenda[1].id
    db.session.commit()
    participant = services.participant_of(live_session, aino)
    html = page(client, f"/sessions/{live_session.id}")
    assert (
        f'<section id="room" aria-labelledby="discussion-title" '
        f'data-session="{live_session.id}" data-last-id="0" '
        f'data-participant="{participant.id}" data-moderator="false"'
    ) in html
    assert 'data-lang="en"' in html and "data-csrf=" in html
    assert '<ol id="transcript" class="transcript"' in html
    assert '<form id="composer" method="post"' in html
    assert '<textarea id="body" name="body"' in html
    assert 'name="client_id"' in html and 'name="confirm"' in html
    assert re.search(r'src="/static/vendor/socket.io.min.js" defer', html)
    assert re.search(r'src="/static/js/rooms.js" defer', html)
    # The current agenda item is marked for everyone, not only by colour.
    assert re.search(r'aria-current="step">Ajanvaraus <strong class="tag">Now', html)


def test_posting_without_javascript_counts_a_double_submit_once(
    client, aino, live_session
):
    first = post(client, live_session, "  Hei kaikki  ", client_id="same")
    second = post(client, live_session, "  Hei kaikki  ", client_id="same")
    assert first.status_code == second.status_code == 302
    stored = db.session.query(Message).one()
    assert stored.body == "Hei kaikki"
    assert first.headers["Location"].endswith(f"#m-{stored.id}")
    html = page(client, f"/sessions/{live_session.id}")
    assert f'data-last-id="{stored.id}"' in html
    line = re.search(rf'<li id="m-{stored.id}" data-id="{stored.id}"[^>]*>', html)
    assert line and "is-own" in line.group(0)
    assert '<span class="author">Aino</span>' in html
    assert '<p class="body note">Hei kaikki</p>' in html


def test_personal_data_warning_then_send_anyway(client, aino, live_session):
    refused = post(client, live_session, "Soita minulle 040 123 4567")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "seems to contain personal details (phone number)" in html
    assert '<div class="field checkbox" id="confirm-field">' in html  # not hidden now
    assert "Soita minulle 040 123 4567</textarea>" in html  # kept to edit
    assert 'name="client_id" value="form-1"' in html
    assert db.session.query(Message).count() == 0

    sent = post(client, live_session, "Soita minulle 040 123 4567", confirm="yes")
    assert sent.status_code == 302
    assert db.session.query(Message).one().body == "Soita minulle 040 123 4567"


def test_an_identity_code_is_never_stored(client, aino, live_session):
    text = f"Tunnukseni on {VALID_CODE}"
    refused = post(client, live_session, text)
    assert "personal identity code" in refused.get_data(as_text=True)
    assert post(client, live_session, text, confirm="yes").status_code == 302
    stored = db.session.query(Message).one()
    assert VALID_CODE not in stored.body and "131052" not in stored.body
    assert VALID_CODE not in page(client, f"/sessions/{live_session.id}")


def test_refusals_are_shown_in_plain_words(client, aino, live_session):
    assert post(client, live_session, "   ").status_code == 400
    live_session.status = SessionStatus.PAUSED
    db.session.commit()
    html = post(client, live_session, "Hei").get_data(as_text=True)
    assert "The moderator has paused the session." in html
    live_session.status = SessionStatus.CLOSED
    db.session.commit()
    html = page(client, f"/sessions/{live_session.id}")
    assert 'id="composer"' not in html and "The session has ended." in html
    assert db.session.query(Message).count() == 0


def test_notices_and_hidden_messages_are_worded_for_the_reader(
    client, aino, room_panel, live_session
):
    moderator = services.participant_of(live_session, room_panel.people["moderator"])
    services.notice(live_session, "open", utcnow(), moderator)
    services.notice(live_session, "floor\tAino", utcnow(), moderator)
    vera = services.participant_of(live_session, room_panel.people["vera"])
    message, _created = services.post_message(
        live_session, vera, "v1", "Jotain sopimatonta", utcnow()
    )
    services.hide_message(live_session, message.id, "Asiaton")
    db.session.commit()
    html = page(client, f"/sessions/{live_session.id}")
    assert "The session is open." in html and "Aino has the floor." in html
    assert "Message hidden by the moderator: Asiaton" in html
    assert "Jotain sopimatonta" not in html
    assert "is-hidden" in html and "is-notice" in html


def test_short_notice_reason_is_shown_prominently(client, aino, live_session):
    live_session.short_notice_reason = "Päätös tulee jo ensi viikolla."
    db.session.commit()
    html = page(client, f"/sessions/{live_session.id}")
    assert "Why the short notice" in html
    assert html.index("Päätös tulee jo ensi viikolla.") < html.index('id="transcript"')
    assert "Päätös tulee jo ensi viikolla." in page(client, "/sessions/")


def test_officials_enter_any_session_as_moderators(
    client, login, create_user, live_session
):
    official = create_user(Role.OFFICIAL)
    login(official)
    services.accept_rules(live_session.panel_id, official.id, utcnow())
    db.session.commit()
    html = page(client, f"/sessions/{live_session.id}")
    assert 'data-moderator="true"' in html and "Manage this session" in html


def test_the_public_ideas_page_tells_what_became_of_each_idea(
    client, room_panel, live_session
):
    now = utcnow()
    done = services.make_idea(live_session, "Iltavastaanotot", now=now)
    services.change_idea_status(done, "under_consideration", None, None, now)
    stopped = services.make_idea(live_session, "Tekstiviestikirjeet", now=now)
    services.change_idea_status(
        stopped, IdeaStatus.NOT_GOING_AHEAD, "Tietoturva ei salli.", None, now
    )
    services.make_idea(
        live_session, "Vain ehdotus", accepted=False, now=now - timedelta(days=1)
    )
    db.session.commit()
    html = page(client, f"/sessions/panels/{room_panel.id}/ideas")
    assert "Iltavastaanotot" in html and "Under consideration" in html
    assert "Why it does not go ahead:</strong> Tietoturva ei salli." in html
    assert "Not going ahead" in html and "Last updated" in html
    assert "Vain ehdotus" not in html
    assert client.get("/sessions/panels/999/ideas").status_code == 404


def test_a_form_post_reaches_those_connected_live(
    client, aino, connect, room_panel, live_session
):
    vera = connect(room_panel.people["vera"], join=live_session.id)
    received(vera)
    assert post(client, live_session, "Ilman JavaScriptiä").status_code == 302
    messages = received(vera, "message")
    assert [m["body"] for m in messages] == ["Ilman JavaScriptiä"]
    assert messages[0]["author"] == "Aino"
