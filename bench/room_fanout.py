"""Live room fan-out: 200 Socket.IO clients in one room, gunicorn gevent workers.

Runs the same load against four servers in one run: eRaati as one process, eRaati as
two processes sharing Redis, and a bare python-socketio server that only rebroadcasts
(one process, then two with Redis) as the baseline. A few of the clients post at a
steady total rate with the send time in the body; every client records when each
message reaches it. Prints delivered/expected and latency percentiles; not a test.

    .venv/bin/python bench/room_fanout.py [--clients 200] [--rate 20] [--seconds 15]
        [--single-redis]        also eRaati as one process with the Redis queue
        [--app-root CHECKOUT]   run eRaati from another checkout (before/after a change)

Besides latency it counts what a room must never do: messages lost or delivered
twice, messages arriving after a higher id (a resync by "last id seen" would skip
them) and presence entries left in Redis after every client disconnected.

The clients are python-socketio AsyncClients in one asyncio loop of this process, on
the same host, so send and receive times come from one perf_counter clock. Loopback
only; every phase is bounded and the whole run stops after --budget seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import random
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_ADMIN = os.environ.get(
    "ERAATI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
#: A Redis database of the bench's own; the pub/sub channel is shared by all of them,
#: so room names are random (see prepare()).
REDIS_URL = os.environ.get("ERAATI_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SECRET_KEY = "room-fanout-bench"
#: Both eRaati processes sit behind this origin, as behind the production proxy.
PUBLIC_ORIGIN = "http://eraati.localhost"
NAMESPACE = "/rooms"
#: eRaati refuses more than 30 events per connection in 10 s (rooms/connections.py).
FLOOD_SAFE_PER_10S = 25

#: The baseline: join a room, rebroadcast each message to it, acknowledge. Same
#: namespace, events and acknowledgements as eRaati, none of its storage or checks.
BARE_SERVER = """
import os
import socketio

queue = os.environ.get("BARE_REDIS_URL")
sio = socketio.Server(
    async_mode="gevent",
    client_manager=socketio.RedisManager(queue) if queue else None,
    cors_allowed_origins="*",
)
app = socketio.WSGIApp(sio)
counter = iter(range(1, 10**9))


@sio.on("connect", namespace="/rooms")
def connect(sid, environ, auth=None):
    return True


@sio.on("join", namespace="/rooms")
def join(sid, data):
    sio.enter_room(sid, data["room"], namespace="/rooms")
    return {"ok": True, "messages": []}


@sio.on("message", namespace="/rooms")
def message(sid, data):
    number = next(counter)
    sio.emit("message", {"id": f"{os.getpid()}-{number}", "body": data["body"]},
             to=data["room"], namespace="/rooms")
    return {"ok": True, "id": number, "duplicate": False}
"""

LETTERS = string.ascii_lowercase


def encode_time(seconds: float) -> str:
    """perf_counter in microseconds as letters: digits would trip the phone check."""
    value, out = int(seconds * 1_000_000), []
    while value:
        value, digit = divmod(value, 26)
        out.append(LETTERS[digit])
    return "".join(reversed(out)) or "a"


def decode_time(text: str) -> float:
    value = 0
    for char in text:
        value = value * 26 + LETTERS.index(char)
    return value / 1_000_000


# --- processes and databases ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One ``gunicorn -k gevent -w 1`` in its own process group (stopped as a group)."""

    def __init__(self, app_spec: str, env: dict, cwd: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-k",
                "gevent",
                "-w",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                # Long-lived websockets would make a graceful stop wait this long.
                "--graceful-timeout",
                "2",
                app_spec,
            ],
            env=env,
            cwd=cwd,
            start_new_session=True,
        )

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server on {self.port} exited")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"nothing listens on {self.port}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the arbiter and its worker (its process group)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.process.pid:  # the process group
                    total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.returncode is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def start_servers(app_spec: str, count: int, env: dict, cwd: Path) -> list[Server]:
    servers = [Server(app_spec, env, cwd) for _ in range(count)]
    try:
        for server in servers:
            server.wait_ready()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def postgres_database() -> tuple[str, callable]:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"eraati_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        admin.dispose()

    return make_url(POSTGRES_ADMIN).set(database=name).render_as_string(False), drop


