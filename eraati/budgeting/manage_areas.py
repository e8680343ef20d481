"""Officials add and edit a process's areas and their budgets (routes on the
officials' blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField

from eraati.accounts.models import Role
from eraati.budgeting.manage import (
    MONEY,
    _areas_total,
    _child,
    _process,
    _status,
    bp,
)
from eraati.budgeting.models import Area
from eraati.core.forms import clean_translations, translated_field
from eraati.core.security import role_required
from eraati.extensions import db


class AreaForm(FlaskForm):
    name = translated_field(_l("Name"))
    budget = DecimalField(_l("Budget (euros)"), **MONEY)
    is_citywide = BooleanField(_l("Citywide pot"))


@bp.route("/<int:process_id>/areas/new", methods=["GET", "POST"])
@bp.route("/<int:process_id>/areas/<int:area_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def edit_area(process_id: int, area_id: int | None = None):
    process = _process(process_id)
    area = _child(Area, area_id, process) if area_id else None
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        total = _areas_total(process, leaving_out=area) + form.budget.data
        if total > process.total_budget:
            form.budget.errors.append(
                _(
                    "The area budgets would add up to %(sum)s, more than the total "
                    "budget of %(total)s.",
                    sum=total,
                    total=process.total_budget,
                )
            )
        else:
            area = area or Area(process=process)
            area.name = clean_translations(form.name.data)
            area.budget, area.is_citywide = form.budget.data, form.is_citywide.data
            db.session.add(area)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".overview", process_id=process.id))
    return render_template(
        "budgeting/manage/area_form.html", form=form, process=process, area=area
    ), _status(form)
