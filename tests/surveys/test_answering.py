"""Answering a questionnaire over HTTP: pages, errors, resume, once only, anonymity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys import services
from eraati.surveys.models import (
    Answer,
    Audience,
    Invitation,
    OptIn,
    Response,
    ResponseDraft,
    TextReview,
)
from tests.surveys.conftest import full_answers, item_ids


def invitation_link(round_, number=0) -> str:
    invitations = (
        db.session.query(Invitation)
        .filter_by(round_id=round_.id)
        .order_by(Invitation.id)
    )
    return f"/s/i/{services.invitation_token(invitations[number])}"


def start(client, round_, number=0, language="fi") -> str:
    """Open the invitation link: the questionnaire opens there, no redirect."""
    link = invitation_link(round_, number)
    response = client.get(link, headers={"Accept-Language": language})
    assert response.status_code == 200
    return link


def page_fields(form: dict, round_, page: int) -> dict:
    on_page = {f"q{i.id}" for i in round_.questionnaire.items if i.page == page}
    return {k: v for k, v in form.items() if k.split("-")[0] in on_page}


def answer_all(client, round_, resume_url, form=None):
    form = form or full_answers(round_)
    response = None
    for page in (1, 2, 3):
        response = client.post(
            f"{resume_url}?page={page}",
            data={**page_fields(form, round_, page), "action": "next"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def test_a_member_answers_every_page_and_the_response_is_anonymous(client, open_round):
    resume = start(client, open_round)
    first = client.get(resume).get_data(as_text=True)
    assert (
        "Vastauksilla kehitämme raadin toimintaa" in first
    )  # what the data is used for
    assert "Sivu 1 / 3" in first or "1/3" in first or "1 / 3" in first
    done = answer_all(client, open_round, resume)
    assert "/s/thanks/" in done.headers["Location"]

    response = db.session.query(Response).one()
    assert response.submitted_on is not None and response.channel.value == "online"
    columns = set(Response.__table__.columns.keys())
    assert not columns & {"user_id", "invitation_id", "token_hash", "submitted_at"}
    assert db.session.query(Invitation).filter_by(answered=True).count() == 1
    assert db.session.query(ResponseDraft).count() == 0
    ids = item_ids(open_round)
    matrix = db.session.query(Answer).filter(Answer.row_key.is_not(None)).count()
    assert matrix == 5
    text = db.session.query(Answer).filter(Answer.text.is_not(None)).one()
    assert text.text_review is TextReview.PENDING
    assert db.session.query(Answer).filter_by(option_key="9").one().question_id
    assert ids


def test_an_invitation_answers_only_once(client, open_round):
    resume = start(client, open_round)
    answer_all(client, open_round, resume)
    again = client.get(invitation_link(open_round))
    assert again.status_code == 409
    assert "Olet jo vastannut" in again.get_data(as_text=True)
    assert db.session.query(Response).count() == 1


def test_missing_and_bad_answers_get_messages_next_to_fields_and_keep_the_rest(
    client, open_round
):
    resume = start(client, open_round)
    ids = item_ids(open_round)
    matrix = ids["panel-ground-rules"]
    response = client.post(
        f"{resume}?page=1",
        data={
            f"q{ids['panel-meaningful']}": ["middle"],
            f"q{matrix}-fair-turns": ["agree"],
            "action": "next",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="q{ids["panel-meaningful"]}-error"' in page
    assert "Valitse jokin annetuista vaihtoehdoista" in page
    # The valid answer is kept and shown checked.
    assert f'id="q{matrix}-fair-turns-agree" value="agree" checked' in page
    draft = db.session.query(ResponseDraft).one()
    assert draft.answers[str(matrix)] == {"fair-turns": "agree"}


def test_recommend_out_of_range_and_oversized_text_are_refused(client, open_round):
    resume = start(client, open_round)
    form = full_answers(open_round)
    client.post(
        f"{resume}?page=1", data={**page_fields(form, open_round, 1), "action": "next"}
    )
    ids = item_ids(open_round)
    response = client.post(
        f"{resume}?page=2",
        data={
            f"q{ids['panel-recommend']}": "11",
            f"q{ids['panel-what-works']}": "x" * 4001,
            "action": "next",
        },
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "liian pitkä" in text
    assert db.session.query(Response).count() == 0


def test_leave_and_resume_from_the_link(client, app, open_round):
    resume = start(client, open_round, language="sv")
    form = full_answers(open_round)
    saved = client.post(
        f"{resume}?page=1", data={**page_fields(form, open_round, 1), "action": "later"}
    )
    assert saved.status_code == 302
    page = client.get(
        saved.headers["Location"], headers={"Accept-Language": "sv"}
    ).get_data(as_text=True)
    assert resume in page

    other_device = app.test_client()
    again = other_device.get(resume, headers={"Accept-Language": "sv"})
    assert again.status_code == 200
    assert 'value="agree" checked' in again.get_data(as_text=True)
    # The invitation link also brings the same draft back.
    assert other_device.get(invitation_link(open_round)).status_code == 200
    assert db.session.query(ResponseDraft).count() == 1


def test_pages_show_each_respondent_only_their_own_answers_in_their_language(
    client, app, open_round
):
    """Questions not yet answered are rendered once and reused: another respondent's
    saved answers never show, and each reads the page in their own language."""
    first = start(client, open_round, number=0, language="fi")
    form = full_answers(open_round)
    client.post(
        f"{first}?page=1", data={**page_fields(form, open_round, 1), "action": "later"}
    )
    own = client.get(first, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert 'value="agree" checked' in own and "Samaa mieltä" in own

    for language, label in [("sv", "Av samma åsikt"), ("fi", "Samaa mieltä")]:
        other = app.test_client().get(
            invitation_link(open_round, 1), headers={"Accept-Language": language}
        )
        page = other.get_data(as_text=True)
        assert label in page
        assert "checked" not in page


def test_back_button_keeps_answers(client, open_round):
    resume = start(client, open_round)
    form = full_answers(open_round)
    client.post(
        f"{resume}?page=1", data={**page_fields(form, open_round, 1), "action": "next"}
    )
    back = client.post(f"{resume}?page=2", data={"action": "back"})
    assert back.headers["Location"].endswith("page=1")
    assert 'value="agree" checked' in client.get(back.headers["Location"]).get_data(
        as_text=True
    )


@pytest.mark.parametrize("token", ["nope", "x" * 43, "%2e%2e"])
def test_tampered_links_are_refused(client, open_round, token):
    assert client.get(f"/s/i/{token}").status_code == 400
    assert client.get(f"/s/r/{token}").status_code == 400


def test_a_closed_round_says_so(client, open_round):
    resume = start(client, open_round)
    services.close_round(open_round, utcnow())
    db.session.commit()
    response = client.get(resume)
    assert response.status_code in (400, 410)
    assert client.get(invitation_link(open_round)).status_code == 410


def test_opt_in_at_the_end_is_stored_apart_from_the_answers(client, open_round):
    resume = start(client, open_round)
    thanks = answer_all(client, open_round, resume).headers["Location"]
    page = client.get(thanks).get_data(as_text=True)
    assert "syvempiin kyselyihin" in page.lower() or "kyselyihin" in page
    missing = client.post(thanks, data={"deeper_surveys": "y"})
    assert missing.status_code == 400
    done = client.post(
        thanks,
        data={
            "deeper_surveys": "y",
            "live_sessions": "y",
            "name": "Aino",
            "phone": "040 123 4567",
        },
    )
    assert done.status_code == 200
    opt_in = db.session.query(OptIn).one()
    assert (opt_in.deeper_surveys, opt_in.live_sessions, opt_in.phone) == (
        True,
        True,
        "040 123 4567",
    )
    assert opt_in.panel_id == open_round.panel_id and opt_in.consent_version
    assert not set(OptIn.__table__.columns.keys()) & {"response_id", "round_id"}


def test_the_opt_in_page_is_only_for_someone_who_just_answered(client, open_round):
    assert client.get(f"/s/thanks/{open_round.id}").status_code == 404


def test_public_round_by_open_link(client, panel, templates):
    from eraati.surveys.builtin import SELF_EVALUATION

    now = utcnow()
    round_ = services.schedule_round(
        templates[SELF_EVALUATION],
        now - timedelta(minutes=5),
        now + timedelta(days=3),
        panel=panel,
        audience=Audience.PUBLIC,
    )
    services.open_round(round_, now)
    db.session.commit()
    assert db.session.query(Invitation).count() == 0
    landing = client.get(f"/s/p/{round_.public_token}")
    assert landing.status_code == 200
    started = client.post(f"/s/p/{round_.public_token}")
    resume = started.headers["Location"]
    answer_all(client, round_, resume)
    assert db.session.query(Response).count() == 1
    # The same browser is not offered a second go.
    assert client.get(f"/s/p/{round_.public_token}").status_code == 409
    assert client.get("/s/p/unknown-token").status_code == 404