@dataclass
class Person:
    cookie: str
    csrf: str


def prepare(
    database_url: str, instance: str, clients: int, sessions: int
) -> tuple[list[int], list[Person]]:
    """Migrate; ``sessions`` open sessions (a fresh one per run) with a moderator and
    ``clients - 1`` residents who accepted the ground rules; a signed session cookie
    and CSRF token for each person.

    Signing in 200 people through the sign-in form would bench the form; the cookie
    is what that form would set: Flask's signed session with Flask-Login's user id
    and Flask-WTF's CSRF secret, under the servers' SECRET_KEY.
    """
    import sqlalchemy as sa
    from flask import session as flask_session
    from flask_migrate import upgrade
    from flask_wtf.csrf import generate_csrf

    from eraati import create_app
    from eraati.accounts.models import Role, User
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.panels.models import Membership, Organisation, Panel, PanelRole, Unit
    from eraati.rooms import services
    from eraati.rooms.rules import SessionStatus

    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": instance,
            "SECRET_KEY": SECRET_KEY,
            "PUBLIC_BASE_URL": PUBLIC_ORIGIN,
            "REDIS_URL": None,
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        upgrade(revision="heads")  # other branches may be in flight
        panel = Panel(
            unit=Unit(
                organisation=Organisation(slug="bench", name={"fi": "Bench"}),
                name={"fi": "Yksikkö"},
            ),
            name={"fi": "Asiakasraati"},
        )
        db.session.add(panel)
        users = []
        for number in range(clients):
            user = User(
                email=f"bench{number}@example.fi",
                role=Role.MODERATOR if number == 0 else Role.RESIDENT,
                display_name=f"Osallistuja {number}",
                preferred_language="fi",
            )
            users.append(user)
            db.session.add(
                Membership(
                    panel=panel,
                    user=user,
                    role=PanelRole.MODERATOR if number == 0 else PanelRole.MEMBER,
                )
            )
        db.session.flush()
        # Rooms are named after the session id and Redis pub/sub is shared by every
        # Redis database: a random id keeps other runs' emits out of this room.
        db.session.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('room_sessions', 'id'), :n)"),
            {"n": random.randrange(10**6, 2 * 10**9)},
        )
        now = utcnow()
        rooms = []
        for _ in range(sessions):
            room = services.schedule_session(
                panel,
                title={"fi": "Kuormitustesti"},
                starts_at=now + timedelta(days=4),
                ends_at=now + timedelta(days=4, hours=2),
                now=now,
            )
            room.status = SessionStatus.OPEN
            rooms.append(room)
        for user in users:
            services.accept_rules(panel.id, user.id, now)
        db.session.commit()
        user_ids = [user.id for user in users]
        session_ids = [room.id for room in rooms]
        db.session.remove()
        db.engine.dispose()

    signer = app.session_interface.get_signing_serializer(app)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    people = []
    for user_id in user_ids:
        with app.test_request_context():
            token = generate_csrf()
            secret = flask_session["csrf_token"]
        signed = signer.dumps(
            {"_user_id": str(user_id), "_fresh": True, "csrf_token": secret}
        )
        people.append(Person(cookie=f"{cookie_name}={signed}", csrf=token))
    return session_ids, people


# --- the load -------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    clients: int = 0
    connected: int = 0
    connect_s: float = 0.0
    #: After the last join, until the servers went quiet.
    settle_s: float = 0.0
    sent: int = 0
    acked: int = 0
    refused: dict = field(default_factory=dict)
    expected: int = 0
    delivered: int = 0
    duplicates: int = 0
    latencies: list = field(default_factory=list)
    ack_latencies: list = field(default_factory=list)
    #: CPU seconds of the servers and of this load generator during the sending.
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    #: Arrivals with a lower message id than one the client already had.
    reordered: int = 0
    #: Redis presence entries left after every client disconnected (None: no Redis).
    stale_presence: int | None = None


