"""`eraati demo` adds a session in progress and a past one with a summary and ideas."""

from __future__ import annotations

from eraati.accounts.services import find_user
from eraati.demo import DEMO_STEPS, load_foundation
from eraati.extensions import db
from eraati.rooms.demo import NOW_TITLE, PAST_TITLE, load_rooms_demo
from eraati.rooms.models import Idea, Message, RaisedHand, RoomSession
from eraati.rooms.rules import IdeaStatus, SessionStatus

EN = {"Accept-Language": "en"}


def load() -> None:
    load_foundation()
    load_rooms_demo()
    db.session.commit()


def sessions() -> dict[str, RoomSession]:
    return {s.title["fi"]: s for s in db.session.query(RoomSession)}


def test_demo_sessions_are_added_once(app):
    assert "live rooms" in [label for label, _step in DEMO_STEPS]
    load()
    counts = [db.session.query(m).count() for m in (RoomSession, Message, Idea)]
    load()
    assert [db.session.query(m).count() for m in (RoomSession, Message, Idea)] == counts

    now, past = sessions()[NOW_TITLE["fi"]], sessions()[PAST_TITLE["fi"]]
    assert now.status is SessionStatus.OPEN and now.current_item_id is not None
    assert db.session.query(Message).filter_by(session_id=now.id).count() >= 4
    assert db.session.query(RaisedHand).filter_by(session_id=now.id).count() == 1

    assert past.status is SessionStatus.CLOSED and past.summary_sent_at is not None
    ideas = db.session.query(Idea).filter_by(session_id=past.id).all()
    statuses = {idea.status for idea in ideas}
    assert {IdeaStatus.DONE, IdeaStatus.IN_PROGRESS, IdeaStatus.NEW} <= statuses
    stopped = next(i for i in ideas if i.status is IdeaStatus.NOT_GOING_AHEAD)
    assert stopped.history[-1].reason


def test_demo_pages_show_the_sessions(client, login):
    load()
    now, past = sessions()[NOW_TITLE["fi"]], sessions()[PAST_TITLE["fi"]]
    calendar = client.get("/sessions/", headers=EN).get_data(as_text=True)
    assert now.title["en"] in calendar and f"/sessions/{past.id}/summary" in calendar
    ideas = client.get(f"/sessions/panels/{past.panel_id}/ideas", headers=EN)
    assert "Not going ahead" in ideas.get_data(as_text=True)
    login(find_user("asukas@example.fi"))
    room = client.get(f"/sessions/{now.id}?lang=en").get_data(as_text=True)
    assert "Ajanvarausnumeroon on ollut pitkä jono aamuisin." in room
    assert "The session is open." in room
