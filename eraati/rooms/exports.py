"""Transcript exports for moderators: CSV and plain text, in the reader's language.

Only the names people chose in the session appear (pseudonyms welcome), never an
email address; hidden messages are marked and their text left out.
"""

from __future__ import annotations

import csv
import io

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eraati.core.i18n import text_in_reader_language
from eraati.extensions import db
from eraati.rooms.messages import notice_text
from eraati.rooms.models import Message, MessageKind, Participant, RoomSession

#: Spreadsheets run cells starting with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _author(participant: Participant | None) -> str:
    if participant is None or participant.user_id is None:
        return _("removed participant")
    return participant.display_name or _("participant")


def _text(message: Message) -> str:
    if message.kind is MessageKind.NOTICE:
        return notice_text(message.body)
    if message.hidden:
        return _(
            "Message hidden by the moderator: %(reason)s",
            reason=message.hidden_reason or "",
        )
    return message.body


def _lines(session: RoomSession) -> list[dict]:
    items = {item.id: text_in_reader_language(item.title) for item in session.agenda}
    messages = db.session.scalars(
        select(Message)
        .where(Message.session_id == session.id)
        .options(selectinload(Message.participant))
        .order_by(Message.id)
    )
    return [
        {
            "id": message.id,
            "time": format_datetime(message.created_at, "yyyy-MM-dd HH:mm:ss"),
            "item": items.get(message.agenda_item_id, ""),
            "author": ""
            if message.kind is MessageKind.NOTICE
            else _author(message.participant),
            "kind": message.kind,
            "hidden": message.hidden,
            "text": _text(message),
        }
        for message in messages
    ]


def _safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def transcript_csv(session: RoomSession) -> str:
    """One row per message; the header is in the reader's language."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("Number"),
            _("Time (Finnish time)"),
            _("Agenda item"),
            _("Name"),
            _("Kind"),
            _("Hidden"),
            _("Text"),
        ]
    )
    for line in _lines(session):
        kind = _("notice") if line["kind"] is MessageKind.NOTICE else _("message")
        writer.writerow(
            [
                line["id"],
                line["time"],
                _safe(line["item"]),
                _safe(line["author"]),
                kind,
                _("yes") if line["hidden"] else "",
                _safe(line["text"]),
            ]
        )
    return out.getvalue()


def transcript_text(session: RoomSession) -> str:
    """A readable log: a heading per agenda item, then "[time] Name: text"."""
    out = [text_in_reader_language(session.title), ""]
    current_item = None
    for line in _lines(session):
        if line["item"] and line["item"] != current_item:
            current_item = line["item"]
            out += ["", f"## {current_item}", ""]
        speaker = f"{line['author']}: " if line["author"] else "* "
        out.append(f"[{line['time'][11:16]}] {speaker}{line['text']}")
    return "\n".join(out).strip() + "\n"
