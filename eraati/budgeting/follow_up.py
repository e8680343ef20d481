"""Public follow-up: the funded projects of a process and how far each has got, and
the comments of the area's follow-up representatives on each project."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eraati.budgeting import proposals as services
from eraati.budgeting.forms import CommentForm
from eraati.budgeting.models import Process, Project, ProjectStatus, ProjectUpdate
from eraati.extensions import db, limiter, login_manager

bp = Blueprint("budgeting_follow_up", __name__, url_prefix="/pb/follow-up")


def latest_updates(process: Process) -> list[tuple[Project, ProjectUpdate | None]]:
    """Funded projects with their latest update (None before the first one)."""
    projects = db.session.scalars(
        select(Project)
        .where(
            Project.process_id == process.id,
            Project.status == ProjectStatus.FUNDED,
        )
        .order_by(Project.area_id, Project.id)
    ).all()
    latest: dict[int, ProjectUpdate] = {}
    updates = db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id.in_([p.id for p in projects]))
        .order_by(ProjectUpdate.created_at, ProjectUpdate.id)
    )
    for update in updates:
        latest[update.project_id] = update  # ordered: the last one wins
    return [(project, latest.get(project.id)) for project in projects]


@bp.get("/<int:process_id>")
def process(process_id: int):
    found = db.session.get(Process, process_id) or abort(404)
    return render_template(
        "budgeting/follow_up/process.html",
        process=found,
        rows=latest_updates(found),
    )


@bp.route("/<int:process_id>/projects/<int:project_id>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def project(process_id: int, project_id: int):
    """A funded project's history; its area's representatives comment here (POST)."""
    found = db.session.get(Project, project_id)
    if (
        found is None
        or found.process_id != process_id
        or found.status is not ProjectStatus.FUNDED
    ):
        abort(404)
    may_comment = services.is_representative(current_user, found.area_id)
    form = CommentForm()
    if request.method == "POST":
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not may_comment:
            abort(403)
        if form.validate_on_submit():
            services.add_comment(current_user.id, form.body.data, project=found)
            db.session.commit()
            flash(_("Your comment is published."), "success")
            return redirect(request.path + "#comments")
    history = db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id == found.id)
        .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
    ).all()
    return render_template(
        "budgeting/follow_up/project.html",
        process=db.session.get(Process, process_id),
        project=found,
        history=history,
        comments=services.comments_on(project=found),
        form=form,
        may_comment=may_comment,
        following=services.is_following(current_user, project=found),
    ), (400 if form.errors else 200)
