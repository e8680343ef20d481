"""Pages where officials and a panel's moderators run its sessions and ideas."""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from eraati.accounts.services import find_user
from eraati.audit import record
from eraati.core.forms import clean_translations
from eraati.core.time import utcnow
from eraati.extensions import db, login_manager
from eraati.panels import services as panels
from eraati.panels.models import Panel
from eraati.rooms import exports, labels, mails, rules, scheduling, services, summary
from eraati.rooms.forms import (
    AgendaItemForm,
    GuestForm,
    IdeaStatusForm,
    SessionForm,
    SummaryForm,
)
from eraati.rooms.messages import error_text
from eraati.rooms.models import (
    AgendaItem,
    Idea,
    ModerationAction,
    RoomSession,
)

bp = Blueprint(
    "rooms_manage", __name__, url_prefix="/manage/panels/<int:panel_id>/sessions"
)


def panel_moderator_required(view):
    """Officials, admins and the panel's own moderators; the view gets the panel."""

    @wraps(view)
    def wrapped(panel_id: int, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        panel = db.session.get(Panel, panel_id) or abort(404)
        if not panels.can_moderate(current_user, panel):
            abort(403)
        return view(panel, **kwargs)

    return wrapped


def _session_of(panel: Panel, session_id: int) -> RoomSession:
    session = db.session.get(RoomSession, session_id)
    if session is None or session.panel_id != panel.id:
        abort(404)
    return session


def _status(*forms) -> int:
    return 400 if any(form.errors for form in forms) else 200


@bp.get("/")
@panel_moderator_required
def index(panel: Panel):
    """The panel's sessions, newest first."""
    sessions = db.session.scalars(
        select(RoomSession)
        .where(RoomSession.panel_id == panel.id)
        .order_by(RoomSession.starts_at.desc())
    ).all()
    return render_template(
        "rooms/manage/index.html",
        panel=panel,
        sessions=sessions,
        status_labels=labels.SESSION_STATUS,
    )


@bp.route("/new", methods=["GET", "POST"])
@panel_moderator_required
def new(panel: Panel):
    """Schedule a session; under three days' notice it needs a reason."""
    form = SessionForm()
    if form.validate_on_submit():
        try:
            session = services.schedule_session(
                panel,
                now=utcnow(),
                starts_at=form.starts_utc,
                ends_at=form.ends_utc,
                agenda=form.agenda_items(),
                **form.session_fields(),
            )
        except services.RoomError as error:
            form.refused(error)
        else:
            db.session.commit()
            flash(_("The session is scheduled."), "success")
            return redirect(url_for(".edit", panel_id=panel.id, session_id=session.id))
    return render_template("rooms/manage/new.html", panel=panel, form=form), _status(
        form
    )


@bp.route("/<int:session_id>", methods=["GET", "POST"])
@panel_moderator_required
def edit(panel: Panel, session_id: int):
    """A session's details, agenda and invited people."""
    session = _session_of(panel, session_id)
    form = SessionForm(data=SessionForm.data_of(session))
    del form.agenda  # edited item by item below
    if form.validate_on_submit():
        try:
            scheduling.update_session(
                session,
                starts_at=form.starts_utc,
                ends_at=form.ends_utc,
                now=utcnow(),
                **form.session_fields(),
            )
        except services.RoomError as error:
            form.refused(error)
        else:
            services.sync_participants(session)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".edit", panel_id=panel.id, session_id=session.id))
    return _render_edit(session, form=form)


def _render_edit(session: RoomSession, form=None, item_form=None, guest_form=None):
    if form is None:
        form = SessionForm(formdata=None, data=SessionForm.data_of(session))
        del form.agenda
    item_form = item_form or AgendaItemForm(formdata=None, prefix="item")
    guest_form = guest_form or GuestForm(formdata=None, prefix="guest")
    return render_template(
        "rooms/manage/edit.html",
        panel=session.panel,
        session=session,
        form=form,
        item_form=item_form,
        guest_form=guest_form,
        participants=services.participants(session),
        role_labels=labels.PARTICIPANT_ROLE,
    ), _status(form, item_form, guest_form)


