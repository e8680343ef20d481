"""Mail to followers, proposers, voters and follow-up representatives' comments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eraati.accounts.models import Role
from eraati.budgeting.jobs import move_phases
from eraati.budgeting.models import (
    Comment,
    Follow,
    Phase,
    Project,
    ProjectStatus,
    Proposal,
    VoterRecord,
)
from eraati.extensions import db
from eraati.mail.models import MailLog
from tests.budgeting.test_voting import make_process

EN = {"Accept-Language": "en"}


def mails(template: str) -> list[str]:
    rows = db.session.query(MailLog).filter_by(template=template).all()
    return sorted(row.recipient for row in rows)


@pytest.fixture
def followed(create_user):
    """Anna follows an idea and a project of the process, Ben one project; Cai
    follows nothing."""
    process = make_process()
    process.phase = Phase.PROPOSALS
    first, second = db.session.query(Project).order_by(Project.id).limit(2)
    anna, ben, _cai = (
        create_user(Role.RESIDENT, email=f"{name}@example.fi", language="en")
        for name in ("anna", "ben", "cai")
    )
    idea = Proposal(
        process_id=process.id,
        area_id=first.area_id,
        author_id=ben.id,
        title="Idea",
        description="...",
        project_id=first.id,
    )
    db.session.add(idea)
    db.session.flush()
    db.session.add_all(
        [
            Follow(user_id=anna.id, proposal_id=idea.id),
            Follow(user_id=anna.id, project_id=first.id),
            Follow(user_id=ben.id, project_id=second.id),
        ]
    )
    db.session.commit()
    return process, first


def test_a_phase_change_tells_each_follower_once(client, create_user, login, followed):
    process, _project = followed
    login(create_user(Role.OFFICIAL))
    moved = client.post(f"/manage/pb/{process.id}/phase", data={"phase": "development"})
    assert moved.status_code == 302
    assert mails("pb_phase_changed") == ["anna@example.fi", "ben@example.fi"]
    # The same phase again is no change.
    client.post(f"/manage/pb/{process.id}/phase", data={"phase": "development"})
    assert len(mails("pb_phase_changed")) == 2


def test_the_phase_job_tells_followers_when_it_moves_a_process(followed):
    process, _project = followed
    process.phase_starts = {"development": "2027-01-01T00:00:00+00:00"}
    db.session.commit()
    now = datetime(2027, 2, 1, tzinfo=UTC)
    assert move_phases(now) == 1
    assert move_phases(now) == 0
    assert mails("pb_phase_changed") == ["anna@example.fi", "ben@example.fi"]


def test_a_new_implementation_status_tells_followers_and_proposers(
    client, create_user, login, followed
):
    process, project = followed
    project.status = ProjectStatus.FUNDED
    db.session.commit()
    login(create_user(Role.OFFICIAL))
    url = f"/manage/pb/{process.id}/projects/{project.id}/updates"
    client.post(url, data={"status": "in_progress"})
    # Anna follows the project and its idea; Ben proposed the idea: one mail each.
    assert mails("pb_project_status") == ["anna@example.fi", "ben@example.fi"]
    client.post(url, data={"status": "in_progress", "note": "Digging started."})
    assert len(mails("pb_project_status")) == 2


def test_representatives_comment_on_the_follow_up(client, create_user, login, followed):
    process, project = followed
    project.status = ProjectStatus.FUNDED
    db.session.commit()
    rep = create_user(Role.RESIDENT, email="rep@example.fi", display_name="Raili")
    page = f"/pb/follow-up/{process.id}/projects/{project.id}"
    login(rep)
    assert client.post(page, data={"body": "Looks good"}).status_code == 403
    login(create_user(Role.OFFICIAL))
    reps = f"/manage/pb/{process.id}/areas/{project.area_id}/representatives"
    unknown = client.post(reps, data={"email": "nobody@example.fi"}, headers=EN)
    assert unknown.status_code == 400
    assert client.post(reps, data={"email": "REP@example.fi"}).status_code == 302
    login(rep)
    assert client.post(page, data={"body": "Looks good"}).status_code == 302
    shown = client.get(page, headers=EN).get_data(as_text=True)
    assert "Looks good" in shown and "Raili" in shown
    assert db.session.query(Comment).one().project_id == project.id


def test_locking_the_decision_tells_account_voters_and_proposers_once(
    client, create_user, login, followed
):
    process, project = followed
    process.phase = Phase.COUNCIL
    voter = create_user(Role.RESIDENT, email="voter@example.fi", language="en")
    ben = db.session.query(Proposal).one().author_id
    for user_id in (voter.id, ben):  # Ben proposed and voted
        db.session.add(
            VoterRecord(process_id=process.id, user_id=user_id, area_id=project.area_id)
        )
    db.session.commit()
    login(create_user(Role.COUNCIL))
    assert client.post(f"/council/pb/{process.id}/lock").status_code == 302
    assert mails("pb_council_decided") == ["voter@example.fi"]
    assert mails("pb_decision") == ["ben@example.fi"]
