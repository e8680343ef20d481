"""How the "my data" page words an export: sections by pillar, kinds, fields.

The JSON download keeps every field; the page leaves out ids and versions, which
mean nothing to a reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eraati.accounts.consents import CONSENT_TEXTS
from eraati.accounts.forms import ROLE_LABELS
from eraati.accounts.notifications import CATEGORY_LABELS, DELIVERY_LABELS
from eraati.config import LANGUAGES
from eraati.core.i18n import LANGUAGE_NAMES, text_in_reader_language
from eraati.rooms.labels import IDEA_STATUS, PARTICIPANT_ROLE

PILLARS = [
    (
        _l("Your account"),
        None,
        [
            ("account", "account", _l("Profile")),
            ("account", "consents", _l("Consents you gave or withdrew")),
            ("account", "sign_in_links", _l("Sign-in links you asked for")),
            ("notifications", "notification_settings", _l("How notices come")),
            ("notifications", "notification_choices", _l("Notices by email")),
            ("notifications", "waiting_notices", _l("Notices waiting for a digest")),
            ("notifications", "mail_sent", _l("Mail we sent you")),
            ("site", "accessibility_feedback", _l("Accessibility feedback")),
            ("site", "pages_edited", _l("Pages you edited")),
            ("audit", "actions", _l("Your actions in the audit log")),
            ("audit", "about_account", _l("Audit log entries about your account")),
        ],
    ),
    (
        _l("Panels and questionnaires"),
        _l(
            "Your answers to questionnaires are anonymous: they are not linked to you. "
            "That is why they are not here, and why they stay counted if you delete "
            "your account."
        ),
        [
            ("panels", "memberships", _l("Panels you are a member of")),
            ("surveys", "invitations", _l("Questionnaires you were invited to")),
            ("surveys", "drafts", _l("Answers you started but did not send")),
            ("surveys", "opt_ins", _l("Contact details for deeper participation")),
        ],
    ),
    (
        _l("Panel discussions"),
        None,
        [
            ("rooms", "sessions", _l("Sessions you were invited to")),
            ("rooms", "messages", _l("Your messages")),
            ("rooms", "ideas", _l("Ideas you raised")),
            ("rooms", "reports", _l("Messages you reported")),
            ("rooms", "raised_hands", _l("Raised hands")),
            ("rooms", "ground_rules", _l("Ground rules you accepted")),
            ("rooms", "moderation_actions", _l("Your actions as a moderator")),
            ("rooms", "idea_decisions", _l("Idea statuses you changed")),
        ],
    ),
    (
        _l("Participatory budgeting"),
        _l(
            "Voting is secret: a ballot is not linked to anyone. We only know whether "
            "you voted, never how."
        ),
        [
            ("budgeting", "proposals", _l("Your ideas")),
            ("budgeting", "comments", _l("Your comments")),
            ("budgeting", "follows", _l("Ideas and projects you follow")),
            ("budgeting", "voting", _l("Voting")),
            (
                "budgeting",
                "area_representative",
                _l("Areas you follow as a representative"),
            ),
            ("budgeting", "staff_actions", _l("Your work as an official")),
        ],
    ),
]

FIELDS = {
    "email": _l("Email address"),
    "display_name": _l("Name or pseudonym"),
    "name": _l("Name"),
    "phone": _l("Phone number"),
    "role": _l("Role"),
    "preferred_language": _l("Language"),
    "language": _l("Language"),
    "created_at": _l("Date"),
    "last_sign_in_at": _l("Last signed in"),
    "has_password": _l("Has a password"),
    "can_sign_in": _l("Can sign in"),
    "purpose": _l("Consent"),
    "granted": _l("Given"),
    "at": _l("Date"),
    "text_shown": _l("Text you were shown"),
    "expires_at": _l("Valid until"),
    "used_at": _l("Used"),
    "delivery": _l("When notices come"),
    "last_digest_at": _l("Last digest"),
    "category": _l("Kind of notice"),
    "by_email": _l("By email"),
    "subject": _l("Subject"),
    "status": _l("Status"),
    "message": _l("Message"),
    "page_address": _l("Page"),
    "page": _l("Page"),
    "action": _l("Action"),
    "panel": _l("Panel"),
    "joined_at": _l("Since"),
    "round": _l("Questionnaire"),
    "opens_at": _l("Opens"),
    "closes_at": _l("Closes"),
    "sent_at": _l("Invitation sent"),
    "reminded_at": _l("Reminder sent"),
    "answered": _l("Answered"),
    "updated_at": _l("Saved"),
    "answers": _l("Answers"),
    "deeper_surveys": _l("Invite me to deeper questionnaires"),
    "live_sessions": _l("Invite me to live sessions"),
    "last_used_at": _l("Last used"),
    "withdrawn_at": _l("Withdrawn"),
    "session": _l("Session"),
    "starts_at": _l("Starts"),
    "messages_posted": _l("Messages"),
    "muted": _l("Muted"),
    "removed": _l("Removed from the session"),
    "text": _l("Text"),
    "hidden": _l("Hidden by a moderator"),
    "hidden_reason": _l("Why it was hidden"),
    "title": _l("Title"),
    "description": _l("Description"),
    "accepted": _l("Accepted by the moderator"),
    "reason": _l("Reason"),
    "handled": _l("Handled"),
    "process": _l("Participatory budgeting"),
    "area": _l("Area"),
    "estimated_cost": _l("Estimated cost"),
    "has_photo": _l("Has a photo"),
    "outcome_note": _l("What became of it"),
    "eligible": _l("Could vote"),
    "voted": _l("Voted"),
    "comments_hidden": _l("Comments hidden"),
    "paper_ballots_entered": _l("Paper ballots entered"),
    "council_decisions": _l("Council decisions"),
    "project_updates": _l("Project updates"),
}


def _value_labels() -> dict[str, dict[str, object]]:
    return {
        "purpose": {p.value: text.label for p, text in CONSENT_TEXTS.items()},
        "category": {c.value: label for c, label in CATEGORY_LABELS.items()},
        "delivery": {d.value: label for d, label in DELIVERY_LABELS.items()},
        "role": {
            "member": _l("Member"),
            **{r.value: label for r, label in PARTICIPANT_ROLE.items()},
            **ROLE_LABELS,
        },
        "language": LANGUAGE_NAMES,
        "preferred_language": LANGUAGE_NAMES,
    }


#: ``status`` means different things in different kinds of record.
STATUS_LABELS = {
    ("rooms", "ideas"): {status.value: label for status, label in IDEA_STATUS.items()},
    # The same words as the budgeting pages use.
    ("budgeting", "proposals"): {
        "submitted": _l("Waiting to be handled"),
        "linked": _l("Became a project"),
        "rejected": _l("Will not become a project"),
    },
    ("notifications", "mail_sent"): {
        "sent": _l("Sent"),
        "logged": _l("Not sent: no mail server"),
        "failed": _l("Could not be sent"),
    },
}


@dataclass
class Kind:
    title: str
    records: list[list[tuple[str, str]]]


@dataclass
class Section:
    title: str
    note: str | None
    kinds: list[Kind]


def readable(data: dict) -> list[Section]:
    """The export as sections of labelled values, in the reader's language."""
    values = _value_labels()
    sections = []
    for title, note, kinds in PILLARS:
        found = []
        for domain, kind, kind_title in kinds:
            part = data[domain][kind]
            records = [part] if isinstance(part, dict) else part
            shown = [_record(domain, kind, record, values) for record in records]
            if any(shown):
                found.append(Kind(str(kind_title), [r for r in shown if r]))
        sections.append(Section(str(title), str(note) if note else None, found))
    return sections


def _record(domain, kind, record: dict, values) -> list[tuple[str, str]]:
    if kind == "staff_actions" and not any(record.values()):
        return []
    return [
        (str(FIELDS[field]), _shown(domain, kind, field, value, values))
        for field, value in record.items()
        if field in FIELDS and value not in (None, "", {})
    ]


def _shown(domain, kind, field, value, values) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGES):
            return text_in_reader_language(value)
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    labels = STATUS_LABELS.get((domain, kind), {}) if field == "status" else None
    return str((labels or values.get(field, {})).get(value, value))
