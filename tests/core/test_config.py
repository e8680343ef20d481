"""Configuration from the environment, with safe defaults."""

from __future__ import annotations

from pathlib import Path

from eraati import create_app
from eraati.config import from_environment


def test_environment_values_are_read_and_converted():
    values = from_environment(
        {
            "ERAATI_SMTP_PORT": "2525",
            "ERAATI_SMTP_STARTTLS": "yes",
            "ERAATI_DEFAULT_LANGUAGE": "sv",
            "ERAATI_REDIS_URL": "redis://127.0.0.1:6379/0",
            "ERAATI_TIMEZONE": "",
            "OTHER": "x",
        }
    )
    assert values == {
        "SMTP_PORT": 2525,
        "SMTP_STARTTLS": True,
        "DEFAULT_LANGUAGE": "sv",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }


def test_defaults_are_safe(tmp_path, monkeypatch):
    for key in ("ERAATI_DATABASE_URL", "ERAATI_SECRET_KEY", "ERAATI_REDIS_URL"):
        monkeypatch.delenv(key, raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/eraati.sqlite"
    )
    assert app.config["TIMEZONE"] == "Europe/Helsinki"
    assert app.config["DEFAULT_LANGUAGE"] == "fi"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 20 * 3600
    # A secret key is generated once, kept private and reused.
    key_file = Path(tmp_path) / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0
    assert len(app.config["SECRET_KEY"]) >= 40
    again = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("ERAATI_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("ERAATI_SECRET_KEY", "from-env")
    monkeypatch.setenv("ERAATI_REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_wsgi_module_exposes_the_app(monkeypatch, tmp_path):
    import importlib

    monkeypatch.setenv("ERAATI_INSTANCE_PATH", str(tmp_path))
    wsgi = importlib.import_module("wsgi")
    assert wsgi.app.name == "eraati"
