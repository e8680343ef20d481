"""Every domain's models, imported in one place so that the metadata (and Alembic's
autogenerate) sees all tables."""

from eraati.accounts.models import ConsentEvent, LoginToken, User
from eraati.mail.models import MailLog
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.rooms.models import (
    AgendaItem,
    GroundRulesAcceptance,
    Idea,
    IdeaStatusChange,
    Message,
    MessageReport,
    ModerationAction,
    Participant,
    RaisedHand,
    RoomSession,
)
from eraati.site.models import AccessibilityFeedback, Page
from eraati.surveys.models import (
    Answer,
    FastFeedbackPoint,
    FollowUp,
    Invitation,
    MonthlySeries,
    OptIn,
    Question,
    Questionnaire,
    QuestionnaireItem,
    Response,
    ResponseDraft,
    Round,
)

__all__ = [
    "AccessibilityFeedback",
    "AgendaItem",
    "GroundRulesAcceptance",
    "Idea",
    "IdeaStatusChange",
    "Message",
    "MessageReport",
    "ModerationAction",
    "Participant",
    "RaisedHand",
    "RoomSession",
    "Answer",
    "FastFeedbackPoint",
    "FollowUp",
    "Invitation",
    "MonthlySeries",
    "OptIn",
    "Question",
    "Questionnaire",
    "QuestionnaireItem",
    "Response",
    "ResponseDraft",
    "Round",
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