@bp.post("/<int:session_id>/agenda")
@panel_moderator_required
def add_item(panel: Panel, session_id: int):
    """Add an item at the end of the agenda."""
    session = _session_of(panel, session_id)
    form = AgendaItemForm(prefix="item")
    if not form.validate_on_submit():
        return _render_edit(session, item_form=form)
    position = max((item.position for item in session.agenda), default=-1) + 1
    session.agenda.append(
        AgendaItem(position=position, title=clean_translations(form.title.data))
    )
    db.session.commit()
    flash(_("Agenda item added."), "success")
    return _back_to_agenda(session)


@bp.post("/<int:session_id>/agenda/<int:agenda_item_id>")
@panel_moderator_required
def change_item(panel: Panel, session_id: int, agenda_item_id: int):
    """Move an agenda item up or down, or remove it."""
    session = _session_of(panel, session_id)
    items = list(session.agenda)
    item = next((i for i in items if i.id == agenda_item_id), None) or abort(404)
    action = request.form.get("action")
    index = items.index(item)
    if action == "remove":
        if session.current_item_id == item.id:
            session.current_item_id = None
        session.agenda.remove(item)
        items.remove(item)
    elif action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
    else:
        abort(400, _("Unknown action."))
    for position, each in enumerate(items):
        each.position = position
    db.session.commit()
    return _back_to_agenda(session)


def _back_to_agenda(session: RoomSession):
    return redirect(
        url_for(
            ".edit",
            panel_id=session.panel_id,
            session_id=session.id,
            _anchor="agenda",
        )
    )


@bp.post("/<int:session_id>/guests")
@panel_moderator_required
def invite(panel: Panel, session_id: int):
    """Invite a named guest, e.g. a council member, who already has an account."""
    session = _session_of(panel, session_id)
    form = GuestForm(prefix="guest")
    if form.validate_on_submit():
        user = find_user(form.email.data.strip())
        if user is None or not user.is_active_account:
            form.email.errors.append(
                _(
                    "No one has an account with this email address. Ask an official to add the person first."
                )
            )
        else:
            services.invite_guest(session, user)
            db.session.commit()
            flash(_("%(name)s is invited.", name=user.name_for_display), "success")
            return redirect(
                url_for(
                    ".edit",
                    panel_id=panel.id,
                    session_id=session.id,
                    _anchor="participants",
                )
            )
    return _render_edit(session, guest_form=form)


# --- After the session ------------------------------------------------------------


@bp.route("/<int:session_id>/summary", methods=["GET", "POST"])
@panel_moderator_required
def write_summary(panel: Panel, session_id: int):
    """The summary editor; "send and publish" mails it once and puts it on the calendar."""
    session = _session_of(panel, session_id)
    ended = session.status is rules.SessionStatus.CLOSED or session.ends_at <= utcnow()
    prefill = session.summary or (summary.drafts(session) if ended else {})
    form = SummaryForm(data={"summary": prefill})
    if form.validate_on_submit():
        session.summary = clean_translations(form.summary.data)
        if request.form.get("action") == "send":
            _send_summary(session, ended)
        else:
            flash(_("Saved."), "success")
        db.session.commit()
        return redirect(url_for(".index", panel_id=panel.id))
    return render_template(
        "rooms/manage/summary.html",
        panel=panel,
        session=session,
        form=form,
        ended=ended,
        stats=summary.participation(session),
        ideas=summary.ideas_raised(session),
        idea_labels=labels.IDEA_STATUS,
    ), _status(form)


def _send_summary(session: RoomSession, ended: bool) -> None:
    if not ended:
        abort(400, _("You can send the summary when the session has ended."))
    if session.summary_sent_at is not None:
        # Mailed once: a later correction is published without mailing again.
        flash(_("Saved. The summary was already sent earlier."), "success")
        return
    sent = mails.send_summary(session)
    session.summary_sent_at = utcnow()
    flash(
        ngettext(
            "The summary is published and sent to %(num)d person.",
            "The summary is published and sent to %(num)d people.",
            sent,
        ),
        "success",
    )


