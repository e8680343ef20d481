"""Ballots over HTTP at a steady rate: gunicorn (gevent) on PostgreSQL, vote codes.

Every voter follows the real flow with its own cookies and the CSRF token of each
page: GET the code page, POST a vote code, GET the ballot, POST the choices, GET
the review page, POST the confirmation (the ballot is cast). Voters arrive at a
fixed rate whatever the server does (an open loop, as real voters would), from
several client processes. At the end the database is counted: every acknowledged
ballot must be stored, no code used twice, no ballot stored twice. Not a test.

    .venv/bin/python bench/pb_submit.py [--rate 200] [--seconds 60] [--workers 1]
        [--clients 2] [--projects 12]

The server runs as production does (gunicorn -k gevent, one process per worker,
ERAATI_ASYNC_MODE=gevent, the scheduler apart) with rate limits off, since every
voter here comes from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cpu import cpu_by_process, cpu_seconds, postgres_pids, process_tree  # noqa: E402
from survey_submit import (  # noqa: E402
    BIN,
    ROOT,
    free_port,
    percentile,
    postgres_database,
    wait_for_port,
)

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STEPS = ("code page", "code", "ballot page", "ballot", "review page", "cast")


def fixture(voters: int, projects: int) -> None:
    """Run in a child process: a process in the voting phase, one area, codes.

    Prints one JSON line: the process id, the projects (id, cost), the area budget
    and the vote codes.
    """
    from decimal import Decimal

    from eraati import create_app
    from eraati.budgeting import voting
    from eraati.budgeting.models import (
        Area,
        BallotType,
        Phase,
        Process,
        Project,
        ProjectStatus,
    )
    from eraati.extensions import db

    app = create_app()
    with app.app_context():
        budget = Decimal(100_000)
        process = Process(
            year=2026,
            title={"fi": "Bench", "sv": "Bench", "en": "Bench"},
            total_budget=budget,
            phase=Phase.VOTING,
            ballot_type=BallotType.APPROVAL_BUDGET,
        )
        area = Area(process=process, name={"fi": "Koko kaupunki"}, budget=budget)
        db.session.add_all([process, area])
        db.session.flush()
        rows = [
            Project(
                process_id=process.id,
                area_id=area.id,
                external_id=str(number),
                title={"fi": f"Hanke {number}", "en": f"Project {number}"},
                cost=Decimal(5_000 + 2_500 * number),
                status=ProjectStatus.ON_BALLOT,
            )
            for number in range(projects)
        ]
        db.session.add_all(rows)
        db.session.flush()
        codes = voting.generate_codes(process, area, voters)
        db.session.commit()
        print(
            json.dumps(
                {
                    "process": process.id,
                    "budget": str(budget),
                    "projects": [[p.id, str(p.cost)] for p in rows],
                    "codes": codes,
                }
            )
        )


def choices(projects: list[list], budget: float, rng: random.Random) -> list[str]:
    """A random set of projects that fits the budget (maybe none: a blank vote)."""
    picked, total = [], 0.0
    for project_id, cost in rng.sample(projects, rng.randint(0, len(projects))):
        if total + float(cost) <= budget:
            picked.append(str(project_id))
            total += float(cost)
    return picked


async def vote(base: str, http, plan: dict, code: str, rng: random.Random) -> dict:
    """One voter, start to finish; what happened and how long each step took."""
    import aiohttp

    path = f"/pb/{plan['process']}"
    timings: list[float] = []
    outcome = {"code": code, "cast": False, "status": None, "timings": timings}
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(
        base, connector=http, connector_owner=False, cookie_jar=jar
    ) as session:

        async def step(method: str, url: str, form=None, expect=200) -> str:
            started = time.perf_counter()
            async with session.request(
                method, url, data=form, allow_redirects=False
            ) as response:
                text = await response.text()
                timings.append(time.perf_counter() - started)
                if response.status != expect:
                    outcome["status"] = f"{STEPS[len(timings) - 1]}: {response.status}"
                    raise LookupError
                return text if expect == 200 else response.headers["Location"]

        def token(page: str) -> str:
            return CSRF.search(page).group(1)

        try:
            page = await step("GET", f"{path}/vote")
            form = {"csrf_token": token(page), "code": code, "action": "code"}
            await step("POST", f"{path}/vote", form, expect=302)
            page = await step("GET", f"{path}/ballot")
            picked = choices(plan["projects"], float(plan["budget"]), rng)
            form = [("csrf_token", token(page)), ("action", "review")]
            form += [("project", project) for project in picked]
            await step("POST", f"{path}/ballot", form, expect=302)
            page = await step("GET", f"{path}/confirm")
            where = await step(
                "POST", f"{path}/confirm", {"csrf_token": token(page)}, expect=302
            )
            outcome["cast"] = where.endswith("/thanks")
            outcome["status"] = "ok" if outcome["cast"] else f"cast went to {where}"
        except LookupError:
            pass
        except (aiohttp.ClientError, TimeoutError) as error:
            outcome["status"] = f"{STEPS[len(timings)]}: {type(error).__name__}"
    return outcome


async def client(port: int, plan: dict, codes: list[str], rate: float) -> list[dict]:
    """Start one voter every 1/rate seconds, whatever the answers take."""
    import aiohttp

    rng = random.Random(codes[0] if codes else 0)
    timeout = aiohttp.ClientTimeout(total=60)
    http = aiohttp.TCPConnector(limit=512)
    voters = []
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=http, timeout=timeout):
        for number, code in enumerate(codes):
            delay = started + number / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            began = time.perf_counter()
            task = asyncio.create_task(
                vote(f"http://127.0.0.1:{port}", http, plan, code, rng)
            )
            voters.append((began, task))
        results = []
        for began, task in voters:
            outcome = await task
            outcome["began"] = began
            outcome["ended"] = began + sum(outcome["timings"])
            results.append(outcome)
    await http.close()
    return results


def run_client(port: int, plan_file: str, first: int, count: int, rate: float):
    plan = json.loads(Path(plan_file).read_text())
    codes = plan["codes"][first : first + count]
    results = asyncio.run(client(port, plan, codes, rate))
    print(json.dumps(results))


def count_stored(database_url: str, process_id: int) -> tuple[int, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        ballots = connection.execute(
            sa.text("SELECT count(*) FROM pb_ballots WHERE process_id = :p"),
            {"p": process_id},
        ).scalar()
        used = connection.execute(
            sa.text(
                "SELECT count(*) FROM pb_vote_codes WHERE process_id = :p AND used"
            ),
            {"p": process_id},
        ).scalar()
    engine.dispose()
    return ballots, used


def gunicorn(port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "-k", "gevent", "-w", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    wait_for_port(port)
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="voters per second")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--projects", type=int, default=12)
    parser.add_argument("--fixture", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--client", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fixture is not None:
        return fixture(args.fixture, args.projects)
    if args.client:
        port, plan_file, first, count, rate = args.client
        return run_client(int(port), plan_file, int(first), int(count), float(rate))
    voters = round(args.rate * args.seconds)
    database_url, drop = postgres_database()
    try:
        with tempfile.TemporaryDirectory() as instance:
            env = {
                **os.environ,
                "ERAATI_DATABASE_URL": database_url,
                "ERAATI_INSTANCE_PATH": instance,
                "ERAATI_ASYNC_MODE": "gevent",
                "ERAATI_SCHEDULER": "external",
                "ERAATI_RATELIMIT_ENABLED": "false",
                "ERAATI_SECRET_KEY": "bench",
            }
            report(run(args, voters, env, database_url, Path(instance)), args)
    finally:
        drop()


def run(args, voters: int, env: dict, database_url: str, folder: Path) -> dict:
    subprocess.run(
        [str(BIN / "eraati"), "db", "upgrade", "heads"],
        env=env,
        check=True,
        capture_output=True,
    )
    this = [sys.executable, str(Path(__file__).resolve())]
    made = subprocess.run(
        [*this, "--fixture", str(voters + 1), "--projects", str(args.projects)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    plan = json.loads(made.stdout.strip().splitlines()[-1])
    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(plan))
    port = free_port()
    server = gunicorn(port, args.workers, env)
    try:
        # Warm up each worker (imports, templates, connections) with one voter.
        warm = plan["codes"].pop()
        plan_file.write_text(json.dumps(plan))
        warmed = sum(r["cast"] for r in asyncio.run(client(port, plan, [warm], 1.0)))
        share = -(-voters // args.clients)
        servers = process_tree(server.pid)
        cpu_before = cpu_seconds(servers), cpu_by_process(postgres_pids())
        clients_before = os.times()
        children = [
            subprocess.Popen(
                [
                    *this,
                    "--client",
                    str(port),
                    str(plan_file),
                    str(first),
                    str(min(share, voters - first)),
                    str(args.rate / args.clients),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for first in range(0, voters, share)
        ]
        results = []
        for child in children:
            out, _ = child.communicate()
            results += json.loads(out)
        clients_after = os.times()
        cpu = {
            "server": cpu_seconds(servers) - cpu_before[0],
            # Backends opened during the run count from zero.
            "database": sum(
                seconds - cpu_before[1].get(pid, 0.0)
                for pid, seconds in cpu_by_process(postgres_pids()).items()
            ),
            "clients": clients_after.children_user
            + clients_after.children_system
            - clients_before.children_user
            - clients_before.children_system,
        }
    finally:
        server.terminate()
        server.wait(timeout=20)
    stored, used = count_stored(database_url, plan["process"])
    return {
        "results": results,
        "stored": stored - warmed,
        "used": used - warmed,
        "cpu": cpu,
    }


def report(found: dict, args) -> None:
    results = found["results"]
    cast = [r for r in results if r["cast"]]
    first = min(r["began"] for r in results)
    last = max(r["ended"] for r in results)
    offered = len(results) / (max(r["began"] for r in results) - first or 1)
    problems: dict[str, int] = {}
    for r in results:
        if not r["cast"]:
            problems[r["status"]] = problems.get(r["status"], 0) + 1
    print(
        f"\n{args.rate:g} voters/s for {args.seconds:g} s, gunicorn -k gevent"
        f" -w {args.workers}, PostgreSQL, {args.clients} client processes"
    )
    print(f"submitted (voters started)   {len(results):>8}")
    print(f"acknowledged (cast, 302)     {len(cast):>8}")
    print(f"stored ballots               {found['stored']:>8}")
    print(f"vote codes used              {found['used']:>8}")
    lost = len(cast) - found["stored"]
    print(f"lost (acknowledged, not stored) {max(lost, 0):>5}")
    print(f"doubled (stored, not once)   {max(found['stored'] - found['used'], 0):>8}")
    for status, number in sorted(problems.items()):
        print(f"  not cast: {status}: {number}")
    print(f"arrivals offered     {offered:>8.1f} voters/s")
    print(
        f"ballots cast         {len(cast) / (last - first):>8.1f} per s (first start to last answer)"
    )
    if not cast:
        return
    per_ballot = {
        part: seconds / len(cast) * 1000 for part, seconds in found["cpu"].items()
    }
    print(
        "CPU per ballot cast   "
        + ", ".join(f"{part} {ms:.1f} ms" for part, ms in per_ballot.items())
        + f"; this machine's {os.cpu_count()} cores allow at most"
        f" {os.cpu_count() * 1000 / sum(per_ballot.values()):.0f} ballots/s at that cost"
    )
    whole = [sum(r["timings"]) for r in cast]
    posts = [r["timings"][-1] for r in cast]
    every = [t for r in cast for t in r["timings"]]
    print(f"{'latency ms':<24}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    for label, values in (
        ("cast (confirm POST)", posts),
        ("any one request", every),
        ("whole vote (6 requests)", whole),
    ):
        print(
            f"{label:<24}{statistics.median(values) * 1000:>8.1f}"
            f"{percentile(values, 0.95) * 1000:>8.1f}"
            f"{percentile(values, 0.99) * 1000:>8.1f}{max(values) * 1000:>8.1f}"
        )


if __name__ == "__main__":
    main()
