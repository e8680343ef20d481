"""The audit log for admins: filter, page through and download. No edit routes."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from eraati.accounts.models import Role, User
from eraati.audit.models import AuditEvent
from eraati.audit.services import record
from eraati.core.security import role_required
from eraati.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PAGE_SIZE = 50


@dataclass
class Filters:
    action: str = ""
    since: str = ""
    until: str = ""
    actor: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def query_args(self) -> dict[str, str]:
        names = ("action", "since", "until", "actor")
        return {name: getattr(self, name) for name in names if getattr(self, name)}


def _read_filters() -> Filters:
    args = request.args
    filters = Filters(
        action=args.get("action", "").strip()[:60],
        since=args.get("since", "").strip()[:10],
        until=args.get("until", "").strip()[:10],
        actor=args.get("actor", "").strip().lower()[:254],
    )
    for name in ("since", "until"):
        value = getattr(filters, name)
        if value and _parse_date(value) is None:
            filters.errors[name] = _("Enter the date in the form 2026-11-30.")
    return filters


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(current_app.config["TIMEZONE"]))


def _statement(filters: Filters):
    statement = select(AuditEvent, User.email).outerjoin(
        User, User.id == AuditEvent.actor_id
    )
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.since and "since" not in filters.errors:
        since = _local_midnight(_parse_date(filters.since))
        statement = statement.where(AuditEvent.at >= since)
    if filters.until and "until" not in filters.errors:
        until = _local_midnight(_parse_date(filters.until) + timedelta(days=1))
        statement = statement.where(AuditEvent.at < until)
    if filters.actor:
        statement = statement.where(User.email == filters.actor)
    return statement.order_by(AuditEvent.id.desc())


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    filters = _read_filters()
    page = max(request.args.get("page", 1, type=int), 1)
    rows = db.session.execute(
        _statement(filters).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    actions = db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    return render_template(
        "audit/index.html",
        rows=rows[:PAGE_SIZE],
        has_more=len(rows) > PAGE_SIZE,
        page=page,
        filters=filters,
        actions=actions,
    ), 400 if filters.errors else 200


@bp.get("/export.csv")
@role_required(Role.ADMIN)
def export():
    """Every matching event as CSV; actors by id and role, not by address."""
    filters = _read_filters()
    if filters.errors:
        return index()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["id", "at", "actor_id", "actor_role", "action", "object_type", "object_id"]
        + ["details"]
    )
    for event, _email in db.session.execute(_statement(filters)):
        writer.writerow(
            [
                event.id,
                event.at.isoformat(),
                event.actor_id or "",
                event.actor_role or "",
                event.action,
                event.object_type or "",
                event.object_id or "",
                json.dumps(event.details, ensure_ascii=False, sort_keys=True),
            ]
        )
    record(
        "audit.exported",
        action_filter=filters.action or None,
        since=filters.since or None,
        until=filters.until or None,
        by_actor=bool(filters.actor),  # the address itself is personal data
    )
    db.session.commit()
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
