"""What a session's summary starts from: agenda, ideas raised and participation."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from eraati.config import LANGUAGES
from eraati.extensions import db
from eraati.rooms import labels
from eraati.rooms.models import AgendaItem, Idea, Message, MessageKind, RoomSession


@dataclass(frozen=True)
class Participation:
    """Who took part: people who posted, messages in all and per agenda item."""

    people: int
    messages: int
    #: (agenda item or None for "outside the agenda", messages), in agenda order.
    per_item: list[tuple[AgendaItem | None, int]]


def participation(session: RoomSession) -> Participation:
    """Participation counts of a session (system notices are not messages)."""
    posted = (Message.session_id == session.id, Message.kind == MessageKind.MESSAGE)
    people = db.session.scalar(
        select(func.count(func.distinct(Message.participant_id))).where(*posted)
    )
    counts = dict(
        db.session.execute(
            select(Message.agenda_item_id, func.count())
            .where(*posted)
            .group_by(Message.agenda_item_id)
        ).all()
    )
    per_item = [(item, counts.pop(item.id, 0)) for item in session.agenda]
    # Items removed since keep their messages; count them as outside the agenda.
    outside = sum(counts.values())
    if outside:
        per_item.append((None, outside))
    return Participation(people or 0, sum(n for _item, n in per_item), per_item)


def ideas_raised(session: RoomSession) -> list[Idea]:
    return list(
        db.session.scalars(
            select(Idea)
            .where(Idea.session_id == session.id, Idea.accepted.is_(True))
            .order_by(Idea.id)
        )
    )


def drafts(session: RoomSession) -> dict[str, str]:
    """A first version of the summary in every language, for the moderator to edit."""
    context = {
        "session": session,
        "stats": participation(session),
        "ideas": ideas_raised(session),
        "idea_labels": labels.IDEA_STATUS,
    }
    texts = {}
    for language in LANGUAGES:
        with force_locale(language):
            texts[language] = render_template(
                "rooms/manage/summary_draft.txt", language=language, **context
            ).strip()
    return texts
