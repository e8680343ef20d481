"""Public calendar, summaries and ideas of the panels' sessions, and the room page.

The room page works without JavaScript: the transcript is rendered here and a normal
form posts a message. static/js/rooms.js takes the same page over when it loads
(the ids and data attributes of templates/rooms/room.html are its contract).
"""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eraati.accounts.models import Role
from eraati.core.time import utcnow
from eraati.extensions import db, limiter
from eraati.panels import services as panels
from eraati.panels.models import Panel
from eraati.rooms import broadcast, labels, services
from eraati.rooms.ground_rules import GROUND_RULES
from eraati.rooms.messages import error_text, identity_code_placeholder, notice_text
from eraati.rooms.models import (
    Idea,
    Message,
    MessageKind,
    Participant,
    RoomSession,
)
from eraati.rooms.payloads import message_payload
from eraati.rooms.rules import MAX_MESSAGE_LENGTH, SessionStatus

bp = Blueprint("rooms", __name__, url_prefix="/sessions")

#: How many published summaries the calendar lists.
PAST_ON_CALENDAR = 50


def _session_or_404(session_id: int) -> RoomSession:
    session = db.session.get(RoomSession, session_id)
    if session is None or session.panel.is_archived:
        abort(404)
    return session


def _panel_or_404(panel_id: int | None) -> Panel:
    panel = db.session.get(Panel, panel_id) if panel_id is not None else None
    if panel is None or panel.is_archived:
        abort(404)
    return panel


@bp.get("/")
def calendar():
    """Upcoming sessions of every panel (or of ``?panel=``) and published summaries."""
    panel = None
    if "panel" in request.args:
        panel = _panel_or_404(request.args.get("panel", type=int))
    base = (
        select(RoomSession)
        .join(RoomSession.panel)
        .where(Panel.is_archived.is_(False))
        .options(selectinload(RoomSession.agenda), selectinload(RoomSession.panel))
    )
    if panel is not None:
        base = base.where(RoomSession.panel_id == panel.id)
    upcoming = db.session.scalars(
        base.where(
            RoomSession.status != SessionStatus.CLOSED,
            RoomSession.ends_at > utcnow(),
        ).order_by(RoomSession.starts_at)
    ).all()
    past = db.session.scalars(
        base.where(RoomSession.summary_sent_at.is_not(None))
        .order_by(RoomSession.starts_at.desc())
        .limit(PAST_ON_CALENDAR)
    ).all()
    return render_template(
        "rooms/calendar.html",
        panel=panel,
        upcoming=upcoming,
        past=past,
        status_labels=labels.SESSION_STATUS,
        can_moderate=panel is not None and panels.can_moderate(current_user, panel),
    )


@bp.get("/<int:session_id>/summary")
def summary(session_id: int):
    """The published summary of a session and the ideas raised in it."""
    session = _session_or_404(session_id)
    if session.summary_sent_at is None:
        abort(404)
    ideas = db.session.scalars(
        select(Idea)
        .where(Idea.session_id == session.id, Idea.accepted.is_(True))
        .order_by(Idea.id)
    ).all()
    return render_template(
        "rooms/summary.html",
        session=session,
        ideas=ideas,
        idea_labels=labels.IDEA_STATUS,
    )


@bp.get("/panels/<int:panel_id>/ideas")
def ideas(panel_id: int):
    """Every accepted idea of a panel, its status, history and why it stopped."""
    panel = _panel_or_404(panel_id)
    found = db.session.scalars(
        select(Idea)
        .where(Idea.panel_id == panel.id, Idea.accepted.is_(True))
        .options(selectinload(Idea.history))
        .order_by(Idea.status_changed_at.desc(), Idea.id.desc())
    ).all()
    return render_template(
        "rooms/ideas.html", panel=panel, ideas=found, idea_labels=labels.IDEA_STATUS
    )


# --- The room ---------------------------------------------------------------------


@bp.get("/<int:session_id>")
@login_required
def room(session_id: int):
    """The session page for invited people: the rules gate first, then the room."""
    session = _session_or_404(session_id)
    try:
        participant = services.enter(session, current_user, utcnow())
    except services.RoomError as error:
        return _refused_entry(session, error)
    db.session.commit()
    return _render_room(session, participant)


