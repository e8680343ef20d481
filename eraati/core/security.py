"""Access rules for views, safe redirects and the HTTP security headers."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        # Older Safari does not count WebSockets as 'self'.
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def role_required(*roles):
    """Let in signed-in people with one of ``roles`` (admins always); 403 for others."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from eraati.extensions import login_manager

                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


def safe_next_path(target: str | None, default: str = "/") -> str:
    """A local path to go to after signing in; anything else (open redirect) → default."""
    if not target or len(target) > 500:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return default
    if target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target


def init_app(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        # A view may set its own; one pass over the few headers present, as each
        # lookup of a missing header raises and catches an exception inside.
        present = {name.lower() for name, _value in response.headers}
        for header, value in SECURITY_HEADERS.items():
            if header.lower() not in present:
                response.headers.add(header, value)
        secure = request.is_secure or app.config["SESSION_COOKIE_SECURE"]
        if secure and "strict-transport-security" not in present:
            response.headers.add(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
