"""Residents' pages of participatory budgeting: the process page, voting with a code or
an account through the review step, refusals, and changing a ballot."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eraati.budgeting import voting
from eraati.budgeting.models import (
    Area,
    Ballot,
    BallotType,
    Eligibility,
    Phase,
    Process,
    Project,
    ProjectStatus,
    VoteCode,
    VoterRecord,
)
from eraati.extensions import db

EN = {"Accept-Language": "en"}


def make_process(**settings) -> Process:
    """A process in the voting phase: North (70 000 €) with three projects on the
    ballot, South (30 000 €) with one."""
    process = Process(
        year=2026,
        title={"fi": "Osbu 2026", "en": "PB 2026"},
        residents_decide={"en": "Residents pick the parks to renew."},
        council_decides={"en": "The council confirms the result."},
        total_budget=Decimal(100_000),
        phase=Phase.VOTING,
        phase_starts={"voting": "2026-11-01T08:00:00+00:00"},
        **settings,
    )
    north = Area(process=process, name={"en": "North"}, budget=Decimal(70_000))
    south = Area(process=process, name={"en": "South"}, budget=Decimal(30_000))
    db.session.add_all([process, north, south])
    db.session.flush()
    for number, (area, cost) in enumerate(
        [(north, 40_000), (north, 35_000), (north, 5_000), (south, 20_000)], start=1
    ):
        db.session.add(
            Project(
                process_id=process.id,
                area_id=area.id,
                external_id=str(number),
                title={"en": f"Project {number}"},
                cost=Decimal(cost),
                status=ProjectStatus.ON_BALLOT,
            )
        )
    db.session.commit()
    return process


def north(process: Process) -> Area:
    return process.areas[0]


def ids(area: Area) -> list[str]:
    return [
        str(p.id)
        for p in db.session.query(Project).filter_by(area_id=area.id).order_by("id")
    ]


def code_for(process: Process) -> str:
    (code,) = voting.generate_codes(process, north(process), 1)
    db.session.commit()
    return code


def enter_code(client, process, code):
    return client.post(
        f"/pb/{process.id}/vote", data={"action": "code", "code": code}, headers=EN
    )


def test_the_process_page_says_who_decides_and_lists_projects(app, client):
    process = make_process()
    page = client.get(f"/pb/{process.id}", headers=EN).get_data(as_text=True)
    assert "Residents pick the parks to renew." in page
    assert "The council confirms the result." in page
    assert 'aria-current="step"' in page and "Voting (now)" in page
    assert "€40,000.00" in page and "On the ballot" in page
    assert "PB 2026" in client.get("/pb/", headers=EN).get_data(as_text=True)


def test_vote_with_a_code_through_the_review_step(app, client):
    process = make_process()
    code = code_for(process)
    assert enter_code(client, process, code.lower()).status_code == 302
    first, _second, third = ids(north(process))
    response = client.post(
        f"/pb/{process.id}/ballot", data={"project": [first, third]}, headers=EN
    )
    assert response.headers["Location"].endswith(f"/pb/{process.id}/confirm")
    assert db.session.query(Ballot).count() == 0  # nothing is final before confirming
    review = client.get(f"/pb/{process.id}/confirm", headers=EN).get_data(as_text=True)
    assert "Project 1" in review and "Project 3" in review
    assert "Total cost: €45,000.00 of €70,000.00" in review
    response = client.post(f"/pb/{process.id}/confirm", headers=EN)
    assert response.headers["Location"].endswith(f"/pb/{process.id}/thanks")
    ballot = db.session.query(Ballot).one()
    assert sorted(ballot.choices) == sorted([first, third])
    assert db.session.query(VoteCode).one().used


def test_a_used_code_is_refused_with_a_clear_message(app, client):
    process = make_process()
    code = code_for(process)
    enter_code(client, process, code)
    client.post(f"/pb/{process.id}/ballot", data={"action": "blank"})
    client.post(f"/pb/{process.id}/confirm")
    assert db.session.query(Ballot).one().choices == []  # a blank ballot counts
    response = enter_code(client, process, code)
    assert response.status_code == 400
    assert "This code has already been used" in response.get_data(as_text=True)


def test_over_budget_is_refused_next_to_the_field_and_nothing_stored(app, client):
    process = make_process()
    enter_code(client, process, code_for(process))
    first, second, _third = ids(north(process))
    response = client.post(
        f"/pb/{process.id}/ballot", data={"project": [first, second]}, headers=EN
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="projects-error"' in page
    assert "cost €75,000.00, more than the budget of €70,000.00" in page
    assert client.get(f"/pb/{process.id}/confirm").status_code == 302
    assert db.session.query(Ballot).count() == 0
    assert not db.session.query(VoteCode).one().used


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"project": ["999999"]}, "is not on this ballot"),
        ({"project": ["DUP", "DUP"]}, "the same project more than once"),
    ],
)
def test_tampered_ballots_are_refused(app, client, choices, message):
    process = make_process()
    enter_code(client, process, code_for(process))
    first = ids(north(process))[0]
    data = {"project": [first if v == "DUP" else v for v in choices["project"]]}
    response = client.post(f"/pb/{process.id}/ballot", data=data, headers=EN)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Ballot).count() == 0


def test_negative_points_are_refused(app, client):
    process = make_process(ballot_type=BallotType.CUMULATIVE, max_points=10)
    enter_code(client, process, code_for(process))
    first = ids(north(process))[0]
    response = client.post(
        f"/pb/{process.id}/ballot", data={f"points-{first}": "-2"}, headers=EN
    )
    assert response.status_code == 400
    assert "Points cannot be negative." in response.get_data(as_text=True)


def test_voting_outside_the_voting_phase_is_refused(app, client):
    process = make_process()
    code = code_for(process)
    enter_code(client, process, code)
    process.phase = Phase.COUNCIL
    db.session.commit()
    for path in ("vote", "ballot", "confirm"):
        response = client.get(f"/pb/{process.id}/{path}", headers=EN)
        assert response.status_code == 409
        assert "Voting is not open" in response.get_data(as_text=True)
    assert client.post(f"/pb/{process.id}/confirm").status_code == 409
    assert db.session.query(Ballot).count() == 0


def test_account_voting_needs_eligibility(app, client, create_user, login):
    process = make_process()
    resident = login(create_user())
    response = client.post(
        f"/pb/{process.id}/vote", data={"action": "account"}, headers=EN
    )
    assert response.status_code == 400
    assert "not on the list of voters" in response.get_data(as_text=True)

    db.session.add(
        Eligibility(
            process_id=process.id, user_id=resident.id, area_id=north(process).id
        )
    )
    db.session.commit()
    assert "Vote with my account" in client.get(
        f"/pb/{process.id}/vote", headers=EN
    ).get_data(as_text=True)
    client.post(f"/pb/{process.id}/vote", data={"action": "account"})
    client.post(f"/pb/{process.id}/ballot", data={"project": ids(north(process))[2]})
    assert client.post(f"/pb/{process.id}/confirm").status_code == 302
    assert db.session.query(VoterRecord).one().user_id == resident.id
    assert db.session.query(Ballot).count() == 1
    again = client.post(
        f"/pb/{process.id}/vote", data={"action": "account"}, headers=EN
    )
    assert again.status_code == 400
    assert "already voted" in again.get_data(as_text=True)


def test_change_the_ballot_when_allowed(app, client):
    process = make_process(allow_ballot_change=True)
    enter_code(client, process, code_for(process))
    first, second, third = ids(north(process))
    client.post(f"/pb/{process.id}/ballot", data={"project": [first]})
    client.post(f"/pb/{process.id}/confirm")
    thanks = client.get(f"/pb/{process.id}/thanks", headers=EN).get_data(as_text=True)
    assert "Keep this to change your vote" in thanks
    assert "Keep this" not in client.get(f"/pb/{process.id}/thanks", headers=EN).text

    assert client.get(f"/pb/{process.id}/change").status_code == 302
    client.post(f"/pb/{process.id}/ballot", data={"project": [second, third]})
    assert client.post(f"/pb/{process.id}/confirm").status_code == 302
    ballot = db.session.query(Ballot).one()  # the last ballot counts, once
    assert sorted(ballot.choices) == sorted([second, third])


def test_a_wrong_change_key_is_refused(app, client):
    process = make_process(allow_ballot_change=True)
    response = client.post(
        f"/pb/{process.id}/change", data={"change_key": "nope"}, headers=EN
    )
    assert response.status_code == 400
    assert "This change key is not valid" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("settings", "field", "data", "stored"),
    [
        (
            {"ballot_type": BallotType.APPROVAL_COUNT, "max_projects": 2},
            'type="checkbox"',
            lambda a, b, c: {"project": [a, b]},
            lambda a, b, c: [a, b],
        ),
        (
            {"ballot_type": BallotType.CUMULATIVE, "max_points": 10},
            'type="number"',
            lambda a, b, c: {f"points-{a}": "7", f"points-{b}": "3", f"points-{c}": ""},
            lambda a, b, c: {a: 7, b: 3},
        ),
        (
            {"ballot_type": BallotType.RANKED, "rank_count": 2},
            'name="rank-2"',
            lambda a, b, c: {"rank-1": c, "rank-2": a},
            lambda a, b, c: [c, a],
        ),
    ],
)
def test_every_ballot_type_is_cast(app, client, settings, field, data, stored):
    process = make_process(**settings)
    enter_code(client, process, code_for(process))
    first, second, third = ids(north(process))
    assert field in client.get(f"/pb/{process.id}/ballot").get_data(as_text=True)
    client.post(f"/pb/{process.id}/ballot", data=data(first, second, third))
    assert client.post(f"/pb/{process.id}/confirm").status_code == 302
    assert db.session.query(Ballot).one().choices == stored(first, second, third)


@pytest.mark.parametrize(
    ("settings", "data", "message"),
    [
        (
            {"ballot_type": BallotType.APPROVAL_COUNT, "max_projects": 1},
            lambda a, b: {"project": [a, b]},
            "The most projects you can choose is 1.",
        ),
        (
            {"ballot_type": BallotType.CUMULATIVE, "max_points": 10},
            lambda a, b: {f"points-{a}": "1.5"},
            "whole numbers",
        ),
        (
            {"ballot_type": BallotType.RANKED, "rank_count": 2},
            lambda a, b: {"rank-1": a, "rank-2": a},
            "the same project more than once",
        ),
    ],
)
def test_invalid_ballots_of_each_type_are_refused(app, client, settings, data, message):
    process = make_process(**settings)
    enter_code(client, process, code_for(process))
    first, second, _third = ids(north(process))
    response = client.post(
        f"/pb/{process.id}/ballot", data=data(first, second), headers=EN
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Ballot).count() == 0
