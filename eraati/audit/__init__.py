"""The audit log: admins see moderator, official and council actions, exports of
personal data, erasures and retention runs; nothing in the app can change it."""

from eraati.audit.services import record

__all__ = ["record"]
