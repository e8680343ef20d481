"""Flask's signed-cookie session, with its signing serializer built once.

Flask builds a new serializer to read the cookie and another to write it, on every
request; building one costs more than signing with it. The serializer depends only
on the keys, so it is kept for the keys in use (a changed key builds a new one).
"""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers: dict[tuple, object] = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # only the current keys
        return serializer
