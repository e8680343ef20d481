"""Erasure: nothing names the person any more, published results stay the same, and
neither an old cookie nor a new sign-in link brings the person back."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_login.utils import encode_cookie

from eraati.accounts import services as accounts
from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.mydata import services
from eraati.panels.models import Membership
from eraati.rooms.models import Message, MessageKind
from eraati.rooms.payloads import message_payload, notice_parts
from tests.mydata.conftest import EMAIL, MESSAGE


def rows_mentioning(needles) -> list[tuple[str, str]]:
    """(table, column) of every text value in the database that holds a needle."""
    metadata = sa.MetaData()
    metadata.reflect(bind=db.engine)
    found = []
    with db.engine.connect() as connection:
        for table in metadata.tables.values():
            for row in connection.execute(sa.select(table)).mappings():
                for column, value in row.items():
                    text = value if isinstance(value, str) else repr(value)
                    found += [
                        (table.name, column)
                        for needle in needles
                        if needle.lower() in text.lower()
                    ]
    return found


def rows_pointing_at(user_id: int) -> list[str]:
    """Columns of any table whose foreign key to users holds ``user_id``."""
    found = []
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "users":
                hits = db.session.scalar(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(key.parent == user_id)
                )
                found += [f"{table.name}.{key.parent.name}"] * bool(hits)
    return found


def test_erasure_removes_the_person_and_keeps_the_results(
    app, client, journey, smtp_server
):
    person_id = journey.person.id
    before = journey.published()
    assert rows_mentioning(journey.needles)  # the scan does find what is there
    # Another browser where she is still signed in, and a "remember me" cookie.
    old_session = app.test_client()
    with old_session.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(person_id), True
    remembered = app.test_client()
    remembered.set_cookie("remember_token", encode_cookie(str(person_id)))
    assert remembered.get("/my-data").status_code == 200

    done = client.post("/my-data/delete", data={"confirm": "y"})
    assert done.status_code == 200
    assert "/sign-in" in client.get("/my-data").headers["Location"]

    assert rows_mentioning(journey.needles) == []
    assert rows_pointing_at(person_id) == []
    assert journey.published() == before
    # Her message keeps its place, said by a removed participant, in any language.
    with app.test_request_context(headers={"Accept-Language": "en"}):
        said = db.session.query(Message).filter_by(body=MESSAGE).one()
        assert message_payload(said)["author"] == "removed participant"
        floor = db.session.query(Message).filter_by(kind=MessageKind.NOTICE).one()
        assert notice_parts(floor)["name"] == "removed participant"
    assert db.session.query(Membership).filter_by(user_id=journey.other.id).count()

    mail = smtp_server.only()  # the confirmation, in her language
    assert (mail["To"], mail["Content-Language"]) == (EMAIL, "fi")
    event = db.session.query(AuditEvent).filter_by(action="account.erased").one()
    assert (event.actor_id, event.details["requested_by"]) == (None, "self")

    # Neither the old cookies nor a new link signs her in.
    for browser in (old_session, remembered):
        assert "/sign-in" in browser.get("/my-data").headers["Location"]
    smtp_server.messages.clear()
    assert client.post("/sign-in", data={"email": EMAIL}).status_code == 302
    token = re.search(
        r"/sign-in/link/([\w-]+)", smtp_server.text_of(smtp_server.only())
    )
    newcomer, _row = accounts.redeem_login_token(token[1], utcnow())
    assert newcomer.id != person_id
    assert services.export_data(newcomer, utcnow())["rooms"]["messages"] == []


def test_a_second_erasure_changes_nothing_and_says_so(client, journey, smtp_server):
    assert client.post("/my-data/delete", data={"confirm": "y"}).status_code == 200
    again = client.post(
        "/my-data/delete", data={"confirm": "y"}, headers={"Accept-Language": "en"}
    )
    assert again.status_code == 200
    assert "Your account has been deleted" in again.get_data(as_text=True)
    with pytest.raises(services.AlreadyErased):
        services.erase_account(db.session.get(User, journey.person.id), utcnow())
    assert db.session.query(AuditEvent).filter_by(action="account.erased").count() == 1
    assert len(smtp_server.messages) == 1


def test_no_confirmation_before_the_erasure_is_committed(journey, smtp_server):
    services.erase_account(journey.person, utcnow())
    assert smtp_server.messages == []  # the caller may still roll back
    db.session.rollback()
    person = db.session.get(User, journey.person.id)
    assert (person.email, person.erased_at) == (EMAIL, None)
    assert smtp_server.messages == []


def test_an_erasure_that_fails_half_way_changes_nothing(journey, monkeypatch):
    class Broken:
        @staticmethod
        def erase(user):
            raise RuntimeError("disk full")

    monkeypatch.setitem(services.DOMAINS, "broken", Broken)
    person = journey.person
    with pytest.raises(RuntimeError):
        services.erase_account(person, utcnow())
    db.session.rollback()
    person = db.session.get(User, person.id)
    assert (person.email, person.erased_at) == (EMAIL, None)
    assert db.session.query(Membership).filter_by(user_id=person.id).count() == 1