async def run_load(
    label: str,
    servers: list[Server],
    join_payload,
    people: list[Person] | None,
    args,
) -> Result:
    """Connect ``args.clients`` clients round-robin over ``servers``, join, send,
    drain."""
    import socketio

    urls = [server.url for server in servers]

    result = Result(label=label, clients=args.clients)
    received: list[dict] = [{} for _ in range(args.clients)]
    highest = [0] * args.clients
    clients: list[socketio.AsyncClient] = []

    def on_message(index: int):
        def handle(data):
            now = time.perf_counter()
            body = data.get("body") or ""
            if not body.startswith("bench "):
                return
            key = body.split(" ", 2)[1]
            seen = received[index]
            if key in seen:
                result.duplicates += 1
                return
            seen[key] = now - decode_time(body.rsplit(" ", 1)[1])
            # A resync asks for ids above the highest seen: a lower id arriving later
            # is one a client reconnecting in between would never get.
            if isinstance(data.get("id"), int):
                if data["id"] < highest[index]:
                    result.reordered += 1
                highest[index] = max(highest[index], data["id"])

        return handle

    limit = asyncio.Semaphore(args.connect_concurrency)

    async def connect(index: int):
        client = socketio.AsyncClient(reconnection=False, request_timeout=10)
        client.on("message", on_message(index), namespace=NAMESPACE)
        person = people[index] if people else None
        async with limit:
            await client.connect(
                urls[index % len(urls)],
                headers={"Cookie": person.cookie} if person else {},
                auth={"csrf": person.csrf} if person else None,
                transports=["websocket"],
                namespaces=[NAMESPACE],
                wait_timeout=10,
            )
            ack = await client.call(
                "join", join_payload(), namespace=NAMESPACE, timeout=20
            )
        if not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")
        return client

    started = time.perf_counter()
    outcomes = await asyncio.wait_for(
        asyncio.gather(
            *(connect(index) for index in range(args.clients)), return_exceptions=True
        ),
        timeout=args.connect_timeout,
    )
    result.connect_s = time.perf_counter() - started
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            print(f"  {label}: a client failed to connect: {outcome!r}")
        else:
            clients.append(outcome)
    result.connected = len(clients)
    # Joins tell the room who is present: wait until the servers have sent all that
    # (under 20% of a core for half a second) so the storm is not measured as load.
    settle_until = time.perf_counter() + args.settle
    while time.perf_counter() < settle_until:
        before = sum(server.cpu_seconds() for server in servers)
        await asyncio.sleep(0.5)
        if sum(server.cpu_seconds() for server in servers) - before < 0.1:
            break
    result.settle_s = time.perf_counter() - started - result.connect_s

    # Senders spread over the processes (client i is on urls[i % len(urls)]).
    senders = clients[: args.senders]
    interval = len(senders) / args.rate
    acked_keys: set[str] = set()
    pending: list[asyncio.Task] = []

    async def send_one(client, key: str):
        sent_at = time.perf_counter()
        payload = {
            **join_payload(),
            "client_id": key,
            "body": f"bench {key} {encode_time(sent_at)}",
        }
        try:
            ack = await client.call("message", payload, namespace=NAMESPACE, timeout=10)
        except Exception as error:  # a timeout counts as lost, not as a crash
            result.refused[type(error).__name__] = (
                result.refused.get(type(error).__name__, 0) + 1
            )
            return
        result.ack_latencies.append(time.perf_counter() - sent_at)
        if ack.get("ok"):
            result.acked += 1
            acked_keys.add(key)
        else:
            code = ack.get("error")
            result.refused[code] = result.refused.get(code, 0) + 1

    async def sender(number: int, client):
        # Staggered so that the total rate is steady, not bursts of len(senders).
        next_at = time.perf_counter() + number * interval / len(senders)
        deadline = time.perf_counter() + args.seconds
        sequence = 0
        while next_at < deadline:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            key = f"s{number}x{sequence}"
            result.sent += 1
            pending.append(asyncio.create_task(send_one(client, key)))
            sequence += 1
            next_at += interval

    server_cpu = sum(server.cpu_seconds() for server in servers)
    client_cpu = time.process_time()
    # The load generator's own garbage collection (200 clients, tens of thousands of
    # arrivals recorded) would stall every client at once and be measured as server
    # latency: keep it out of the measured stretch.
    gc.collect()
    gc.freeze()
    gc.disable()  # until every arrival is in (the drain below)
    await asyncio.gather(*(sender(n, c) for n, c in enumerate(senders)))
    if pending:
        await asyncio.wait(pending, timeout=10)
    result.server_cpu = sum(server.cpu_seconds() for server in servers) - server_cpu
    result.client_cpu = time.process_time() - client_cpu

    # Drain: wait until every acknowledged message reached every client, or give up.
    expected = len(acked_keys) * len(clients)
    drain_until = time.perf_counter() + args.drain

    def delivered() -> int:
        return sum(1 for seen in received for key in seen if key in acked_keys)

    while delivered() < expected and time.perf_counter() < drain_until:
        await asyncio.sleep(0.05)
    gc.enable()
    gc.unfreeze()
    result.expected = expected
    result.delivered = delivered()
    result.latencies = [
        latency
        for seen in received
        for key, latency in seen.items()
        if key in acked_keys
    ]

    await asyncio.wait_for(
        asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True),
        timeout=15,
    )
    return result


