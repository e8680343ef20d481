"""Translated texts for the rooms' refusal codes and system notices."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ERRORS = {
    "bad_payload": _l("The message could not be read. Reload the page."),
    "flood": _l("Too many actions in a short time. Wait a moment."),
    "unknown_session": _l("This session does not exist."),
    "not_invited": _l("You are not invited to this session."),
    "not_in_room": _l("Join the session first."),
    "rules_not_accepted": _l("Accept the ground rules before you join."),
    "removed": _l("The moderator has removed you from this session."),
    "closed": _l("The session has ended."),
    "not_open": _l("The session has not started yet."),
    "paused": _l("The moderator has paused the session. Wait a moment."),
    "muted": _l("The moderator has muted you for now."),
    "not_your_turn": _l(
        "Only the person who has the floor can write now. Raise your hand to ask for a turn."
    ),
    "empty": _l("Write something first."),
    "too_long": _l("Your message is too long. Keep it under %(limit)s characters."),
    "slow_mode": _l("Slow mode is on. You can write again in %(seconds)s seconds."),
    "personal_data": _l(
        "Your message seems to contain personal details (%(kinds)s). Talk about health "
        "matters only at a general level. Edit the message, or send it as it is."
    ),
    "not_moderator": _l("Only a moderator can do that."),
    "unknown_action": _l("Unknown action."),
    "unknown_message": _l("That message is not in this session."),
    "unknown_participant": _l("That person is not in this session."),
    "unknown_item": _l("That agenda item is not in this session."),
    "unknown_idea": _l("That idea is not in this session."),
    "reason_required": _l("Give a reason."),
    "title_required": _l("Give the idea a short title."),
    "not_yourself": _l("You cannot do that to yourself."),
    "not_allowed": _l("The idea cannot move to that status."),
    "unchanged": _l("The idea already has that status."),
    "reason_too_long": _l("The reason is too long."),
    "starts_in_past": _l("The session must start in the future."),
    "ends_before_start": _l("The session must end after it starts."),
    "short_notice_reason_required": _l(
        "The session starts in under three days. Give a reason for the short notice: "
        "participants will see it."
    ),
}

KIND_NAMES = {
    "identity_code": _l("personal identity code"),
    "phone": _l("phone number"),
    "email": _l("email address"),
}


def error_text(code: str, details: dict) -> str:
    template = ERRORS.get(code, ERRORS["bad_payload"])
    values = dict(details)
    if "kinds" in values:
        values["kinds"] = ", ".join(str(KIND_NAMES.get(k, k)) for k in values["kinds"])
    try:
        return str(template) % values if values else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template).split("%(")[0].strip()


def identity_code_placeholder() -> str:
    """What stands in the log where an identity code was (no digits allowed)."""
    return _("[identity code removed]")


NOTICES = {
    "open": _l("The session is open."),
    "paused": _l("The moderator paused the session."),
    "closed": _l("The session has ended. Thank you!"),
    "closing": _l("The session will end soon."),
    "floor": _l("%(name)s has the floor."),
}


#: Stands in a stored notice for the name of someone who erased their account
#: (eraati.rooms.personal_data); worded in the reader's language when shown.
REMOVED_NAME = "\x1fremoved"


def notice_name(name: str) -> str:
    return _("removed participant") if name == REMOVED_NAME else name


def notice_text(body: str) -> str:
    """A stored notice (``code`` or ``code\tname``) in the reader's language."""
    code, _tab, name = body.partition("\t")
    name = notice_name(name)
    template = NOTICES.get(code)
    if template is None:
        return ""
    return (
        str(template) % {"name": name} if "%(name)s" in str(template) else str(template)
    )
