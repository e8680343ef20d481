"""Flask's signed-cookie session, built once and written without compression.

Flask builds a new serializer to read the cookie and another to write it, on every
request, and building one costs more than signing with it. The serializer depends
only on the keys, so it is kept for the keys in use (a changed key builds anew).

It also tries to compress every cookie it writes. A session here is a few hundred
bytes, which compression barely shortens, while zlib sets up and clears a quarter
of a megabyte of state each time. Cookies are written plain; compressed ones (from
before) are still read.
"""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer


class PlainCookieSerializer(URLSafeTimedSerializer):
    def dump_payload(self, obj) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers: dict[tuple, PlainCookieSerializer] = {}

    def get_signing_serializer(self, app) -> PlainCookieSerializer | None:
        if not app.secret_key:
            return None
        # itsdangerous signs with the last key and also accepts the earlier ones.
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = PlainCookieSerializer(
                list(keys),
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs={
                    "key_derivation": self.key_derivation,
                    "digest_method": self.digest_method,
                },
            )
            self._serializers = {keys: serializer}  # only the current keys
        return serializer