def bench_eraati(
    label: str, processes: int, env: dict, session_id, people, args, redis=None
) -> Result:
    run_env = dict(env)
    # Several processes need the queue; one may have it too (``redis=True``).
    use_redis = redis or (redis is None and processes > 1)
    if use_redis:
        run_env["ERAATI_REDIS_URL"] = REDIS_URL
    servers = start_servers("wsgi:app", processes, run_env, args.app_root)
    try:
        result = asyncio.run(
            run_load(
                label,
                servers,
                lambda: {"session": session_id, "last_seen": 0},
                people,
                args,
            )
        )
        if use_redis:
            result.stale_presence = leftover_presence(session_id, args.channel)
        return result
    finally:
        for server in servers:
            server.stop()


def leftover_presence(session_id: int, channel: str) -> int:
    """Connections still counted present in Redis after every client disconnected
    (then the session's presence keys are deleted)."""
    import redis

    time.sleep(1.0)  # the servers' disconnect handlers run after the clients left
    client = redis.Redis.from_url(REDIS_URL)
    prefix = f"eraati:{channel}:presence:{session_id}"
    try:
        keys = [prefix, *client.scan_iter(f"{prefix}:*")]
        left = sum(client.hlen(key) for key in keys[1:])
        client.delete(*keys)
        return left
    finally:
        client.close()


def bench_bare(label: str, processes: int, args) -> Result:
    room = f"bench-{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "bare_rooms.py").write_text(BARE_SERVER)
        env = {**os.environ}
        if processes > 1:
            env["BARE_REDIS_URL"] = REDIS_URL
        servers = start_servers("bare_rooms:app", processes, env, Path(folder))
        try:
            return asyncio.run(
                run_load(
                    label,
                    servers,
                    lambda: {"room": room},
                    None,
                    args,
                )
            )
        finally:
            for server in servers:
                server.stop()


