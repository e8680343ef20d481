"""Sessions, participants, messages, moderation and ideas (turns: :mod:`.turns`).

Shared by the HTTP views, the Socket.IO handlers and the jobs, so the rules of who may
do what exist once. Services flush; the caller commits (and only then broadcasts).
"""

from __future__ import annotations

import functools
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from eraati.accounts.models import User
from eraati.audit import record
from eraati.extensions import db
from eraati.panels.models import Membership, Panel, PanelRole
from eraati.rooms import rules
from eraati.rooms.models import (
    AgendaItem,
    GroundRulesAcceptance,
    Idea,
    IdeaStatusChange,
    Message,
    MessageKind,
    MessageReport,
    ModerationAction,
    Participant,
    ParticipantRole,
    RaisedHand,
    RoomSession,
)

#: Bump when the ground rules text changes: everyone accepts the new wording once.
GROUND_RULES_VERSION = "2026-11"
#: How many missed messages one resync sends at most (the client asks again).
HISTORY_PAGE = 200


class RoomError(Exception):
    """A refused action; ``code`` is translated by the caller, ``details`` fill it."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


# --- Scheduling and invitations --------------------------------------------------


def schedule_session(
    panel: Panel,
    *,
    title: dict[str, str],
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    short_notice_reason: str | None = None,
    agenda: list[dict[str, str]] = (),
    invite_members: bool = True,
    invite_opt_in_pool: bool = False,
    description: dict[str, str] | None = None,
    material: dict[str, str] | None = None,
    material_url: str | None = None,
) -> RoomSession:
    """A new session; under three days' notice it needs a reason shown to everyone."""
    reason = (short_notice_reason or "").strip() or None
    problem = rules.check_schedule(
        now, starts_at, ends_at, reason, timezone=current_app.config["TIMEZONE"]
    )
    if problem is not None:
        raise RoomError(problem.value)
    session = RoomSession(
        panel=panel,
        title=title,
        description=description or {},
        starts_at=starts_at,
        ends_at=ends_at,
        short_notice_reason=reason if not rules.notice_ok(now, starts_at) else None,
        invite_members=invite_members,
        invite_opt_in_pool=invite_opt_in_pool,
        material=material or {},
        material_url=material_url,
    )
    for position, item_title in enumerate(agenda):
        session.agenda.append(AgendaItem(position=position, title=item_title))
    db.session.add(session)
    db.session.flush()
    sync_participants(session)
    return session


def audience(session: RoomSession) -> list[tuple[User, ParticipantRole]]:
    """Who is invited: members (moderators as moderators) and, if chosen, the pool."""
    from eraati.surveys.models import OptIn

    people: dict[int, tuple[User, ParticipantRole]] = {}
    memberships = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.panel_id == session.panel_id, User.is_active_account.is_(True)
        )
    ).all()
    for user, role in memberships:
        if role is PanelRole.MODERATOR:
            people[user.id] = (user, ParticipantRole.MODERATOR)
        elif session.invite_members:
            people[user.id] = (user, ParticipantRole.PARTICIPANT)
    if session.invite_opt_in_pool:
        pool = db.session.scalars(
            select(User)
            .join(OptIn, OptIn.user_id == User.id)
            .where(
                OptIn.panel_id == session.panel_id,
                OptIn.live_sessions.is_(True),
                OptIn.withdrawn_at.is_(None),
                User.is_active_account.is_(True),
            )
        )
        for user in pool:
            people.setdefault(user.id, (user, ParticipantRole.PARTICIPANT))
    return list(people.values())


def sync_participants(session: RoomSession) -> int:
    """Create a participant row for everyone in the audience not yet invited."""
    existing = set(
        db.session.scalars(
            select(Participant.user_id).where(Participant.session_id == session.id)
        )
    )
    default_language = current_app.config["DEFAULT_LANGUAGE"]
    added = 0
    for user, role in audience(session):
        if user.id in existing:
            continue
        db.session.add(
            Participant(
                session_id=session.id,
                user_id=user.id,
                role=role,
                display_name=user.name_for_display,
                language=user.preferred_language or default_language,
            )
        )
        added += 1
    db.session.flush()
    return added


