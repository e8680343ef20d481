"""Public panel pages: which panels there are and what they do."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from eraati.extensions import db
from eraati.panels import services
from eraati.panels.models import Panel

bp = Blueprint("panels", __name__, url_prefix="/panels")


@bp.get("/")
def index():
    panels = db.session.scalars(
        select(Panel).where(Panel.is_archived.is_(False)).order_by(Panel.id)
    ).all()
    return render_template("panels/index.html", panels=panels)


@bp.get("/<int:panel_id>")
def show(panel_id: int):
    panel = db.session.get(Panel, panel_id)
    if panel is None or panel.is_archived:
        abort(404)
    return render_template(
        "panels/show.html",
        panel=panel,
        membership=services.membership(current_user, panel),
        can_moderate=services.can_moderate(current_user, panel),
    )
