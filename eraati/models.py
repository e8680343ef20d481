"""Every domain's models, imported in one place so that the metadata (and Alembic's
autogenerate) sees all tables."""

from eraati.accounts.models import ConsentEvent, LoginToken, User
from eraati.mail.models import MailLog
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.site.models import AccessibilityFeedback, Page

__all__ = [
    "AccessibilityFeedback",
    "ConsentEvent",
    "LoginToken",
    "MailLog",
    "Membership",
    "Organisation",
    "Page",
    "Panel",
    "Unit",
    "User",
]
