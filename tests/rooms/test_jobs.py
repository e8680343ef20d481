"""The agenda three days ahead and the reminder on the day, with a fixed `now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eraati.accounts.models import Role
from eraati.extensions import db
from eraati.panels.models import Membership
from eraati.rooms import jobs, services
from eraati.rooms.rules import SessionStatus
from eraati.scheduler import registered_jobs
from tests.rooms.conftest import call, received, received_by_name


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def schedule(panel, starts_at, now, **kwargs):
    session = services.schedule_session(
        panel,
        title={"fi": "Kevään tapaaminen", "sv": "Vårens möte"},
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        now=now,
        agenda=[{"fi": "Kuulumiset", "sv": "Hur står det till"}],
        material={"fi": "Lue luonnos."},
        material_url="https://example.fi/luonnos.pdf",
        **kwargs,
    )
    db.session.commit()
    return session


@pytest.fixture
def spring_session(room_panel):
    """18:00 Helsinki on 31 March 2027, three days after the clocks went forward."""
    return schedule(room_panel, utc(2027, 3, 31, 15), now=utc(2027, 3, 1, 12))


def by_recipient(smtp_server) -> dict:
    return {mail["To"]: mail for mail in smtp_server.messages}


def test_agenda_goes_three_days_ahead_at_nine_across_dst(spring_session, smtp_server):
    # Three days before is 28 March, the day of the change: 09:00 EEST is 06:00 UTC.
    assert jobs.send_agenda_notices(utc(2027, 3, 28, 5, 55)) == 0
    assert smtp_server.messages == []
    assert jobs.send_agenda_notices(utc(2027, 3, 28, 6, 0)) == 3
    db.session.commit()
    assert spring_session.agenda_sent_at == utc(2027, 3, 28, 6, 0)
    assert jobs.send_agenda_notices(utc(2027, 3, 28, 6, 5)) == 0
    assert jobs.send_agenda_notices(utc(2027, 3, 30, 12)) == 0
    mails = by_recipient(smtp_server)
    assert sorted(mails) == ["aino@example.fi", "mod@example.fi", "vera@example.fi"]
    vera = mails["vera@example.fi"]
    assert vera["Content-Language"] == "sv"
    text = smtp_server.text_of(vera)
    assert "Vårens möte" in text and "Hur står det till" in text
    assert "18:00" in text  # Helsinki summer time, not UTC
    assert f"http://localhost/sessions/{spring_session.id}" in text
    assert "https://example.fi/luonnos.pdf" in text
    aino = smtp_server.text_of(mails["aino@example.fi"])
    assert "Kevään tapaaminen" in aino and "Lue luonnos." in aino


def test_reminder_on_the_day_once(spring_session, smtp_server):
    jobs.send_agenda_notices(utc(2027, 3, 28, 6))
    db.session.commit()
    smtp_server.messages.clear()
    assert jobs.send_reminders(utc(2027, 3, 31, 5, 55)) == 0
    assert jobs.send_reminders(utc(2027, 3, 31, 6, 0)) == 3  # 09:00 EEST
    db.session.commit()
    assert jobs.send_reminders(utc(2027, 3, 31, 6, 5)) == 0
    assert len(smtp_server.messages) == 3
    assert "18:00" in smtp_server.text_of(smtp_server.messages[0])
    # After the start nothing more goes out, whatever the flags say.
    spring_session.reminder_sent_at = None
    db.session.commit()
    assert jobs.send_reminders(utc(2027, 3, 31, 15, 1)) == 0


def test_no_reminder_before_the_agenda(spring_session, smtp_server):
    assert jobs.send_reminders(utc(2027, 3, 31, 6, 0)) == 0
    assert spring_session.reminder_sent_at is None and smtp_server.messages == []


def test_new_members_are_invited_before_the_agenda_goes(
    spring_session, room_panel, create_user, smtp_server
):
    newcomer = create_user(Role.RESIDENT, email="uusi@example.fi", language="fi")
    db.session.add(Membership(panel=room_panel, user=newcomer))
    db.session.commit()
    assert jobs.send_agenda_notices(utc(2027, 3, 28, 6)) == 4
    assert "uusi@example.fi" in by_recipient(smtp_server)
    assert services.participant_of(spring_session, newcomer) is not None


def test_short_notice_goes_at_once_with_its_reason(room_panel, smtp_server):
    now = utc(2027, 3, 30, 8)
    session = schedule(
        room_panel,
        utc(2027, 3, 31, 15),
        now=now,
        short_notice_reason="Lausunto on annettava 1.4. mennessä.",
    )
    assert jobs.send_agenda_notices(now + timedelta(minutes=5)) == 3
    db.session.commit()
    text = smtp_server.text_of(smtp_server.messages[0])
    assert "Lausunto on annettava 1.4. mennessä." in text
    assert session.agenda_sent_at is not None


def test_an_agenda_sent_on_the_day_is_reminder_enough(room_panel, smtp_server):
    now = utc(2027, 3, 31, 7)  # 10:00 EEST, the session at 18:00
    session = schedule(
        room_panel, utc(2027, 3, 31, 15), now=now, short_notice_reason="x"
    )
    assert jobs.send_agenda_notices(now) == 3
    db.session.commit()
    assert jobs.send_reminders(now + timedelta(minutes=5)) == 0
    db.session.commit()
    assert session.reminder_sent_at is not None and len(smtp_server.messages) == 3


def test_sessions_that_started_or_closed_get_nothing(spring_session, smtp_server):
    spring_session.status = SessionStatus.CLOSED
    db.session.commit()
    assert jobs.send_agenda_notices(utc(2027, 3, 28, 6)) == 0
    assert smtp_server.messages == []


def test_the_room_jobs_run_every_five_minutes():
    found = {job.id: job for job in registered_jobs()}
    for job_id in (
        "room-agenda-notices",
        "room-reminders",
        "room-closing-notices",
        "room-close-ended",
    ):
        assert found[job_id].trigger_args == {"minute": "*/5"}


def test_the_room_hears_once_that_the_session_ends_soon(
    connect, room_panel, live_session
):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    received(aino)
    soon = live_session.ends_at - timedelta(minutes=5)
    assert jobs.send_closing_notices(soon - timedelta(minutes=10)) == 0
    # Sent when the job's transaction commits, never for one rolled back.
    assert jobs.send_closing_notices(soon) == 1
    db.session.rollback()
    assert received(aino, "message") == []
    assert jobs.send_closing_notices(soon) == 1
    db.session.commit()
    [notice] = received(aino, "message")
    assert notice["notice"] == {"code": "closing", "name": None}
    assert jobs.send_closing_notices(soon + timedelta(minutes=4)) == 0
    db.session.commit()
    assert received(aino, "message") == []


def test_a_session_left_open_is_closed_for_everyone(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    received(aino)
    assert jobs.close_ended_sessions(live_session.ends_at + timedelta(minutes=30)) == 0
    assert jobs.close_ended_sessions(live_session.ends_at + timedelta(hours=1)) == 1
    db.session.commit()
    events = received_by_name(aino)
    assert events["message"][-1]["notice"]["code"] == "closed"
    assert events["state"][-1]["status"] == "closed"
    payload = {"session": live_session.id, "client_id": "late", "body": "Vielä"}
    assert call(aino, "message", payload)["error"] == "closed"
