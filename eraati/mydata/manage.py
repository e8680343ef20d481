"""Admins: a person's data on their behalf (the download, and erasure with a
reason). Both are recorded in the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.accounts.models import Role, User
from eraati.core.security import role_required
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.mydata import services
from eraati.mydata.forms import AdminEraseForm
from eraati.mydata.labels import PILLARS
from eraati.mydata.views import json_download

bp = Blueprint("mydata_manage", __name__, url_prefix="/admin/users")


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/<int:user_id>/data")
@role_required(Role.ADMIN)
def person(user_id: int):
    return _page(_user(user_id), AdminEraseForm())


def _page(user: User, form: AdminEraseForm, status: int = 200):
    counts = []
    if user.erased_at is None:
        data = services.export_data(user, utcnow())
        titles = {(d, k): title for _t, _n, kinds in PILLARS for d, k, title in kinds}
        counts = [
            (titles[domain, kind], number)
            for domain, kind, number in services.summary(data)
            if (domain, kind) in titles
        ]
    return render_template(
        "mydata/manage.html", person=user, counts=counts, form=form
    ), status


@bp.get("/<int:user_id>/data.json")
@role_required(Role.ADMIN)
def download(user_id: int):
    user = _user(user_id)
    if user.erased_at is not None:
        abort(404, _("This account has been deleted: there is no data to download."))
    now = utcnow()
    data = services.export_data(user, now)
    services.record_export(user, actor=current_user, requested_by="admin")
    db.session.commit()
    return json_download(data, now)


@bp.post("/<int:user_id>/erase")
@role_required(Role.ADMIN)
def erase(user_id: int):
    user = _user(user_id)
    form = AdminEraseForm()
    if user.erased_at is not None:
        flash(_("This account has already been deleted."), "info")
        return _page(user, form, 409)
    if user.id == current_user.id:
        abort(400, _("Delete your own account on the My data page."))
    if not form.validate_on_submit():
        return _page(user, form, 400)
    try:
        erasure = services.erase_account(
            user,
            utcnow(),
            actor=current_user._get_current_object(),
            requested_by="admin",
            reason=form.reason.data,
        )
    except services.AlreadyErased:
        db.session.rollback()
        flash(_("This account has already been deleted."), "info")
        return redirect(url_for(".person", user_id=user_id))
    db.session.commit()
    if services.confirm_erasure(erasure):
        flash(
            _("The account was deleted and the person was sent a confirmation."),
            "success",
        )
    else:
        flash(
            _("The account was deleted, but the confirmation mail could not be sent."),
            "error",
        )
    return redirect(url_for(".person", user_id=user_id))
