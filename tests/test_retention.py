"""Retention with a fixed `now`: what is past its period goes once, the rest stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eraati.accounts.models import LoginToken, Role
from eraati.audit.models import AuditEvent
from eraati.extensions import db
from eraati.mail.models import MailLog, MailStatus
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.retention import apply_retention, run_retention
from eraati.rooms import services as rooms
from eraati.rooms.models import Message
from eraati.surveys import services as surveys
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates
from eraati.surveys.models import Invitation, OptIn

NOW = datetime(2026, 11, 30, 0, 15, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=800)
WEEKS_AGO = NOW - timedelta(days=40)
YESTERDAY = NOW - timedelta(days=1)


def make_world(create_user) -> dict:
    """One old and one recent thing of every kind retention looks at."""
    member = create_user()
    panel = Panel(
        unit=Unit(organisation=Organisation(slug="o", name={"fi": "O"}), name={}),
        name={"fi": "Raati"},
    )
    db.session.add_all([panel, Membership(panel=panel, user=member)])
    db.session.flush()
    opt_in = {"panel_id": panel.id, "consent_version": "1", "language": "fi"}
    db.session.add_all(
        [
            OptIn(email="old@example.fi", created_at=LONG_AGO, **opt_in),
            OptIn(email="new@example.fi", created_at=YESTERDAY, **opt_in),
            OptIn(user_id=member.id, name="Aino", created_at=LONG_AGO, **opt_in),
            mail_log(LONG_AGO),
            mail_log(YESTERDAY),
            login_token(1, expires_at=WEEKS_AGO),
            login_token(2, expires_at=NOW, used_at=WEEKS_AGO),
            login_token(3, expires_at=YESTERDAY),
        ]
    )
    template = ensure_builtin_templates()[SELF_EVALUATION]
    closed = surveys.schedule_round(template, LONG_AGO, WEEKS_AGO, panel=panel)
    surveys.open_round(closed, LONG_AGO)
    surveys.close_round(closed, WEEKS_AGO)
    current = surveys.schedule_round(
        template, YESTERDAY, NOW + timedelta(5), panel=panel
    )
    surveys.open_round(current, YESTERDAY)
    for starts_at in (LONG_AGO, WEEKS_AGO):
        session = rooms.schedule_session(
            panel,
            title={"fi": "Tapaaminen"},
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            now=starts_at - timedelta(days=5),
        )
        db.session.add(Message(session_id=session.id, client_id="c1", body="Hei"))
    db.session.commit()
    return {"member": member}


def mail_log(created_at) -> MailLog:
    return MailLog(
        recipient="x@example.fi",
        template="sign_in",
        language="fi",
        subject="s",
        status=MailStatus.LOGGED,
        created_at=created_at,
    )


def login_token(number, expires_at, used_at=None) -> LoginToken:
    return LoginToken(
        token_hash=f"{number:064d}",
        email="x@example.fi",
        language="fi",
        created_at=expires_at - timedelta(minutes=30),
        expires_at=expires_at,
        used_at=used_at,
    )


def snapshot() -> dict:
    return {
        "opt_ins": sorted(
            (row.email or "", row.name) for row in db.session.query(OptIn)
        ),
        "mail_log": db.session.query(MailLog).count(),
        "tokens": db.session.query(LoginToken).count(),
        "invitations": sorted(
            (row.user_id is None, row.nonce == "")
            for row in db.session.query(Invitation)
        ),
        "bodies": sorted(row.body for row in db.session.query(Message)),
    }


def test_retention_removes_what_is_past_its_period_once(create_user):
    make_world(create_user)
    counts = apply_retention(NOW)
    db.session.commit()
    assert counts == {
        "opt_in_contacts": 2,  # the unused contact goes; the account's copy is cleared
        "mail_log": 1,
        "sign_in_links": 2,
        "invitation_links": 1,
        "transcript_messages": 1,
    }
    after = snapshot()
    assert after == {
        "opt_ins": [("", ""), ("new@example.fi", "")],
        "mail_log": 1,
        "tokens": 1,
        "invitations": [(False, False), (True, True)],  # response rates still add up
        "bodies": ["", "Hei"],
    }
    assert set(apply_retention(NOW).values()) == {0}
    db.session.commit()
    assert snapshot() == after


def test_the_nightly_run_reports_to_admins_and_the_audit_log(create_user, runner):
    make_world(create_user)
    admin = create_user(Role.ADMIN, language="en")
    result = runner.invoke(args=["retention", "run", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert "mail_log: 1" in result.output and "sign_in_links: 2" in result.output
    report = db.session.query(MailLog).filter_by(template="retention_report").one()
    assert report.recipient == admin.email
    event = db.session.query(AuditEvent).filter_by(action="retention.run").one()
    assert event.actor_id is None and event.details["transcript_messages"] == 1

    assert run_retention(NOW) == dict.fromkeys(event.details, 0)
    db.session.commit()
    assert db.session.query(MailLog).filter_by(template="retention_report").count() == 1
    bad = runner.invoke(args=["retention", "run", "--now", "yesterday"])
    assert bad.exit_code == 2 and "ISO time" in bad.output
