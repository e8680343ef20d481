"""Translated names of session statuses, idea statuses and moderator actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eraati.rooms.models import ParticipantRole
from eraati.rooms.rules import IdeaStatus, SessionStatus

SESSION_STATUS = {
    SessionStatus.SCHEDULED: _l("Coming up"),
    SessionStatus.OPEN: _l("In progress"),
    SessionStatus.PAUSED: _l("Paused"),
    SessionStatus.CLOSED: _l("Ended"),
}

PARTICIPANT_ROLE = {
    ParticipantRole.PARTICIPANT: _l("Participant"),
    ParticipantRole.MODERATOR: _l("Moderator"),
    ParticipantRole.GUEST: _l("Guest"),
}

IDEA_STATUS = {
    IdeaStatus.NEW: _l("New"),
    IdeaStatus.UNDER_CONSIDERATION: _l("Under consideration"),
    IdeaStatus.IN_PROGRESS: _l("In progress"),
    IdeaStatus.DONE: _l("Done"),
    IdeaStatus.NOT_GOING_AHEAD: _l("Not going ahead"),
}

ACTIONS = {
    "open": _l("Opened the session"),
    "pause": _l("Paused the session"),
    "close": _l("Closed the session"),
    "set_item": _l("Changed the agenda item"),
    "pin": _l("Pinned a message"),
    "unpin": _l("Unpinned a message"),
    "hide": _l("Hid a message"),
    "restore": _l("Restored a message"),
    "mute": _l("Muted a participant"),
    "unmute": _l("Unmuted a participant"),
    "remove": _l("Removed a participant"),
    "floor_mode": _l("Changed floor mode"),
    "slow_mode": _l("Changed slow mode"),
    "turn_limit": _l("Changed the turn length limit"),
    "give_floor": _l("Gave the floor"),
    "start_round": _l("Started a round"),
    "next_in_round": _l("Next in the round"),
    "make_idea": _l("Made an idea"),
    "accept_idea": _l("Accepted an idea"),
}


def idea_status(status) -> str:
    return str(IDEA_STATUS.get(IdeaStatus(status), status))


def action(name: str) -> str:
    return str(ACTIONS.get(name, name))
