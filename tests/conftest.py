"""Fixtures: an app per test on SQLite and on PostgreSQL, clients, people, a real SMTP
server, and a live server for the browser tests.

PostgreSQL and Redis are required: when they cannot be reached the tests that need
them fail (they are never skipped). ``make test`` starts them if they are not running.
"""

from __future__ import annotations

import contextvars
import os
import socket
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from eraati import create_app
from eraati.accounts.models import Role
from eraati.extensions import db

POSTGRES_ADMIN_URL = os.environ.get(
    "ERAATI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("ERAATI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

_migrated: set[str] = set()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgresql_url():
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"eraati_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is required and unreachable at {POSTGRES_ADMIN_URL}: {error}"
        )
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "eraati.sqlite")


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request):
    """Every database test runs on the embedded default and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory):
    return str(tmp_path_factory.mktemp("instance"))


def make_test_config(database_url: str, instance_path: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": instance_path,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SOCKETIO_MESSAGE_QUEUE": None,
        "SMTP_HOST": None,
        "PUBLIC_BASE_URL": "http://localhost",
        **overrides,
    }


def migrate_once(app) -> None:
    """Build the schema with the real migrations, once per database per run."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url in _migrated:
        return
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision="heads")
    _migrated.add(url)


def empty_all_tables(app) -> None:
    from eraati.surveys import snapshot

    # Ids restart in the next test: cached questionnaire snapshots would be stale.
    snapshot.forget()
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(f'"{name}"' for name in tables)
                connection.execute(
                    sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
                )
            else:
                for name in reversed(tables):
                    connection.execute(sa.text(f'DELETE FROM "{name}"'))
        db.engine.dispose()


@pytest.fixture
def app_config():
    """Per-test overrides of the app configuration (override this fixture or update it)."""
    return {}


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as on a server: its own app context,
    ``g``, database session and signed-in user, not the test's."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            # The test's own session must see what the request committed.
            db.session.expire_all()
        return response


@pytest.fixture
def app(database_url, instance_path, app_config):
    app = create_app(make_test_config(database_url, instance_path, **app_config))
    app.test_client_class = IsolatedClient
    migrate_once(app)
    with app.app_context():
        yield app
    empty_all_tables(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app):
    """Make an account: ``create_user(role=Role.OFFICIAL, email=..., language=...)``."""
    from eraati.accounts.services import create_user as create

    counter = iter(range(1, 10_000))

    def make(role: Role = Role.RESIDENT, email: str | None = None, **kwargs):
        email = email or f"person{next(counter)}-{role.value}@example.fi"
        user = create(email, role, kwargs.pop("name", ""), kwargs.pop("language", None))
        for key, value in kwargs.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """Sign ``user`` in on the test client (as a followed sign-in link would)."""

    def sign_in(user, on=None):
        with (on or client).session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return user

    return sign_in


class SmtpInbox:
    """Messages received by a real SMTP server (aiosmtpd) on a loopback port."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.messages.append(
            message_from_bytes(envelope.content, policy=policy.default)
        )
        return "250 OK"

    def only(self) -> EmailMessage:
        assert len(self.messages) == 1, f"expected one mail, got {len(self.messages)}"
        return self.messages[0]

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()
