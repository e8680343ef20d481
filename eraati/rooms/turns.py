"""Fair turns: raised hands, the queue (those who spoke least first), the floor
and rounds in which everyone present speaks in turn. The ordering itself is pure
logic in :mod:`.rules`; this module loads and stores. Services flush; the caller
commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eraati.extensions import db
from eraati.rooms import rules
from eraati.rooms.models import Participant, ParticipantRole, RaisedHand, RoomSession
from eraati.rooms.services import participant_in, participants


def raise_hand(session: RoomSession, participant: Participant, now: datetime) -> bool:
    exists = db.session.scalar(
        select(RaisedHand.id).where(
            RaisedHand.session_id == session.id,
            RaisedHand.participant_id == participant.id,
        )
    )
    if exists is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                RaisedHand(
                    session_id=session.id, participant_id=participant.id, raised_at=now
                )
            )
    except IntegrityError:
        return False
    return True


def lower_hand(session: RoomSession, participant_id: int) -> bool:
    deleted = (
        db.session.query(RaisedHand)
        .filter(
            RaisedHand.session_id == session.id,
            RaisedHand.participant_id == participant_id,
        )
        .delete()
    )
    return bool(deleted)


def queue(
    session: RoomSession, everyone: list[Participant] | None = None
) -> list[Participant]:
    """Raised hands, those who have spoken least first; visitors after residents.

    ``everyone`` (the session's participants, when the caller has them) saves
    loading the hands' participants.
    """
    if everyone is None:
        rows = db.session.execute(
            select(RaisedHand, Participant)
            .join(Participant, Participant.id == RaisedHand.participant_id)
            .where(RaisedHand.session_id == session.id)
        ).all()
    else:
        by_id = {p.id: p for p in everyone}
        rows = [
            (hand, by_id[hand.participant_id])
            for hand in db.session.scalars(
                select(RaisedHand).where(RaisedHand.session_id == session.id)
            )
            if hand.participant_id in by_id
        ]
    people = {p.id: p for _hand, p in rows}
    hands = [
        rules.RaisedHand(participant_id=hand.participant_id, raised_at=hand.raised_at)
        for hand, _p in rows
    ]
    counts = {pid: p.message_count for pid, p in people.items()}
    guests = frozenset(
        pid for pid, p in people.items() if p.role is ParticipantRole.GUEST
    )
    ordered = rules.order_queue(hands, counts, decision_makers=guests)
    return [people[hand.participant_id] for hand in ordered]


def give_floor(session: RoomSession, participant_id: int | None) -> Participant | None:
    """Give the floor to a participant (None takes it back); their hand goes down."""
    if participant_id is None:
        session.floor_holder_id = None
        return None
    target = participant_in(session, participant_id)
    session.floor_holder_id = target.id
    lower_hand(session, target.id)
    db.session.flush()
    return target


def start_round(session: RoomSession, present_ids: set[int]) -> list[int]:
    """Everyone present in turn, those who have spoken least first."""
    # Moderators lead the round; the turns are for everyone else.
    people = [
        p
        for p in participants(session)
        if p.id in present_ids and not p.removed and not p.is_moderator
    ]
    counts = {p.id: p.message_count for p in people}
    guests = frozenset(p.id for p in people if p.role is ParticipantRole.GUEST)
    order = rules.round_order([p.id for p in people], counts, decision_makers=guests)
    session.round_order = order
    session.floor_mode = True
    session.floor_holder_id = order[0] if order else None
    return order


def next_in_round(session: RoomSession, present_ids: set[int]) -> int | None:
    order = list(session.round_order or [])
    if session.floor_holder_id in order:
        had = order[: order.index(session.floor_holder_id) + 1]
    else:
        had = []
    following = rules.next_in_round(order, set(had), present_ids)
    session.floor_holder_id = following
    if following is None:
        session.round_order = []
    return following
