"""Results of 100 000 responses on SQLite and PostgreSQL: SQL aggregation end to end.

Bulk-inserts a published round of the self-evaluation questionnaire (about eight
answers per response, some free text, an age group), then times, as medians of
``--repeat`` runs: the round's summaries (queries + pure layer), the results page
and its breakdown by age over HTTP (Flask test client), and the CSV exports.
PostgreSQL gets a fresh ``eraati_bench_<random>`` database, dropped at the end.
Not a test; target: summaries under 0.5 s on PostgreSQL.

    .venv/bin/python bench/survey_results_sql.py [--responses 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eraati import create_app  # noqa: E402
from eraati.accounts.models import Role, User  # noqa: E402
from eraati.core.time import utcnow  # noqa: E402
from eraati.extensions import db  # noqa: E402
from eraati.panels.models import Organisation, Panel, Unit  # noqa: E402
from eraati.surveys import queries, services  # noqa: E402
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates  # noqa: E402
from eraati.surveys.models import (  # noqa: E402
    Answer,
    Question,
    Response,
    Round,
    RoundState,
    TextReview,
)

POSTGRES_ADMIN = os.environ.get(
    "ERAATI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
AGREEMENT = ["agree", "somewhat_agree", "somewhat_disagree", "disagree", "cannot_say"]
AGES = ["under-30", "30-64", "65-plus"]
CHUNK = 20_000


def postgres_database() -> tuple[str, Callable[[], None]]:
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"eraati_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        admin.dispose()

    return make_url(POSTGRES_ADMIN).set(database=name).render_as_string(False), drop


def build_app(database_url: str, instance: str):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": instance,
            "SECRET_KEY": "bench",
            "SMTP_HOST": None,
            "SCHEDULER": "external",
            "RATELIMIT_ENABLED": False,
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    return app


def populate(responses: int, seed: int = 2026) -> tuple[int, int, int]:
    """A published round with ``responses`` answers; returns (round, age, official)."""
    unit = Unit(
        organisation=Organisation(slug="bench", name={"fi": "Bench"}),
        name={"fi": "Yksikkö"},
    )
    panel = Panel(unit=unit, name={"fi": "Raati"})
    official = User(email="official@example.fi", role=Role.OFFICIAL)
    db.session.add_all([panel, official])
    questionnaire = ensure_builtin_templates()[SELF_EVALUATION]
    opens = utcnow() - timedelta(days=40)
    round_ = services.schedule_round(
        questionnaire, opens, opens + timedelta(days=30), panel=panel
    )
    round_.state = RoundState.CLOSED
    round_.published_at = opens + timedelta(days=35)
    db.session.commit()
    keys = {item.question.key: item.question for item in questionnaire.items}
    _insert(round_.id, keys, responses, random.Random(seed))
    return round_.id, keys["background-age"].id, official.id


def _insert(round_id: int, questions: dict[str, Question], count: int, rng) -> None:
    """Bulk inserts with explicit ids (a fresh database), in chunks."""
    first = date.today() - timedelta(days=40)
    for start in range(1, count + 1, CHUNK):
        ids = range(start, min(start + CHUNK, count + 1))
        responses = [
            {
                "id": i,
                "round_id": round_id,
                "channel": "paper" if rng.random() < 0.08 else "online",
                "language": "fi",
                "submitted_on": first + timedelta(days=rng.randrange(30)),
            }
            for i in ids
        ]
        answers = [a for i in ids for a in _answers(i, round_id, questions, rng)]
        _bulk(Response.__table__, responses)
        _bulk(Answer.__table__, answers)
    db.session.commit()


def _bulk(table: sa.Table, rows: list[dict]) -> None:
    """COPY on PostgreSQL (ten times faster than INSERT), executemany on SQLite."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    connection = db.session.connection().connection.driver_connection
    names = ", ".join(columns)
    with connection.cursor().copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def _answers(response_id, round_id, questions, rng) -> list[dict]:
    def row(key, **values):
        base = dict.fromkeys(
            ("option_key", "row_key", "number", "text", "text_review", "text_published")
        )
        return base | {
            "response_id": response_id,
            "round_id": round_id,
            "question_id": questions[key].id,
            **values,
        }

    weights = [40, 30, 15, 10, 5]
    rows = [row("panel-meaningful", option_key=rng.choices(AGREEMENT, weights)[0])]
    for statement in questions["panel-ground-rules"].rows:
        option = rng.choices(AGREEMENT, weights)[0]
        rows.append(
            row("panel-ground-rules", row_key=statement["key"], option_key=option)
        )
    score = min(10, max(1, round(rng.gauss(7.5, 1.8))))
    rows.append(row("panel-recommend", option_key=str(score)))
    if rng.random() < 0.05:
        published = rng.random() < 0.5
        rows.append(
            row(
                "panel-what-works",
                text="Hyvä raati",
                text_review=(
                    TextReview.PUBLISHED if published else TextReview.PENDING
                ).value,
                text_published="Hyvä raati" if published else None,
            )
        )
    if rng.random() < 0.8:
        rows.append(row("background-age", option_key=rng.choice(AGES)))
    return rows


def analyse() -> None:
    """Fresh statistics, as autovacuum would have them in production."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median time in seconds (one warm-up run first)."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def get(client, url: str) -> Callable[[], None]:
    def fetch() -> None:
        response = client.get(url, headers={"Accept-Language": "fi"})
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def bench_backend(label: str, database_url: str, args) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as instance:
        app = build_app(database_url, instance)
        start = time.perf_counter()
        with app.app_context():
            round_id, age_id, official_id = populate(args.responses)
            analyse()
            answers = db.session.scalar(sa.select(sa.func.count(Answer.id)))
        print(
            f"{label}: {args.responses:,} responses, {answers:,} answers inserted in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        figures = {}
        with app.test_request_context("/"):
            round_ = db.session.get(Round, round_id)
            figures["summaries (queries + pure layer)"] = timed(
                lambda: queries.round_results(round_), args.repeat
            )
            db.session.remove()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(official_id)
            session["_fresh"] = True
        pages = {
            "results page (HTTP GET)": f"/results/rounds/{round_id}",
            "results page split by age": f"/results/rounds/{round_id}?by={age_id}",
            "aggregates CSV export": f"/results/rounds/{round_id}/aggregates.csv",
            "response rows CSV export": f"/results/rounds/{round_id}/responses.csv",
        }
        for name, url in pages.items():
            figures[name] = timed(get(client, url), args.repeat)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    results: dict[str, dict[str, float]] = {}
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite"
            results["SQLite"] = bench_backend("SQLite", url, args)
    if args.only in (None, "postgresql"):
        url, drop = postgres_database()
        try:
            results["PostgreSQL"] = bench_backend("PostgreSQL", url, args)
        finally:
            drop()
    report(results, args)


def report(results: dict[str, dict[str, float]], args) -> None:
    backends = list(results)
    names = list(next(iter(results.values())))
    print(
        f"\nMedian of {args.repeat} runs, {args.responses:,} responses "
        "(target: summaries < 500 ms on PostgreSQL)"
    )
    print(f"{'':<36}" + "".join(f"{b:>14}" for b in backends))
    for name in names:
        cells = "".join(f"{results[b][name] * 1000:>11.0f} ms" for b in backends)
        print(f"{name:<36}{cells}")


if __name__ == "__main__":
    main()
