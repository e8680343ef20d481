"""The council's review: outcome, dropped projects, rejection and the locked decision."""

from __future__ import annotations

from datetime import date

import pytest

from eraati.accounts.models import Role
from eraati.budgeting import council
from eraati.budgeting.models import (
    Ballot,
    CouncilDecision,
    Phase,
    Project,
    ProjectStatus,
    Proposal,
)
from eraati.extensions import db
from eraati.mail.models import MailLog
from tests.budgeting.test_voting import make_process, project_ids

EN = {"Accept-Language": "en"}


@pytest.fixture
def voted():
    """North: three voters want the 40 000 € project, two the 35 000 € and 5 000 €."""
    process = make_process()
    process.phase = Phase.COUNCIL
    north = process.areas[0]
    big, middle, small = project_ids(north)
    ballots = [[big]] * 3 + [[middle, small]] * 2
    db.session.add_all(
        Ballot(process_id=process.id, area_id=north.id, choices=c, cast_on=date.today())
        for c in ballots
    )
    db.session.commit()
    return process, (big, middle, small)


@pytest.fixture
def member(create_user, login):
    return login(create_user(Role.COUNCIL))


def north_outcome(process):
    return council.area_outcome(process, process.areas[0])


def test_the_outcome_shows_greedy_and_equal_shares(client, member, voted):
    process, (big, middle, small) = voted
    outcome = north_outcome(process)
    assert set(outcome.greedy.selected) == {big, small}
    assert outcome.voters == 5
    page = client.get(f"/council/pb/{process.id}", headers=EN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Greedy" in text and "Equal shares" in text


def test_dropping_a_project_recomputes_the_outcome(client, member, voted):
    process, (big, middle, small) = voted
    assert big in north_outcome(process).official.selected
    url = f"/council/pb/{process.id}/projects/{big}/drop"
    refused = client.post(url, data={"reason": " "}, headers=EN)
    assert refused.status_code == 400
    assert "Give the reason for dropping the project." in refused.get_data(as_text=True)
    assert client.post(url, data={"reason": "No land"}, headers=EN).status_code == 302
    dropped = db.session.get(Project, int(big))
    assert dropped.status is ProjectStatus.DROPPED
    assert dropped.status_reason == "No land"
    assert set(north_outcome(process).official.selected) == {middle, small}
    page = client.get(f"/council/pb/{process.id}", headers=EN).get_data(as_text=True)
    assert "No land" in page


def test_rejecting_the_whole_proposal_needs_a_reason(client, member, voted):
    process, (big, middle, small) = voted
    url = f"/council/pb/{process.id}/reject"
    assert client.post(url, data={}, headers=EN).status_code == 400
    assert client.post(url, data={"reason": "No money"}, headers=EN).status_code == 302
    client.post(f"/council/pb/{process.id}/lock", headers=EN)
    decision = db.session.query(CouncilDecision).one()
    assert decision.rejected_whole and decision.note == "No money"
    statuses = {p.status for p in db.session.query(Project)}
    assert ProjectStatus.FUNDED not in statuses
    assert db.session.get(Project, int(big)).status is ProjectStatus.DROPPED


def test_locking_funds_the_winners_and_tells_the_proposers(
    client, member, voted, create_user
):
    process, (big, middle, small) = voted
    proposer = create_user(Role.RESIDENT, email="idea@example.fi", language="en")
    db.session.add(
        Proposal(
            process_id=process.id,
            area_id=process.areas[0].id,
            author_id=proposer.id,
            title="A big idea",
            description="...",
            project_id=int(big),
        )
    )
    db.session.commit()
    assert client.post(f"/council/pb/{process.id}/lock", headers=EN).status_code == 302
    decision = db.session.query(CouncilDecision).one()
    assert decision.locked_at is not None and decision.decided_by_id == member.id
    assert db.session.get(Project, int(big)).status is ProjectStatus.FUNDED
    mail = db.session.query(MailLog).one()
    assert mail.recipient == "idea@example.fi" and mail.template == "pb_decision"


def test_a_locked_decision_cannot_change(client, member, voted):
    process, (big, middle, small) = voted
    client.post(f"/council/pb/{process.id}/lock", headers=EN)
    for url, data in [
        (f"/council/pb/{process.id}/projects/{middle}/drop", {"reason": "Late"}),
        (f"/council/pb/{process.id}/reject", {"reason": "Late"}),
        (f"/council/pb/{process.id}/lock", {}),
    ]:
        response = client.post(url, data=data, headers=EN)
        assert response.status_code == 409
        assert "locked and cannot change" in response.get_data(as_text=True)
    assert db.session.get(Project, int(middle)).status is not ProjectStatus.DROPPED
    # The funded winners still make up the outcome the council reviewed.
    assert big in north_outcome(process).official.selected
    page = client.get(f"/council/pb/{process.id}", headers=EN).get_data(as_text=True)
    assert "The decision was locked on" in page


def test_officials_cannot_decide_for_the_council(client, create_user, login, voted):
    process, _ = voted
    login(create_user(Role.OFFICIAL))
    assert client.post(f"/council/pb/{process.id}/lock").status_code == 403