def invite_guest(session: RoomSession, user: User) -> Participant:
    """Invite a visitor (e.g. a council member) by name to this session."""
    found = participant_of(session, user)
    if found is not None:
        return found
    return _new_participant(session, user, ParticipantRole.GUEST)


def _new_participant(
    session: RoomSession, user: User, role: ParticipantRole
) -> Participant:
    participant = Participant(
        session_id=session.id,
        user_id=user.id,
        role=role,
        display_name=user.name_for_display,
        language=user.preferred_language or current_app.config["DEFAULT_LANGUAGE"],
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def participant_of(session: RoomSession, user) -> Participant | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Participant).where(
            Participant.session_id == session.id, Participant.user_id == user.id
        )
    )


def enter(session: RoomSession, user, now: datetime) -> Participant:
    """The participant row of a person entering the room, or :class:`RoomError`.

    Officials may always enter, as moderators. Everyone must have accepted the
    panel's ground rules.
    """
    participant = participant_of(session, user)
    if participant is None and user.is_authenticated:
        participant = _official_as_moderator(session, user)
    if participant is None:
        raise RoomError("not_invited")
    if participant.removed:
        raise RoomError("removed")
    if not has_accepted_rules(session.panel_id, user.id):
        raise RoomError("rules_not_accepted")
    participant.joined_at = participant.joined_at or now
    return participant


def enter_live(
    session_id: int, user_id: int, now: datetime
) -> tuple[RoomSession, Participant]:
    """:func:`enter` for a live connection that knows its user's id: the session,
    the participant row and the ground rules in one query."""
    accepted = (
        select(GroundRulesAcceptance.id)
        .where(
            GroundRulesAcceptance.panel_id == RoomSession.panel_id,
            GroundRulesAcceptance.user_id == user_id,
            GroundRulesAcceptance.version == GROUND_RULES_VERSION,
        )
        .exists()
    )
    row = db.session.execute(
        select(RoomSession, Participant, accepted)
        .outerjoin(
            Participant,
            (Participant.session_id == RoomSession.id)
            & (Participant.user_id == user_id),
        )
        .where(RoomSession.id == session_id)
    ).first()
    if row is None:
        raise RoomError("unknown_session")
    session, participant, rules_accepted = row
    if participant is None:
        user = db.session.get(User, user_id)
        participant = _official_as_moderator(session, user) if user else None
    if participant is None:
        raise RoomError("not_invited")
    if participant.removed:
        raise RoomError("removed")
    if not rules_accepted:
        raise RoomError("rules_not_accepted")
    if participant.joined_at is None:
        participant.joined_at = now
    return session, participant


def _official_as_moderator(session: RoomSession, user: User) -> Participant | None:
    from eraati.accounts.models import Role

    if not user.has_role(Role.OFFICIAL):
        return None
    return _new_participant(session, user, ParticipantRole.MODERATOR)


def load_live(
    session_id: int, participant_id: int, *, lock: bool = False
) -> tuple[RoomSession | None, Participant | None]:
    """A session and one participant row, fresh, in one query (every live event
    re-checks mute, removal and role on it). ``lock`` takes the session's row lock
    first, as :func:`post_message` needs (ids in commit order)."""
    query = _live_query(lock and _is_postgresql())
    row = db.session.execute(
        query, {"session_id": session_id, "participant_id": participant_id}
    ).first()
    return (row[0], row[1]) if row else (None, None)


# Every live event runs the same few statements: they are built once, with bound
# parameters, rather than once per event (a message is a few milliseconds of work).


