"""A panel session with a moderator and residents, and Socket.IO clients for them."""

from __future__ import annotations

import contextvars
from datetime import timedelta

import pytest
from flask_wtf.csrf import generate_csrf

from eraati.accounts.models import Role
from eraati.core.time import utcnow
from eraati.extensions import db, socketio
from eraati.panels.models import Membership, Organisation, Panel, PanelRole, Unit
from eraati.rooms import services
from eraati.rooms.events import NAMESPACE
from eraati.rooms.rules import SessionStatus


@pytest.fixture
def room_panel(create_user):
    panel = Panel(
        unit=Unit(
            organisation=Organisation(slug="hva", name={"fi": "Hva"}), name={"fi": "U"}
        ),
        name={"fi": "Raati", "sv": "Rådet"},
    )
    db.session.add(panel)
    db.session.flush()
    people = {
        "moderator": create_user(
            Role.MODERATOR, email="mod@example.fi", name="Moderaattori"
        ),
        "aino": create_user(
            Role.RESIDENT, email="aino@example.fi", name="Aino", language="fi"
        ),
        "vera": create_user(
            Role.RESIDENT, email="vera@example.fi", name="Vera", language="sv"
        ),
        "outsider": create_user(Role.RESIDENT, email="out@example.fi", name="Out"),
    }
    db.session.add(
        Membership(panel=panel, user=people["moderator"], role=PanelRole.MODERATOR)
    )
    db.session.add(Membership(panel=panel, user=people["aino"]))
    db.session.add(Membership(panel=panel, user=people["vera"]))
    db.session.commit()
    panel.people = people
    return panel


@pytest.fixture
def live_session(room_panel):
    """An open session starting now (scheduled well ahead), rules accepted by all."""
    now = utcnow()
    session = services.schedule_session(
        room_panel,
        title={"fi": "Kuukausitapaaminen"},
        starts_at=now + timedelta(days=4),
        ends_at=now + timedelta(days=4, hours=2),
        now=now,
        agenda=[{"fi": "Kuulumiset"}, {"fi": "Ajanvaraus"}],
    )
    session.status = SessionStatus.OPEN
    for user in room_panel.people.values():
        services.accept_rules(room_panel.id, user.id, now)
    db.session.commit()
    return session


@pytest.fixture
def connect(app, login):
    """``connect(user)``: a signed-in Socket.IO client with a valid CSRF token."""
    clients = []

    def make(user, csrf=True, join=None):
        flask_client = app.test_client()
        if user is not None:
            login(user, on=flask_client)
        auth = {"csrf": _csrf_token(app, flask_client)} if csrf else {}
        client = Isolated(
            socketio.test_client,
            app,
            namespace=NAMESPACE,
            flask_test_client=flask_client,
            auth=auth,
        )
        clients.append(client)
        if join is not None and client.is_connected(NAMESPACE):
            client.ack = client.emit(
                "join",
                {"session": join, "last_seen": 0},
                namespace=NAMESPACE,
                callback=True,
            )
        return client

    yield make
    for client in clients:
        if client.is_connected(NAMESPACE):
            client.disconnect(namespace=NAMESPACE)


class Isolated:
    """A Socket.IO test client whose events run in a context of their own, as on a
    server: not in the test's app context (whose ``g`` would remember a user)."""

    def __init__(self, factory, *args, **kwargs):
        self._client = contextvars.Context().run(factory, *args, **kwargs)

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if name in ("emit", "connect", "disconnect", "send"):
            return lambda *a, **k: contextvars.Context().run(attribute, *a, **k)
        return attribute


def _csrf_token(app, flask_client) -> str:
    """A token bound to this client's session, as a page would give the browser."""

    def fresh_request():
        # Its own app context: the test's ``g`` may already cache another token.
        with app.test_request_context():
            from flask import session

            return generate_csrf(), session["csrf_token"]

    token, secret = contextvars.Context().run(fresh_request)
    with flask_client.session_transaction() as stored:
        stored["csrf_token"] = secret
    return token


def call(client, event, payload):
    return client.emit(event, payload, namespace=NAMESPACE, callback=True)


def received(client, name=None) -> list:
    """The payloads of the events received since the last call (of one name)."""
    events = client.get_received(NAMESPACE)
    return [_payload(e) for e in events if name is None or e["name"] == name]


def _payload(event):
    args = event["args"]
    return args[0] if isinstance(args, list) and len(args) == 1 else args


def received_by_name(client) -> dict[str, list]:
    """Every event received since the last call, grouped by name."""
    grouped: dict[str, list] = {}
    for event in client.get_received(NAMESPACE):
        grouped.setdefault(event["name"], []).append(_payload(event))
    return grouped