@bp.post("/<int:session_id>/rules")
@login_required
def accept_rules(session_id: int):
    """Record "I accept" for the panel's ground rules (once per panel and version)."""
    session = _session_or_404(session_id)
    invited = services.participant_of(session, current_user) is not None
    if not invited and not current_user.has_role(Role.OFFICIAL):
        abort(403, error_text("not_invited", {}))
    services.accept_rules(session.panel_id, current_user.id, utcnow())
    db.session.commit()
    return redirect(url_for(".room", session_id=session.id))


@bp.post("/<int:session_id>/messages")
# Per address: a whole group on one network (a library, a care home) shares it.
@limiter.limit("120 per minute")
@login_required
def post(session_id: int):
    """Post a message with a normal form; the form's client id makes a resend count once."""
    session = _session_or_404(session_id)
    now = utcnow()
    try:
        participant = services.enter(session, current_user, now)
    except services.RoomError as error:
        return _refused_entry(session, error)
    body = request.form.get("body", "")
    client_id = request.form.get("client_id", "")
    with force_locale(participant.language):
        placeholder = identity_code_placeholder()
    try:
        message, created = services.post_message(
            session,
            participant,
            client_id,
            body,
            now,
            personal_data_confirmed=bool(request.form.get("confirm")),
            identity_code_placeholder=placeholder,
        )
    except services.RoomError as error:
        # Nothing was stored; the entry itself (joined_at) may be kept.
        db.session.commit()
        composer = _composer(body, client_id, error)
        return _render_room(session, participant, composer), 400
    if created:
        _broadcast(session, participant, message)
    db.session.commit()
    if created:
        flash(_("Your message was sent."), "success")
    return redirect(url_for(".room", session_id=session.id, _anchor=f"m-{message.id}"))


def _refused_entry(session: RoomSession, error: services.RoomError):
    """The ground rules to accept first; any other refusal is a 403 in plain words."""
    if error.code != "rules_not_accepted":
        abort(403, error_text(error.code, error.details))
    db.session.rollback()
    return render_template(
        "rooms/rules.html", session=session, ground_rules=GROUND_RULES
    )


def _broadcast(session: RoomSession, participant: Participant, message: Message):
    """Show a message posted without JavaScript to those connected live, once it is
    stored (a failed broadcast is logged: clients get the message on resync)."""
    broadcast.after_commit(
        db.session, "message", message_payload(message), session.room
    )
    row = {
        "session": session.id,
        "id": participant.id,
        "count": participant.message_count,
    }
    broadcast.after_commit(db.session, "participant", row, f"{session.room}-moderators")


def _composer(
    body: str = "",
    client_id: str | None = None,
    error: services.RoomError | None = None,
) -> dict:
    """What the post form shows: the text kept after a refusal, and the refusal."""
    return {
        "body": body,
        # A new id per page view: the same form sent twice is one message.
        "client_id": client_id or secrets.token_urlsafe(16),
        "error": error_text(error.code, error.details) if error else None,
        "personal_data": error is not None and error.code == "personal_data",
    }


def _render_room(
    session: RoomSession, participant: Participant, composer: dict | None = None
) -> str:
    messages = db.session.scalars(
        select(Message)
        .where(Message.session_id == session.id)
        .options(selectinload(Message.participant))
        .order_by(Message.id)
    ).all()
    transcript = [_line(message) for message in messages]
    return render_template(
        "rooms/room.html",
        session=session,
        participant=participant,
        moderator=participant.is_moderator,
        transcript=transcript,
        last_id=messages[-1].id if messages else 0,
        composer=composer or _composer(),
        ground_rules=GROUND_RULES,
        status_label=labels.SESSION_STATUS[session.status],
        closed=session.status is SessionStatus.CLOSED,
        max_length=MAX_MESSAGE_LENGTH,
    )


def _line(message: Message) -> dict:
    """A transcript line: the live payload plus what only the server can word."""
    line = message_payload(message)
    line["created_at"] = message.created_at
    line["notice_text"] = (
        notice_text(message.body) if message.kind is MessageKind.NOTICE else None
    )
    return line
