"""Every Socket.IO event of the rooms, and every refusal, with the test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from eraati.extensions import db
from eraati.rooms.events import NAMESPACE
from eraati.rooms.models import Message, ModerationAction, Participant
from tests.rooms.conftest import call, received, received_by_name

VALID_CODE = "131052-308T"


def test_connect_needs_sign_in_and_csrf(connect, room_panel):
    assert not connect(None).is_connected(NAMESPACE)
    assert not connect(room_panel.people["aino"], csrf=False).is_connected(NAMESPACE)
    assert connect(room_panel.people["aino"]).is_connected(NAMESPACE)


def test_join_gives_state_and_history(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    assert aino.ack["ok"] is True
    assert aino.ack["state"]["status"] == "open"
    assert aino.ack["moderator"] is False and aino.ack["participants"] is None
    assert aino.ack["messages"] == []


def test_only_invited_people_join(connect, room_panel, live_session):
    outsider = connect(room_panel.people["outsider"], join=live_session.id)
    assert outsider.ack == {
        "ok": False,
        "error": "not_invited",
        "message": outsider.ack["message"],
    }
    assert "not invited" in outsider.ack["message"] or outsider.ack["message"]


def test_ground_rules_must_be_accepted_first(connect, room_panel, live_session):
    from eraati.rooms.models import GroundRulesAcceptance

    db.session.query(GroundRulesAcceptance).filter_by(
        user_id=room_panel.people["vera"].id
    ).delete()
    db.session.commit()
    vera = connect(room_panel.people["vera"], join=live_session.id)
    assert vera.ack["error"] == "rules_not_accepted"


def test_message_is_stored_then_reaches_everyone(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    vera = connect(room_panel.people["vera"], join=live_session.id)
    received(aino), received(vera)
    ack = call(
        aino,
        "message",
        {"session": live_session.id, "client_id": "c1", "body": "  Hei kaikki  "},
    )
    assert ack["ok"] and not ack["duplicate"]
    stored = db.session.get(Message, ack["id"])
    assert stored.body == "Hei kaikki"
    for client in (aino, vera):
        messages = received(client, "message")
        assert [m["body"] for m in messages] == ["Hei kaikki"]
        assert messages[0]["author"] == "Aino"


def test_a_resent_client_id_is_stored_and_shown_once(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    vera = connect(room_panel.people["vera"], join=live_session.id)
    received(vera)
    payload = {"session": live_session.id, "client_id": "same", "body": "Kerran"}
    first, second = call(aino, "message", payload), call(aino, "message", payload)
    assert first["id"] == second["id"] and second["duplicate"] is True
    assert db.session.query(Message).filter_by(client_id="same").count() == 1
    # Broadcast again on the resend (the client shows each id once).
    assert {m["id"] for m in received(vera, "message")} == {first["id"]}


def test_resync_after_reconnect_sends_only_what_was_missed(
    connect, room_panel, live_session
):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    ids = [
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": f"m{n}", "body": f"viesti {n}"},
        )["id"]
        for n in range(5)
    ]
    vera = connect(room_panel.people["vera"])
    ack = call(vera, "join", {"session": live_session.id, "last_seen": ids[1]})
    assert [m["id"] for m in ack["messages"]] == ids[2:]


def test_muted_removed_and_closed_refusals(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    aino_id = aino.ack["participant"]
    assert call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "mute", "participant": aino_id},
    )["ok"]
    refused = call(
        aino, "message", {"session": live_session.id, "client_id": "x", "body": "hei"}
    )
    assert refused["error"] == "muted"
    call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "unmute", "participant": aino_id},
    )
    assert call(
        aino, "message", {"session": live_session.id, "client_id": "y", "body": "hei"}
    )["ok"]
    call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "remove", "participant": aino_id},
    )
    assert (
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": "z", "body": "hei"},
        )["error"]
        == "removed"
    )
    call(moderator, "moderate", {"session": live_session.id, "action": "close"})
    vera = connect(room_panel.people["vera"], join=live_session.id)
    assert (
        call(
            vera,
            "message",
            {"session": live_session.id, "client_id": "w", "body": "hei"},
        )["error"]
        == "closed"
    )


def test_residents_cannot_moderate(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    for action in ["close", "hide", "mute", "give_floor", "pin", "slow_mode"]:
        ack = call(
            aino,
            "moderate",
            {"session": live_session.id, "action": action, "message": 1},
        )
        assert ack["error"] == "not_moderator"
    assert db.session.query(ModerationAction).count() == 0


def test_slow_mode_refuses_a_second_message_too_soon(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "slow_mode", "seconds": 30},
    )
    aino = connect(room_panel.people["aino"], join=live_session.id)
    assert call(
        aino, "message", {"session": live_session.id, "client_id": "1", "body": "yksi"}
    )["ok"]
    second = call(
        aino, "message", {"session": live_session.id, "client_id": "2", "body": "kaksi"}
    )
    assert second["error"] == "slow_mode" and "30" in second["message"]


def test_floor_mode_lets_only_the_floor_holder_post(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    vera = connect(room_panel.people["vera"], join=live_session.id)
    call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "floor_mode", "on": True},
    )
    assert (
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": "a", "body": "saanko?"},
        )["error"]
        == "not_your_turn"
    )
    assert call(aino, "raise_hand", {"session": live_session.id})["ok"]
    assert call(vera, "raise_hand", {"session": live_session.id})["ok"]
    call(
        moderator,
        "moderate",
        {
            "session": live_session.id,
            "action": "give_floor",
            "participant": vera.ack["participant"],
        },
    )
    assert call(
        vera,
        "message",
        {"session": live_session.id, "client_id": "v", "body": "kiitos"},
    )["ok"]
    assert (
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": "b", "body": "entä minä"},
        )["error"]
        == "not_your_turn"
    )
    assert call(
        moderator,
        "message",
        {"session": live_session.id, "client_id": "m", "body": "moderaattori saa"},
    )["ok"]


def test_the_queue_puts_those_who_spoke_least_first(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    vera = connect(room_panel.people["vera"], join=live_session.id)
    received(moderator)
    for n in range(3):
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": f"a{n}", "body": f"a {n}"},
        )
    # Moderators follow the counts row by row, not as the whole list again.
    rows = received_by_name(moderator)["participant"]
    assert rows[-1] == {
        "session": live_session.id,
        "id": aino.ack["participant"],
        "count": 3,
    }
    call(aino, "raise_hand", {"session": live_session.id})
    call(vera, "raise_hand", {"session": live_session.id})
    received(moderator)
    call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "pin", "message": 1},
    )
    events = received_by_name(moderator)
    state = events["state"][-1]
    assert [entry["name"] for entry in state["queue"]] == ["Vera", "Aino"]
    assert "participants" not in events
    rejoined = call(moderator, "join", {"session": live_session.id, "last_seen": 0})
    counts = {p["name"]: p["count"] for p in rejoined["participants"]}
    assert counts["Aino"] == 3 and counts["Vera"] == 0


def test_personal_data_warns_and_identity_codes_never_stored(
    connect, room_panel, live_session
):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    body = f"Hetuni on {VALID_CODE}, soita 040 123 4567"
    warned = call(
        aino, "message", {"session": live_session.id, "client_id": "p", "body": body}
    )
    assert warned["error"] == "personal_data"
    assert db.session.query(Message).count() == 0
    sent = call(
        aino,
        "message",
        {"session": live_session.id, "client_id": "p", "body": body, "confirm": True},
    )
    stored = db.session.get(Message, sent["id"]).body
    assert VALID_CODE not in stored and "040 123 4567" in stored


def test_hiding_reaches_every_client_and_is_logged(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    message_id = call(
        aino, "message", {"session": live_session.id, "client_id": "h", "body": "rumaa"}
    )["id"]
    received(aino)
    no_reason = call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "hide", "message": message_id},
    )
    assert no_reason["error"] == "reason_required"
    ack = call(
        moderator,
        "moderate",
        {
            "session": live_session.id,
            "action": "hide",
            "message": message_id,
            "reason": "asiaton",
        },
    )
    assert ack["ok"]
    update = received(aino, "message_update")[0]
    assert (
        update["hidden"] is True
        and update["body"] is None
        and update["hidden_reason"] == "asiaton"
    )
    log = db.session.query(ModerationAction).filter_by(action="hide").one()
    assert log.reason == "asiaton" and log.target_id == message_id
    call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "restore", "message": message_id},
    )
    assert received(aino, "message_update")[0]["body"] == "rumaa"


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        {"session": "1", "client_id": "x", "body": "hei"},
        {"session": 1, "client_id": 5, "body": "hei"},
        {"session": 1, "client_id": "x", "body": ["hei"]},
        {"session": 1, "client_id": "", "body": "hei"},
        {"session": 1, "client_id": "x" * 65, "body": "hei"},
        {"session": 99999, "client_id": "x", "body": "hei"},
    ],
)
def test_bad_payloads_are_refused_to_the_sender_only(
    connect, room_panel, live_session, payload
):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    vera = connect(room_panel.people["vera"], join=live_session.id)
    received(vera)
    if isinstance(payload, dict) and payload.get("session") == 1:
        payload = {**payload, "session": live_session.id}
    ack = aino.emit("message", payload, namespace=NAMESPACE, callback=True)
    assert ack["ok"] is False and ack["message"]
    assert received(vera, "message") == []
    assert db.session.query(Message).count() == 0


def test_empty_and_oversized_messages(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    assert (
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": "e", "body": "   "},
        )["error"]
        == "empty"
    )
    assert (
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": "l", "body": "x" * 2001},
        )["error"]
        == "too_long"
    )


def test_events_for_a_room_not_joined_are_refused(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"])  # connected, not joined
    assert (
        call(
            aino,
            "message",
            {"session": live_session.id, "client_id": "n", "body": "hei"},
        )["error"]
        == "not_in_room"
    )


def test_unknown_events_and_actions_do_not_break_the_connection(
    connect, room_panel, live_session
):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    assert (
        call(moderator, "moderate", {"session": live_session.id, "action": "explode"})[
            "error"
        ]
        == "unknown_action"
    )
    moderator.emit("no_such_event", {"x": 1}, namespace=NAMESPACE)
    assert moderator.is_connected(NAMESPACE)
    assert call(
        moderator,
        "message",
        {"session": live_session.id, "client_id": "ok", "body": "yhä täällä"},
    )["ok"]


def test_a_flood_is_refused(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    answers = [
        call(aino, "lower_hand", {"session": live_session.id}) for _ in range(40)
    ]
    assert any(a.get("error") == "flood" for a in answers)
    assert aino.is_connected(NAMESPACE)


def test_ideas_from_a_message_and_suggestions(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    message_id = call(
        aino,
        "message",
        {"session": live_session.id, "client_id": "i", "body": "Iltavastaanotto"},
    )["id"]
    suggested = call(
        aino,
        "suggest_idea",
        {"session": live_session.id, "message": message_id, "title": "Iltavastaanotto"},
    )
    assert suggested["ok"]
    received(moderator)
    assert call(
        moderator,
        "moderate",
        {
            "session": live_session.id,
            "action": "accept_idea",
            "idea": suggested["idea"],
        },
    )["ok"]
    assert received(aino, "idea")[-1]["accepted"] is True
    made = call(
        moderator,
        "moderate",
        {
            "session": live_session.id,
            "action": "make_idea",
            "title": "Selkokieliset kirjeet",
        },
    )
    assert made["ok"]


def test_agenda_item_and_round(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    item = live_session.agenda[1].id
    assert call(
        moderator,
        "moderate",
        {"session": live_session.id, "action": "set_item", "item": item},
    )["ok"]
    assert received(aino, "state")[-1]["item"] == item
    order = call(
        moderator, "moderate", {"session": live_session.id, "action": "start_round"}
    )["order"]
    assert order == [aino.ack["participant"]]  # moderators lead, the others speak
    db.session.expire_all()
    assert db.session.get(Participant, order[0]).session_id == live_session.id
    nxt = call(
        moderator, "moderate", {"session": live_session.id, "action": "next_in_round"}
    )
    assert nxt["ok"] and nxt.get("target") is None  # Aino was the only one


def test_reports_go_to_moderators(connect, room_panel, live_session):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    vera = connect(room_panel.people["vera"], join=live_session.id)
    message_id = call(
        vera, "message", {"session": live_session.id, "client_id": "r", "body": "hmm"}
    )["id"]
    received(moderator), received(vera)
    assert call(
        aino,
        "report",
        {"session": live_session.id, "message": message_id, "reason": "asiaton"},
    )["ok"]
    assert received(moderator, "report")[0]["message"] == message_id
    assert received(vera, "report") == []


def test_short_notice_needs_a_reason(room_panel):
    from eraati.core.time import utcnow
    from eraati.rooms import services

    now = utcnow()
    with pytest.raises(services.RoomError) as refused:
        services.schedule_session(
            room_panel,
            title={"fi": "Pika"},
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=1),
            now=now,
        )
    assert refused.value.code == "short_notice_reason_required"
    session = services.schedule_session(
        room_panel,
        title={"fi": "Pika"},
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
        now=now,
        short_notice_reason="Kiireellinen lausunto",
    )
    assert session.short_notice_reason == "Kiireellinen lausunto"


def test_clients_cannot_fire_the_servers_own_events(connect, room_panel, live_session):
    aino = connect(room_panel.people["aino"], join=live_session.id)
    aino.emit("disconnect", {"session": live_session.id}, namespace=NAMESPACE)
    aino.emit("connect", {"csrf": "x"}, namespace=NAMESPACE)
    assert aino.is_connected(NAMESPACE)
    ack = call(
        aino,
        "message",
        {"session": live_session.id, "client_id": "still", "body": "yhä"},
    )
    assert ack["ok"]


def test_a_join_tells_the_room_the_count_and_moderators_the_person(
    connect, room_panel, live_session
):
    moderator = connect(room_panel.people["moderator"], join=live_session.id)
    aino = connect(room_panel.people["aino"], join=live_session.id)
    received(aino), received(moderator)
    vera = connect(room_panel.people["vera"], join=live_session.id)
    vera_id = vera.ack["participant"]
    # The room gets the count, not the whole state (nor the moderators' list).
    assert received_by_name(aino) == {
        "presence": [{"session": live_session.id, "presence": 3}]
    }
    row = received(moderator, "participant")[-1]
    assert row["id"] == vera_id and row["name"] == "Vera" and row["present"] is True
    vera.disconnect(namespace=NAMESPACE)
    assert received(aino, "presence") == [{"session": live_session.id, "presence": 2}]
    assert received(moderator, "participant") == [
        {"session": live_session.id, "id": vera_id, "present": False}
    ]


def test_a_message_costs_three_statements(connect, room_panel, live_session):
    """Read the session and the sender (mute, removal and turns checked on fresh
    rows), insert the message once per client id, count it; nothing per person in
    the room. A join again (a reconnect) costs three too."""
    aino = connect(room_panel.people["aino"], join=live_session.id)
    statements = []

    def count(connection, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        payload = {"session": live_session.id, "client_id": "s", "body": "Hei"}
        assert call(aino, "message", payload)["ok"]
        assert len(statements) == 3
        statements.clear()
        assert call(aino, "join", {"session": live_session.id, "last_seen": 0})["ok"]
        assert len(statements) == 3
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
