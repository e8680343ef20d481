"""Answering with CSRF protection on, as in production: the page's token is needed."""

from __future__ import annotations

import re

import pytest

from eraati.extensions import db
from eraati.surveys.models import ResponseDraft
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
