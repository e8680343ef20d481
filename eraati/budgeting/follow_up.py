"""Public follow-up: the funded projects of a process and how far each has got."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from eraati.budgeting.models import Process, Project, ProjectStatus, ProjectUpdate
from eraati.extensions import db

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
