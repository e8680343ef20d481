"""Officials and moderators schedule sessions, write summaries, export and run ideas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from eraati.accounts.models import Role
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.rooms import services
from eraati.rooms.models import (
    AgendaItem,
    Idea,
    ModerationAction,
    Participant,
    ParticipantRole,
    RoomSession,
)
from eraati.rooms.rules import IdeaStatus, SessionStatus

EN = {"Accept-Language": "en"}
#: A fixed "now" before the sessions scheduled here (Helsinki UTC+2, winter time).
NOW = datetime(2027, 3, 20, 10, tzinfo=UTC)


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL, language="en", name="Outi"))


@pytest.fixture
def base(room_panel):
    return f"/manage/panels/{room_panel.id}/sessions"


def schedule(client, base, **fields):
    data = {
        "title-fi": "Kevään tapaaminen",
        "title-sv": "Vårens möte",
        "day": "2027-03-31",
        "starts": "18:00",
        "ends": "19:30",
        "agenda-fi": "Kuulumiset\nAjanvaraus",
        "agenda-sv": "Hur står det till\nTidsbokning",
        "material-fi": "Lue kirjeluonnos.",
        "material_url": "https://example.fi/kirje.pdf",
        "invite_members": "y",
        **fields,
    }
    return client.post(f"{base}/new", data=data, headers=EN)


def test_schedule_in_helsinki_time_across_the_spring_change(
    client, clock, official, base, room_panel
):
    # Clocks went forward on 28 March 2027: 18:00 on the 31st is EEST (UTC+3).
    response = schedule(client, base)
    assert response.status_code == 302, response.get_data(as_text=True)
    session = db.session.query(RoomSession).one()
    assert session.starts_at == datetime(2027, 3, 31, 15, tzinfo=UTC)
    assert session.ends_at == datetime(2027, 3, 31, 16, 30, tzinfo=UTC)
    assert [item.title for item in session.agenda] == [
        {"fi": "Kuulumiset", "sv": "Hur står det till"},
        {"fi": "Ajanvaraus", "sv": "Tidsbokning"},
    ]
    assert session.short_notice_reason is None
    assert session.material_url == "https://example.fi/kirje.pdf"
    roles = sorted(p.role.value for p in services.participants(session))
    assert roles == ["moderator", "participant", "participant"]
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert 'value="18:00"' in page and 'value="2027-03-31"' in page


def test_a_time_skipped_by_the_clock_change_is_refused(client, clock, official, base):
    response = schedule(client, base, day="2027-03-28", starts="03:30", ends="05:00")
    assert response.status_code == 400
    assert "That time does not exist" in response.get_data(as_text=True)
    assert db.session.query(RoomSession).count() == 0


def test_short_notice_needs_a_reason(client, clock, official, base):
    refused = schedule(client, base, day="2027-03-22")
    assert refused.status_code == 400
    assert "Give a reason for the short notice" in refused.get_data(as_text=True)
    assert db.session.query(RoomSession).count() == 0
    response = schedule(
        client, base, day="2027-03-22", short_notice_reason="Päätös tehdään 23.3."
    )
    assert response.status_code == 302
    session = db.session.query(RoomSession).one()
    assert session.short_notice_reason == "Päätös tehdään 23.3."


def test_editing_the_time_sends_the_agenda_again(client, clock, official, base):
    schedule(client, base)
    session = db.session.query(RoomSession).one()
    session.agenda_sent_at = session.reminder_sent_at = NOW
    db.session.commit()
    unchanged = client.post(
        f"{base}/{session.id}",
        data={
            "title-fi": "Uusi nimi",
            "title-sv": "",
            "day": "2027-03-31",
            "starts": "18:00",
            "ends": "19:30",
        },
        headers=EN,
    )
    assert unchanged.status_code == 302
    assert session.title == {"fi": "Uusi nimi"} and session.agenda_sent_at == NOW
    moved = client.post(
        f"{base}/{session.id}",
        data={
            "title-fi": "Uusi nimi",
            "title-sv": "",
            "day": "2027-04-07",
            "starts": "17:00",
            "ends": "19:00",
        },
        headers=EN,
    )
    assert moved.status_code == 302
    assert session.starts_at == datetime(2027, 4, 7, 14, tzinfo=UTC)
    assert session.agenda_sent_at is None and session.reminder_sent_at is None


def test_agenda_items_are_added_reordered_and_removed(client, clock, official, base):
    schedule(client, base)
    session = db.session.query(RoomSession).one()
    url = f"{base}/{session.id}/agenda"
    assert client.post(url, data={"item-title-fi": "Muut asiat"}).status_code == 302
    assert client.post(url, data={}, headers=EN).status_code == 400
    first, second, third = session.agenda
    removed_id = first.id
    client.post(f"{url}/{third.id}", data={"action": "up"})
    client.post(f"{url}/{first.id}", data={"action": "remove"})
    db.session.expire_all()
    titles = [item.title["fi"] for item in session.agenda]
    assert titles == ["Muut asiat", "Ajanvaraus"]
    assert [item.position for item in session.agenda] == [0, 1]
    assert db.session.get(AgendaItem, removed_id) is None


def test_guests_need_an_existing_account(client, clock, official, base, create_user):
    schedule(client, base)
    session = db.session.query(RoomSession).one()
    url = f"{base}/{session.id}/guests"
    refused = client.post(url, data={"guest-email": "nobody@example.fi"}, headers=EN)
    assert refused.status_code == 400
    assert "No one has an account with this email address" in refused.get_data(
        as_text=True
    )
    councillor = create_user(Role.COUNCIL, email="valtuutettu@example.fi", name="Ville")
    response = client.post(url, data={"guest-email": "Valtuutettu@example.fi "})
    assert response.status_code == 302
    guest = services.participant_of(session, councillor)
    assert guest.role is ParticipantRole.GUEST


@pytest.fixture
def ended_session(live_session, room_panel):
    """The live session after it ended: messages under two items, an idea."""
    people = {
        name: services.participant_of(live_session, room_panel.people[name])
        for name in ("moderator", "aino", "vera")
    }
    now = utcnow()
    first, second = live_session.agenda
    for number, (name, item, body) in enumerate(
        [
            ("aino", first, "Hei"),
            ("vera", first, "=SUM(A1)"),
            ("aino", second, "Jono on pitkä"),
        ]
    ):
        live_session.current_item_id = item.id
        services.post_message(
            live_session,
            people[name],
            f"c{number}",
            body,
            now + timedelta(seconds=number),
        )
    services.notice(live_session, "closed", now, people["moderator"])
    hidden, _new = services.post_message(
        live_session, people["moderator"], "c9", "Poistettava", now
    )
    services.hide_message(live_session, hidden.id, "Väärä kanava")
    services.log(live_session, people["moderator"], "hide", hidden.id, "Väärä kanava")
    services.make_idea(live_session, "Takaisinsoitto", now=now)
    live_session.status = SessionStatus.CLOSED
    db.session.commit()
    return live_session


def test_summary_is_prefilled_and_sent_once_in_each_language(
    client, official, base, ended_session, smtp_server
):
    url = f"{base}/{ended_session.id}/summary"
    page = client.get(url, headers=EN).get_data(as_text=True)
    # Aino, Vera and the moderator (whose message was hidden later) wrote.
    assert "3 people wrote in the discussion, 4 messages" in page
    assert "Kuulumiset: 2 messages" in page and "Ajanvaraus: 2 messages" in page
    assert "Takaisinsoitto (New)" in page
    assert "Send and publish" in page
    summary = {
        "summary-fi": "Puhuimme jonoista.",
        "summary-sv": "Vi talade om köer.",
        "summary-en": "",
    }
    response = client.post(url, data={**summary, "action": "send"}, headers=EN)
    assert response.status_code == 302
    assert ended_session.summary_sent_at is not None
    by_recipient = {mail["To"]: mail for mail in smtp_server.messages}
    assert sorted(by_recipient) == [
        "aino@example.fi",
        "mod@example.fi",
        "vera@example.fi",
    ]
    vera = by_recipient["vera@example.fi"]
    assert vera["Content-Language"] == "sv"
    assert "Vi talade om köer." in smtp_server.text_of(vera)
    aino = smtp_server.text_of(by_recipient["aino@example.fi"])
    assert "Puhuimme jonoista." in aino
    assert f"/sessions/{ended_session.id}/summary" in aino

    again = client.post(url, data={**summary, "action": "send"}, headers=EN)
    assert again.status_code == 302 and len(smtp_server.messages) == 3
    public = client.get(f"/sessions/{ended_session.id}/summary", headers=EN)
    assert "Puhuimme jonoista." in public.get_data(as_text=True)


def test_summary_is_not_sent_before_the_session_ends(
    client, official, base, live_session, smtp_server
):
    url = f"{base}/{live_session.id}/summary"
    assert "Send and publish" not in client.get(url, headers=EN).get_data(as_text=True)
    response = client.post(url, data={"summary-fi": "x", "action": "send"})
    assert response.status_code == 400
    assert smtp_server.messages == [] and live_session.summary_sent_at is None


def test_transcript_exports_use_names_only(client, official, base, ended_session):
    response = client.get(f"{base}/{ended_session.id}/transcript.csv", headers=EN)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    assert "@example.fi" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Number", "Time (Finnish time)", "Agenda item", "Name"]
    bodies = {row[6]: row for row in rows[1:]}
    assert bodies["Hei"][3] == "Aino" and bodies["Hei"][2] == "Kuulumiset"
    assert "'=SUM(A1)" in bodies  # never run as a formula
    assert "The session has ended. Thank you!" in bodies
    hidden = bodies["Message hidden by the moderator: Väärä kanava"]
    assert hidden[5] == "yes" and "Poistettava" not in text

    plain = client.get(f"{base}/{ended_session.id}/transcript.txt", headers=EN)
    assert plain.mimetype == "text/plain"
    lines = plain.get_data(as_text=True)
    assert "## Kuulumiset" in lines and "## Ajanvaraus" in lines
    assert "Aino: Jono on pitkä" in lines and "@example.fi" not in lines


def test_moderation_log_lists_actions_and_reasons(
    client, official, base, ended_session
):
    assert db.session.query(ModerationAction).count() == 1
    page = client.get(f"{base}/{ended_session.id}/log", headers=EN)
    html = page.get_data(as_text=True)
    assert "Hid a message" in html and "Väärä kanava" in html
    assert "Moderaattori" in html


def test_idea_status_change_needs_a_reason_to_stop_and_tells_everyone(
    client, official, base, ended_session, smtp_server
):
    idea = db.session.query(Idea).one()
    url = f"{base}/ideas/{idea.id}"
    field = f"idea-{idea.id}"
    refused = client.post(url, data={f"{field}-status": "not_going_ahead"}, headers=EN)
    assert refused.status_code == 400
    assert "Give a reason." in refused.get_data(as_text=True)
    assert smtp_server.messages == []

    response = client.post(
        url,
        data={f"{field}-status": "not_going_ahead", f"{field}-reason": "Ei rahaa."},
    )
    assert response.status_code == 302
    assert idea.status is IdeaStatus.NOT_GOING_AHEAD
    assert [change.reason for change in idea.history] == [None, "Ei rahaa."]
    mails = {mail["To"]: mail for mail in smtp_server.messages}
    assert len(mails) == 3 and mails["vera@example.fi"]["Content-Language"] == "sv"
    body = smtp_server.text_of(mails["aino@example.fi"])
    assert "Takaisinsoitto" in body and "Ei rahaa." in body
    assert f"/sessions/panels/{ended_session.panel_id}/ideas" in body

    page = client.get(f"{base}/ideas", headers=EN).get_data(as_text=True)
    assert "Not going ahead" in page
    # Done is final, so a stopped idea can only be taken up again.
    assert 'value="under_consideration"' in page and 'value="done"' not in page


def test_a_suggested_idea_is_accepted_by_a_moderator(
    client, official, base, live_session, room_panel
):
    vera = services.participant_of(live_session, room_panel.people["vera"])
    idea = services.make_idea(
        live_session, "Ehdotus", suggested_by=vera, accepted=False, now=utcnow()
    )
    db.session.commit()
    assert "Ehdotus" not in client.get(
        f"/sessions/panels/{room_panel.id}/ideas"
    ).get_data(as_text=True)
    response = client.post(f"{base}/ideas/{idea.id}", data={"action": "accept"})
    assert response.status_code == 302 and idea.accepted


def test_residents_and_other_panels_are_refused(
    client, login, room_panel, base, live_session
):
    login(room_panel.people["aino"])
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/{live_session.id}/transcript.csv").status_code == 403
    assert db.session.query(Participant).count() == 3