@functools.cache
def _live_query(lock: bool):
    query = (
        select(RoomSession, Participant)
        .outerjoin(
            Participant,
            (Participant.session_id == RoomSession.id)
            & (Participant.id == bindparam("participant_id")),
        )
        .where(RoomSession.id == bindparam("session_id"))
        # What events read; the texts (translated JSON) load only if asked for.
        .options(
            load_only(
                RoomSession.panel_id,
                RoomSession.status,
                RoomSession.floor_mode,
                RoomSession.floor_holder_id,
                RoomSession.slow_mode_seconds,
                RoomSession.turn_length_limit,
                RoomSession.current_item_id,
                RoomSession.round_order,
            )
        )
    )
    return query.with_for_update(of=RoomSession) if lock else query


def has_accepted_rules(panel_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(
            select(GroundRulesAcceptance.id).where(
                GroundRulesAcceptance.panel_id == panel_id,
                GroundRulesAcceptance.user_id == user_id,
                GroundRulesAcceptance.version == GROUND_RULES_VERSION,
            )
        )
        is not None
    )


def accept_rules(panel_id: int, user_id: int, now: datetime) -> None:
    if not has_accepted_rules(panel_id, user_id):
        db.session.add(
            GroundRulesAcceptance(
                panel_id=panel_id,
                user_id=user_id,
                version=GROUND_RULES_VERSION,
                accepted_at=now,
            )
        )
        db.session.flush()


# --- Messages -------------------------------------------------------------------


def room_state(session: RoomSession) -> rules.RoomState:
    return rules.RoomState(
        status=session.status,
        floor_mode=session.floor_mode,
        floor_holder_id=session.floor_holder_id,
        slow_mode_seconds=session.slow_mode_seconds,
        turn_length_limit=session.turn_length_limit,
    )


def poster(participant: Participant) -> rules.Poster:
    return rules.Poster(
        participant_id=participant.id,
        is_moderator=participant.is_moderator,
        muted=participant.muted,
        removed=participant.removed,
        last_posted_at=participant.last_posted_at,
    )


def post_message(
    session: RoomSession,
    participant: Participant,
    client_id: str,
    body: str,
    now: datetime,
    *,
    personal_data_confirmed: bool = False,
    identity_code_placeholder: str = "[…]",
    locked: bool = False,
) -> tuple[Message, bool]:
    """Store a message; returns it and whether it is new (False: a resend).

    A message with personal data is refused with the kinds found until the sender
    confirms; a valid identity code is replaced even then, never stored in clear.
    ``locked``: the caller loaded the session with :func:`load_live` ``lock=True``.
    """
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise RoomError("bad_payload")
    if not locked:
        _lock_session(session, participant)
    text = rules.clean_body(body if isinstance(body, str) else "")
    decision = rules.may_post(room_state(session), poster(participant), now, text)
    findings = rules.find_personal_data(text) if decision else ()
    if not decision or (findings and not personal_data_confirmed):
        # A resend of a stored message is answered as stored, whatever the rules
        # say now (slow mode would refuse the very message it already has).
        existing = _message_by_client_id(session.id, client_id)
        if existing is not None:
            return existing, False
    if not decision:
        raise RoomError(
            decision.reason.value, seconds=decision.seconds_left, limit=decision.limit
        )
    if findings and not personal_data_confirmed:
        raise RoomError("personal_data", kinds=sorted({f.kind for f in findings}))
    text = rules.redact_identity_codes(text, identity_code_placeholder)
    message = _insert_once(
        session_id=session.id,
        participant_id=participant.id,
        client_id=client_id,
        kind=MessageKind.MESSAGE,
        body=text,
        agenda_item_id=session.current_item_id,
        created_at=now,
    )
    if message is None:
        # The same client id is stored already (a resend, or a race from another
        # connection): that one counts.
        return _message_by_client_id(session.id, client_id), False
    _count_message(participant, now)
    return message, True


def _count_message(participant: Participant, now: datetime) -> None:
    """One more message, counted in SQL (two connections of one person cannot lose
    a count); the loaded row is updated to match without another flush."""
    db.session.execute(_count_statement(), {"participant": participant.id, "at": now})
    set_committed_value(participant, "message_count", participant.message_count + 1)
    set_committed_value(participant, "last_posted_at", now)


