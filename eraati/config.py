"""Configuration: in-code defaults, then ``ERAATI_*`` environment variables, then a
test mapping. Only this module and ``create_app`` read the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

#: Languages every screen is offered in, in the order of the switcher.
LANGUAGES = ("fi", "sv", "en")

DEFAULTS: dict[str, Any] = {
    # Database: a SQLite file in the instance folder unless a URL is given.
    "DATABASE_URL": None,
    #: Connections per process to a server database (PostgreSQL), and how long a
    #: request waits for one before the person is told the service is busy (503).
    "DB_POOL_SIZE": 10,
    "DB_POOL_TIMEOUT": 10,
    "REDIS_URL": None,
    #: The Redis pub/sub channel of Socket.IO (and the prefix of the rooms' presence
    #: keys): one per deployment when several share a Redis.
    "SOCKETIO_CHANNEL": "flask-socketio",
    #: Seconds a live connection counts as present in Redis without its process's
    #: heartbeat: how long a killed process's people linger.
    "PRESENCE_TTL": 30,
    "SECRET_KEY": None,
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "SMTP_TIMEOUT": 10,
    "MAIL_SENDER": "eRaati <noreply@eraati.invalid>",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "DEFAULT_LANGUAGE": "fi",
    "TIMEZONE": "Europe/Helsinki",
    #: "inprocess": `eraati serve` runs the scheduler; "external": `eraati scheduler` does.
    "SCHEDULER": "inprocess",
    #: Socket.IO async mode; gevent in production under gunicorn.
    "ASYNC_MODE": "threading",
    "LOGIN_TOKEN_MINUTES": 30,
    "SIGNIN_RATE_LIMIT": "5 per minute;30 per hour",
    "ACCESSIBILITY_FEEDBACK_EMAIL": None,
    "ORGANISATION_NAME": "eRaati",
    "SECURE_COOKIES": None,
    #: Off only for load tests from one address (bench/); never in production.
    "RATELIMIT_ENABLED": True,
    #: The largest photo a resident may add to a budgeting proposal.
    "PB_PHOTO_MAX_BYTES": 2 * 1024 * 1024,
    #: Officials see an idea highlighted when its status has not changed this long.
    "STALE_IDEA_DAYS": 60,
    #: Retention in days (0 or less: keep forever), applied by the nightly job.
    "RETENTION_OPT_IN_DAYS": 730,  # opt-in contact details not used for this long
    "RETENTION_MAIL_LOG_DAYS": 365,
    "RETENTION_TOKEN_DAYS": 30,  # used or expired sign-in and invitation links
    "RETENTION_TRANSCRIPT_DAYS": 730,  # message texts after a session ended
}

_BOOLEAN_KEYS = {"SMTP_STARTTLS", "SECURE_COOKIES", "RATELIMIT_ENABLED"}
_INTEGER_KEYS = {
    "DB_POOL_SIZE",
    "DB_POOL_TIMEOUT",
    "SMTP_PORT",
    "SMTP_TIMEOUT",
    "LOGIN_TOKEN_MINUTES",
    "PRESENCE_TTL",
    "PB_PHOTO_MAX_BYTES",
    "STALE_IDEA_DAYS",
    "RETENTION_OPT_IN_DAYS",
    "RETENTION_MAIL_LOG_DAYS",
    "RETENTION_TOKEN_DAYS",
    "RETENTION_TRANSCRIPT_DAYS",
}


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read ``ERAATI_<KEY>`` for every known key, converting booleans and integers."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for key in DEFAULTS:
        raw = environ.get(f"ERAATI_{key}")
        if raw is None or raw == "":
            continue
        if key in _BOOLEAN_KEYS:
            values[key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif key in _INTEGER_KEYS:
            values[key] = int(raw)
        else:
            values[key] = raw
    return values


def instance_path(config: dict[str, Any] | None = None) -> str | None:
    """Where the SQLite file and the generated secret key live (None: Flask's default)."""
    return (config or {}).get("INSTANCE_PATH") or os.environ.get("ERAATI_INSTANCE_PATH")


def instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive create: two processes starting at once keep the first key.
        try:
            with open(path, "x", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(48))
            path.chmod(0o600)
        except FileExistsError:
            pass
    return path.read_text(encoding="ascii").strip()


def _engine_options(database_url: str, config: dict[str, Any]) -> dict[str, Any]:
    if database_url.startswith("sqlite"):
        return {}  # a file: no server to drop a connection, nothing to ping
    return {
        # A server may close idle connections (restarts, failover): test each one
        # as it leaves the pool rather than fail the request that gets it.
        "pool_pre_ping": True,
        "pool_size": config["DB_POOL_SIZE"],
        "max_overflow": config["DB_POOL_SIZE"],
        "pool_timeout": config["DB_POOL_TIMEOUT"],
    }


def derived_settings(config: dict[str, Any], instance_path: str) -> dict[str, Any]:
    """Flask and extension settings that follow from the eRaati keys."""
    database_url = config["DATABASE_URL"] or (
        "sqlite:///" + str(Path(instance_path) / "eraati.sqlite")
    )
    https = str(config["PUBLIC_BASE_URL"]).startswith("https://")
    secure = https if config["SECURE_COOKIES"] is None else config["SECURE_COOKIES"]
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url, config),
        "SECRET_KEY": config["SECRET_KEY"] or instance_secret_key(instance_path),
        "BABEL_DEFAULT_LOCALE": config["DEFAULT_LANGUAGE"],
        "BABEL_DEFAULT_TIMEZONE": config["TIMEZONE"],
        # Slow phone surveys must not lose their form: 24 h is past WCAG 2.2.1's 20 h.
        "WTF_CSRF_TIME_LIMIT": 24 * 3600,
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "RATELIMIT_STORAGE_URI": config["REDIS_URL"] or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    }
