"""The `eraati` command: users, sign-in links, demo content, jobs."""

from __future__ import annotations

from eraati.accounts.models import LoginToken, Role, User
from eraati.budgeting.models import Ballot, Process, Project, VoteCode
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel


def test_users_create_and_login_link(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Outi@Example.fi",
            "--role",
            "official",
            "--name",
            "Outi",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="outi@example.fi").one()
    assert (user.role, user.display_name) == (Role.OFFICIAL, "Outi")

    link = runner.invoke(args=["users", "login-link", "outi@example.fi"])
    assert link.exit_code == 0
    assert link.output.strip().startswith("http://localhost/sign-in/link/")
    assert db.session.query(LoginToken).count() == 1


def test_users_create_refuses_bad_input_clearly(runner):
    unknown_role = runner.invoke(
        args=["users", "create", "a@example.fi", "--role", "king"]
    )
    assert unknown_role.exit_code != 0 and "king" in unknown_role.output
    bad_email = runner.invoke(args=["users", "create", "not-an-email"])
    assert bad_email.exit_code == 1 and "Error" in bad_email.output
    runner.invoke(args=["users", "create", "a@example.fi"])
    twice = runner.invoke(args=["users", "create", "a@example.fi"])
    assert twice.exit_code == 1 and "already" in twice.output
    missing = runner.invoke(args=["users", "login-link", "nobody@example.fi"])
    assert missing.exit_code == 1
    assert db.session.query(User).count() == 1


DEMO_MODELS = (
    User,
    Organisation,
    Panel,
    Membership,
    Process,
    Project,
    Ballot,
    VoteCode,
)


def test_demo_is_idempotent_and_prints_links_for_every_role(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    counts = [db.session.query(m).count() for m in DEMO_MODELS]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert [db.session.query(m).count() for m in DEMO_MODELS] == counts
    for role in Role:
        assert f"  {role.value}" in second.output
    assert {user.role for user in db.session.query(User)} == set(Role)
    assert "Vote codes for the demo vote" in second.output


def test_run_job_by_name(runner):
    result = runner.invoke(args=["run-job", "purge-expired-login-tokens"])
    assert result.exit_code == 0 and "purge-expired-login-tokens: 0" in result.output
    unknown = runner.invoke(args=["run-job", "nope"])
    assert unknown.exit_code != 0
