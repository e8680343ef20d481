"""Officials add and edit projects (cost, feasibility, status with a published
reason) and publish the implementation updates of funded ones (routes on the
officials' blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DecimalField, SelectField, TextAreaField

from eraati.accounts.models import Role
from eraati.audit import record
from eraati.budgeting import notices
from eraati.budgeting.manage import MONEY, _child, _process, _status, bp
from eraati.budgeting.manage_labels import IMPLEMENTATION_LABELS, STATUS_LABELS
from eraati.budgeting.models import (
    ImplementationStatus,
    Project,
    ProjectStatus,
    ProjectUpdate,
)
from eraati.core.forms import choices, clean_translations, translated_field
from eraati.core.i18n import text_in_reader_language
from eraati.core.security import role_required
from eraati.extensions import db


class ProjectForm(FlaskForm):
    area_id = SelectField(_l("Area"), coerce=int)
    title = translated_field(_l("Title"))
    description = translated_field(
        _l("Description"), required=False, multiline=True, max_length=5000
    )
    cost = DecimalField(_l("Cost (euros)"), **MONEY)
    feasibility = translated_field(
        _l("Feasibility"), required=False, multiline=True, max_length=2000
    )
    status = SelectField(
        _l("Status"), choices=choices((k.value, v) for k, v in STATUS_LABELS.items())
    )
    status_reason = TextAreaField(
        _l("Reason (published)"),
        description=_l("Required when the project is rejected."),
    )


class UpdateForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=choices((k.value, v) for k, v in IMPLEMENTATION_LABELS.items()),
    )
    note = TextAreaField(_l("Note (published)"))


@bp.route("/<int:process_id>/projects/new", methods=["GET", "POST"])
@bp.route("/<int:process_id>/projects/<int:project_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_project(process_id: int, project_id: int | None = None):
    process = _process(process_id)
    project = _child(Project, project_id, process) if project_id else None
    form = ProjectForm(obj=project)
    form.area_id.choices = choices(
        (area.id, text_in_reader_language(area.name)) for area in process.areas
    )
    if not form.area_id.choices:
        flash(_("Add an area first."), "info")
        return redirect(url_for(".overview", process_id=process.id))
    if form.validate_on_submit() and _reason_given(form):
        project = project or Project(process_id=process.id, external_id="")
        _fill_project(project, form)
        db.session.add(project)
        db.session.flush()
        # New projects get their own id as their Pabulib id, for export.
        project.external_id = project.external_id or str(project.id)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".overview", process_id=process.id))
    return render_template(
        "budgeting/manage/project_form.html",
        form=form,
        process=process,
        project=project,
    ), _status(form)


def _reason_given(form: ProjectForm) -> bool:
    if (
        form.status.data == ProjectStatus.REJECTED.value
        and not (form.status_reason.data or "").strip()
    ):
        form.status_reason.errors = [_("Give the reason for rejecting the project.")]
        return False
    return True


def _fill_project(project: Project, form: ProjectForm) -> None:
    project.area_id = form.area_id.data
    for name in ("title", "description", "feasibility"):
        setattr(project, name, clean_translations(getattr(form, name).data))
    project.cost = form.cost.data
    status = ProjectStatus(form.status.data)
    if project.id is not None and project.status is not status:
        record("pb.project_status_changed", project, status=status)
    project.status = status
    project.status_reason = (form.status_reason.data or "").strip() or None


@bp.route(
    "/<int:process_id>/projects/<int:project_id>/updates", methods=["GET", "POST"]
)
@role_required(Role.OFFICIAL)
def updates(process_id: int, project_id: int):
    process = _process(process_id)
    project = _child(Project, project_id, process)
    if project.status is not ProjectStatus.FUNDED:
        abort(409, _("Only funded projects have implementation updates."))
    form = UpdateForm()
    if form.validate_on_submit() and _note_given(form):
        previous = db.session.scalar(
            select(ProjectUpdate.status)
            .where(ProjectUpdate.project_id == project.id)
            .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
            .limit(1)
        )
        update = ProjectUpdate(
            project_id=project.id,
            status=ImplementationStatus(form.status.data),
            note=(form.note.data or "").strip() or None,
            updated_by_id=current_user.id,
        )
        db.session.add(update)
        record("pb.project_update_published", project, status=update.status)
        if update.status is not previous:  # a note alone is not a status change
            notices.project_status_changed(project, update)
        db.session.commit()
        flash(_("The update is published."), "success")
        return redirect(
            url_for(".updates", process_id=process.id, project_id=project.id)
        )
    history = db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id == project.id)
        .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
    ).all()
    return render_template(
        "budgeting/manage/updates.html",
        form=form,
        process=process,
        project=project,
        history=history,
        labels=IMPLEMENTATION_LABELS,
    ), _status(form)


def _note_given(form: UpdateForm) -> bool:
    if (
        form.status.data == ImplementationStatus.CANCELLED.value
        and not (form.note.data or "").strip()
    ):
        form.note.errors = [_("Give the reason for cancelling the project.")]
        return False
    return True