@bp.get("/<int:session_id>/transcript.csv")
@panel_moderator_required
def transcript_csv(panel: Panel, session_id: int):
    """The transcript as CSV, for moderators."""
    session = _session_of(panel, session_id)
    return _download(exports.transcript_csv(session), session, "csv", "text/csv")


@bp.get("/<int:session_id>/transcript.txt")
@panel_moderator_required
def transcript_text(panel: Panel, session_id: int):
    """The transcript as plain text, for moderators."""
    session = _session_of(panel, session_id)
    return _download(exports.transcript_text(session), session, "txt", "text/plain")


def _download(body: str, session: RoomSession, extension: str, mimetype: str):
    filename = f"session-{session.id}-transcript.{extension}"
    record("room.transcript_exported", session, format=extension)  # names people
    db.session.commit()
    return Response(
        # A byte order mark lets spreadsheet programs read the CSV as UTF-8.
        ("\ufeff" + body) if extension == "csv" else body,
        mimetype=f"{mimetype}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/<int:session_id>/log")
@panel_moderator_required
def audit_log(panel: Panel, session_id: int):
    """What the moderators did in a session, and why."""
    session = _session_of(panel, session_id)
    actions = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.session_id == session.id)
        .order_by(ModerationAction.id)
    ).all()
    names = {
        p.id: p.display_name
        for p in services.participants(session)
        if p.user_id is not None  # an erased account shows as "removed participant"
    }
    return render_template(
        "rooms/manage/log.html",
        panel=panel,
        session=session,
        actions=actions,
        names=names,
        action_label=labels.action,
    )


# --- Ideas ------------------------------------------------------------------------


@bp.get("/ideas")
@panel_moderator_required
def ideas(panel: Panel):
    """The panel's ideas with a status form each."""
    return _render_ideas(panel)


def _render_ideas(panel: Panel, failed: IdeaStatusForm | None = None, idea_id=None):
    found = db.session.scalars(
        select(Idea)
        .where(Idea.panel_id == panel.id)
        .order_by(Idea.accepted, Idea.id.desc())
    ).all()
    forms = {}
    for idea in found:
        form = failed if idea.id == idea_id else None
        form = form or IdeaStatusForm(formdata=None, prefix=f"idea-{idea.id}")
        form.limit_to(idea.status)
        forms[idea.id] = form
    return render_template(
        "rooms/manage/ideas.html",
        panel=panel,
        ideas=found,
        idea_forms=forms,
        idea_labels=labels.IDEA_STATUS,
    ), (400 if failed is not None else 200)


@bp.post("/ideas/<int:idea_id>")
@panel_moderator_required
def change_idea(panel: Panel, idea_id: int):
    """Accept a suggested idea, or move an idea on; its session hears of each change."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.panel_id != panel.id:
        abort(404)
    if request.form.get("action") == "accept":
        idea.accepted = True
        db.session.commit()
        flash(_("The idea is accepted."), "success")
        return redirect(url_for(".ideas", panel_id=panel.id, _anchor=f"idea-{idea.id}"))
    form = IdeaStatusForm(prefix=f"idea-{idea.id}")
    form.limit_to(idea.status)
    if not form.validate_on_submit():
        return _render_ideas(panel, form, idea.id)
    try:
        change = services.change_idea_status(
            idea, form.status.data, form.reason.data, current_user, utcnow()
        )
    except services.RoomError as error:
        form.reason.errors.append(error_text(error.code, error.details))
        return _render_ideas(panel, form, idea.id)
    sent = mails.send_idea_status(idea, change)
    db.session.commit()
    flash(
        ngettext(
            "Status changed. %(num)d person was told.",
            "Status changed. %(num)d people were told.",
            sent,
        ),
        "success",
    )
    return redirect(url_for(".ideas", panel_id=panel.id, _anchor=f"idea-{idea.id}"))
