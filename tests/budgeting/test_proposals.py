"""Residents' ideas: sending with a photo, the phase, comments, following, and what
officials make of each idea."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from eraati.accounts.models import Role
from eraati.budgeting.models import (
    Comment,
    Follow,
    Phase,
    Project,
    Proposal,
    ProposalStatus,
)
from eraati.extensions import db
from eraati.mail.models import MailLog
from tests.budgeting.test_voting import make_process

EN = {"Accept-Language": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
MAX_BYTES = 4096


def phone_photo() -> bytes:
    """A small JPEG carrying what phones add: where it was taken."""
    exif = Image.Exif()
    exif[0x8825] = {
        2: (60.0, 10.0, 0.0),
        4: (24.0, 56.0, 0.0),
    }  # GPS latitude/longitude
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def app_config():
    return {"PB_PHOTO_MAX_BYTES": MAX_BYTES}


@pytest.fixture
def process():
    process = make_process()
    process.phase = Phase.PROPOSALS
    db.session.commit()
    return process


@pytest.fixture
def resident(create_user, login):
    return login(create_user(Role.RESIDENT, display_name="Aino"))


def photo_files(app) -> set[str]:
    folder = Path(app.instance_path) / "pb_photos"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def send_idea(client, process, photo=None, **fields):
    data = {
        "area_id": str(process.areas[0].id),
        "title": "Benches by the shore",
        "description": "Three benches where the old people walk.",
        "estimated_cost": "1500",
        **fields,
    }
    if photo is not None:
        data["photo"] = photo
    return client.post(
        f"/pb/{process.id}/proposals/new",
        data=data,
        content_type="multipart/form-data",
        headers=EN,
    )


def make_idea(process, author, title="Idea") -> Proposal:
    proposal = Proposal(
        process_id=process.id,
        area_id=process.areas[0].id,
        author_id=author.id,
        title=title,
        description="...",
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def test_an_idea_with_a_photo_is_published_and_followed(app, client, process, resident):
    before = photo_files(app)
    # The name says text: the bytes say JPEG, and the bytes decide.
    sent = send_idea(client, process, photo=(io.BytesIO(phone_photo()), "notes.txt"))
    assert sent.status_code == 302
    proposal = db.session.query(Proposal).one()
    assert proposal.author_id == resident.id and proposal.estimated_cost == 1500
    assert photo_files(app) - before == {proposal.photo_path}
    assert proposal.photo_path.endswith(".jpg") and "notes" not in proposal.photo_path
    with client.get(f"/pb/{process.id}/proposals/{proposal.id}/photo") as photo:
        assert photo.mimetype == "image/jpeg"
        # The place the photo was taken is not published with it.
        assert not Image.open(io.BytesIO(photo.data)).getexif()
    page = client.get(sent.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Benches by the shore" in page and "Aino" in page
    assert db.session.query(Follow).filter_by(proposal_id=proposal.id).count() == 1
    # Sent twice (a double click): still one idea.
    assert send_idea(client, process).status_code == 302
    assert db.session.query(Proposal).count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG + b"\x00" * MAX_BYTES, "big.png", "The photo is too large."),
        (PNG, "broken.png", "must be a JPEG, PNG or WebP image"),
        (b"GIF89a" + b"\x00" * 50, "cat.jpg", "must be a JPEG, PNG or WebP image"),
        (b"<?php echo 1; ?>", "shell.png", "must be a JPEG, PNG or WebP image"),
    ],
)
def test_a_wrong_photo_is_refused_and_nothing_is_stored(
    app, client, process, resident, content, name, message
):
    before = photo_files(app)
    refused = send_idea(client, process, photo=(io.BytesIO(content), name))
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert db.session.query(Proposal).count() == 0
    assert photo_files(app) == before


def test_ideas_are_sent_and_changed_only_in_the_proposals_phase(
    client, process, resident
):
    proposal = make_idea(process, resident)
    edit = f"/pb/{process.id}/proposals/{proposal.id}/edit"
    changed = client.post(
        edit,
        data={
            "area_id": str(process.areas[1].id),
            "title": "Better idea",
            "description": "More words.",
        },
        headers=EN,
    )
    assert changed.status_code == 302
    assert db.session.get(Proposal, proposal.id).title == "Better idea"
    process.phase = Phase.DEVELOPMENT
    db.session.commit()
    refused = send_idea(client, process)
    assert refused.status_code == 409
    assert "only during the proposals phase" in refused.get_data(as_text=True)
    assert client.post(edit, data={"title": "Late"}).status_code == 409
    assert db.session.query(Proposal).count() == 1
    assert db.session.get(Proposal, proposal.id).title == "Better idea"


def test_only_the_author_edits_and_only_signed_in_people_send(
    app, client, create_user, login, process
):
    proposal = make_idea(process, create_user(Role.RESIDENT))
    anonymous = send_idea(client, process)
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    login(create_user(Role.RESIDENT))
    edit = f"/pb/{process.id}/proposals/{proposal.id}/edit"
    assert client.get(edit).status_code == 403


def test_comments_can_be_hidden_with_a_published_reason(
    client, create_user, login, process, resident
):
    proposal = make_idea(process, resident)
    page = f"/pb/{process.id}/proposals/{proposal.id}"
    empty = client.post(page, data={"body": " "}, headers=EN)
    assert empty.status_code == 400 and "Write a comment." in empty.get_data(
        as_text=True
    )
    assert client.post(page, data={"body": "Rude words"}).status_code == 302
    comment = db.session.query(Comment).one()
    login(create_user(Role.OFFICIAL))
    hide = f"/manage/pb/{process.id}/comments/{comment.id}/hide"
    no_reason = client.post(hide, data={"reason": ""}, headers=EN)
    assert no_reason.status_code == 400
    assert "Give the reason for hiding the comment." in no_reason.get_data(as_text=True)
    assert client.post(hide, data={"reason": "Name-calling"}).status_code == 302
    shown = client.get(page, headers=EN).get_data(as_text=True)
    assert "Rude words" not in shown
    assert "An official hid this comment. Reason: Name-calling" in shown


def test_following_an_idea_and_a_project(client, process, resident):
    proposal = make_idea(process, resident)
    project = db.session.query(Project).first()
    url = f"/pb/{process.id}/proposals/{proposal.id}/follow"
    for _twice in range(2):  # a double click follows once
        assert client.post(url, data={"action": "follow"}).status_code == 302
    assert db.session.query(Follow).filter_by(user_id=resident.id).count() == 1
    assert client.post(url, data={"action": "unfollow"}).status_code == 302
    project_url = f"/pb/{process.id}/projects/{project.id}/follow"
    client.post(project_url, data={"action": "follow"})
    follows = db.session.query(Follow).filter_by(user_id=resident.id).all()
    assert [(f.proposal_id, f.project_id) for f in follows] == [(None, project.id)]
    page = client.get(f"/pb/{process.id}", headers=EN).get_data(as_text=True)
    assert "Stop following" in page


def test_officials_merge_ideas_into_a_project_and_give_reasons_for_the_rest(
    client, create_user, login, process
):
    proposer = create_user(Role.RESIDENT, email="idea@example.fi", language="en")
    first, second, third = (
        make_idea(process, proposer, title) for title in ("Swings", "Slide", "Pool")
    )
    project = db.session.query(Project).first()
    login(create_user(Role.OFFICIAL))
    base = f"/manage/pb/{process.id}/proposals"
    linked = {"status": "linked", "project_id": str(project.id)}
    too_early = client.post(f"{base}/{first.id}", data=linked)
    assert too_early.status_code == 409
    process.phase = Phase.DEVELOPMENT
    db.session.commit()
    for idea in (first, second):
        assert client.post(f"{base}/{idea.id}", data=linked).status_code == 302
    no_reason = client.post(
        f"{base}/{third.id}", data={"status": "rejected"}, headers=EN
    )
    assert no_reason.status_code == 400
    assert "Give the reason why the idea will not become a project." in (
        no_reason.get_data(as_text=True)
    )
    rejected = {"status": "rejected", "note": "The lake is not ours."}
    assert client.post(f"{base}/{third.id}", data=rejected).status_code == 302
    assert {p.project_id for p in (first, second)} == {project.id}
    assert db.session.get(Proposal, third.id).status is ProposalStatus.REJECTED
    assert db.session.get(Proposal, third.id).decided_at is not None  # "last update"
    # Saving the same outcome again tells no one twice.
    client.post(f"{base}/{third.id}", data=rejected)
    mails = db.session.query(MailLog).filter_by(template="pb_proposal_outcome").all()
    assert [m.recipient for m in mails] == ["idea@example.fi"] * 3
    login(proposer)
    page = client.get(f"/pb/{process.id}/proposals/{third.id}", headers=EN)
    assert "It will not become a project." in page.get_data(as_text=True)
    assert "The lake is not ours." in page.get_data(as_text=True)
    page = client.get(f"/pb/{process.id}/proposals/{first.id}", headers=EN)
    assert "It became the project:" in page.get_data(as_text=True)