# --- report ---------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_table(rows: list[tuple[Result, Result | None]], args) -> None:
    print(
        f"\n{args.clients} clients in one room, {args.senders} senders, "
        f"{args.rate} messages/s for {args.seconds} s; gunicorn -k gevent -w 1 per "
        "process; PostgreSQL; loopback."
    )
    header = (
        "run",
        "conn",
        "conn s",
        "acked",
        "delivered/expected",
        "dup",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "ack p99",
        "p99 vs bare",
    )
    print(f"{header[0]:<30}" + "".join(f"{h:>10}" for h in header[1:4]), end="")
    print(f"{header[4]:>20}" + "".join(f"{h:>9}" for h in header[5:-1]), end="")
    print(f"{header[-1]:>12}")
    for result, bare in rows:
        p99 = percentile(result.latencies, 0.99) * 1000
        ratio = p99 / (percentile(bare.latencies, 0.99) * 1000) if bare else 1.0
        print(
            f"{result.label:<30}{result.connected:>10}{result.connect_s:>10.1f}"
            f"{result.acked:>10}{f'{result.delivered}/{result.expected}':>20}"
            f"{result.duplicates:>9}"
            f"{statistics.median(result.latencies or [math.nan]) * 1000:>9.1f}"
            f"{percentile(result.latencies, 0.95) * 1000:>9.1f}{p99:>9.1f}"
            f"{max(result.latencies or [math.nan]) * 1000:>9.1f}"
            f"{percentile(result.ack_latencies, 0.99) * 1000:>9.1f}{ratio:>12.2f}"
        )
        print(
            f"{'':<30}joins: {result.connect_s:.1f} s, servers busy "
            f"{result.settle_s:.1f} s more"
        )
        print(
            f"{'':<30}CPU while sending: servers {result.server_cpu:.1f} s "
            f"({result.server_cpu / max(result.acked, 1) * 1000:.1f} ms per message), "
            f"load generator {result.client_cpu:.1f} s"
        )
        if result.reordered:
            print(
                f"{'':<30}arrived after a higher message id: {result.reordered} "
                "(a reconnect then would skip them)"
            )
        if result.stale_presence is not None:
            print(
                f"{'':<30}still present in Redis after all clients left: "
                f"{result.stale_presence}"
            )
        if result.refused:
            print(f"{'':<30}refused or failed sends: {result.refused}")
    print(
        "Latency: send (perf_counter before emit) to arrival at each client, all "
        "clients and messages.\nack p99: send to the sender's acknowledgement "
        "(stored, for eRaati). Target: nothing lost, eRaati one process p99 < 50 ms "
        "and within 1.5x of bare."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="messages/s in all")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--connect-concurrency", type=int, default=20)
    parser.add_argument("--connect-timeout", type=float, default=40.0)
    parser.add_argument("--drain", type=float, default=5.0)
    parser.add_argument(
        "--settle", type=float, default=15.0, help="at most, after the joins"
    )
    parser.add_argument(
        "--budget",
        type=int,
        default=None,
        help="whole run, seconds (175; 235 with --single-redis)",
    )
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="run eRaati from this checkout (to compare a change; same schema)",
    )
    parser.add_argument(
        "--single-redis",
        action="store_true",
        help="also run eRaati as one process with the Redis queue (production "
        "with a scheduler process)",
    )
    args = parser.parse_args()
    args.channel = f"eraati-bench-{uuid.uuid4().hex[:8]}"
    if args.budget is None:
        args.budget = 235 if args.single_redis else 175
    args.senders = min(args.senders, args.clients)
    if args.rate / args.senders * 10 > FLOOD_SAFE_PER_10S:
        args.senders = min(args.clients, math.ceil(args.rate * 10 / FLOOD_SAFE_PER_10S))
        print(f"{args.senders} senders, to stay under eRaati's flood limit")

    def out_of_time(signum, frame):
        raise TimeoutError(f"the bench ran over {args.budget} s")

    # One bound for everything; the finally blocks still stop every server.
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.budget)

    url, drop = postgres_database()
    try:
        with tempfile.TemporaryDirectory() as instance:
            session_ids, people = prepare(url, instance, args.clients, sessions=3)
            env = {
                **os.environ,
                "ERAATI_DATABASE_URL": url,
                "ERAATI_INSTANCE_PATH": instance,
                "ERAATI_ASYNC_MODE": "gevent",
                "ERAATI_SCHEDULER": "external",
                "ERAATI_RATELIMIT_ENABLED": "false",
                "ERAATI_SECRET_KEY": SECRET_KEY,
                "ERAATI_PUBLIC_BASE_URL": PUBLIC_ORIGIN,
                # A channel of this run's own: other runs and tests may share Redis.
                "ERAATI_SOCKETIO_CHANNEL": args.channel,
            }
            env.pop("ERAATI_REDIS_URL", None)
            bare_one = bench_bare("bare python-socketio, 1 proc", 1, args)
            ours_one = bench_eraati(
                "eRaati, 1 process", 1, env, session_ids[0], people, args
            )
            bare_two = bench_bare("bare, 2 procs + Redis", 2, args)
            ours_two = bench_eraati(
                "eRaati, 2 processes + Redis", 2, env, session_ids[1], people, args
            )
            rows = [
                (bare_one, None),
                (ours_one, bare_one),
                (bare_two, None),
                (ours_two, bare_two),
            ]
            if args.single_redis:
                ours_redis = bench_eraati(
                    "eRaati, 1 process + Redis",
                    1,
                    env,
                    session_ids[2],
                    people,
                    args,
                    redis=True,
                )
                rows.append((ours_redis, bare_one))
    finally:
        signal.alarm(0)
        drop()
    print_table(rows, args)


if __name__ == "__main__":
    main()
