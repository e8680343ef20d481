"""Two real server processes sharing a room through Redis, a job run by a third
process, and a SIGKILL of one server.

Production runs several ``gunicorn -k gevent -w 1`` processes behind a proxy, joined by
the Socket.IO Redis message queue (docs/realtime.md), and one ``eraati scheduler``. The
Socket.IO test client cannot use a message queue, so this starts two real servers on
loopback ports, signs two people in through the real sign-in link flow, and connects a
python-socketio client to each process: a moderator to the first, a resident to the
second.

PostgreSQL and Redis are required: the test fails, never skips, without them.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa

from eraati import create_app
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.rooms.events import NAMESPACE
from tests.conftest import (
    REDIS_URL,
    empty_all_tables,
    free_port,
    make_test_config,
    migrate_once,
)

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET_KEY = "multiprocess-test-secret"
#: A Redis database of its own (the unit tests use /15) for presence and rate limits.
SERVER_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/13"
#: Pub/sub channels are shared by every Redis database: a channel of this run's own
#: keeps other runs' emits away (ERAATI_SOCKETIO_CHANNEL, as deployments do).
CHANNEL = f"eraati-test-{uuid.uuid4().hex[:8]}"
#: Presence of a killed process expires after this many seconds (30 in production).
PRESENCE_TTL = 3
#: The public address both processes sit behind, as behind the production proxy: the
#: Socket.IO server accepts WebSocket handshakes from this origin only.
PUBLIC_ORIGIN = "http://eraati.localhost"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: Each wait below is bounded by this; the whole test by TEST_LIMIT.
WAIT = 10.0
TEST_LIMIT = 60


@pytest.fixture(autouse=True)
def time_limit():
    """Fail a test that runs past TEST_LIMIT seconds (its servers are still killed):
    the bounded waits could otherwise add up to minutes on a starved machine."""

    def expire(signum, frame):
        raise TimeoutError(f"the test ran over {TEST_LIMIT} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, TEST_LIMIT)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# --- databases and data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_reachable():
    import redis

    client = redis.Redis.from_url(SERVER_REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is required and unreachable at {SERVER_REDIS_URL}: {error}")
    finally:
        client.close()


@pytest.fixture(scope="module")
def database(postgresql_url, tmp_path_factory, redis_reachable):
    """A local app on the run's PostgreSQL database, migrated: it writes the rows
    the servers read. No message queue here: this process does no real-time work."""
    instance = str(tmp_path_factory.mktemp("mp-instance"))
    app = create_app(
        make_test_config(
            postgresql_url,
            instance,
            SECRET_KEY=SECRET_KEY,
            PUBLIC_BASE_URL=PUBLIC_ORIGIN,
        )
    )
    migrate_once(app)
    app.instance = instance
    return app


@pytest.fixture
def room(database):
    """An open session with a moderator and a resident who accepted the ground rules;
    every table is emptied afterwards (the ``app`` fixture's tests expect them so).

    The session id is random: Socket.IO rooms are named after it, and Redis pub/sub
    channels are shared by every database number, so another run on the same Redis
    must not reach these clients (nor share the presence hash).
    """
    from eraati.accounts.models import Role
    from eraati.accounts.services import create_user
    from eraati.panels.models import Membership, Organisation, Panel, PanelRole, Unit
    from eraati.rooms import services
    from eraati.rooms.rules import SessionStatus

    tag = uuid.uuid4().hex[:8]
    with database.app_context():
        panel = Panel(
            unit=Unit(
                organisation=Organisation(slug=f"mp-{tag}", name={"fi": "Org"}),
                name={"fi": "Yksikkö"},
            ),
            name={"fi": "Asiakasraati"},
        )
        moderator = create_user(f"mod-{tag}@example.fi", Role.MODERATOR, "Moderaattori")
        resident = create_user(f"aino-{tag}@example.fi", Role.RESIDENT, "Aino", "fi")
        db.session.add_all(
            [
                panel,
                Membership(panel=panel, user=moderator, role=PanelRole.MODERATOR),
                Membership(panel=panel, user=resident),
            ]
        )
        db.session.flush()
        db.session.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('room_sessions', 'id'), :n)"),
            {"n": random.randrange(10**6, 2 * 10**9)},
        )
        now = utcnow()
        session = services.schedule_session(
            panel,
            title={"fi": "Kuukausitapaaminen"},
            starts_at=now + timedelta(days=4),
            ends_at=now + timedelta(days=4, hours=2),
            now=now,
        )
        session.status = SessionStatus.OPEN
        for user in (moderator, resident):
            services.accept_rules(panel.id, user.id, now)
        db.session.commit()
        found = {
            "session": session.id,
            "moderator": moderator.email,
            "resident": resident.email,
        }
        db.session.remove()
    yield found
    empty_all_tables(database)
    # The servers die by SIGKILL and never clear their presence entries.
    forget_presence(found["session"])


def forget_presence(session_id: int) -> None:
    import redis

    client = redis.Redis.from_url(SERVER_REDIS_URL, socket_timeout=2)
    prefix = f"eraati:{CHANNEL}:presence:{session_id}"
    try:
        client.delete(prefix, *client.scan_iter(f"{prefix}:*"))
    finally:
        client.close()


def stored_messages(app, session_id: int) -> list[tuple[int, str]]:
    """(id, client id) of every message of the session, as the database has them."""
    with app.app_context():
        rows = db.session.execute(
            sa.text(
                "SELECT id, client_id FROM room_messages"
                " WHERE session_id = :s ORDER BY id"
            ),
            {"s": session_id},
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


# --- server processes -------------------------------------------------------------------


class Server:
    """``gunicorn -k gevent -w 1 wsgi:app`` on a loopback port, in its own process
    group so that a SIGKILL takes the arbiter and its worker down together, as a
    crashed machine or an OOM kill would."""

    def __init__(self, env: dict, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "-k",
                "gevent",
                "-w",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, deadline: float) -> None:
        """Until the worker answers HTTP (the port alone opens before the app loads)."""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server on {self.port} exited:\n{self.output()}")
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.1)
        pytest.fail(f"server on {self.port} not ready:\n{self.output()}")

    def kill(self) -> None:
        if self.process.returncode is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=WAIT)

    def stop(self) -> None:
        self.kill()
        self._log.close()

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def server_env(database):
    """The environment of every eRaati process here, as one deployment's."""
    return {
        **os.environ,
        "ERAATI_DATABASE_URL": database.config["SQLALCHEMY_DATABASE_URI"],
        "ERAATI_REDIS_URL": SERVER_REDIS_URL,
        "ERAATI_ASYNC_MODE": "gevent",
        "ERAATI_SCHEDULER": "external",
        "ERAATI_SECRET_KEY": SECRET_KEY,
        "ERAATI_INSTANCE_PATH": database.instance,
        "ERAATI_PUBLIC_BASE_URL": PUBLIC_ORIGIN,
        # The sign-in limit counts per address, and everything here is 127.0.0.1.
        "ERAATI_RATELIMIT_ENABLED": "false",
        "ERAATI_SOCKETIO_CHANNEL": CHANNEL,
        "ERAATI_PRESENCE_TTL": str(PRESENCE_TTL),
    }


@pytest.fixture
def servers(server_env, room, tmp_path):
    """Process 1 and process 2; stopped before ``room`` empties the tables."""
    started = [Server(server_env, tmp_path / f"server{n}.log") for n in (1, 2)]
    try:
        deadline = time.monotonic() + 30
        for server in started:
            server.wait_ready(deadline)
        yield started
    finally:
        for server in started:
            server.stop()


# --- people -----------------------------------------------------------------------------


class Browser:
    """Just enough of a browser for the sign-in link: a cookie jar and forms."""

    def __init__(self, base_url: str):
        self.host = urlsplit(base_url)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection(
            self.host.hostname, self.host.port, timeout=WAIT
        )
        headers = {"Accept-Language": "fi"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, page

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def sign_in(app, server: Server, email: str) -> tuple[str, str]:
    """Follow a link from ``eraati users login-link`` as a person would; returns the
    cookie header and the CSRF token a page gives its socket.io script."""
    result = app.test_cli_runner().invoke(args=["users", "login-link", email])
    assert result.exit_code == 0, result.output
    path = urlsplit(result.output.strip()).path
    browser = Browser(server.url)
    status, page = browser.request("GET", path)
    assert status == 200, page
    status, page = browser.request(
        "POST", path, {"csrf_token": CSRF_FIELD.search(page).group(1)}
    )
    assert status == 302, page
    status, page = browser.request("GET", "/")
    assert status == 200
    return browser.cookie_header(), CSRF_FIELD.search(page).group(1)


class RoomClient:
    """A python-socketio client that acts as the room page's script does: it keeps
    the last message id it saw and joins with it on every connection.

    ``log`` has every message as it arrived (live or in a join's resync), in order,
    duplicates and all: "shown once" is checked on it, not on a de-duplicated view.
    """

    def __init__(self, cookie: str, csrf: str, session_id: int):
        self.cookie, self.csrf, self.session_id = cookie, csrf, session_id
        self.log: list[dict] = []
        self.events: list[tuple[str, object]] = []
        self.last_seen = 0
        self.participant = None
        self.sio = None
        self.dropped = threading.Event()
        self._lock = threading.Lock()

    def connect(self, server: Server) -> dict:
        import socketio

        self.close()
        self.dropped.clear()
        sio = socketio.Client(
            reconnection=False,
            request_timeout=WAIT,
            websocket_extra_options={"origin": PUBLIC_ORIGIN},
        )
        for name in ("message", "message_update", "state", "presence", "participant"):
            sio.on(name, self._recorder(name), namespace=NAMESPACE)
        sio.on("disconnect", lambda *_: self.dropped.set(), namespace=NAMESPACE)
        sio.connect(
            server.url,
            headers={"Cookie": self.cookie},
            auth={"csrf": self.csrf},
            transports=["websocket"],
            namespaces=[NAMESPACE],
            wait_timeout=WAIT,
        )
        self.sio = sio
        ack = self.call(
            "join", {"session": self.session_id, "last_seen": self.last_seen}
        )
        assert ack["ok"], ack
        self.participant = ack["participant"]
        for message in ack["messages"]:
            self._record("message", message)
        return ack

    def call(self, event: str, payload: dict) -> dict:
        return self.sio.call(event, payload, namespace=NAMESPACE, timeout=WAIT)

    def post(self, client_id: str, body: str) -> dict:
        ack = self.call(
            "message",
            {"session": self.session_id, "client_id": client_id, "body": body},
        )
        assert ack["ok"], ack
        return ack

    def close(self) -> None:
        if self.sio is None:
            return
        with suppress(Exception):
            self.sio.disconnect()
        # engine.io does not close the socket of a connection the server dropped
        # (it only resets its state); left open it is a ResourceWarning.
        websocket = getattr(self.sio.eio, "ws", None)
        if websocket is not None:
            with suppress(Exception):
                websocket.shutdown()
        self.sio = None

    def _recorder(self, name):
        return lambda data: self._record(name, data)

    def _record(self, name: str, data) -> None:
        with self._lock:
            self.events.append((name, data))
            if name == "message":
                self.log.append(data)
                self.last_seen = max(self.last_seen, data["id"])

    def ids(self) -> list[int]:
        with self._lock:
            return [message["id"] for message in self.log]

    def received(self, name: str, test, since: int = 0) -> bool:
        """Whether an event ``name`` passing ``test`` came (after the ``since``-th)."""
        with self._lock:
            return any(
                event == name and test(data) for event, data in self.events[since:]
            )


def wait_until(condition, what: str, seconds: float = WAIT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def clients():
    try:
        import websocket  # noqa: F401
    except ImportError:
        # Without it python-socketio's Client silently offers long-polling only.
        pytest.fail("websocket-client is required (pip install -e '.[test]')")
    made: list[RoomClient] = []

    def make(*args) -> RoomClient:
        made.append(RoomClient(*args))
        return made[-1]

    yield make
    for client in made:
        client.close()


def two_people(database, servers, room, clients) -> tuple[RoomClient, RoomClient]:
    """The moderator on process 1 and the resident on process 2, both in the room."""
    first, second = servers
    moderator = clients(*sign_in(database, first, room["moderator"]), room["session"])
    resident = clients(*sign_in(database, first, room["resident"]), room["session"])
    assert moderator.connect(first)["moderator"] is True
    # Signed in on process 1, accepted by process 2: the same key signs both.
    assert resident.connect(second)["moderator"] is False
    return moderator, resident


# --- tests ------------------------------------------------------------------------------


def test_messages_moderation_and_jobs_cross_between_processes(
    database, server_env, servers, room, clients
):
    moderator, resident = two_people(database, servers, room, clients)
    session = room["session"]
    # Presence lives in Redis: the moderator is told of the resident's socket.
    wait_until(
        lambda: moderator.received("presence", lambda p: p["presence"] == 2),
        "presence 2 on process 1",
    )

    said = resident.post("aino-1", "Hei kaikki")
    wait_until(
        lambda: moderator.received(
            "message", lambda m: m["id"] == said["id"] and m["body"] == "Hei kaikki"
        ),
        "the resident's message on process 1",
    )
    # The moderators-only room crosses processes too (message counts for fair turns).
    wait_until(
        lambda: moderator.received(
            "participant",
            lambda row: row["id"] == resident.participant and row.get("count") == 1,
        ),
        "message counts for the moderator",
    )

    answer = moderator.post("mod-1", "Tervetuloa")
    wait_until(
        lambda: resident.received("message", lambda m: m["id"] == answer["id"]),
        "the moderator's message on process 2",
    )

    hidden = moderator.call(
        "moderate",
        {
            "session": session,
            "action": "hide",
            "message": said["id"],
            "reason": "Testi",
        },
    )
    assert hidden["ok"], hidden
    for client in (resident, moderator):
        wait_until(
            lambda client=client: client.received(
                "message_update",
                lambda m: m["id"] == said["id"] and m["hidden"] and m["body"] is None,
            ),
            "the hidden message on both processes",
        )

    assert moderator.ids() == resident.ids() == [said["id"], answer["id"]]

    # A scheduled job run by a third process, with no connections of its own,
    # reaches both servers' clients through Redis (a write-only emitter).
    ends_soon(database, session)
    run_job(server_env, "room-closing-notices")
    for client in (moderator, resident):
        wait_until(
            lambda client=client: client.received(
                "message", lambda m: (m["notice"] or {}).get("code") == "closing"
            ),
            "the job's notice on both processes",
        )
    run_job(server_env, "room-closing-notices")  # told once, however often it runs
    closing = [c for _, c in stored_messages(database, session) if "closing" in c]
    assert closing == ["job-closing"]


def ends_soon(app, session_id: int) -> None:
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE room_sessions SET ends_at = :at WHERE id = :s"),
            {"at": utcnow() + timedelta(minutes=5), "s": session_id},
        )
        db.session.commit()
        db.session.remove()


def run_job(env: dict, job_id: str) -> None:
    """``eraati run-job`` as its own process, as the scheduler process runs jobs."""
    result = subprocess.run(
        [str(GUNICORN.with_name("eraati")), "run-job", job_id],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT * 3,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_client_of_a_killed_process_resyncs_on_the_survivor_without_losses(
    database, servers, room, clients
):
    first, second = servers
    moderator, resident = two_people(database, servers, room, clients)

    before = resident.post("aino-1", "Ennen")
    wait_until(lambda: before["id"] in moderator.ids(), "the first message")
    greeting = moderator.post("mod-1", "Tervetuloa")
    wait_until(lambda: greeting["id"] in resident.ids(), "the greeting")

    # Two sends the page has no acknowledgement for when the process dies: one the
    # process already stored (its acknowledgement or broadcast may be lost), one
    # sent just before the kill (usually never stored). The page resends both.
    def send_unacknowledged(client_id: str, body: str) -> None:
        payload = {"session": room["session"], "client_id": client_id, "body": body}
        resident.sio.emit(
            "message", payload, namespace=NAMESPACE, callback=lambda *_: None
        )

    send_unacknowledged("aino-2", "Tallessa")
    wait_until(
        lambda: "aino-2" in {c for _, c in stored_messages(database, room["session"])},
        "the stored message",
    )
    send_unacknowledged("aino-3", "Kesken")
    wait_until(
        lambda: moderator.received("presence", lambda p: p["presence"] == 2),
        "presence 2 on process 1",
    )
    before_kill = len(moderator.events)
    second.kill()
    assert resident.dropped.wait(WAIT), "the resident noticed no disconnect"
    # The killed process cannot say its people left; its presence entries expire
    # and process 1's heartbeat tells the room, within PRESENCE_TTL and a beat.
    wait_until(
        lambda: (
            moderator.received(
                "presence", lambda p: p["presence"] == 1, since=before_kill
            )
            and moderator.received(
                "participant",
                lambda row: (
                    row["id"] == resident.participant and row["present"] is False
                ),
                since=before_kill,
            )
        ),
        "the resident of the killed process leaving the presence",
    )

    # Said while the resident was away: only a resync can bring these.
    missed = [moderator.post(f"mod-{n}", f"Poissa {n}") for n in (2, 3)]

    resync = resident.connect(first)
    assert {m["id"] for m in missed} <= {m["id"] for m in resync["messages"]}
    stored_before = resident.post("aino-2", "Tallessa")
    assert stored_before["duplicate"] is True
    assert resident.post("aino-3", "Kesken")["ok"]
    again = resident.post("aino-1", "Ennen")
    assert again == {"ok": True, "id": before["id"], "duplicate": True}

    stored = stored_messages(database, room["session"])
    client_ids = [client_id for _, client_id in stored]
    assert sorted(client_ids) == [
        "aino-1",
        "aino-2",
        "aino-3",
        "mod-1",
        "mod-2",
        "mod-3",
    ]
    every_id = [message_id for message_id, _ in stored]

    def shown(client) -> list[int]:
        """What a client shows: each id once, as rooms.js does (a resend of a stored
        message is broadcast again, so that a message whose first broadcast died with
        its process still reaches the room)."""
        return list(dict.fromkeys(client.ids()))

    wait_until(lambda: len(shown(resident)) >= len(every_id), "the resident's resync")
    assert sorted(shown(resident)) == every_id
    # The moderator never disconnected: everything arrived live through Redis,
    # including the message stored by the killed process (through its resend).
    wait_until(
        lambda: set(moderator.ids()) >= set(every_id), "the moderator's messages"
    )
    assert sorted(shown(moderator)) == every_id