@functools.cache
def _count_statement():
    table = Participant.__table__
    return (
        table.update()
        .where(table.c.id == bindparam("participant"))
        .values(message_count=table.c.message_count + 1, last_posted_at=bindparam("at"))
    )


def _insert_once(**values) -> Message | None:
    """INSERT ... ON CONFLICT (session_id, client_id) DO NOTHING RETURNING the row:
    one statement, and no savepoint, for the common case of a new message. None
    when that client id is stored already."""
    return db.session.scalars(_insert_statement(_is_postgresql()), values).first()


_INSERTED = (
    "session_id",
    "participant_id",
    "client_id",
    "kind",
    "body",
    "agenda_item_id",
    "created_at",
)


@functools.cache
def _insert_statement(postgres: bool):
    # A table INSERT whose returned row the ORM loads as a Message: lighter than
    # the ORM's own INSERT, built for many rows at a time.
    dialect = postgresql if postgres else sqlite
    table = Message.__table__
    insert = (
        dialect.insert(table)
        .values({name: bindparam(name) for name in _INSERTED})
        .on_conflict_do_nothing(index_elements=["session_id", "client_id"])
        .returning(*table.c)
    )
    return select(Message).from_statement(insert)


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _lock_session(session: RoomSession, participant: Participant | None = None) -> None:
    """Serialise a session's inserts on PostgreSQL so that ids follow commit order.

    Clients resync with "everything after the last id I saw"; if a lower id could
    commit after a higher one, a reconnecting client would never get it. (SQLite
    already allows one writer at a time.) With ``participant``, the session and the
    participant are read again under the lock (pending changes are flushed first),
    so that the rules see what the previous writer committed.
    """
    if not _is_postgresql():
        return
    if participant is None:
        db.session.execute(
            select(RoomSession.id).where(RoomSession.id == session.id).with_for_update()
        )
        return
    db.session.execute(
        _live_query(True),
        {"session_id": session.id, "participant_id": participant.id},
        execution_options={"populate_existing": True},
    )


def _message_by_client_id(session_id: int, client_id: str) -> Message | None:
    return db.session.scalar(
        select(Message).where(
            Message.session_id == session_id, Message.client_id == client_id
        )
    )


def notice(
    session: RoomSession,
    code: str,
    now: datetime,
    actor: Participant | None = None,
    *,
    once_as: str | None = None,
) -> Message | None:
    """A system line in the log: a code (``open``, ``floor\tName``...) that every
    reader sees in their own language.

    ``once_as`` names a notice that may exist only once per session (a job's):
    None is returned when it exists already.
    """
    _lock_session(session)
    return _insert_once(
        session_id=session.id,
        participant_id=actor.id if actor else None,
        client_id=once_as or f"notice-{secrets.token_hex(8)}",
        kind=MessageKind.NOTICE,
        body=code,
        agenda_item_id=session.current_item_id,
        created_at=now,
    )


def history(
    session: RoomSession, after_id: int = 0, limit: int = HISTORY_PAGE
) -> list[Message]:
    """Messages after ``after_id`` in order (the resync after a reconnect)."""
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.session_id == session.id, Message.id > after_id)
            .options(joinedload(Message.participant))
            .order_by(Message.id)
            .limit(limit)
        )
    )


def participants(session: RoomSession) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.session_id == session.id)
            .order_by(Participant.id)
        )
    )


def participant_in(session: RoomSession, participant_id) -> Participant:
    if not isinstance(participant_id, int):
        raise RoomError("bad_payload")
    target = db.session.get(Participant, participant_id)
    if target is None or target.session_id != session.id:
        raise RoomError("unknown_participant")
    return target


# --- Moderation -----------------------------------------------------------------

MODERATOR_ACTIONS = {
    "open",
    "pause",
    "close",
    "set_item",
    "pin",
    "unpin",
    "hide",
    "restore",
    "mute",
    "unmute",
    "remove",
    "floor_mode",
    "slow_mode",
    "turn_limit",
    "give_floor",
    "start_round",
    "next_in_round",
    "make_idea",
    "accept_idea",
}


