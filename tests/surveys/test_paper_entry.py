"""Staff key in paper, event and interview answers; the channel is recorded."""

from __future__ import annotations

import pytest

from eraati.accounts.models import Role
from eraati.extensions import db
from eraati.surveys.models import Answer, Channel, Response, TextReview
from tests.surveys.conftest import full_answers, item_ids

EN = {"Accept-Language": "en"}


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL, language="en"))


@pytest.fixture
def entry_url(panel, open_round):
    return f"/manage/panels/{panel.id}/surveys/rounds/{open_round.id}/entry"


def test_the_page_shows_every_question_with_a_channel_choice(
    client, official, entry_url, open_round
):
    page = client.get(entry_url, headers=EN).get_data(as_text=True)
    for item_id in item_ids(open_round).values():
        assert f'id="q{item_id}"' in page
    assert 'value="paper"' in page and 'value="interview"' in page
    assert 'value="online"' not in page


@pytest.mark.parametrize("channel", ["paper", "event", "interview"])
def test_a_keyed_in_response_is_stored_with_its_channel(
    client, official, entry_url, open_round, channel
):
    data = {**full_answers(open_round), "channel": channel, "language": "sv"}
    response = client.post(entry_url, data=data)
    assert response.status_code == 302
    stored = db.session.query(Response).one()
    assert stored.channel is Channel(channel)
    assert stored.language == "sv"
    text = db.session.query(Answer).filter(Answer.text.is_not(None)).one()
    assert text.text == "Hyvä raati" and text.text_review is TextReview.PENDING
    assert db.session.query(Answer).filter(Answer.row_key.is_not(None)).count() == 5
    # The next form starts empty and counts what was entered.
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Responses so far:" in page


@pytest.mark.parametrize("channel", ["online", "fax", ""])
def test_an_unknown_channel_is_refused_and_the_answers_are_kept(
    client, official, entry_url, open_round, channel
):
    data = {**full_answers(open_round), "channel": channel, "language": "fi"}
    response = client.post(entry_url, data=data, headers=EN)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose how the answers were collected" in page
    recommend = item_ids(open_round)["panel-recommend"]
    assert f'id="q{recommend}-9" value="9" checked' in page
    assert db.session.query(Response).count() == 0


def test_invalid_values_get_messages_next_to_their_fields(
    client, official, entry_url, open_round
):
    ids = item_ids(open_round)
    data = {
        **full_answers(open_round),
        f"q{ids['panel-recommend']}": ["11"],
        f"q{ids['panel-meaningful']}": ["middle"],
        "channel": "paper",
        "language": "fi",
    }
    response = client.post(entry_url, data=data, headers=EN)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="q{ids["panel-recommend"]}-error"' in page
    assert f'id="q{ids["panel-meaningful"]}-error"' in page
    assert "Choose one of the options given." in page
    assert "Hyvä raati</textarea>" in page  # the rest is kept
    assert db.session.query(Response).count() == 0


def test_required_questions_and_empty_forms_are_refused(
    client, official, entry_url, open_round
):
    meaningful = next(
        item
        for item in open_round.questionnaire.items
        if item.question.key == "panel-meaningful"
    )
    meaningful.required = True
    db.session.commit()
    empty = client.post(entry_url, data={"channel": "paper"}, headers=EN)
    assert empty.status_code == 400
    assert "Answer this question." in empty.get_data(as_text=True)

    meaningful.required = False
    db.session.commit()
    nothing = client.post(entry_url, data={"channel": "paper"}, headers=EN)
    assert nothing.status_code == 400
    assert "Enter at least one answer." in nothing.get_data(as_text=True)
    assert db.session.query(Response).count() == 0


def test_entry_needs_an_opened_and_unpublished_round(
    client, official, panel, entry_url, open_round
):
    open_round.state = open_round.state.SCHEDULED
    db.session.commit()
    response = client.get(entry_url, headers=EN)
    assert response.status_code == 409
    assert "has not opened yet" in response.get_data(as_text=True)

    open_round.state = open_round.state.CLOSED
    open_round.published_at = open_round.closes_at
    db.session.commit()
    data = {**full_answers(open_round), "channel": "paper"}
    assert client.post(entry_url, data=data).status_code == 409
    assert db.session.query(Response).count() == 0
