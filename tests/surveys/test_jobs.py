"""The e-panel's scheduled jobs with a fixed `now`: idempotent, in Helsinki time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eraati.extensions import db
from eraati.surveys import jobs, services
from eraati.surveys.builtin import SELF_EVALUATION
from eraati.surveys.models import Invitation, MonthlySeries, Round, RoundState


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


@pytest.fixture
def series(panel, templates):
    found = MonthlySeries(panel=panel, questionnaire=templates[SELF_EVALUATION])
    db.session.add(found)
    db.session.commit()
    return found


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_monthly_rounds_open_on_the_first_at_nine_helsinki_time(series):
    # 25 October 2026 is the day clocks go back; the November round is in winter time.
    assert jobs.schedule_monthly_rounds(utc(2026, 10, 25, 12)) == 2
    db.session.commit()
    assert jobs.schedule_monthly_rounds(utc(2026, 10, 26, 12)) == 0
    november = db.session.query(Round).order_by(Round.opens_at.desc()).first()
    assert november.opens_at == utc(2026, 11, 1, 7)  # 09:00 EET
    assert november.closes_at == utc(2026, 11, 30, 22)  # midnight into 1 December
    assert november.remind_at == utc(2026, 11, 27, 22)
    assert november.state is RoundState.SCHEDULED

    assert jobs.open_due_rounds(utc(2026, 10, 25, 12, 5)) == 1  # October's
    db.session.commit()
    assert jobs.open_due_rounds(utc(2026, 11, 1, 6, 59)) == 0
    assert november.state is RoundState.SCHEDULED
    assert jobs.open_due_rounds(utc(2026, 11, 1, 7, 0)) == 1
    db.session.commit()
    assert november.state is RoundState.OPEN
    assert jobs.open_due_rounds(utc(2026, 11, 1, 7, 5)) == 0


def test_summer_rounds_open_at_nine_summer_time(panel, templates):
    opens, closes = services.month_window(2026, 4, "Europe/Helsinki")
    assert opens == utc(2026, 4, 1, 6)  # 09:00 EEST
    assert closes == utc(2026, 4, 30, 21)


def test_invitations_go_once_in_each_members_language(open_round, smtp_server):
    now = open_round.opens_at + timedelta(minutes=5)
    assert jobs.send_due_invitations(now) == 3
    db.session.commit()
    assert jobs.send_due_invitations(now + timedelta(minutes=5)) == 0
    subjects = sorted(mail["Subject"] for mail in smtp_server.messages)
    assert subjects.count("Raadiltasi on uusi kysely") == 2
    assert subjects.count("En ny enkät från ditt råd") == 1
    body = smtp_server.text_of(smtp_server.messages[0])
    assert "/s/i/" in body


def test_reminders_go_once_to_non_responders_only(open_round, smtp_server):
    now = open_round.opens_at
    jobs.send_due_invitations(now)
    db.session.commit()
    answered = db.session.query(Invitation).order_by(Invitation.id).first()
    answered.answered = True
    db.session.commit()
    smtp_server.messages.clear()

    before = open_round.remind_at - timedelta(minutes=1)
    assert jobs.send_due_reminders(before) == 0
    assert jobs.send_due_reminders(open_round.remind_at) == 2
    db.session.commit()
    assert jobs.send_due_reminders(open_round.remind_at + timedelta(hours=1)) == 0
    assert len(smtp_server.messages) == 2
    assert all(
        "Muistutus" in m["Subject"] or "Påminnelse" in m["Subject"]
        for m in smtp_server.messages
    )


def test_rounds_close_at_their_time_and_rerunning_changes_nothing(open_round):
    assert jobs.close_due_rounds(open_round.closes_at - timedelta(seconds=1)) == 0
    assert jobs.close_due_rounds(open_round.closes_at) == 1
    db.session.commit()
    assert open_round.state is RoundState.CLOSED
    assert jobs.close_due_rounds(open_round.closes_at + timedelta(days=1)) == 0


def test_jobs_are_registered_with_the_scheduler(app):
    from eraati.scheduler import registered_jobs

    ids = {job.id for job in registered_jobs()}
    assert {
        "survey-monthly-rounds",
        "survey-open-rounds",
        "survey-invitations",
        "survey-reminders",
        "survey-close-rounds",
    } <= ids