def require_moderator(participant: Participant) -> None:
    if not participant.is_moderator:
        raise RoomError("not_moderator")


def log(
    session: RoomSession,
    actor: Participant,
    action: str,
    target_id=None,
    reason=None,
    now=None,
):
    db.session.add(
        ModerationAction(
            session_id=session.id,
            actor_id=actor.id,
            action=action,
            target_id=target_id,
            reason=reason,
            **({"created_at": now} if now else {}),
        )
    )
    record(f"room.{action}", session, actor=actor.user, target=target_id)


def set_status(session: RoomSession, status: rules.SessionStatus) -> None:
    if session.status is rules.SessionStatus.CLOSED:
        raise RoomError("closed")
    session.status = status
    if status is rules.SessionStatus.CLOSED:
        session.floor_holder_id = None
        db.session.query(RaisedHand).filter(
            RaisedHand.session_id == session.id
        ).delete()


def set_agenda_item(session: RoomSession, item_id) -> AgendaItem | None:
    if item_id is None:
        session.current_item_id = None
        return None
    item = db.session.get(AgendaItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.session_id != session.id:
        raise RoomError("unknown_item")
    session.current_item_id = item.id
    return item


def message_in(session: RoomSession, message_id) -> Message:
    message = (
        db.session.get(Message, message_id) if isinstance(message_id, int) else None
    )
    if message is None or message.session_id != session.id:
        raise RoomError("unknown_message")
    return message


def hide_message(session: RoomSession, message_id, reason: str) -> Message:
    reason = (reason or "").strip()
    if not reason:
        raise RoomError("reason_required")
    message = message_in(session, message_id)
    message.hidden = True
    message.hidden_reason = reason[:500]
    message.pinned = False
    return message


def restore_message(session: RoomSession, message_id) -> Message:
    message = message_in(session, message_id)
    message.hidden = False
    message.hidden_reason = None
    return message


def report_message(
    session: RoomSession, reporter: Participant, message_id, reason: str
) -> MessageReport:
    message = message_in(session, message_id)
    found = db.session.scalar(
        select(MessageReport).where(
            MessageReport.message_id == message.id,
            MessageReport.reporter_id == reporter.id,
        )
    )
    if found is not None:
        return found, False
    found = MessageReport(
        message_id=message.id, reporter_id=reporter.id, reason=(reason or "")[:500]
    )
    db.session.add(found)
    db.session.flush()
    return found, True


# --- Ideas ----------------------------------------------------------------------


def make_idea(
    session: RoomSession,
    title: str,
    *,
    message_id=None,
    suggested_by: Participant | None = None,
    accepted: bool = True,
    now: datetime,
) -> Idea:
    title = " ".join((title or "").split())
    if not title:
        raise RoomError("title_required")
    if message_id is not None:
        message_in(session, message_id)
    idea = Idea(
        panel_id=session.panel_id,
        session_id=session.id,
        message_id=message_id,
        title=title[:300],
        accepted=accepted,
        suggested_by_id=suggested_by.id if suggested_by else None,
        status_changed_at=now,
    )
    idea.history.append(IdeaStatusChange(status=rules.IdeaStatus.NEW, changed_at=now))
    db.session.add(idea)
    db.session.flush()
    return idea


def change_idea_status(
    idea: Idea, status: str, reason: str | None, actor: User | None, now: datetime
) -> IdeaStatusChange:
    """Move an idea on; stopping needs a reason. Participants are told by the caller."""
    try:
        target = rules.IdeaStatus(status)
    except ValueError as error:
        raise RoomError("not_allowed") from error
    reason = (reason or "").strip() or None
    problem = rules.check_idea_transition(idea.status, target, reason)
    if problem is not None:
        raise RoomError(problem.value)
    change = IdeaStatusChange(
        status=target,
        reason=reason,
        changed_by_id=actor.id if actor else None,
        changed_at=now,
    )
    idea.history.append(change)
    record("idea.status_changed", idea, actor=actor, status=target)
    idea.status = target
    idea.status_changed_at = now
    db.session.flush()
    return change
