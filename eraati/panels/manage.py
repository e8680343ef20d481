"""Pages where officials manage organisations, units, panels and memberships."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from eraati.accounts.models import Role
from eraati.core.forms import choices, clean_translations
from eraati.core.i18n import text_in_reader_language
from eraati.core.security import role_required
from eraati.extensions import db
from eraati.panels import services
from eraati.panels.forms import MemberForm, OrganisationForm, PanelForm, UnitForm
from eraati.panels.models import (
    Membership,
    Organisation,
    Panel,
    PanelRole,
    Unit,
    UnitKind,
)

bp = Blueprint("panels_manage", __name__, url_prefix="/manage")


def _status(form) -> int:
    return 400 if form.errors else 200


def _get_or_404(model, id_: int):
    return db.session.get(model, id_) or abort(404)


@bp.get("/")
@role_required(Role.OFFICIAL)
def overview():
    organisations = db.session.scalars(
        select(Organisation).order_by(Organisation.id)
    ).all()
    return render_template("panels/manage/overview.html", organisations=organisations)


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_organisation(organisation_id: int | None = None):
    organisation = (
        _get_or_404(Organisation, organisation_id) if organisation_id else None
    )
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        taken = db.session.scalar(
            select(Organisation).where(Organisation.slug == form.slug.data)
        )
        if taken is not None and taken is not organisation:
            form.slug.errors.append(_("That short name is already in use."))
        else:
            organisation = organisation or Organisation()
            organisation.slug = form.slug.data
            organisation.name = clean_translations(form.name.data)
            db.session.add(organisation)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".overview"))
    return render_template(
        "panels/manage/organisation.html", form=form, organisation=organisation
    ), _status(form)


@bp.route("/organisations/<int:organisation_id>/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_unit(organisation_id: int | None = None, unit_id: int | None = None):
    unit = _get_or_404(Unit, unit_id) if unit_id else None
    organisation = (
        unit.organisation if unit else _get_or_404(Organisation, organisation_id)
    )
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        unit = unit or Unit(organisation=organisation)
        unit.kind = UnitKind(form.kind.data)
        unit.name = clean_translations(form.name.data)
        db.session.add(unit)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".overview"))
    return render_template(
        "panels/manage/unit.html", form=form, unit=unit, organisation=organisation
    ), _status(form)


def _unit_choices() -> list[tuple[int, str]]:
    units = db.session.scalars(select(Unit).join(Unit.organisation).order_by(Unit.id))
    return [
        (
            unit.id,
            f"{text_in_reader_language(unit.organisation.name)}: "
            f"{text_in_reader_language(unit.name)}",
        )
        for unit in units
    ]


@bp.route("/panels/new", methods=["GET", "POST"])
@bp.route("/panels/<int:panel_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_panel(panel_id: int | None = None):
    panel = _get_or_404(Panel, panel_id) if panel_id else None
    form = PanelForm(obj=panel, unit_id=request.args.get("unit", type=int))
    form.unit_id.choices = choices(_unit_choices())
    if not form.unit_id.choices:
        flash(_("Add a unit or a council first."), "info")
        return redirect(url_for(".overview"))
    if form.validate_on_submit():
        panel = panel or Panel()
        panel.unit_id = form.unit_id.data
        panel.name = clean_translations(form.name.data)
        panel.description = clean_translations(form.description.data)
        db.session.add(panel)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".members", panel_id=panel.id))
    return render_template("panels/manage/panel.html", form=form, panel=panel), _status(
        form
    )


@bp.route("/panels/<int:panel_id>/members", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def members(panel_id: int):
    panel = _get_or_404(Panel, panel_id)
    form = MemberForm()
    if form.validate_on_submit():
        services.add_member(panel, form.email.data, PanelRole(form.role.data))
        db.session.commit()
        flash(
            _("%(email)s is now in the panel.", email=form.email.data.strip()),
            "success",
        )
        return redirect(url_for(".members", panel_id=panel.id))
    rows = db.session.scalars(
        select(Membership)
        .where(Membership.panel_id == panel.id)
        .order_by(Membership.id)
    ).all()
    return render_template(
        "panels/manage/members.html", panel=panel, form=form, memberships=rows
    ), _status(form)


@bp.post("/panels/<int:panel_id>/members/<int:membership_id>")
@role_required(Role.OFFICIAL)
def change_member(panel_id: int, membership_id: int):
    found = _get_or_404(Membership, membership_id)
    if found.panel_id != panel_id:
        abort(404)
    action = request.form.get("action")
    if action == "remove":
        db.session.delete(found)
        flash(_("Removed from the panel."), "success")
    elif action in {role.value for role in PanelRole}:
        found.role = PanelRole(action)
        flash(_("Role changed."), "success")
    else:
        abort(400, _("Unknown action."))
    db.session.commit()
    return redirect(url_for(".members", panel_id=panel_id))
