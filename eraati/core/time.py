"""Clock and time-zone helpers: the database keeps UTC, people see local time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (the one clock the app reads)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime as UTC (SQLite drops the offset) and normalise to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local(value: datetime, timezone: str) -> datetime:
    """The same instant on the wall clock of ``timezone``."""
    return as_utc(value).astimezone(ZoneInfo(timezone))
