"""Free-text moderation, publishing with a "what we will do" note, and follow-ups."""

from __future__ import annotations

import pytest

from eraati.accounts.models import Role
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys import publishing, services
from eraati.surveys.models import Answer, FollowUp, RoundState, TextReview
from tests.surveys.conftest import item_ids

EN = {"Accept-Language": "en"}
NOTE = {
    "note-fi": "Siirrämme tapaamiset iltaan.",
    "note-sv": "Vi flyttar mötena till kvällen.",
    "note-en": "We move the meetings to the evening.",
}


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL, language="en"))


@pytest.fixture
def round_url(panel, open_round):
    return f"/manage/panels/{panel.id}/surveys/rounds/{open_round.id}"


@pytest.fixture
def texts(open_round):
    """Two submitted responses with free text, one naming a person."""
    text_item = item_ids(open_round)["panel-what-works"]
    for text in ("Liisa Virtanen hoiti asiat hyvin", "Ajat sopivat"):
        services.submit(open_round, {text_item: text}, "fi", utcnow())
    db.session.commit()
    return db.session.query(Answer).filter(Answer.text.is_not(None)).all()


def close(round_) -> None:
    services.close_round(round_, utcnow())
    db.session.commit()


# --- Moderation ------------------------------------------------------------------


def test_free_texts_are_listed_as_waiting_without_any_identity(
    client, official, round_url, texts
):
    page = client.get(f"{round_url}/texts", headers=EN).get_data(as_text=True)
    assert "Liisa Virtanen hoiti asiat hyvin" in page and "Ajat sopivat" in page
    assert page.count("Waiting</span>") == 2
    assert "m1@example.fi" not in page


def test_a_moderator_edits_out_names_and_publishes_or_hides(
    client, official, round_url, texts
):
    named, plain = texts
    edited = client.post(
        f"{round_url}/texts/{named.id}",
        data={"action": "publish", "text": "[nimi] hoiti asiat hyvin"},
    )
    assert edited.status_code == 302
    hidden = client.post(f"{round_url}/texts/{plain.id}", data={"action": "hide"})
    assert hidden.status_code == 302
    db.session.refresh(named)
    db.session.refresh(plain)
    assert named.text_review is TextReview.PUBLISHED
    assert named.text_published == "[nimi] hoiti asiat hyvin"
    assert named.text == "Liisa Virtanen hoiti asiat hyvin"  # the original is kept
    assert plain.text_review is TextReview.HIDDEN and plain.text_published is None
    page = client.get(f"{round_url}/texts?state=published", headers=EN)
    assert "[nimi] hoiti asiat hyvin" in page.get_data(as_text=True)
    assert "Ajat sopivat" not in page.get_data(as_text=True)


def test_moderation_refuses_empty_text_unknown_actions_and_other_rounds(
    client, official, panel, round_url, texts, templates
):
    answer = texts[0]
    empty = client.post(
        f"{round_url}/texts/{answer.id}",
        data={"action": "publish", "text": "  "},
        headers=EN,
    )
    assert empty.status_code == 400
    assert "Write the text to publish, or hide the answer." in empty.get_data(
        as_text=True
    )
    unknown = client.post(f"{round_url}/texts/{answer.id}", data={"action": "x"})
    assert unknown.status_code == 400
    other = services.schedule_round(
        templates["self-evaluation"],
        utcnow(),
        utcnow().replace(year=utcnow().year + 1),
        panel=panel,
    )
    db.session.commit()
    wrong = f"/manage/panels/{panel.id}/surveys/rounds/{other.id}/texts/{answer.id}"
    assert client.post(wrong, data={"action": "hide"}).status_code == 404
    db.session.refresh(answer)
    assert answer.text_review is TextReview.PENDING


# --- Publishing and follow-up ----------------------------------------------------


def test_an_open_round_cannot_be_published(client, official, round_url, open_round):
    response = client.post(f"{round_url}/publish", data=NOTE, headers=EN)
    assert response.status_code == 409
    assert "Close the round before publishing" in response.get_data(as_text=True)
    db.session.refresh(open_round)
    assert open_round.published_at is None


def test_a_note_in_no_language_is_refused(client, official, round_url, open_round):
    close(open_round)
    response = client.post(f"{round_url}/publish", data={}, headers=EN)
    assert response.status_code == 400
    assert "Write this in at least one language." in response.get_data(as_text=True)


def test_publishing_tells_each_member_once_in_their_language(
    client, official, round_url, open_round, smtp_server
):
    close(open_round)
    assert client.post(f"{round_url}/publish", data=NOTE).status_code == 302
    db.session.refresh(open_round)
    assert open_round.published_at is not None
    assert open_round.publication_note["sv"] == NOTE["note-sv"]

    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert sorted(by_recipient) == ["m1@example.fi", "m2@example.fi", "m3@example.fi"]
    assert len(smtp_server.messages) == 3
    swedish = smtp_server.text_of(by_recipient["m2@example.fi"])
    finnish = smtp_server.text_of(by_recipient["m1@example.fi"])
    assert by_recipient["m2@example.fi"]["Content-Language"] == "sv"
    assert NOTE["note-sv"] in swedish and NOTE["note-fi"] not in swedish
    assert NOTE["note-fi"] in finnish
    assert publishing.results_link(open_round) in finnish

    again = client.post(f"{round_url}/publish", data=NOTE, headers=EN)
    assert again.status_code == 409
    assert "already published" in again.get_data(as_text=True)
    assert len(smtp_server.messages) == 3


def test_follow_ups_notify_the_members_again(
    client, official, round_url, open_round, smtp_server
):
    early = client.post(f"{round_url}/follow-ups", data=NOTE, headers=EN)
    assert early.status_code == 409
    assert "Publish the results before" in early.get_data(as_text=True)
    close(open_round)
    client.post(f"{round_url}/publish", data=NOTE)
    smtp_server.messages.clear()

    update = {"note-fi": "Iltatapaamiset alkavat maaliskuussa.", "note-sv": "I mars."}
    assert client.post(f"{round_url}/follow-ups", data=update).status_code == 302
    follow_up = db.session.query(FollowUp).one()
    assert follow_up.note == {"fi": update["note-fi"], "sv": update["note-sv"]}
    assert len(smtp_server.messages) == 3
    by_recipient = {m["To"]: smtp_server.text_of(m) for m in smtp_server.messages}
    assert "I mars." in by_recipient["m2@example.fi"]
    assert update["note-fi"] in by_recipient["m3@example.fi"]

    page = client.get(f"{round_url}/publication", headers=EN).get_data(as_text=True)
    assert NOTE["note-en"] in page  # the official reads English
    assert "Iltatapaamiset alkavat maaliskuussa." in page  # no English: fallback
    assert open_round.state is RoundState.CLOSED


def test_the_mail_links_to_the_panel_page_while_results_pages_are_missing(
    app, panel, open_round, monkeypatch
):
    from werkzeug.routing import BuildError

    real = publishing.public_url

    def without_results(endpoint, **values):
        if endpoint.startswith("surveys_results."):
            raise BuildError(endpoint, values, "GET")
        return real(endpoint, **values)

    monkeypatch.setattr(publishing, "public_url", without_results)
    assert publishing.results_link(open_round) == f"http://localhost/panels/{panel.id}"
