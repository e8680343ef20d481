"""Database connection settings that the ORM cannot express, and reading a page's
data without a transaction."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from eraati.extensions import db


def init_app(_app) -> None:
    """Apply the connection settings to every engine (once per process)."""
    if not event.contains(Engine, "connect", _configure_sqlite):
        event.listen(Engine, "connect", _configure_sqlite)


def _configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys (cascades), write-ahead log, wait on locks.

    WAL lets readers work while one writer commits, and costs one fsync per commit;
    ``synchronous=FULL`` keeps every acknowledged answer on disk.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA foreign_keys=ON",
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA busy_timeout=10000",
    ):
        cursor.execute(pragma)
    cursor.close()


def read_without_transaction() -> None:
    """A page that is only shown needs no transaction: reading in autocommit saves
    PostgreSQL's BEGIN and ROLLBACK round trips on every page view. (Only before
    anything else has used the session in this request.)

    SQLite's driver begins a transaction only before a write, so there is nothing
    to save there, and switching the connection's isolation level (and back when it
    returns to the pool) would only cost time.
    """
    session = db.session()
    if (
        session.get_transaction() is None
        and session.get_bind().dialect.name != "sqlite"
    ):
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
