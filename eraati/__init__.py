"""eRaati: e-panels, live moderated discussion rooms and participatory budgeting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then ERAATI_* environment, then ``config``."""
    from eraati import config as settings
    from eraati import models  # noqa: F401  (registers every table)
    from eraati.core import database, errors, i18n, security, sessions
    from eraati.extensions import (
        babel,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        socketio,
    )
    from eraati.rooms import broadcast as rooms_broadcast
    from eraati.rooms.events import refuse_reserved_event_names

    app = Flask(
        __name__,
        instance_path=settings.instance_path(config),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_relative_config=True,
    )
    app.config.from_mapping(settings.DEFAULTS)
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    derived = settings.derived_settings(app.config, app.instance_path)
    app.config.update({k: v for k, v in derived.items() if k not in (config or {})})
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "translations")
    app.session_interface = sessions.SessionInterface()

    database.init_app(app)
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    babel.init_app(
        app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone
    )
    csrf.init_app(app)
    limiter.init_app(app)
    _init_login(app, login_manager)
    _register_namespaces(socketio)
    # The extension keeps options between apps; a queue from an earlier app (tests,
    # a CLI run) must not leak into this one.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        # Fan-out across processes goes through Redis when it is configured.
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE", app.config["REDIS_URL"]),
        # One channel per deployment, so that several can share one Redis.
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=[app.config["PUBLIC_BASE_URL"]],
        max_http_buffer_size=64 * 1024,
    )
    refuse_reserved_event_names(socketio.server)
    rooms_broadcast.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)
    _add_template_globals(app)
    _register_cli(app)
    return app


def _init_login(app: Flask, login_manager) -> None:
    from flask_babel import lazy_gettext as _l

    from eraati.accounts.models import User
    from eraati.extensions import db

    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.login_message_category = "info"
    # "strong" would sign out phones whenever they change network.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))


def _register_namespaces(socketio) -> None:
    """A fresh Socket.IO namespace object per app (it holds per-app connection state)."""
    from eraati.rooms.events import NAMESPACE, RoomsNamespace

    rooms = RoomsNamespace(NAMESPACE)
    rooms._set_socketio(socketio)
    # init_app registers these on its new server (on_namespace would bind the old one).
    socketio.namespace_handlers = [
        handler
        for handler in socketio.namespace_handlers
        if handler.namespace != NAMESPACE
    ] + [rooms]


def _register_blueprints(app: Flask) -> None:
    from eraati.accounts.manage import bp as accounts_manage_bp
    from eraati.accounts.notifications import bp as notifications_bp
    from eraati.accounts.views import bp as accounts_bp
    from eraati.audit.views import bp as audit_bp
    from eraati.budgeting.council import bp as budgeting_council_bp
    from eraati.budgeting.follow_up import bp as budgeting_follow_up_bp
    from eraati.budgeting.manage import bp as budgeting_manage_bp
    from eraati.budgeting.views import bp as budgeting_bp
    from eraati.mydata.manage import bp as mydata_manage_bp
    from eraati.mydata.views import bp as mydata_bp
    from eraati.outcomes.views import bp as outcomes_bp
    from eraati.panels.manage import bp as panels_manage_bp
    from eraati.panels.views import bp as panels_bp
    from eraati.rooms.manage import bp as rooms_manage_bp
    from eraati.rooms.views import bp as rooms_bp
    from eraati.site.views import bp as site_bp
    from eraati.surveys.builder import bp as surveys_builder_bp
    from eraati.surveys.manage import bp as surveys_manage_bp
    from eraati.surveys.pool_stop import bp as pool_stop_bp
    from eraati.surveys.results_views import bp as surveys_results_bp
    from eraati.surveys.views import bp as surveys_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(accounts_manage_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(mydata_bp)
    app.register_blueprint(mydata_manage_bp)
    app.register_blueprint(panels_bp)
    app.register_blueprint(panels_manage_bp)
    app.register_blueprint(rooms_bp)
    app.register_blueprint(rooms_manage_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(pool_stop_bp)
    app.register_blueprint(budgeting_bp)
    app.register_blueprint(surveys_builder_bp)
    app.register_blueprint(surveys_manage_bp)
    app.register_blueprint(surveys_results_bp)
    app.register_blueprint(budgeting_manage_bp)
    app.register_blueprint(budgeting_council_bp)
    app.register_blueprint(budgeting_follow_up_bp)
    app.register_blueprint(outcomes_bp)


def _add_template_globals(app: Flask) -> None:
    from eraati.accounts.models import Role
    from eraati.core.forms import first_error, input_attrs
    from eraati.core.urls import template_url_for
    from eraati.surveys.labels import SMILEY_FACES, option_choices, row_choices

    app.jinja_env.globals.update(
        Role=Role,
        input_attrs=input_attrs,
        first_error=first_error,
        option_choices=option_choices,
        row_choices=row_choices,
        smiley_faces=SMILEY_FACES,
        url_for=template_url_for,
    )


def _register_cli(app: Flask) -> None:
    from eraati.cli import register_commands

    register_commands(app)
