"""Officials set up a process: phases, areas within the budget, projects."""

from __future__ import annotations

import pytest

from eraati.accounts.models import Role
from eraati.budgeting.models import (
    Area,
    BallotType,
    CountingRule,
    Phase,
    Process,
    Project,
    ProjectStatus,
)
from eraati.extensions import db
from tests.budgeting.test_voting import make_process

EN = {"Accept-Language": "en"}


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL))


def process_form(**overrides) -> dict:
    return {
        "year": "2027",
        "title-en": "City budget",
        "total_budget": "100000",
        "ballot_type": "approval_count",
        "max_projects": "3",
        "rule": "greedy",
        "completion": "none",
        "allow_ballot_change": "y",
        "start_voting": "2027-03-01",
        **overrides,
    }


def test_officials_create_a_process_with_local_phase_dates(client, official):
    response = client.post("/manage/pb/new", data=process_form(), headers=EN)
    assert response.status_code == 302
    process = db.session.query(Process).one()
    assert process.title == {"en": "City budget"}
    assert process.ballot_type is BallotType.APPROVAL_COUNT
    assert process.rule is CountingRule.GREEDY and process.completion == "none"
    assert process.max_projects == 3 and process.allow_ballot_change
    # Midnight in Helsinki (UTC+2 in March) is 22:00 UTC the day before.
    assert process.phase_starts == {"voting": "2027-02-28T22:00:00+00:00"}
    page = client.get(f"/manage/pb/{process.id}/edit", headers=EN)
    assert 'value="2027-03-01"' in page.get_data(as_text=True)


def test_a_process_needs_a_title(client, official):
    response = client.post("/manage/pb/new", data=process_form(**{"title-en": ""}))
    assert response.status_code == 400
    assert db.session.query(Process).count() == 0


def test_area_budgets_cannot_exceed_the_total(client, official):
    process = make_process()  # 100 000 €, areas of 70 000 € and 30 000 €
    response = client.post(
        f"/manage/pb/{process.id}/areas/new",
        data={"name-en": "Citywide", "budget": "1", "is_citywide": "y"},
        headers=EN,
    )
    assert response.status_code == 400
    assert "more than the total budget" in response.get_data(as_text=True)
    assert db.session.query(Area).count() == 2
    north = process.areas[0]
    response = client.post(
        f"/manage/pb/{process.id}/areas/{north.id}",
        data={"name-en": "North", "budget": "60000"},
        headers=EN,
    )
    assert response.status_code == 302
    db.session.refresh(north)
    assert north.budget == 60000


def test_rejecting_a_project_needs_a_published_reason(client, official):
    process = make_process()
    area = process.areas[0]
    data = {
        "area_id": str(area.id),
        "title-en": "Skate park",
        "cost": "50000",
        "status": "rejected",
    }
    url = f"/manage/pb/{process.id}/projects/new"
    refused = client.post(url, data=data, headers=EN)
    assert refused.status_code == 400
    assert "Give the reason for rejecting the project." in refused.get_data(
        as_text=True
    )
    data["status_reason"] = "The land is not the city's."
    assert client.post(url, data=data, headers=EN).status_code == 302
    project = db.session.query(Project).order_by(Project.id.desc()).first()
    assert project.title == {"en": "Skate park"}
    assert project.status is ProjectStatus.REJECTED
    assert project.external_id == str(project.id)
    overview = client.get(f"/manage/pb/{process.id}", headers=EN)
    assert "The land is not the city&#39;s." in overview.get_data(as_text=True)


def test_officials_move_the_phase_by_hand(client, official):
    process = make_process()
    response = client.post(
        f"/manage/pb/{process.id}/phase", data={"phase": "council"}, headers=EN
    )
    assert response.status_code == 302
    db.session.refresh(process)
    assert process.phase is Phase.COUNCIL
    assert (
        client.post(
            f"/manage/pb/{process.id}/phase", data={"phase": "nonsense"}
        ).status_code
        == 400
    )
