"""Answering with CSRF protection on, as in production: the page's token is needed."""

from __future__ import annotations

import re

import pytest

from eraati.accounts.models import User
from eraati.extensions import db
from eraati.surveys import snapshot
from eraati.surveys.models import Invitation, ResponseDraft
from tests.surveys.conftest import full_answers
from tests.surveys.test_answering import invitation_link, page_fields


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_a_page_is_sent_only_with_its_csrf_token(client, open_round):
    link = invitation_link(open_round)
    page = client.get(link, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answers = {**page_fields(full_answers(open_round), open_round, 1), "action": "next"}

    refused = client.post(f"{link}?page=1", data=answers)
    assert refused.status_code == 400
    assert db.session.query(ResponseDraft).count() == 0  # nothing kept

    sent = client.post(f"{link}?page=1", data={**answers, "csrf_token": token})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("page=2")
    assert db.session.query(ResponseDraft).count() == 1


def csrf_token_in(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_blank_page_shared_between_respondents_carries_each_ones_own_link_and_token(
    app, open_round
):
    """The first page as opened is rendered once and copied: each copy has its own
    respondent's link (form, language links, sign-in) and a CSRF token that works."""
    links = [invitation_link(open_round, number) for number in range(3)]
    pages = []
    for link in links:
        browser = app.test_client()
        page = browser.get(link, headers={"Accept-Language": "fi"})
        assert page.status_code == 200
        pages.append((browser, link, page.get_data(as_text=True)))

    tokens = {csrf_token_in(page) for _browser, _link, page in pages}
    assert len(tokens) == 3
    for browser, link, page in pages:
        assert f'action="{link}?page=1"' in page
        assert f'href="{link}?lang=sv"' in page
        assert f"next={link}" in page
        others = [other for other in links if other != link]
        assert not any(other.rsplit("/", 1)[1] in page for other in others)
        answers = page_fields(full_answers(open_round), open_round, 1)
        sent = browser.post(
            f"{link}?page=1",
            data={**answers, "action": "next", "csrf_token": csrf_token_in(page)},
        )
        assert sent.status_code == 302 and sent.headers["Location"].endswith("page=2")
    assert db.session.query(ResponseDraft).count() == 3


def test_the_shared_blank_page_follows_language_sign_in_and_edits(
    app, client, login, open_round
):
    link = invitation_link(open_round)
    for _ in range(2):  # the second is from the shared copy
        finnish = app.test_client().get(link, headers={"Accept-Language": "fi"})
    assert "Samaa mieltä" in finnish.get_data(as_text=True)
    swedish = app.test_client().get(link, headers={"Accept-Language": "sv"})
    assert "Av samma åsikt" in swedish.get_data(as_text=True)

    # A signed-in member sees their own menu, never the anonymous copy's.
    invitation = (
        db.session.query(Invitation).filter_by(round_id=open_round.id).order_by("id")
    ).first()
    member = db.session.get(User, invitation.user_id)
    login(member)
    own = client.get(link, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Kirjaudu ulos" in own

    # An edit drops the copy with the snapshot it was made from.
    questionnaire = open_round.questionnaire
    questionnaire.title = {**questionnaire.title, "fi": "Uusi otsikko"}
    db.session.commit()
    snapshot.forget(questionnaire.id)
    again = app.test_client().get(link, headers={"Accept-Language": "fi"})
    assert "Uusi otsikko" in again.get_data(as_text=True)
