"""Officials schedule rounds in Helsinki time, open and close them, and run series."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from eraati.accounts.models import Role
from eraati.extensions import db
from eraati.panels.models import Panel
from eraati.surveys.builtin import SELF_EVALUATION
from eraati.surveys.models import (
    Audience,
    Invitation,
    MonthlySeries,
    Round,
    RoundState,
)

EN = {"Accept-Language": "en"}
#: A fixed "now" before the rounds in these tests (mid-winter, Helsinki UTC+2).
WINTER = datetime(2027, 1, 15, 10, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def clock():
    """Time stands still at WINTER (sign-in cookies would expire if it jumped)."""
    with time_machine.travel(WINTER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def official(clock, create_user, login):
    return login(create_user(Role.OFFICIAL, language="en"))


@pytest.fixture
def base(panel):
    return f"/manage/panels/{panel.id}/surveys"


def schedule(client, base, templates, **fields):
    data = {
        "questionnaire_id": templates[SELF_EVALUATION].id,
        "opens_at": "2027-03-28T09:00",
        "closes_at": "2027-04-10T16:00",
        "audience": "members",
        **fields,
    }
    return client.post(f"{base}/rounds/new", data=data, headers=EN)


def test_local_times_become_utc_across_the_spring_dst_change(
    client, official, base, panel, templates
):
    # Clocks go forward at 03:00 on 28 March 2027: 09:00 that day is already EEST.
    response = schedule(client, base, templates)
    assert response.status_code == 302
    round_ = db.session.query(Round).one()
    assert round_.opens_at == utc(2027, 3, 28, 6)
    assert round_.closes_at == utc(2027, 4, 10, 13)
    assert round_.state is RoundState.SCHEDULED
    assert round_.panel_id == panel.id and round_.audience is Audience.MEMBERS
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "3/28/27, 9:00" in page  # shown back in Helsinki time


def test_autumn_and_winter_times(client, official, base, templates):
    response = schedule(
        client,
        base,
        templates,
        opens_at="2027-10-31T09:00",  # the day clocks go back: EET from 04:00
        closes_at="31.12.2027 23.59",  # typed the Finnish way
    )
    assert response.status_code == 302
    round_ = db.session.query(Round).one()
    assert round_.opens_at == utc(2027, 10, 31, 7)
    assert round_.closes_at == utc(2027, 12, 31, 21, 59)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"opens_at": "2027-03-28T03:30"}, "That time does not exist"),
        ({"closes_at": "2027-03-01T09:00"}, "must be after the opening time"),
        ({"opens_at": "someday"}, "Enter a date and time, for example"),
        ({"audience": "sample", "sample_size": "0"}, "sample size of at least 1"),
        ({"audience": "sample"}, "sample size of at least 1"),
        ({"audience": "everyone"}, "Choose who is asked."),
        ({"questionnaire_id": "999999"}, "Choose a questionnaire."),
        (
            {"opens_at": "2026-12-01T09:00", "closes_at": "2027-01-01T00:00"},
            "has already passed",
        ),
    ],
)
def test_bad_schedules_are_refused_with_a_message(
    client, official, base, templates, fields, message
):
    response = schedule(client, base, templates, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Round).count() == 0


def test_the_form_defaults_to_next_month_in_local_time(client, official, base, clock):
    clock.move_to(utc(2027, 2, 10, 12))
    page = client.get(f"{base}/rounds/new", headers=EN).get_data(as_text=True)
    # March opens in winter time and closes in summer time: both are local.
    assert 'value="2027-03-01T09:00"' in page
    assert 'value="2027-04-01T00:00"' in page


def test_open_and_close_by_hand(client, official, base, templates):
    schedule(client, base, templates, opens_at="2027-01-20T09:00")
    round_ = db.session.query(Round).one()
    state_url = f"{base}/rounds/{round_.id}/state"
    assert client.post(state_url, data={"action": "open"}).status_code == 302
    db.session.refresh(round_)
    assert round_.state is RoundState.OPEN
    assert round_.opens_at == WINTER  # opened early by hand
    assert db.session.query(Invitation).count() == 3
    assert client.post(state_url, data={"action": "close"}).status_code == 302
    db.session.refresh(round_)
    assert round_.state is RoundState.CLOSED
    again = client.post(state_url, data={"action": "open"}, headers=EN)
    assert again.status_code == 409
    assert "already closed" in again.get_data(as_text=True)
    assert client.post(state_url, data={"action": "explode"}).status_code == 400


def test_a_sample_invites_that_many_members_and_is_capped(
    client, official, base, templates
):
    schedule(client, base, templates, audience="sample", sample_size="2")
    schedule(client, base, templates, audience="sample", sample_size="50")
    small, large = db.session.query(Round).order_by(Round.id).all()
    for round_ in (small, large):
        client.post(f"{base}/rounds/{round_.id}/state", data={"action": "open"})
    counts = {
        r.id: db.session.query(Invitation).filter_by(round_id=r.id).count()
        for r in (small, large)
    }
    assert counts == {small.id: 2, large.id: 3}


def test_the_list_shows_counts_but_never_who_answered(
    client, official, base, open_round
):
    invitation = db.session.query(Invitation).first()
    invitation.answered = True
    db.session.commit()
    page = client.get(f"{base}/", headers=EN).get_data(as_text=True)
    assert "Evaluation of the client panel" in page
    assert "Open" in page
    cells = [cell.strip() for cell in page.split('<td class="number">')[1:4]]
    assert [cell.split("<")[0] for cell in cells] == ["0", "3", "1"]
    assert "m1@example.fi" not in page


def test_a_public_round_shows_its_open_link(client, official, base, templates):
    schedule(client, base, templates, audience="public")
    round_ = db.session.query(Round).one()
    page = client.get(f"{base}/rounds/{round_.id}", headers=EN).get_data(as_text=True)
    assert f"http://localhost/s/p/{round_.public_token}" in page


def test_rounds_of_other_panels_and_unknown_ids_are_not_found(
    client, official, base, panel, open_round
):
    other = Panel(unit_id=panel.unit_id, name={"fi": "Toinen"})
    db.session.add(other)
    db.session.commit()
    other_base = f"/manage/panels/{other.id}/surveys"
    assert client.get(f"{other_base}/rounds/{open_round.id}").status_code == 404
    assert (
        client.post(
            f"{other_base}/rounds/{open_round.id}/state", data={"action": "close"}
        ).status_code
        == 404
    )
    assert client.get(f"{base}/rounds/999999").status_code == 404
    assert client.get("/manage/panels/999999/surveys/").status_code == 404
    assert db.session.get(Round, open_round.id).state is RoundState.OPEN


def test_start_and_stop_a_monthly_series(client, official, base, panel, templates):
    questionnaire_id = templates[SELF_EVALUATION].id
    started = client.post(
        f"{base}/series",
        data={"questionnaire_id": questionnaire_id, "audience": "members"},
    )
    assert started.status_code == 302
    series = db.session.query(MonthlySeries).one()
    assert series.is_active and series.panel_id == panel.id
    assert (
        client.post(f"{base}/series/{series.id}", data={"action": "stop"}).status_code
        == 302
    )
    db.session.refresh(series)
    assert not series.is_active
    # Starting the same questionnaire again revives the series, never a duplicate.
    client.post(
        f"{base}/series",
        data={"questionnaire_id": questionnaire_id, "audience": "public"},
    )
    db.session.refresh(series)
    assert series.is_active and series.audience is Audience.PUBLIC
    assert db.session.query(MonthlySeries).count() == 1
    refused = client.post(
        f"{base}/series",
        data={"questionnaire_id": questionnaire_id, "audience": "sample"},
        headers=EN,
    )
    assert refused.status_code == 400
    assert "Choose who is asked." in refused.get_data(as_text=True)
