"""Database connection settings that the ORM cannot express."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
