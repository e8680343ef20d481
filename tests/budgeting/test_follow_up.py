"""Implementation updates by officials and the public follow-up page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.accounts.models import Role
from eraati.budgeting.models import (
    ImplementationStatus,
    Project,
    ProjectStatus,
    ProjectUpdate,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from tests.budgeting.test_voting import make_process

EN = {"Accept-Language": "en"}


@pytest.fixture
def funded():
    process = make_process()
    project = db.session.query(Project).order_by(Project.id).first()
    project.status = ProjectStatus.FUNDED
    db.session.commit()
    return process, project


def test_cancelling_needs_a_reason(client, create_user, login, funded):
    process, project = funded
    login(create_user(Role.OFFICIAL))
    url = f"/manage/pb/{process.id}/projects/{project.id}/updates"
    refused = client.post(url, data={"status": "cancelled"}, headers=EN)
    assert refused.status_code == 400
    assert "Give the reason for cancelling the project." in refused.get_data(
        as_text=True
    )
    assert db.session.query(ProjectUpdate).count() == 0
    done = client.post(
        url, data={"status": "cancelled", "note": "The site was sold."}, headers=EN
    )
    assert done.status_code == 302
    update = db.session.query(ProjectUpdate).one()
    assert update.status is ImplementationStatus.CANCELLED
    assert update.note == "The site was sold."


def test_only_funded_projects_get_updates(client, create_user, login, funded):
    process, _ = funded
    login(create_user(Role.OFFICIAL))
    other = db.session.query(Project).order_by(Project.id.desc()).first()
    url = f"/manage/pb/{process.id}/projects/{other.id}/updates"
    assert client.post(url, data={"status": "planned"}).status_code == 409


def test_the_public_page_shows_the_latest_status(client, funded):
    process, project = funded
    now = utcnow()
    db.session.add_all(
        [
            ProjectUpdate(
                project_id=project.id,
                status=ImplementationStatus.PLANNED,
                created_at=now - timedelta(days=30),
            ),
            ProjectUpdate(
                project_id=project.id,
                status=ImplementationStatus.DELAYED,
                note="Waiting for a permit",
                created_at=now,
            ),
        ]
    )
    db.session.commit()
    page = client.get(f"/pb/follow-up/{process.id}", headers=EN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Hanke 1" in text
    assert "Delayed: Waiting for a permit" in text
    assert "Planned" not in text
    assert "Hanke 2" not in text  # not funded
    assert client.get("/pb/follow-up/999999").status_code == 404
