"""Translated error pages (HTML) and error bodies (JSON under /api)."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from eraati.extensions import db

ERROR_TEXTS = {
    400: (
        _l("The request could not be handled"),
        _l("Something in the request was not right. Go back and try again."),
    ),
    403: (
        _l("No access"),
        _l(
            "You do not have access to this page. If you think you should, contact the service."
        ),
    ),
    404: (
        _l("Page not found"),
        _l(
            "We could not find this page. Check the address or start from the front page."
        ),
    ),
    405: (
        _l("The request could not be handled"),
        _l("This page cannot be used that way."),
    ),
    410: (_l("No longer available"), _l("This page or link is no longer available.")),
    413: (
        _l("Too large"),
        _l("What you sent is too large. Make it smaller and try again."),
    ),
    429: (
        _l("Too many attempts"),
        _l(
            "You have tried too many times in a short time. Wait a moment and try again."
        ),
    ),
    503: (
        _l("The service is busy"),
        _l("The service is very busy just now. Wait a moment and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "Something went wrong on our side. Try again in a moment. If it happens again, tell the service."
        ),
    ),
}


def _render_error(code: int, message: str | None = None):
    title, default_message = ERROR_TEXTS.get(code, ERROR_TEXTS[400])
    text = message or str(default_message)
    if request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    ):
        return jsonify(error={"code": code, "title": str(title), "message": text}), code
    return render_template(
        "errors/error.html", code=code, title=title, message=text
    ), code


#: Codes whose ``abort(code, message)`` message is ours, translated, for the reader.
_OWN_MESSAGE_CODES = {400, 403, 404, 409, 410, 422}


def _custom_description(error: HTTPException) -> str | None:
    """The message the code gave to ``abort()``, if any, rather than Werkzeug's.

    Other codes (e.g. 429, whose description is the limit itself) use our text.
    """
    if error.code not in _OWN_MESSAGE_CODES:
        return None
    description = error.description
    if description and description != type(error).description:
        return str(description)
    return None


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        from flask_babel import gettext as _

        return _render_error(
            400,
            _(
                "The form had expired or was sent from elsewhere. Load the page again and resend."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render_error(error.code, _custom_description(error))

    @app.errorhandler(PoolTimeout)
    def overloaded(error: PoolTimeout):
        # Every database connection is busy: a temporary state, not a fault; say so,
        # and nothing was stored (the request never reached the database).
        app.logger.warning("database pool exhausted: %s", error)
        db.session.rollback()
        response = make_response(_render_error(503))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error", exc_info=error)
        db.session.rollback()
        return _render_error(InternalServerError.code)
